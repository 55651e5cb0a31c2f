#!/usr/bin/env bash
# Builds the Debian image the Molecule test hosts boot from (systemd as PID
# 1), unless an image built from this very recipe exists already: Debian 12
# (bookworm) by default, or the release given, 11 (bullseye) or 13 (trixie).
# The tag is a hash of this file and the release, so editing the recipe
# rebuilds and nothing else does. The image's name goes to the harness state
# (base-image for Debian 12, base-image-debian<N> for the others).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/harness/env.sh
. "$here/env.sh"

major=${1:-12}
case $major in
  11) release=bullseye ;;
  12) release=bookworm ;;
  13) release=trixie ;;
  *) echo "base-image.sh: Debian $major is not one the tests run on (11, 12, 13)" >&2; exit 2 ;;
esac
state=$PHS_STATE/base-image
[ "$major" = 12 ] || state=$PHS_STATE/base-image-debian$major
name=${PHS_BASE_IMAGE_NAME%12}$major
recipe_hash=$( (cat "$here/base-image.sh"; echo "$release") | sha256sum | cut -c1-12)
image="$name:$recipe_hash"

if podman image exists "$image"; then
  echo "base image: $image (reused)"
  printf '%s\n' "$image" > "$state"
  exit 0
fi

echo "base image: building $image with debootstrap (about a minute)"
root=$(mktemp -d /var/tmp/phs-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase \
  --include=python3,python3-apt,systemd,systemd-sysv,dbus,sudo,ca-certificates,iproute2,procps,openssh-server \
  "$release" "$root" http://deb.debian.org/debian > "$PHS_STATE/debootstrap-$release.log" 2>&1 || {
    echo "debootstrap failed; its log: $PHS_STATE/debootstrap-$release.log" >&2
    tail -n 20 "$PHS_STATE/debootstrap-$release.log" >&2
    exit 1
  }
rm -f "$root/etc/apt/sources.list.d/debian.sources"
cat > "$root/etc/apt/sources.list" <<LIST
deb http://deb.debian.org/debian $release main
deb http://deb.debian.org/debian $release-updates main
deb http://deb.debian.org/debian-security $release-security main
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
chroot "$root" apt-get update -qq 2>> "$PHS_STATE/debootstrap-$release.log"
chroot "$root" apt-get clean
: > "$root/etc/machine-id"
tar -C "$root" -c . | podman import --quiet --change 'CMD ["/sbin/init"]' - "$image" > /dev/null
printf '%s\n' "$image" > "$state"
echo "base image: $image built"
# Images of older recipes go, unless a container still runs from one.
podman images --format '{{.Repository}}:{{.Tag}}' --filter "reference=$name" \
  | grep -vxF "$image" | xargs -r podman rmi > /dev/null 2>&1 || true
