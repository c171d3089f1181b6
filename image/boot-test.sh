#!/usr/bin/env bash
# Boots the built appliance disk under QEMU, waits for /q/health/ready over the forwarded HTTPS port, runs
# image/gateway-checks.sh (REST with the admin token from the config drive, MQTT publish/subscribe round-trip, MQTT
# telemetry read back over REST), checks SSH, powers it off and reports boot-to-healthy time.
# Usage: image/boot-test.sh [disk.raw]   (default image/out/mecgw-<version>.raw; run image/build.sh disk first)
#   MECGW_VM_STATE=<dir>  attach to a VM that image/vm.sh already started there instead of booting a new one
#   MECGW_KEEP_VM=1       leave the VM running (e.g. for ansible/test/site-test.sh with the same MECGW_VM_STATE)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
VERSION=${MECGW_VERSION:-$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$HERE/../pom.xml" | head -1)}
DISK=${1:-$HERE/out/mecgw-$VERSION.raw}
TIMEOUT=${MECGW_BOOT_TIMEOUT:-3600}
stop_vm() { [[ ${MECGW_KEEP_VM:-0} == 1 ]] || "$HERE/vm.sh" stop "$STATE"; }
if [[ -n ${MECGW_VM_STATE:-} ]]; then
  STATE=$MECGW_VM_STATE
  TOKEN=$(sed -n 's/^gateway_admin_token: //p' "$STATE/site.yml")
else
  STATE=$(mktemp -d /tmp/mecgw-boot-test.XXXXXX)
  TOKEN=$(openssl rand -hex 24)
  cat > "$STATE/site.yml" <<SITE
gateway_site_id: boot-test-01
gateway_admin_token: $TOKEN
gateway_firewall_ssh_sources: [10.0.2.0/24]
SITE
  "$HERE/vm.sh" start "$STATE" "$DISK" "$STATE/site.yml"
fi
trap stop_vm EXIT
# shellcheck disable=SC1091
source "$STATE/ports.env"
start=$(cat "$STATE/started")
base=https://127.0.0.1:$HTTPS_PORT

echo "boot-test: waiting up to ${TIMEOUT}s for $base/q/health/ready"
deadline=$(( $(date +%s) + TIMEOUT ))
until [[ $(curl -sk -o /dev/null -w '%{http_code}' --max-time 5 "$base/q/health/ready") == 200 ]]; do
  if (( $(date +%s) > deadline )); then
    echo "boot-test: FAILED, not healthy after ${TIMEOUT}s; console tail:"; tail -40 "$STATE/console.log"; exit 1
  fi
  sleep 2
done
healthy=$(date +%s.%N)
boot_to_healthy=$(python3 -c "print(f'{$healthy - $start:.1f}')")
echo "boot-test: healthy after ${boot_to_healthy}s (QEMU start to /q/health/ready = 200, first boot included)"

fails=0
"$HERE/gateway-checks.sh" "$base" "$MQTT_PORT" "$TOKEN" || fails=$?
ssh_opts=(-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -i "$STATE/id_ed25519" -p "$SSH_PORT")
# SSH starts once first boot has finished, which is a little after the gateway turned ready.
ssh_deadline=$(( $(date +%s) + 900 ))
until ssh "${ssh_opts[@]}" -o ConnectTimeout=20 ops@127.0.0.1 true 2>/dev/null || (( $(date +%s) > ssh_deadline )); do sleep 5; done
if ssh "${ssh_opts[@]}" ops@127.0.0.1 'systemctl is-active mecgw && sudo -u postgres psql -XtAc "SHOW wal_level"' \
    > "$STATE/ssh.out" 2>&1 && grep -q logical "$STATE/ssh.out"; then
  echo "ok   SSH with the config-drive key; mecgw active; PostgreSQL wal_level=logical"
else
  echo "FAIL SSH / service / wal_level check:"; cat "$STATE/ssh.out"; fails=$((fails + 1))
fi
echo "boot-test: boot_to_healthy_s=$boot_to_healthy checks_failed=$fails"
stop_vm
trap - EXIT
echo "$((fails == 0 ? 1 : 0)) passed, $((fails == 0 ? 0 : 1)) failed"
exit $((fails > 0))
