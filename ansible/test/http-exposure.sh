#!/usr/bin/env bash
# Packaging check of issue 15.12: the appliance keeps plain HTTP (8080) on the appliance. Renders the role's
# mecgw.env and nftables.conf with the role defaults and checks that plain HTTP is served to loopback sources only
# (MECGW_HTTP_PLAIN_SOURCES) and that the firewall opens no plain HTTP port; an empty gateway_http_plain_sources
# drops the setting. With a packaged gateway (mec-app/target/quarkus-app) it also starts it with the rendered
# setting and checks over real sockets that plain HTTP answers 127.0.0.1 and refuses 127.0.0.2 with 403.
# Fast, no root: ansible/test/http-exposure.sh
set -euo pipefail
ANSIBLE_DIR=$(cd "$(dirname "$0")/.." && pwd)
REPO=$(cd "$ANSIBLE_DIR/.." && pwd)
source "$REPO/scripts/lib/free-ports.sh"
JAR=$REPO/mec-app/target/quarkus-app/quarkus-run.jar
work=$(mktemp -d /tmp/mecgw-http-exposure.XXXXXX)
gateway_pid=
cleanup() { [[ -z $gateway_pid ]] || { kill "$gateway_pid" 2>/dev/null; wait "$gateway_pid" 2>/dev/null || true; }; rm -rf "$work"; }
trap cleanup EXIT
fails=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fails=$((fails + 1)); fi; }

render() { # template, output, extra -e
  ANSIBLE_CONFIG=$ANSIBLE_DIR/ansible.cfg ANSIBLE_NOCOLOR=1 ansible -i localhost, localhost -c local -o \
    -m ansible.builtin.template -a "src=$ANSIBLE_DIR/roles/gateway/templates/$1 dest=$2 mode=0600" \
    -e "@$ANSIBLE_DIR/roles/gateway/defaults/main.yml" -e "@$ANSIBLE_DIR/roles/gateway/vars/main.yml" \
    -e "${3:-{\}}" >> "$work/ansible.log"
}

render mecgw.env.j2 "$work/default.env"
render mecgw.env.j2 "$work/open.env" '{"gateway_http_plain_sources": []}'
render nftables.conf.j2 "$work/nftables.conf"
check "role default serves plain HTTP to loopback only" \
  "grep -qx 'MECGW_HTTP_PLAIN_SOURCES=127.0.0.0/8,::1/128' '$work/default.env'"
check "an empty gateway_http_plain_sources drops the setting" "! grep -q MECGW_HTTP_PLAIN_SOURCES '$work/open.env'"
check "the firewall opens no plain HTTP port" "! grep -Eq 'dport (8080|\{ *8080)' '$work/nftables.conf'"

if [[ -f $JAR ]]; then
  port=$(free_port)
  mkdir -p "$work/data" "$work/tmp"
  # The embedded PostgreSQL refuses to run as root: as root, run the gateway as nobody.
  as_user=()
  if [[ $EUID -eq 0 ]]; then
    chown -R 65534:65534 "$work" && chmod 0755 "$work"
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  fi
  # The rendered setting, narrowed from 127.0.0.0/8 to 127.0.0.1/32 so that 127.0.0.2 can play a remote host.
  sources=$(sed -n 's/^MECGW_HTTP_PLAIN_SOURCES=//p' "$work/default.env" | sed 's#127.0.0.0/8#127.0.0.1/32#')
  env -i PATH="$PATH" HOME="$work" MECGW_DATA_DIR="$work/data" QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 \
    QUARKUS_HTTP_SSL_PORT=0 MECGW_MQTT_PORT=0 MECGW_COAP_PORT=0 MECGW_COAP_DTLS_PORT=0 \
    MECGW_HTTP_PLAIN_SOURCES="$sources" "${as_user[@]}" "$(command -v java)" -Djava.io.tmpdir="$work/tmp" -jar "$JAR" \
    > "$work/gateway.log" 2>&1 &
  gateway_pid=$!
  for _ in $(seq 1 120); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/q/health/live") == 200 ]] && break
    sleep 1
  done
  check "packaged gateway serves plain HTTP to 127.0.0.1" \
    "[[ \$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$port/q/health/live) == 200 ]]"
  check "packaged gateway refuses plain HTTP from another source (127.0.0.2) with 403" \
    "[[ \$(curl -s --interface 127.0.0.2 -o /dev/null -w '%{http_code}' http://127.0.0.1:$port/q/health/live) == 403 ]]"
else
  echo "skip packaged gateway check: no $JAR"
fi
if [[ $fails -eq 0 ]]; then echo "http exposure: passed"; else echo "http exposure: $fails failed"; fi
exit $fails
