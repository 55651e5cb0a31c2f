# Sourced first by the harness scripts that start containers or install
# packages, before anything writes to the machine.
# shellcheck shell=bash
if [ "$(id -u)" -ne 0 ]; then
  echo "$(basename "$0" .sh): run as root (podman with systemd test hosts and apt-get need it); try: sudo make ${PHS_TARGET:-test}" >&2
  exit 2
fi
