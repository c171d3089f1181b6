#!/usr/bin/env bash
# Runs the appliance disk image under QEMU (KVM when /dev/kvm works, else software emulation) with a config drive and
# its ports forwarded to 127.0.0.1. Used by boot-test.sh and ansible/test/site-test.sh.
#   image/vm.sh start <state dir> <disk.raw> [site.yml]  -> writes <state dir>/ports.env (SSH_PORT, HTTPS_PORT, ...)
#   image/vm.sh stop <state dir>                          -> ACPI power-off, waits for QEMU to exit
set -euo pipefail
cmd=$1 STATE=$2

source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/free-ports.sh"

start() {
  local disk=$1 site=${2:-}
  mkdir -p "$STATE"
  [[ -f $STATE/id_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C mecgw-vm-test -f "$STATE/id_ed25519"
  # Copy-on-write overlay: the built image stays pristine.
  qemu-img create -q -f qcow2 -F raw -b "$(realpath "$disk")" "$STATE/disk.qcow2"
  # Config drive (FAT, label MECGW-CFG) read by mecgw-firstboot.
  rm -f "$STATE/config.img"
  mkfs.vfat -n MECGW-CFG -C "$STATE/config.img" 8192 >/dev/null
  export MTOOLS_SKIP_CHECK=1
  mcopy -i "$STATE/config.img" "$STATE/id_ed25519.pub" ::/authorized_keys
  [[ -z $site ]] || mcopy -i "$STATE/config.img" "$site" ::/site.yml
  local ssh https mqtt coap
  read -r ssh https mqtt coap <<<"$(free_ports tcp tcp tcp udp)"
  cat > "$STATE/ports.env" <<PORTS
SSH_PORT=$ssh
HTTPS_PORT=$https
MQTT_PORT=$mqtt
COAP_PORT=$coap
PORTS
  # shellcheck disable=SC1091
  source "$STATE/ports.env"
  local accel=(-accel tcg -cpu max) boot=${MECGW_VM_BOOT:-uefi}
  # Software emulation by default: on this project's machines /dev/kvm exists but is nested and unusable (OVMF stops
  # with a KVM internal error, the kernel hangs right after EDD). MECGW_VM_ACCEL=kvm uses it where it works.
  if [[ ${MECGW_VM_ACCEL:-tcg} == kvm ]]; then accel=(-accel kvm -cpu host); fi
  local firmware=()
  if [[ $boot == uefi ]]; then
    cp /usr/share/OVMF/OVMF_VARS_4M.fd "$STATE/efivars.fd"
    firmware=(-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd
              -drive if=pflash,format=raw,file="$STATE/efivars.fd")
  else
    # MECGW_VM_BOOT=kernel skips firmware and boot loader: the disk's own kernel, initrd and command line (from its
    # ESP, which starts at 1 MiB) are handed to QEMU directly.
    local esp="$(realpath "$disk")@@1M"
    MTOOLS_SKIP_CHECK=1 mcopy -o -i "$esp" ::/mecgw/vmlinuz "$STATE/vmlinuz"
    MTOOLS_SKIP_CHECK=1 mcopy -o -i "$esp" ::/mecgw/initrd.img "$STATE/initrd.img"
    MTOOLS_SKIP_CHECK=1 mcopy -o -i "$esp" ::/loader/entries/mecgw.conf "$STATE/entry.conf"
    firmware=(-kernel "$STATE/vmlinuz" -initrd "$STATE/initrd.img"
              -append "$(sed -n 's/^options //p' "$STATE/entry.conf") ${MECGW_VM_APPEND:-}")
  fi
  date +%s.%N > "$STATE/started"
  # Niced: the build machines are shared, and an emulated boot keeps both cores busy for many minutes.
  nice -n "${MECGW_VM_NICE:-10}" qemu-system-x86_64 "${accel[@]}" -machine q35 -smp "${MECGW_VM_CPUS:-2}" -m "${MECGW_VM_MEMORY:-4096}" \
    "${firmware[@]}" \
    -drive file="$STATE/disk.qcow2",if=virtio,format=qcow2 \
    -drive file="$STATE/config.img",if=virtio,format=raw,readonly=on \
    -netdev user,id=n0,hostfwd=tcp:127.0.0.1:$SSH_PORT-:22,hostfwd=tcp:127.0.0.1:$HTTPS_PORT-:8443,hostfwd=tcp:127.0.0.1:$MQTT_PORT-:1883,hostfwd=udp:127.0.0.1:$COAP_PORT-:5683 \
    -device virtio-net-pci,netdev=n0 -device virtio-rng-pci \
    -display none -serial file:"$STATE/console.log" -monitor unix:"$STATE/monitor.sock",server,nowait \
    -pidfile "$STATE/qemu.pid" -daemonize
  echo "vm: started (${accel[*]}, boot $boot), ssh 127.0.0.1:$SSH_PORT, https 127.0.0.1:$HTTPS_PORT, console $STATE/console.log"
}

stop() {
  [[ -f $STATE/qemu.pid ]] || return 0
  local pid
  pid=$(cat "$STATE/qemu.pid")
  echo system_powerdown | python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b"system_powerdown\n")' "$STATE/monitor.sock" || true
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  if kill -0 "$pid" 2>/dev/null; then echo "vm: no clean power-off in 120 s, killing QEMU $pid"; kill "$pid"; fi
  rm -f "$STATE/qemu.pid"
  echo "vm: stopped"
}

case $cmd in
  start) shift 2; start "$@" ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop <state dir> ..." >&2; exit 2 ;;
esac
