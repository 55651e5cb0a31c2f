# Sourced by the harness: the virtual environment and the variables every
# tool needs to find the collection, the podman settings and the base image.
# shellcheck shell=bash
# shellcheck source=tests/harness/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
for f in venv base-image; do
  [ -s "$PHS_STATE/$f" ] || { echo "the harness is not set up here; run: make setup" >&2; exit 2; }
done
# shellcheck disable=SC1091
. "$(cat "$PHS_STATE/venv")/bin/activate"
PHS_BASE_IMAGE=$(cat "$PHS_STATE/base-image")
# The other releases' images, which make test builds (base-image.sh 11, 13).
for release in 11 13; do
  if [ -s "$PHS_STATE/base-image-debian$release" ]; then
    export "PHS_BASE_IMAGE_DEBIAN$release=$(cat "$PHS_STATE/base-image-debian$release")"
  fi
done
ANSIBLE_COLLECTIONS_PATH=$PHS_ROOT/tests/output/collections
ANSIBLE_FORCE_COLOR=0
PY_COLORS=0
export PHS_BASE_IMAGE ANSIBLE_COLLECTIONS_PATH ANSIBLE_FORCE_COLOR PY_COLORS
