#!/usr/bin/env bash
# Proves the container layer works end to end before the harness relies on
# it: the runtime starts a container, the network backend attaches two to a
# network of their own, systemd boots as PID 1 in one (cgroups), and that one
# finds the other by name (DNS) and reaches it over TCP. Everything it creates
# is removed again. A failure names the part that failed and what to do.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/harness/env.sh
. "$here/env.sh"
image=$(cat "$PHS_STATE/base-image")
network=phs-setup-check
server=phs-setup-check-server
client=phs-setup-check-client
log=$PHS_STATE/container-check.log
: > "$log"

cleanup() {
  podman rm -f -t 0 "$server" "$client" >> "$log" 2>&1 || true
  podman network rm -f "$network" >> "$log" 2>&1 || true
}
fail() {
  echo "setup: container check: $1" >&2
  echo "setup: what podman said (all of it in $log):" >&2
  tail -n 8 "$log" | sed 's/^/  /' >&2
  exit 2
}
trap cleanup EXIT
cleanup

podman run --rm --network none "$image" true >> "$log" 2>&1 ||
  fail "runtime: podman cannot start a container from $image; check that runc is installed and that $CONTAINERS_CONF names it (crun refuses this kernel's cgroup layout)"

podman network create "$network" >> "$log" 2>&1 ||
  fail "network backend: podman cannot create a network; install netavark (apt-get install netavark)"
podman run -d --name "$server" --network "$network" --network-alias server "$image" \
  python3 -m http.server --bind 0.0.0.0 8080 >> "$log" 2>&1 || {
    # netavark reports a missing firewall tool only as "No such file or directory".
    for tool in iptables nft; do
      command -v "$tool" > /dev/null ||
        fail "network backend: netavark cannot write its firewall rules without $tool; install iptables and nftables (apt-get install iptables nftables)"
    done
    fail "network backend: podman cannot attach a container to network $network; check netavark and iptables (apt-get install netavark iptables)"
  }

podman run -d --name "$client" --network "$network" --systemd=always --tmpfs /tmp:rw,exec \
  "$image" /sbin/init >> "$log" 2>&1 ||
  fail "cgroups: podman cannot start a container with systemd as PID 1; check $CONTAINERS_CONF (cgroup_manager = \"cgroupfs\", runtime = \"runc\")"
state=
for _ in $(seq 60); do
  state=$(podman exec "$client" systemctl is-system-running --wait 2>> "$log") || true
  case $state in running | degraded) break ;; esac
  sleep 1
done
case $state in
  running | degraded) ;;
  *) fail "cgroups: systemd did not finish booting in a test host (it says '${state:-nothing}'); the kernel's cgroup setup does not let it run as PID 1" ;;
esac

podman exec "$client" getent hosts server >> "$log" 2>&1 ||
  fail "DNS: a container cannot resolve another one's name on network $network; install aardvark-dns (apt-get install aardvark-dns)"
reached=
for _ in $(seq 20); do
  if podman exec "$client" bash -c 'exec 3<> /dev/tcp/server/8080' >> "$log" 2>&1; then reached=1 && break; fi
  sleep 0.5
done
[ -n "$reached" ] ||
  fail "network: a container resolves another one's name but cannot connect to it on network $network; check the firewall rules netavark wrote (iptables -S)"
echo "container check: runtime, network, cgroups and DNS work ($image)"
