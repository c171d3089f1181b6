#!/usr/bin/env bash
# Stage 1 of the appliance image: a Debian 12 root file system with the packages the gateway needs.
# Usage: image/rootfs.sh <dir>   (root; needs debootstrap and network access to the Debian mirror)
set -euo pipefail
ROOT=${1:?root folder}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
PACKAGES=(
  systemd systemd-sysv systemd-timesyncd systemd-resolved systemd-boot ansible-core dbus udev kmod linux-image-amd64 initramfs-tools
  "postgresql-15" nftables openssh-server python3 python3-apt openssl ca-certificates tar gzip sudo iproute2 curl
  less procps e2fsprogs dosfstools
)

if [[ ! -x $ROOT/usr/bin/apt-get ]]; then
  debootstrap --variant=minbase bookworm "$ROOT" "$MIRROR"
fi
# Packages install without starting services inside the build chroot.
printf '#!/bin/sh\nexit 101\n' > "$ROOT/usr/sbin/policy-rc.d"
chmod 0755 "$ROOT/usr/sbin/policy-rc.d"
for fs in proc sys dev; do mountpoint -q "$ROOT/$fs" || mount --rbind "/$fs" "$ROOT/$fs"; done
# Name resolution inside the chroot uses the build host's resolver; the image keeps systemd-resolved's stub link.
resolv_link=$(readlink "$ROOT/etc/resolv.conf" || true)
cp --remove-destination /etc/resolv.conf "$ROOT/etc/resolv.conf"
restore() {
  if [[ -n $resolv_link ]]; then ln -sfn "$resolv_link" "$ROOT/etc/resolv.conf"; fi
  if [[ -z $resolv_link && -e $ROOT/usr/lib/systemd/systemd-resolved ]]; then
    ln -sfn ../run/systemd/resolve/stub-resolv.conf "$ROOT/etc/resolv.conf"
  fi
  for fs in dev sys proc; do umount -R "$ROOT/$fs" 2>/dev/null || true; done
}
trap restore EXIT
cat > "$ROOT/etc/apt/sources.list" <<SRC
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SRC
chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive apt-get update -q
chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"
chroot "$ROOT" apt-get clean
rm -f "$ROOT/usr/sbin/policy-rc.d"
touch "$ROOT/.mecgw-rootfs-complete"
