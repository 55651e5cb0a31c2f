#!/usr/bin/env bash
# Builds, once per line of ansible-cores.txt, a virtual environment with that
# ansible-core and Python and nothing else of Ansible, and beside it the
# collections it runs with, copied from the matching ansible bundle. Prints
# "release python directory" per line. Reused while the line, the recipe and
# the test requirements are unchanged.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/harness/env.sh
. "$here/env.sh"

# Only what the unit and playbook tests import, pinned as in tests/requirements.txt.
mapfile -t requirements < <(grep -E '^(pytest|pytest-xdist|cryptography|PyYAML)==' "$PHS_ROOT/tests/requirements.txt")
# galaxy.yml's collections, ansible.posix for the tests' JSON callback and
# containers.podman for Molecule's create and destroy playbooks.
mapfile -t collections < <({ galaxy_field dependencies; printf '%s\n' ansible.posix containers.podman; } | grep -v '^$' | LC_ALL=C sort -u)

# python_for VERSION: the interpreter of that Python version, from pyenv or PATH.
python_for() {
  local candidate
  for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$1".*/bin/python "$(command -v "python$1" || true)"; do
    [ -x "$candidate" ] && "$candidate" -c 'import venv' 2> /dev/null && { echo "$candidate"; return; }
  done
  return 1
}

while read -r core python bundle; do
  key=$( (printf '%s\n' "$core $python $bundle" "${requirements[@]}" "${collections[@]}"; cat "$0") | sha256sum | cut -c1-12)
  venv=$PHS_CACHE/core-$core-py$python-$key
  if [ ! -f "$venv/.complete" ]; then
    interpreter=$(python_for "$python") || {
      echo "ansible-cores: no Python $python on this machine for ansible-core $core (pyenv install $python, or drop the line from $here/ansible-cores.txt)" >&2
      exit 2
    }
    echo "ansible-cores: building ansible-core $core on Python $python in $venv" >&2
    rm -rf "$venv"
    "$interpreter" -m venv "$venv"
    log=$PHS_STATE/pip-core-$core.log
    if ! { "$venv/bin/pip" install -q "ansible-core==$core" "${requirements[@]}" > "$log" 2>&1 &&
           "$venv/bin/pip" download -q --no-deps -d "$venv/bundle" "ansible==$bundle" >> "$log" 2>&1; }; then
      echo "ansible-cores: pip could not install ansible-core $core or download ansible $bundle; see $log" >&2
      grep -v '^WARNING: Location' "$log" | tail -n 15 >&2
      exit 2
    fi
    "$venv/bin/python" - "$venv" "$core" "${collections[@]}" << 'PYTHON'
import glob
import os
import re
import sys
import zipfile

venv, core, names = sys.argv[1], sys.argv[2], sys.argv[3:]
(wheel,) = glob.glob(os.path.join(venv, 'bundle', 'ansible-*.whl'))
target = os.path.join(venv, 'collections')
with zipfile.ZipFile(wheel) as bundle:
    metadata = next(n for n in bundle.namelist() if n.endswith('.dist-info/METADATA'))
    wanted = re.search(r'^Requires-Dist: ansible-core *[~<>=]=? *([0-9.]+)', bundle.read(metadata).decode(), re.M)
    if not wanted or wanted.group(1).split('.')[:2] != core.split('.')[:2]:
        sys.exit('%s is not the bundle of ansible-core %s (it asks for %s)'
                 % (os.path.basename(wheel), core, wanted.group(0) if wanted else 'no ansible-core'))
    for name in names:
        prefix = 'ansible_collections/%s/' % name.replace('.', '/')
        members = [n for n in bundle.namelist() if n.startswith(prefix)]
        if not members:
            sys.exit('%s has no collection %s' % (os.path.basename(wheel), name))
        bundle.extractall(target, members)
PYTHON
    rm -rf "$venv/bundle"
    touch "$venv/.complete"
  fi
  printf '%s %s %s\n' "$core" "$python" "$venv"
done < <(grep -v -e '^#' -e '^$' "$here/ansible-cores.txt")
