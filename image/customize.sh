#!/usr/bin/env bash
# Stage 2 of the appliance image: installs the gateway release, the Ansible role that configures it at first boot,
# networking, SSH and the first-boot service into the root file system. Idempotent.
# Usage: image/customize.sh <rootfs> <version> <release.tar.gz> <ansible dir>
set -euo pipefail
ROOT=$1 VERSION=$2 TARBALL=$3 ANSIBLE_DIR=$4
FILES=$(cd "$(dirname "$0")" && pwd)/files
in_root() { chroot "$ROOT" "$@"; }

echo mecgw > "$ROOT/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tmecgw\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$ROOT/etc/hosts"
echo 'LABEL=mecgw-root / ext4 defaults,noatime,errors=remount-ro 0 1' > "$ROOT/etc/fstab"
# Every appliance gets its own machine id and SSH host keys at first boot.
: > "$ROOT/etc/machine-id"
rm -f "$ROOT"/etc/ssh/ssh_host_*
install -D -m 0644 "$FILES/20-wired.network" "$ROOT/etc/systemd/network/20-wired.network"
install -D -m 0644 "$FILES/sshd-mecgw.conf" "$ROOT/etc/ssh/sshd_config.d/mecgw.conf"
install -D -m 0644 "$FILES/ssh-hostkeys.conf" "$ROOT/etc/systemd/system/ssh.service.d/hostkeys.conf"
install -D -m 0755 "$FILES/mecgw-firstboot" "$ROOT/usr/local/sbin/mecgw-firstboot"
install -D -m 0644 "$FILES/mecgw-firstboot.service" "$ROOT/etc/systemd/system/mecgw-firstboot.service"
in_root systemctl enable systemd-networkd systemd-resolved mecgw-firstboot.service ssh >/dev/null 2>&1

# The operations account: SSH keys from the config drive, sudo without password (no password is ever set).
in_root id ops >/dev/null 2>&1 || in_root useradd --create-home --shell /bin/bash --groups sudo ops
in_root passwd -l ops >/dev/null
in_root passwd -l root >/dev/null
echo 'ops ALL=(ALL) NOPASSWD: ALL' > "$ROOT/etc/sudoers.d/ops" && chmod 0440 "$ROOT/etc/sudoers.d/ops"

# The gateway release, unpacked where the Ansible role keeps releases.
rel=$ROOT/opt/mecgw/releases/$VERSION
rm -rf "$rel" && mkdir -p "$rel"
tar -C "$rel" -xzf "$TARBALL"
ln -sfn "/opt/mecgw/releases/$VERSION" "$ROOT/opt/mecgw/current"
rm -rf "$ROOT/usr/share/mecgw/ansible" && mkdir -p "$ROOT/usr/share/mecgw"
cp -a "$ANSIBLE_DIR" "$ROOT/usr/share/mecgw/ansible"
rm -rf "$ROOT/usr/share/mecgw/ansible/inventory" "$ROOT/usr/share/mecgw/ansible/test"
