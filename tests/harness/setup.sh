#!/usr/bin/env bash
# Prepares this machine for the tests and the demo: the Debian packages of
# packages.txt, a virtual environment with the pinned Python requirements,
# the ansible-test pip bootstrap, the collection trees the tools load the
# collection from, the local base image, the directories the test hosts
# mount, and a check that containers start, network and resolve each other.
# Each step is skipped when what it makes is already there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/harness/require-root.sh
. "$here/require-root.sh"
# shellcheck source=tests/harness/env.sh
. "$here/env.sh"

installed() { dpkg-query -W -f='${Status}' "$1" 2> /dev/null | grep -q 'install ok installed'; }
# offered NAME: this machine's apt has a version of NAME to install.
offered() {
  local candidate
  candidate=$(apt-cache policy "$1" 2> /dev/null | awk '/Candidate:/ { print $2 }')
  [ -n "$candidate" ] && [ "$candidate" != "(none)" ]
}
apt_fail() {
  echo "setup: $1; see $PHS_STATE/apt.log" >&2
  tail -n 15 "$PHS_STATE/apt.log" >&2
  exit 2
}

# Each need is a package or alternatives a|b; a need is met by any of them.
missing=()
while read -r need; do
  IFS='|' read -r -a alternatives <<< "$need"
  met=
  for p in "${alternatives[@]}"; do installed "$p" && met=1 && break; done
  [ -n "$met" ] || missing+=("$need")
done < <(grep -v -e '^#' -e '^$' "$here/packages.txt")
if [ "${#missing[@]}" -gt 0 ]; then
  if ! command -v apt-get > /dev/null; then
    echo "setup: missing ${missing[*]} and no apt-get to install them; install them by hand (Debian package names; a|b: either)" >&2
    exit 2
  fi
  echo "setup: installing ${missing[*]}"
  apt_start=$SECONDS
  apt-get update -qq > "$PHS_STATE/apt.log" 2>&1 ||
    apt_fail "apt-get update failed, so ${missing[*]} cannot be installed; check the network and the apt sources, or install them by hand"
  chosen=()
  for need in "${missing[@]}"; do
    IFS='|' read -r -a alternatives <<< "$need"
    pick=${alternatives[0]}
    if [ "${#alternatives[@]}" -gt 1 ] && command -v apt-cache > /dev/null; then
      for p in "${alternatives[@]}"; do offered "$p" && pick=$p && break; done
    fi
    chosen+=("$pick")
  done
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${chosen[@]}" >> "$PHS_STATE/apt.log" 2>&1 ||
    apt_fail "apt-get could not install ${chosen[*]}; install them by hand (Debian package names) or fix the apt sources"
  echo "setup: apt installed ${chosen[*]} in $((SECONDS - apt_start)) s"
fi
podman info > /dev/null 2>&1 || {
  echo "setup: podman is installed but does not work here; 'CONTAINERS_CONF=$CONTAINERS_CONF podman info' says why" >&2
  exit 2
}
# What the test hosts and the demo hosts mount: the package pool they share.
install -d -m 0755 "$PHS_CACHE/apt-archives"

# The virtual environment, keyed by the requirements so a change rebuilds it.
req=$PHS_ROOT/tests/requirements.txt
venv=$PHS_CACHE/venv-$(sha256sum < "$req" | cut -c1-12)
if [ ! -f "$venv/.complete" ]; then
  echo "setup: creating the virtual environment $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q -r "$req" > "$PHS_STATE/pip.log" 2>&1 || {
    echo "setup: pip could not install $req; see $PHS_STATE/pip.log" >&2
    grep -v '^WARNING: Location' "$PHS_STATE/pip.log" | tail -n 15 >&2
    exit 2
  }
  touch "$venv/.complete"
else
  echo "virtual environment: $venv (reused)"
fi
printf '%s\n' "$venv" > "$PHS_STATE/venv"

# ansible-test downloads its pip bootstrap from a host tests cannot reach; a
# local one that does the same job with ensurepip takes its place, under the
# name that carries the pip version the venv's ansible-test asks for.
pip_bootstrap() {
  local requirements version target
  requirements=$(echo "$1"/lib/python*/site-packages/ansible_test/_internal/python_requirements.py)
  version=$(grep -m1 -oP "^\s+pip='\K[0-9.]+" "$requirements") || {
    echo "setup: no pip version in $requirements" >&2
    return 1
  }
  target=$HOME/.ansible/test/cache/get_pip_${version//./_}.py
  mkdir -p "$(dirname "$target")"
  cmp -s "$here/get_pip.py" "$target" || cp "$here/get_pip.py" "$target"
}
pip_bootstrap "$venv"

# The key Ansible logs in to the test hosts with; they get only its public half.
ssh_dir=$PHS_CACHE/ssh
if [ ! -f "$ssh_dir/id_ed25519" ]; then
  install -d -m 0700 "$ssh_dir"
  ssh-keygen -q -t ed25519 -N '' -C prime-hermod-stack-tests -f "$ssh_dir/id_ed25519"
  install -m 0600 "$ssh_dir/id_ed25519.pub" "$ssh_dir/authorized_keys"
fi

"$here/collection-tree.sh"
"$here/base-image.sh"
# Scenarios on Debian 11 and 13 (tomcat_releases, prime, colocated) boot from
# images of their own.
if [ "${PHS_TARGET:-}" = test ]; then
  "$here/base-image.sh" 11
  "$here/base-image.sh" 13
fi
"$here/container-check.sh"
# The upstream-layout Tomcat archives the archive install is tested with.
"$PHS_ROOT/tests/fixtures/tomcat_archive/build.sh" > /dev/null
if [ "${PHS_TARGET:-}" = test ]; then
  # Tomcat 9.0 (colocated), from Debian 11's packages.
  PHS_BASE_IMAGE_DEBIAN11=$(cat "$PHS_STATE/base-image-debian11") \
    "$PHS_ROOT/tests/fixtures/tomcat_archive/build.sh" 9 > /dev/null
  # The other ansible-cores the unit and playbook tests run on (make test's cores layer).
  "$here/ansible-cores.sh" > "$PHS_STATE/ansible-cores.new"
  mv "$PHS_STATE/ansible-cores.new" "$PHS_STATE/ansible-cores"
  while read -r _ _ core_venv; do pip_bootstrap "$core_venv"; done < "$PHS_STATE/ansible-cores"
fi
# The Java runtime that is not the distribution's (tomcat_archive's instance a).
"$venv/bin/python" "$PHS_ROOT/tests/fixtures/java_runtime/fetch.py" > /dev/null
