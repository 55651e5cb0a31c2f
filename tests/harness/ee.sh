#!/usr/bin/env bash
# The execution environment of meta/execution-environment.yml, built with
# ansible-builder and podman from the tests' Debian 12 base image, then used
# as AWX uses one: ansible-runner inside the image runs the site and verify
# playbooks against the demo hosts, writing its job events and artifacts.
# Galaxy and the package index are out of reach of the build, as on an
# air-gapped build host: the collections come as tarballs (this one built
# here, its dependencies from the ansible bundle's copies) and the Python
# packages as wheels, in the build context.
# Usage: ee.sh build | run       (run needs the demo: make demo)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/harness/require-root.sh
. "$here/require-root.sh"
# shellcheck source=tests/harness/activate.sh
. "$here/activate.sh"

out=$PHS_ROOT/tests/output/ee
demo=$PHS_ROOT/tests/output/demo
version=$(galaxy_field version)
image=localhost/prime-hermod-stack-ee:$version
builder_pin=ansible-builder==3.2.0

# ansible-builder in a virtual environment of its own, reused while the pin holds.
builder_venv() {
  local venv
  venv=$PHS_CACHE/ansible-builder-$(printf '%s' "$builder_pin" | sha256sum | cut -c1-12)
  if [ ! -f "$venv/.complete" ]; then
    rm -rf "$venv"
    python -m venv "$venv"
    "$venv/bin/pip" install -q "$builder_pin" > "$PHS_STATE/pip-ansible-builder.log" 2>&1 || {
      tail -n 15 "$PHS_STATE/pip-ansible-builder.log" >&2
      exit 2
    }
    touch "$venv/.complete"
  fi
  echo "$venv"
}

build() {
  local venv start=$SECONDS
  venv=$(builder_venv)
  rm -rf "$out" && mkdir -p "$out/collections" "$out/wheels"
  echo "ee: the collection's tarball and its dependencies' tarballs"
  ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false \
    ansible-galaxy collection build --force --output-path "$out/collections" "$PHS_ROOT" > /dev/null
  python "$here/ee_context.py" artifacts "$PHS_ROOT/galaxy.yml" "$out/collections"
  echo "ee: the definition, with the local tarballs and wheels in place of Galaxy and PyPI"
  python "$here/ee_context.py" definition "$PHS_ROOT/meta/execution-environment.yml" \
    "$out/collections" "$out/wheels" > "$out/execution-environment.yml"
  cp "$PHS_ROOT/requirements.txt" "$PHS_ROOT/bindep.txt" "$out/"
  "$venv/bin/ansible-builder" create -f "$out/execution-environment.yml" -c "$out/context" \
    --output-filename Containerfile > /dev/null
  echo "ee: the wheels of the Python packages the image installs"
  python "$here/ee_context.py" pip-requirements "$out/context/Containerfile" "$out/collections" > "$out/wheels.txt"
  pip download -q -d "$out/wheels" -r "$out/wheels.txt" > "$PHS_STATE/pip-ee-wheels.log" 2>&1 || {
    grep -v '^WARNING: Location' "$PHS_STATE/pip-ee-wheels.log" | tail -n 15 >&2
    exit 2
  }
  echo "ee: ansible-builder build -t $image (log: $out/build.log)"
  "$venv/bin/ansible-builder" build -f "$out/execution-environment.yml" -c "$out/context" -t "$image" \
    --container-runtime podman --build-arg "EE_BASE_IMAGE=$PHS_BASE_IMAGE" \
    --build-arg ANSIBLE_GALAXY_CLI_COLLECTION_OPTS=--offline -v 3 > "$out/build.log" 2>&1 || {
    tail -n 40 "$out/build.log" >&2
    echo "ee: ansible-builder failed; its whole output is in $out/build.log" >&2
    exit 1
  }
  echo "ee: built $image in $((SECONDS - start)) s ($(podman image inspect -f '{{.Size}}' "$image" | numfmt --to=iec))"
  podman run --rm "$image" ansible --version | head -n 1
  podman run --rm "$image" ansible-galaxy collection list --format yaml |
    python "$here/ee_context.py" check-installed "$PHS_ROOT/meta/execution-environment.yml"
}

run() {
  local runner=$out/runner playbook
  podman image exists "$image" || { echo "ee: no image $image; run: make ee (it builds first)" >&2; exit 2; }
  [ -f "$demo/hosts.yml" ] || { echo "ee: the demo is not up; run: make demo" >&2; exit 2; }
  # ansible-runner's private data directory, laid out as AWX hands it over.
  rm -rf "$runner" && mkdir -p "$runner/project" "$runner/inventory" "$runner/env"
  cp -r "$demo/hosts.yml" "$demo/group_vars" "$runner/inventory/"
  printf -- '---\nPHS_DEMO_DIR: %s\nANSIBLE_PYTHON_INTERPRETER: auto_silent\n' "$demo" > "$runner/env/envvars"
  for playbook in site verify; do
    printf -- '---\n- name: The collection %s playbook\n  ansible.builtin.import_playbook: prime_hermod.stack.%s\n' \
      "$playbook" "$playbook" > "$runner/project/$playbook.yml"
    echo "ee: ansible-runner run /runner -p $playbook.yml, inside $image (artifacts: $runner/artifacts/$playbook)"
    # Root inside the container, as the demo's key and secrets belong to root here.
    podman run --rm --user 0 --network phs-demo \
      -v "$runner:/runner" -v "$demo:$demo" -v "$PHS_CACHE/ssh:$PHS_CACHE/ssh:ro" \
      "$image" ansible-runner run /runner -p "$playbook.yml" --ident "$playbook" > "$runner/$playbook.out" 2>&1 || true
    python "$here/ee_context.py" check-run "$runner/artifacts/$playbook" "$playbook" || {
      tail -n 30 "$runner/$playbook.out" >&2
      exit 1
    }
  done
}

case ${1:-} in
  build) build ;;
  run) run ;;
  *) echo "usage: ee.sh build|run" >&2; exit 2 ;;
esac
