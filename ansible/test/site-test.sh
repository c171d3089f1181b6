#!/usr/bin/env bash
# Real provisioning test against the appliance image booted under QEMU (image/vm.sh), over SSH on a forwarded
# loopback port: provision.yml twice (the second run must report changed=0), an upgrade to a good release, then an
# upgrade to a deliberately broken release that must fail the health gate and roll back.
# Not part of CI (software emulation: 40+ min on 2 busy shared cores). Needs image/build.sh release disk first.
# Usage: ansible/test/site-test.sh
#   MECGW_VM_STATE=<dir>      reuse a VM left running by MECGW_KEEP_VM=1 image/boot-test.sh (saves a first boot)
#   MECGW_SITE_TEST_FULL=1    also a good upgrade before the broken one, and rotate-keys.yml
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ANSIBLE_DIR=$(cd "$HERE/.." && pwd)
REPO=$(cd "$ANSIBLE_DIR/.." && pwd)
VERSION=${MECGW_VERSION:-$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$REPO/pom.xml" | head -1)}
DISK=$REPO/image/out/mecgw-$VERSION.raw
STATE=$(mktemp -d /tmp/mecgw-site-test.XXXXXX)
VM=${MECGW_VM_STATE:-$STATE}
ARTIFACTS=$STATE/artifacts
FULL=${MECGW_SITE_TEST_FULL:-0}
trap '"$REPO/image/vm.sh" stop "$VM"' EXIT
log() { printf '%s [site-test] %s\n' "$(date +%T)" "$*"; }
fails=0
expect() { if eval "$2"; then log "ok   $1"; else log "FAIL $1"; fails=$((fails + 1)); fi; }

# Releases: the built one, a good "next" one (same code, new version) and a broken one (unstartable jar).
mkdir -p "$ARTIFACTS" "$STATE/rel"
cp "$REPO/image/out/mecgw-$VERSION.tar.gz" "$ARTIFACTS/"
tar -C "$STATE/rel" -xzf "$REPO/image/out/mecgw-$VERSION.tar.gz"
echo "$VERSION-next" > "$STATE/rel/VERSION"
tar -C "$STATE/rel" -czf "$ARTIFACTS/mecgw-$VERSION-next.tar.gz" VERSION quarkus-app runtime
echo "$VERSION-broken" > "$STATE/rel/VERSION"
echo "not a jar" > "$STATE/rel/quarkus-app/quarkus-run.jar"
tar -C "$STATE/rel" -czf "$ARTIFACTS/mecgw-$VERSION-broken.tar.gz" VERSION quarkus-app runtime

# First boot with a config drive that only carries the SSH key and a site id; Ansible does the rest.
if [[ -z ${MECGW_VM_STATE:-} ]]; then
  printf 'gateway_site_id: site-test-01\ngateway_firewall_ssh_sources: [10.0.2.0/24]\n' > "$STATE/site.yml"
  # Kernel boot with first boot limited to SSH keys: provision.yml then configures a bare appliance from scratch
  # (and the emulated VM does not run the role twice).
  MECGW_VM_BOOT=kernel MECGW_VM_APPEND=mecgw.firstboot=keys-only "$REPO/image/vm.sh" start "$VM" "$DISK" "$STATE/site.yml"
fi
# shellcheck disable=SC1091
source "$VM/ports.env"

# Inventory with the admin token and database password from a vault, as in production.
openssl rand -hex 16 > "$STATE/vault-pass"
TOKEN=$(openssl rand -hex 24)
mkdir -p "$STATE/inventory/group_vars/gateways"
{
  echo "---"
  # encrypt_string ends without a newline.
  ansible-vault encrypt_string --vault-password-file "$STATE/vault-pass" "$TOKEN" --name vault_gateway_admin_token; echo
  ansible-vault encrypt_string --vault-password-file "$STATE/vault-pass" "$(openssl rand -hex 16)" --name vault_gateway_db_password; echo
} > "$STATE/inventory/group_vars/gateways/vault.yml" 2>/dev/null
cat > "$STATE/inventory/group_vars/gateways/main.yml" <<VARS
---
ansible_user: ops
ansible_ssh_private_key_file: $VM/id_ed25519
ansible_ssh_common_args: -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=20
gateway_artifact_dir: $ARTIFACTS
gateway_version: "$VERSION"
gateway_site_id: site-test-01
gateway_slices: [{name: miot-sensors, sst: 3, sd: "000010", ue_subnets: [10.45.0.0/16]}]
# No cloud broker here: a closed port, so sync runs with its backhaul down. (An unresolvable name works too since
# sync waits for the Kafka clients instead of failing start-up: SyncUnresolvableCloudTest.)
gateway_cloud_kafka_bootstrap: 127.0.0.1:9
gateway_admin_token: "{{ vault_gateway_admin_token }}"
gateway_db_password: "{{ vault_gateway_db_password }}"
gateway_firewall_ssh_sources: [10.0.2.0/24]
# The image carries every package; the emulated VM need not refresh apt lists.
gateway_apt_update_cache: false
# Quarkus starts in minutes, not seconds, under software emulation on a busy host.
gateway_health_retries: 180
gateway_health_delay: 5
VARS
cat > "$STATE/inventory/hosts.yml" <<HOSTS
---
all:
  children:
    gateways:
      children:
        canary:
          hosts:
            qemu-site:
              ansible_host: 127.0.0.1
              ansible_port: $SSH_PORT
HOSTS

export ANSIBLE_CONFIG=$ANSIBLE_DIR/ansible.cfg ANSIBLE_NOCOLOR=1 ANSIBLE_VAULT_PASSWORD_FILE=$STATE/vault-pass
# sudo in an emulated guest busy starting Java can take longer than the default 10 s become/connect timeout.
export ANSIBLE_TIMEOUT=60
play() { # log name, playbook, extra args...
  local name=$1 playbook=$2; shift 2
  local t0=$SECONDS rc=0
  ansible-playbook -i "$STATE/inventory/hosts.yml" "$ANSIBLE_DIR/playbooks/$playbook" "$@" > "$STATE/$name.log" 2>&1 || rc=$?
  log "$name: rc=$rc in $((SECONDS - t0))s; $(grep -E '^qemu-site +:' "$STATE/$name.log" | tr -s ' ')"
  if [[ $rc -ne 0 ]]; then ssh_vm sudo journalctl -u mecgw -n 40 --no-pager > "$STATE/$name.journal" 2>&1 || true; fi
  return $rc
}
ssh_vm() { ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -i "$VM/id_ed25519" \
  -p "$SSH_PORT" ops@127.0.0.1 "$@"; }
running_release() { ssh_vm readlink /opt/mecgw/current | xargs basename; }
healthy() { [[ $(curl -sk -o /dev/null -w '%{http_code}' --max-time 10 "https://127.0.0.1:$HTTPS_PORT/q/health/ready") == 200 ]]; }

log "waiting for SSH (first boot runs the gateway role locally)"
t0=$SECONDS
until ssh_vm true 2>/dev/null; do (( SECONDS - t0 < 1500 )) || { log "no SSH"; tail -30 "$VM/console.log"; exit 1; }; sleep 5; done
until ssh_vm sudo test -f /var/lib/mecgw-firstboot/done 2>/dev/null; do
  (( SECONDS - t0 < 1500 )) || { log "first boot did not finish"; exit 1; }; sleep 5
done
log "first boot done after $((SECONDS - t0))s of SSH wait"

play provision-1 provision.yml || true
expect "first provision run succeeds" "grep -qE 'qemu-site +:.*failed=0' '$STATE/provision-1.log'"
play provision-2 provision.yml || true
expect "second provision run reports changed=0" "grep -qE 'qemu-site +:.*changed=0 .*failed=0' '$STATE/provision-2.log'"
expect "admin token from the vault is in force" \
  "[[ \$(curl -sk -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer $TOKEN' https://127.0.0.1:$HTTPS_PORT/api/v1/devices) == 200 ]]"

good=$VERSION
if [[ $FULL == 1 ]]; then
  play upgrade-good upgrade.yml -e "gateway_version=$VERSION-next" || true
  expect "upgrade to $VERSION-next passes the health gate" "grep -qE 'qemu-site +:.*failed=0' '$STATE/upgrade-good.log'"
  expect "$VERSION-next is running" "[[ \$(running_release) == '$VERSION-next' ]] && healthy"
  good=$VERSION-next
fi

play upgrade-broken upgrade.yml -e "gateway_version=$VERSION-broken" -e gateway_health_retries=24 -e gateway_rollback_health_retries=180 && broken_rc=0 || broken_rc=$?
expect "upgrade to the broken release fails" "[[ $broken_rc -ne 0 ]]"
expect "the failure says it rolled back" "grep -q 'rolled back to $good' '$STATE/upgrade-broken.log'"
expect "$good runs again and is healthy" "[[ \$(running_release) == '$good' ]] && healthy"

if [[ $FULL == 1 ]]; then
  play rotate rotate-keys.yml || true
  expect "key rotation passes the health gate" "grep -qE 'qemu-site +:.*failed=0' '$STATE/rotate.log'"
  expect "the previous TLS key is kept" "ssh_vm sudo test -f /etc/mecgw/tls/server.key.prev"
fi

log "logs in $STATE"
echo "$(( fails == 0 ? 1 : 0 )) passed, $(( fails == 0 ? 0 : 1 )) failed"
exit $(( fails > 0 ))
