#!/usr/bin/env bash
# Lays out the collection where Ansible's tools look for it:
# - tests/output/collections/ansible_collections/prime_hermod/stack, a link to
#   the checkout, for ansible-playbook, Molecule and pytest (ANSIBLE_COLLECTIONS_PATH);
# - $PHS_BUILD/ansible_collections/prime_hermod/stack, a copy of the files git
#   tracks or would track, for ansible-test, which wants a real directory whose
#   path ends in ansible_collections/<namespace>/<name>. It lies outside the
#   checkout: inside, ansible-test would list files with the checkout's git,
#   which ignores tests/output.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/harness/env.sh
. "$here/env.sh"

links=$PHS_ROOT/tests/output/collections/ansible_collections/prime_hermod
mkdir -p "$links"
ln -sfn "$PHS_ROOT" "$links/stack"

build=$PHS_BUILD/ansible_collections/prime_hermod/stack
rm -rf "$build"
mkdir -p "$build"
(cd "$PHS_ROOT" && git ls-files -z --cached --others --exclude-standard) \
  | rsync -a --from0 --ignore-missing-args --files-from=- "$PHS_ROOT/" "$build/"
