# shellcheck shell=bash
# A test CA, and a server certificate signed by it for each host named:
# test_ca.sh DIR HOST... [-- DNS...], each certificate naming its host,
# localhost, 127.0.0.1 and the DNS names after --. Test material only: the
# keys are not protected.
set -euo pipefail
dir=$1
shift
hosts=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do hosts+=("$1"); shift; done
[ $# -gt 0 ] && shift
extra=""
for name in "$@"; do extra+=",DNS:$name"; done
mkdir -p "$dir"
cd "$dir"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 365 \
  -subj "/CN=prime_hermod.stack test CA" -keyout ca.key -out ca.crt \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
for host in "${hosts[@]}"; do
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$host" \
    -keyout "$host.key" -out "$host.csr" 2>/dev/null
  printf 'subjectAltName=DNS:%s,DNS:localhost,IP:127.0.0.1%s\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' \
    "$host" "$extra" > "$host.ext"
  openssl x509 -req -in "$host.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 365 \
    -extfile "$host.ext" -out "$host.crt" 2>/dev/null
done
chmod 0600 ./*.key
