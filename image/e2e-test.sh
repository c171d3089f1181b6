#!/usr/bin/env bash
# The whole appliance check in one unattended command, on one emulated boot: image/boot-test.sh (first boot from a
# config drive, boot-to-healthy time, REST, MQTT round-trip, SSH) and then ansible/test/site-test.sh against the same
# VM (provision.yml twice, second run changed=0; a broken upgrade rolls back). One first boot instead of two: under
# software emulation each costs many minutes. Not part of CI. Needs image/build.sh release disk first.
# Usage: image/e2e-test.sh [disk.raw]      logs: the state folder it prints (console.log, ansible logs)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
VERSION=${MECGW_VERSION:-$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$HERE/../pom.xml" | head -1)}
DISK=${1:-$HERE/out/mecgw-$VERSION.raw}
STATE=$(mktemp -d /tmp/mecgw-e2e.XXXXXX)
echo "e2e: state and logs in $STATE"
trap '"$HERE/vm.sh" stop "$STATE"' EXIT
cat > "$STATE/site.yml" <<SITE
gateway_site_id: boot-test-01
gateway_admin_token: $(openssl rand -hex 24)
gateway_firewall_ssh_sources: [10.0.2.0/24]
SITE
"$HERE/vm.sh" start "$STATE" "$DISK" "$STATE/site.yml"
# A first boot under emulation on a shared, busy host (QEMU niced) can take well over an hour.
export MECGW_BOOT_TIMEOUT=${MECGW_BOOT_TIMEOUT:-7200}
boot=0 site=0
MECGW_VM_STATE=$STATE MECGW_KEEP_VM=1 "$HERE/boot-test.sh" || boot=$?
if [[ $boot -eq 0 ]]; then
  MECGW_VM_STATE=$STATE "$HERE/../ansible/test/site-test.sh" || site=$?
else
  echo "e2e: boot test failed; site test not run"
fi
echo "e2e: boot-test rc=$boot, site-test rc=$site"
exit $(( boot != 0 || site != 0 ))
