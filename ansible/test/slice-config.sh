#!/usr/bin/env bash
# Checks that the inventory's slices reach the running gateway's slice policy (issue 23): renders the role's
# slices.properties from a gateway_slices list the way the role does, starts the packaged gateway with the
# environment the role renders (QUARKUS_CONFIG_LOCATIONS) and reads the policy back from GET /api/v1/ran/slices.
# Then renders a slice whose S-NSSAI is out of range (as a hand-edited file would carry it past the role's own
# check) and expects the gateway to refuse to start, naming the entry.
# Not part of CI (starts the whole gateway twice). Needs root (runs the gateway as nobody) and a packaged gateway:
#   ./mvnw -B -q package -DskipTests -pl mec-app -am && ansible/test/slice-config.sh
set -euo pipefail
ANSIBLE_DIR=$(cd "$(dirname "$0")/.." && pwd)
REPO=$(cd "$ANSIBLE_DIR/.." && pwd)
JAR=$REPO/mec-app/target/quarkus-app/quarkus-run.jar
JAVA=${JAVA:-$(command -v java)}
[[ -f $JAR ]] || { echo "no $JAR: package the gateway first" >&2; exit 2; }
work=$(mktemp -d /tmp/mecgw-slice-config.XXXXXX)
gateway_pid=
cleanup() { [[ -z $gateway_pid ]] || { kill "$gateway_pid" 2>/dev/null; wait "$gateway_pid" 2>/dev/null; }; rm -rf "$work"; }
trap cleanup EXIT
log() { printf '%s [slice-config] %s\n' "$(date +%T)" "$*"; }
source "$REPO/scripts/lib/free-ports.sh"
token=$(openssl rand -hex 16)
fails=0

render() { # vars file, output
  ANSIBLE_CONFIG=$ANSIBLE_DIR/ansible.cfg ANSIBLE_NOCOLOR=1 ansible -i localhost, localhost -c local -o \
    -m ansible.builtin.template -a "src=$ANSIBLE_DIR/roles/gateway/templates/slices.properties.j2 dest=$2 mode=0644" \
    -e "@$ANSIBLE_DIR/roles/gateway/defaults/main.yml" -e "@$1" >> "$work/ansible.log"
}
start() { # properties file, http port
  mkdir -p "$work/data" "$work/tmp" && chown -R 65534:65534 "$work" && chmod 0755 "$work"
  : > "$work/gateway.log"
  env -i PATH="$PATH" HOME="$work" MECGW_DATA_DIR="$work/data" MECGW_ADMIN_TOKEN="$token" QUARKUS_HTTP_PORT="$2" \
    QUARKUS_HTTP_SSL_PORT=0 MECGW_MQTT_PORT=0 MECGW_COAP_PORT=0 MECGW_COAP_DTLS_PORT=0 QUARKUS_CONFIG_LOCATIONS="$1" \
    setpriv --reuid=65534 --regid=65534 --clear-groups "$JAVA" -Djava.io.tmpdir="$work/tmp" -jar "$JAR" \
    > "$work/gateway.log" 2>&1 &
  gateway_pid=$!
}

cat > "$work/vars.yml" <<'VARS'
gateway_slices:
  - {name: miot-sensors, sst: 3, sd: "00001F", ue_subnets: [10.47.0.0/16, 10.48.0.0/16]}
  - {name: embb-cameras, sst: 1, ue_subnets: [10.45.0.0/16], allowed_types: [camera], zero_touch: true,
     default_type: camera}
VARS
render "$work/vars.yml" "$work/slices.properties"
port=$(free_port)
log "starting the packaged gateway with the rendered slices"
start "$work/slices.properties" "$port"
deadline=$(( $(date +%s) + ${MECGW_SLICE_CHECK_WAIT:-300} ))
until body=$(curl -fsS -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/ran/slices" 2>/dev/null); do
  kill -0 "$gateway_pid" 2>/dev/null || { log "FAIL gateway exited"; tail -20 "$work/gateway.log"; echo "0 passed, 1 failed"; exit 1; }
  (( $(date +%s) < deadline )) || { log "FAIL gateway did not answer"; tail -20 "$work/gateway.log"; echo "0 passed, 1 failed"; exit 1; }
  sleep 1
done
expect() { # description, python expression over the parsed body `s` (slices by name)
  if python3 -c "import json,sys; s={x['name']: x for x in json.loads(sys.argv[1])}; sys.exit(0 if ($2) else 1)" "$body"; then
    log "ok   $1"
  else
    log "FAIL $1: $body"; fails=$((fails + 1))
  fi
}
expect "both inventory slices in force" "sorted(s) == ['embb-cameras', 'miot-sensors']"
expect "S-NSSAI with SD" "s['miot-sensors']['snssai'] == '3:00001f'"
expect "UE pools" "s['miot-sensors']['ueSubnetCount'] == 2"
expect "S-NSSAI without SD, zero-touch and allowed types" \
  "s['embb-cameras']['snssai'] == '1' and s['embb-cameras']['zeroTouch'] and s['embb-cameras']['allowedTypes'] == ['camera']"
kill "$gateway_pid"; wait "$gateway_pid" 2>/dev/null || true; gateway_pid=

cat > "$work/bad.yml" <<'VARS'
gateway_slices:
  - {name: bad-slice, sst: 300, sd: "000001", ue_subnets: [10.49.0.0/16]}
VARS
render "$work/bad.yml" "$work/bad.properties"
log "starting the packaged gateway with an S-NSSAI out of range"
start "$work/bad.properties" "$(free_port)"
deadline=$(( $(date +%s) + ${MECGW_SLICE_CHECK_WAIT:-300} ))
while kill -0 "$gateway_pid" 2>/dev/null && (( $(date +%s) < deadline )); do sleep 1; done
if kill -0 "$gateway_pid" 2>/dev/null; then
  log "FAIL the gateway started with a bad S-NSSAI"; fails=$((fails + 1))
elif grep -q 'mecgw.ran.slices.bad-slice' "$work/gateway.log"; then
  log "ok   start-up refused, naming mecgw.ran.slices.bad-slice"
else
  log "FAIL start-up failed without naming the entry"; tail -20 "$work/gateway.log"; fails=$((fails + 1))
fi
gateway_pid=
echo "$(( fails == 0 ? 1 : 0 )) passed, $(( fails == 0 ? 0 : 1 )) failed"
exit $(( fails > 0 ))
