#!/usr/bin/env bash
# Prepares this machine for the tests and the demo: Debian packages, a virtual
# environment with the pinned Python requirements, the ansible-test pip
# bootstrap, the collection trees the tools load the collection from, and the
# local base image. Each step is skipped when what it makes is already there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/harness/require-root.sh
. "$here/require-root.sh"
# shellcheck source=tests/harness/env.sh
. "$here/env.sh"

packages=(podman runc debootstrap netavark aardvark-dns openssh-client openjdk-17-jdk-headless git rsync shellcheck strace)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if ! command -v apt-get > /dev/null; then
    echo "setup: missing ${missing[*]} and no apt-get to install them; install them by hand (Debian 12 package names)" >&2
    exit 2
  fi
  echo "setup: installing ${missing[*]}"
  apt-get update -qq > "$PHS_STATE/apt.log" 2>&1 || {
    echo "setup: apt-get update failed, so ${missing[*]} cannot be installed; check the network and the apt sources, or install them by hand; see $PHS_STATE/apt.log" >&2
    tail -n 15 "$PHS_STATE/apt.log" >&2
    exit 2
  }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >> "$PHS_STATE/apt.log" 2>&1 || {
    echo "setup: apt-get could not install ${missing[*]}; install them by hand (Debian 12 package names) or fix the apt sources; see $PHS_STATE/apt.log" >&2
    tail -n 15 "$PHS_STATE/apt.log" >&2
    exit 2
  }
fi
podman info > /dev/null 2>&1 || {
  echo "setup: podman is installed but does not work here; 'CONTAINERS_CONF=$CONTAINERS_CONF podman info' says why" >&2
  exit 2
}

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
# local one that does the same job with ensurepip takes its place. The name
# carries the pip version ansible-core 2.19 asks for.
pip_bootstrap=$HOME/.ansible/test/cache/get_pip_24_2.py
mkdir -p "$(dirname "$pip_bootstrap")"
cmp -s "$here/get_pip.py" "$pip_bootstrap" || cp "$here/get_pip.py" "$pip_bootstrap"

# The key Ansible logs in to the test hosts with; they get only its public half.
ssh_dir=$PHS_CACHE/ssh
if [ ! -f "$ssh_dir/id_ed25519" ]; then
  install -d -m 0700 "$ssh_dir"
  ssh-keygen -q -t ed25519 -N '' -C prime-hermod-stack-tests -f "$ssh_dir/id_ed25519"
  install -m 0600 "$ssh_dir/id_ed25519.pub" "$ssh_dir/authorized_keys"
fi

"$here/collection-tree.sh"
"$here/base-image.sh"
# The upstream-layout Tomcat archives the archive install is tested with.
"$PHS_ROOT/tests/fixtures/tomcat_archive/build.sh" > /dev/null
