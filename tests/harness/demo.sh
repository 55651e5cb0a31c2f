#!/usr/bin/env bash
# The demo: disposable podman hosts on this machine, the collection's site
# playbook run against them with the example inventory, and what to look at.
# Usage: demo.sh up | down
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/harness/require-root.sh
. "$here/require-root.sh"
# shellcheck source=tests/harness/activate.sh
. "$here/activate.sh"

demo=$PHS_ROOT/tests/output/demo
network=phs-demo
# name:groups, one host per line
mapfile -t hosts < <(grep -v '^#' "$PHS_ROOT/tests/demo/hosts")
export PHS_DEMO_DIR=$demo

down() {
  for entry in "${hosts[@]}"; do
    podman exec "phs-${entry%%:*}" apt-pool save > /dev/null 2>&1 || true
    podman rm -f -v -t 5 "phs-${entry%%:*}" > /dev/null 2>&1 || true
  done
  podman network rm -f "$network" > /dev/null 2>&1 || true
  rm -rf "$demo"
  echo "demo: removed the demo hosts, their network and $demo"
}

address() {
  podman inspect -f "{{(index .NetworkSettings.Networks \"$network\").IPAddress}}" "phs-$1"
}

# systemd answers only once D-Bus is up; until then systemctl fails.
wait_for_boot() {
  local state
  for _ in $(seq 60); do
    state=$(podman exec "$1" systemctl is-system-running --wait 2> /dev/null) || true
    case $state in running | degraded) return 0 ;; esac
    sleep 1
  done
  echo "demo: $1 did not finish booting (systemd says '$state')" >&2
  exit 1
}

up() {
  install -d -m 0700 "$demo" "$demo/secrets"
  echo "demo: building the stand-in PRIME and Hermod applications (test fixtures)"
  python3 "$PHS_ROOT/tests/fixtures/standin/build.py" "$demo/fixtures" > /dev/null
  python3 "$PHS_ROOT/tests/fixtures/hermod_distribution/build.py" --output "$demo/fixtures/hermod-3.6.1.zip" > /dev/null
  podman network exists "$network" || podman network create "$network" > /dev/null
  declare -A members=()
  for entry in "${hosts[@]}"; do
    name=${entry%%:*}
    if ! podman container exists "phs-$name"; then
      podman run -d --name "phs-$name" --hostname "$name" --network "$network" \
        --network-alias "$name" --systemd=always --tmpfs /tmp:rw,exec \
        --label prime-hermod-stack.demo=true \
        -v "$PHS_CACHE/apt-archives:/var/cache/apt/pool" \
        -v "$PHS_CACHE/ssh/authorized_keys:/root/.ssh/authorized_keys:ro" \
        "$PHS_BASE_IMAGE" /sbin/init > /dev/null
    fi
    wait_for_boot "phs-$name"
    podman exec "phs-$name" apt-pool link
    IFS=, read -r -a groups <<< "${entry#*:}"
    for g in "${groups[@]}"; do members[$g]+="$name "; done
  done
  {
    echo "# Written by 'make demo': the demo hosts, reached over SSH."
    echo "all:"
    echo "  vars:"
    echo "    ansible_user: root"
    echo "    ansible_ssh_private_key_file: $PHS_CACHE/ssh/id_ed25519"
    echo "    ansible_ssh_common_args: -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ControlMaster=auto -o ControlPersist=60s"
    echo "    ansible_ssh_pipelining: true"
    echo "  children:"
    for g in "${!members[@]}"; do
      echo "    $g:"
      echo "      hosts:"
      for name in ${members[$g]}; do
        echo "        $name:"
        echo "          ansible_host: $(address "$name")"
      done
    done
  } > "$demo/hosts.yml"
  rm -rf "$demo/group_vars"
  cp -r "$PHS_ROOT/tests/demo/group_vars" "$demo/group_vars"

  echo "demo: ansible-playbook -i $demo/hosts.yml prime_hermod.stack.site (log: $demo/site.log)"
  ANSIBLE_PYTHON_INTERPRETER=auto_silent ansible-playbook -i "$demo/hosts.yml" prime_hermod.stack.site > "$demo/site.log" 2>&1 || {
    tail -n 40 "$demo/site.log"
    echo "demo: the site playbook failed; its whole output is in $demo/site.log; 'make demo-destroy' removes the hosts" >&2
    exit 1
  }
  sed -n '/PLAY RECAP/,$p' "$demo/site.log"
  echo "demo: ansible-playbook -i $demo/hosts.yml prime_hermod.stack.verify (log: $demo/verify.log)"
  verified=0
  ANSIBLE_PYTHON_INTERPRETER=auto_silent ansible-playbook -i "$demo/hosts.yml" prime_hermod.stack.verify \
    > "$demo/verify.log" 2>&1 || verified=$?
  echo "What prime_hermod.stack.verify found:"
  grep -oE '"(PASS|FAIL|SKIP) [^"]*' "$demo/verify.log" | sed 's/^"/  /'
  if [ "$verified" -ne 0 ]; then
    echo "demo: verify.yml found a problem (exit $verified); its whole output is in $demo/verify.log" >&2
    exit 1
  fi
  report
}

# fetch HOST URL: GET URL from inside HOST's container (a demo look, so the
# self-signed certificate is not checked here; the JVMs check it).
fetch() {
  podman exec "phs-$1" python3 -c 'import ssl, sys, urllib.error, urllib.request
context = ssl._create_unverified_context()
try:
    response = urllib.request.urlopen(sys.argv[1], context=context, timeout=30)
except urllib.error.HTTPError as error:
    response = error
print(response.status, response.read().decode().strip())' "$2" 2>&1 | tail -n 1
}

report() {
  local hermod prime
  hermod=$(address demo-hermod)
  prime=$(address demo-prime)
  cat <<REPORT

The demo is up: three podman hosts on network $network, deployed by prime_hermod.stack.site.
  demo-db      $(address demo-db)  PostgreSQL 15, database hermod initialised from the stand-in distribution
  demo-hermod  $hermod  Tomcat 10.1 instance "hermod", stand-in Hermod: https://$hermod:28443/hermod/rest/ms/health
  demo-prime   $prime  Tomcat 10.1 instance "prime", stand-in PRIME:  https://$prime:18443/prime_explorer/standin/status
(The certificates are self-signed: add -k to curl, or trust them.)

Where the API key lives:
  Hermod: /var/lib/tomcat-instances/hermod/webapps/hermod/WEB-INF/classes/cod-hermod.yml on demo-hermod,
          client "prime" (mode 0640, root and the instance's group)
  PRIME:  authenticationToken in /var/lib/tomcat-instances/prime/webapps/prime_explorer/WEB-INF/classes/system.properties on demo-prime
  The demo's generated passwords (database, callback basic auth): $demo/secrets, mode 0600

Hermod's health, asked from PRIME's host:
  $(fetch demo-prime https://demo-hermod:28443/hermod/rest/ms/health)
The round trip (PRIME calls Hermod with its X-Api-Key, Hermod calls PRIME back with basic auth):
  $(fetch demo-prime https://demo-prime:18443/prime_explorer/standin/roundtrip)

Run it again (nothing changes): make demo
Remove it: make demo-destroy
REPORT
}

case ${1:-} in
  up) up ;;
  down) down ;;
  *) echo "usage: demo.sh up|down" >&2; exit 2 ;;
esac
