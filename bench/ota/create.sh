#!/usr/bin/env bash
# bench/ota/create.sh (issue 18): how long POST /api/v1/rollouts takes to answer 201 for a wave of N devices, that is
# until the rollout, every desired twin and every transition event are durable, on the packaged gateway with a fresh
# durable embedded PostgreSQL. No device is connected: this isolates the creation, which bench/ota/run.sh includes.
# Usage: bench/ota/create.sh [devices, default 1000] [gateway jar ...]: each jar (default: this tree's build) gets a
# fresh gateway, in the order given, so that a reference build and a new one are compared side by side in one run.
# REPEAT (3) rollouts per gateway, each over the same devices (a new version each time).
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib/ready.sh
DEVICES=${1:-1000}
shift || true
JARS=("${@:-mec-app/target/quarkus-app/quarkus-run.jar}")
WORK=$(mktemp -d /tmp/mecgw-bench-ota-create.XXXXXX)
APP=
cleanup() { [[ -n $APP ]] && { kill "$APP" 2>/dev/null; wait "$APP" 2>/dev/null || true; }; rm -rf "$WORK"; }
trap cleanup EXIT
source scripts/lib/free-ports.sh
TOKEN=bench-ota-create-$(date +%s)-token
api() { curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
head -c 65536 /dev/urandom >"$WORK/image.bin"

echo "bench/ota/create.sh on $(nproc) cores, $(date -u +%FT%TZ), load average before: $(cut -d' ' -f1-3 /proc/loadavg);" \
  "devices=$DEVICES commit $(git rev-parse --short HEAD)"
for JAR in "${JARS[@]}"; do
  read -r HTTP_PORT MQTT_PORT <<<"$(free_ports tcp tcp)"; DATA=$WORK/gateway-$RANDOM
  MECGW_DATA_DIR=$DATA MECGW_ADMIN_TOKEN=$TOKEN MECGW_MQTT_HOST=127.0.0.1 MECGW_MQTT_PORT=$MQTT_PORT \
    MECGW_MQTT_TLS_PORT=0 QUARKUS_HTTP_SSL_PORT=0 QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$HTTP_PORT \
    MECGW_COAP_HOST=127.0.0.1 MECGW_COAP_PORT=0 MECGW_COAP_DTLS_PORT=0 \
    java -Xmx1g -Djava.io.tmpdir="$WORK" -jar "$JAR" >"$DATA.log" 2>&1 &
  APP=$!
  await_ready "$HTTP_PORT" "$APP" "$DATA.log"
  base=http://127.0.0.1:$HTTP_PORT
  curl -sf -X PUT -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/octet-stream' \
    --data-binary @"$WORK/image.bin" "$base/api/v1/artifacts/fw.bin" >/dev/null
  seq -f 'create-%04g' 1 "$DEVICES" | xargs -P 8 -I{} curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d '{"id":"{}","type":"sensor","labels":{"bench":"create"}}' "$base/api/v1/devices"
  for i in $(seq 1 "${REPEAT:-3}"); do
    body="{\"artifact\":\"fw.bin\",\"version\":\"2.$i\",\"selector\":{\"type\":\"sensor\",\"labels\":{\"bench\":\"create\"}},"
    body+="\"waves\":[{\"name\":\"all\",\"percent\":100}],\"healthWindow\":\"PT1H\",\"deviceTimeout\":\"PT1H\"}"
    out=$(api -w ' %{http_code} %{time_total}' -d "$body" "$base/api/v1/rollouts")
    id=$(sed -n 's/^{"id":"\([^"]*\)".*/\1/p' <<<"$out")
    echo "CREATE jar=$JAR devices=$DEVICES run=$i status=$(awk '{print $(NF-1)}' <<<"$out")" \
      "seconds=$(awk '{printf "%.2f", $NF}' <<<"$out") load=$(cut -d' ' -f1 /proc/loadavg)"
    # Aborting rolls every device back: the same batch path, timed as well.
    t0=$(date +%s.%N)
    api -o /dev/null -X POST "$base/api/v1/rollouts/$id/abort"
    echo "ABORT jar=$JAR devices=$DEVICES run=$i seconds=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}')"
  done
  kill "$APP"; wait "$APP" 2>/dev/null || true; APP=
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
