# Sourced by the harness scripts: where the harness keeps what it builds, and
# the environment every test layer runs in.
# shellcheck shell=bash
PHS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Outside the checkout, so a fresh clone on the same machine reuses the
# virtual environment, the base image and the package cache.
PHS_CACHE=${PHS_CACHE:-/var/cache/prime-hermod-stack}
PHS_STATE=$PHS_ROOT/tests/output/harness
# One build tree per checkout, so two clones never share one.
PHS_BUILD=/var/tmp/prime-hermod-stack/build-$(printf '%s' "$PHS_ROOT" | sha256sum | cut -c1-12)
PHS_BASE_IMAGE_NAME=localhost/prime-hermod-stack-debian12
CONTAINERS_CONF=$PHS_ROOT/tests/harness/containers.conf
export PHS_ROOT PHS_CACHE PHS_BUILD PHS_STATE PHS_BASE_IMAGE_NAME CONTAINERS_CONF
mkdir -p "$PHS_STATE" "$PHS_CACHE"

# galaxy_field NAME: galaxy.yml's NAME (version), or a mapping's keys one per
# line (dependencies).
galaxy_field() {
  python3 -c 'import sys, yaml
value = yaml.safe_load(open(sys.argv[1])).get(sys.argv[2])
print("\n".join(value) if isinstance(value, dict) else "" if value is None else value)' "$PHS_ROOT/galaxy.yml" "$1"
}
