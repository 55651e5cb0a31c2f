#!/usr/bin/env bash
# Builds the Debian 12 image the Molecule test hosts boot from (systemd as
# PID 1), unless an image built from this very recipe exists already. The tag
# is a hash of this file, so editing the recipe rebuilds and nothing else does.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/harness/env.sh
. "$here/env.sh"

recipe_hash=$(sha256sum "$here/base-image.sh" | cut -c1-12)
image="${PHS_BASE_IMAGE_NAME}:${recipe_hash}"

if podman image exists "$image"; then
  echo "base image: $image (reused)"
  printf '%s\n' "$image" > "$PHS_STATE/base-image"
  exit 0
fi

echo "base image: building $image with debootstrap (about a minute)"
root=$(mktemp -d /var/tmp/phs-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase \
  --include=python3,python3-apt,systemd,systemd-sysv,dbus,sudo,ca-certificates,iproute2,procps,openssh-server \
  bookworm "$root" http://deb.debian.org/debian > "$PHS_STATE/debootstrap.log" 2>&1 || {
    echo "debootstrap failed; its log: $PHS_STATE/debootstrap.log" >&2
    tail -n 20 "$PHS_STATE/debootstrap.log" >&2
    exit 1
  }
cat > "$root/etc/apt/sources.list" <<'LIST'
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
LIST
# A package is fetched once per machine, not once per scenario: the harness
# mounts a pool of .debs shared by all test hosts at /var/cache/apt/pool.
# Each host links the pool into its own archive (apt takes a lock on the
# archive directory, so hosts must not share that) and hands what it
# downloaded back to the pool before it is removed.
echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' > "$root/etc/apt/apt.conf.d/10keep-debs"
cat > "$root/usr/local/sbin/apt-pool" <<'POOL'
#!/bin/sh
# apt-pool link: use the shared pool's packages; apt-pool save: add new ones to it.
set -eu
pool=/var/cache/apt/pool
archive=/var/cache/apt/archives
[ -d "$pool" ] || exit 0
case ${1:-} in
  link) find "$pool" -maxdepth 1 -name '*.deb' -type f -exec ln -sf -t "$archive" {} + ;;
  save)
    find "$archive" -maxdepth 1 -name '*.deb' -type f | while read -r deb; do
      name=${deb##*/}
      [ -e "$pool/$name" ] && continue
      cp "$deb" "$pool/.$name.$$" && mv "$pool/.$name.$$" "$pool/$name"
    done ;;
  *) echo "usage: apt-pool link|save" >&2; exit 2 ;;
esac
POOL
chmod 0755 "$root/usr/local/sbin/apt-pool"
# Units that make no sense in a container and slow its boot.
for unit in systemd-remount-fs.service getty.target console-getty.service \
            systemd-logind.service apt-daily.timer apt-daily-upgrade.timer; do
  ln -sf /dev/null "$root/etc/systemd/system/$unit"
done
# Ansible reaches the test hosts over SSH with pipelining and a persistent
# connection: several times faster per task than podman exec, which cannot
# pipeline. The harness mounts its public key as root's authorized_keys.
install -d -m 0700 "$root/root/.ssh"
cat > "$root/etc/ssh/sshd_config.d/10-test-host.conf" <<'SSHD'
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UseDNS no
MaxSessions 50
MaxStartups 50:30:100
SSHD
chroot "$root" apt-get update -qq 2>> "$PHS_STATE/debootstrap.log"
chroot "$root" apt-get clean
: > "$root/etc/machine-id"
tar -C "$root" -c . | podman import --quiet --change 'CMD ["/sbin/init"]' - "$image" > /dev/null
printf '%s\n' "$image" > "$PHS_STATE/base-image"
echo "base image: $image built"
# Images of older recipes go, unless a container still runs from one.
podman images --format '{{.Repository}}:{{.Tag}}' --filter "reference=$PHS_BASE_IMAGE_NAME" \
  | grep -vxF "$image" | xargs -r podman rmi > /dev/null 2>&1 || true
