#!/usr/bin/env bash
# Stage 3 of the appliance image: a GPT disk with an EFI system partition (systemd-boot, kernel, initrd) and the ext4
# root, built from files only (mkfs.vfat + mtools, mkfs.ext4 -d, sfdisk): no loop devices, no mounts.
# Usage: image/assemble.sh <rootfs> <out.raw> <disk size, e.g. 6G> <ESP size in MiB>
set -euo pipefail
ROOT=$1 OUT=$2 SIZE=$3 ESP_MB=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

kernel=$(ls "$ROOT"/boot/vmlinuz-* | sort -V | tail -1)
initrd=$ROOT/boot/initrd.img-${kernel##*/vmlinuz-}
cmdline="root=LABEL=mecgw-root ro console=tty0 console=ttyS0,115200 quiet"

# EFI system partition.
mkfs.vfat -F 32 -n MECGW-ESP -C "$tmp/esp.img" $((ESP_MB * 1024)) >/dev/null
export MTOOLS_SKIP_CHECK=1
mmd -i "$tmp/esp.img" ::/EFI ::/EFI/BOOT ::/loader ::/loader/entries ::/mecgw
mcopy -i "$tmp/esp.img" "$ROOT/usr/lib/systemd/boot/efi/systemd-bootx64.efi" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$tmp/esp.img" "$kernel" ::/mecgw/vmlinuz
mcopy -i "$tmp/esp.img" "$initrd" ::/mecgw/initrd.img
printf 'default mecgw.conf\ntimeout 0\nconsole-mode keep\n' > "$tmp/loader.conf"
printf 'title MEC Gateway\nlinux /mecgw/vmlinuz\ninitrd /mecgw/initrd.img\noptions %s\n' "$cmdline" > "$tmp/mecgw.conf"
mcopy -i "$tmp/esp.img" "$tmp/loader.conf" ::/loader/loader.conf
mcopy -i "$tmp/esp.img" "$tmp/mecgw.conf" ::/loader/entries/mecgw.conf

# Disk layout: 1 MiB alignment, ESP, then the root partition filling the rest (less the backup GPT).
rm -f "$OUT" && truncate -s "$SIZE" "$OUT"
sfdisk --quiet "$OUT" <<LAYOUT
label: gpt
start=2048, size=$((ESP_MB * 2048)), type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=esp
start=$((2048 + ESP_MB * 2048)), type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, name=mecgw-root
LAYOUT
read -r root_start root_sectors < <(sfdisk --dump "$OUT" | awk -F'[=,]' '/name="mecgw-root"/ {print $2+0, $4+0}')

mkfs.ext4 -q -F -L mecgw-root -d "$ROOT" -E root_owner=0:0 "$tmp/root.img" $((root_sectors / 2))k
dd if="$tmp/esp.img" of="$OUT" bs=1M seek=1 conv=notrunc,sparse status=none
dd if="$tmp/root.img" of="$OUT" bs=1M seek=$((root_start / 2048)) conv=notrunc,sparse status=none
