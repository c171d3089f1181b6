#!/usr/bin/env bash
# bench/ota (issue 18): time to update N simulated devices with a 1 MiB image, per transport, against the packaged
# gateway with a fresh durable embedded PostgreSQL. MQTT devices download over HTTP Range (GET /fw/{name}, 64 KiB
# chunks, as themselves), CoAP devices over DTLS Block2 (/fw/{name}, 1024-byte blocks); one wave of every device.
# Prints devices/s, bytes the gateway sent per device against the image size (meter mecgw.ota.download.bytes), and
# the gateway's CPU and RSS during the rollout (/proc/<pid>/stat and status), then the floor: the same image fetched
# N times from the same gateway by curl (HTTP) and libcoap's coap-client -b 1024 (CoAP/DTLS), no rollout around it.
# Usage: bench/ota/run.sh [devices, default 1000] [transports, default "mqtt coap"]
# IMAGE_KIB (1024), RATE readings/s per device (0.2), HEALTH health window (PT10S), TIMEOUT give up (PT25M),
# FLOOR=0 skips the reference, FLOOR_FETCHES (N, at most 200), FLOOR_PARALLEL (64 curl transfers / 16 coap-client processes at once),
# GATEWAY_HEAP (1g), DEVICES_HEAP (4g), ITERATIONS PBKDF2 rounds of device passwords (10000 as in bench/mqtt; the
# gateway's default is 100000: each MQTT device then costs 10x more to register, connect and start its download),
# BENCH_REBUILD=0 reuses an existing package, GATEWAY_JAR / DEVICES_JAR run other builds (copies, while you rebuild).
# Needs: curl, libcoap3-bin (coap-client-openssl). Not a test: it prints figures for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib/ready.sh
DEVICES=${1:-1000}
TRANSPORTS=${2:-mqtt coap}
IMAGE_KIB=${IMAGE_KIB:-1024}
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

JAR=${GATEWAY_JAR:-mec-app/target/quarkus-app/quarkus-run.jar}
SIM=${DEVICES_JAR:-devices/target/mecgw-devices.jar}
if [[ ${BENCH_REBUILD:-1} == 1 || ! -f $JAR || ! -f $SIM ]]; then
  # One reactor run, so that the simulator and the gateway are built from this tree.
  ./mvnw -B -q -pl mec-app,devices -am package -DskipTests >/dev/null
fi
WORK=$(mktemp -d /tmp/mecgw-bench-ota.XXXXXX)
APP=
cleanup() { [[ -n $APP ]] && { kill "$APP" 2>/dev/null; wait "$APP" 2>/dev/null || true; }; rm -rf "$WORK"; }
trap cleanup EXIT
source scripts/lib/free-ports.sh
head -c $((IMAGE_KIB * 1024)) /dev/urandom >"$WORK/image.bin"
SHA=$(sha256sum "$WORK/image.bin" | cut -d' ' -f1)
ARTIFACT=sensor-fw-2.0.bin
TOKEN=bench-ota-$(date +%s)-token
echo "$TOKEN" >"$WORK/token"
api() { curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }

start_gateway() { # transport
  read -r HTTP_PORT MQTT_PORT DTLS_PORT <<<"$(free_ports tcp tcp udp)"; DATA=$WORK/gateway-$1
  # Every simulated device, and every coap-client of the floor, sends from 127.0.0.1: the per-address CoAP peer limit
  # (64, against port cycling) would refuse all but 64 of them, where real devices each have their own address.
  MECGW_DATA_DIR=$DATA MECGW_ADMIN_TOKEN=$TOKEN MECGW_MQTT_HOST=127.0.0.1 MECGW_MQTT_PORT=$MQTT_PORT \
    MECGW_MQTT_TLS_PORT=0 QUARKUS_HTTP_SSL_PORT=0 QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$HTTP_PORT \
    MECGW_COAP_HOST=127.0.0.1 MECGW_COAP_PORT=0 MECGW_COAP_DTLS_PORT=$DTLS_PORT \
    MECGW_COAP_MAX_PEERS_PER_ADDRESS=$((DEVICES + ${FLOOR_FETCHES:-200} + 64)) MECGW_CREDENTIALS_PBKDF2_ITERATIONS=${ITERATIONS:-10000} \
    java -Xmx"${GATEWAY_HEAP:-1g}" -Djava.io.tmpdir="$WORK" -jar "$JAR" >"$WORK/gateway-$1.log" 2>&1 &
  APP=$!
  await_ready "$HTTP_PORT" "$APP" "$WORK/gateway-$1.log"
  curl -sf -X PUT -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/octet-stream' --data-binary @"$WORK/image.bin" \
    "http://127.0.0.1:$HTTP_PORT/api/v1/artifacts/$ARTIFACT" >/dev/null
}
stop_gateway() { kill "$APP" 2>/dev/null; wait "$APP" 2>/dev/null || true; APP=; }

floor() { # transport; prints one FLOOR line
  local base=http://127.0.0.1:$HTTP_PORT n=${FLOOR_FETCHES:-$((DEVICES < 200 ? DEVICES : 200))} t0 t1 id=floor-$1
  api -X POST -d "{\"id\":\"$id\",\"type\":\"bench\",\"credentials\":{\"password\":\"floor-password\",\"psk\":\"$(printf 'bench-floor-key!' | xxd -p)\"}}" \
    "$base/api/v1/devices" >/dev/null
  if [[ $1 == mqtt ]]; then
    # The device may fetch only what its desired firmware names.
    api -X PUT -d "{\"firmware\":{\"name\":\"$ARTIFACT\",\"version\":\"2.0\",\"sha256\":\"$SHA\"}}" \
      "$base/api/v1/devices/$id/twin/desired" >/dev/null
    for _ in $(seq 1 "$n"); do printf 'url = "%s/fw/%s"\noutput = "/dev/null"\n' "$base" "$ARTIFACT"; done >"$WORK/curl.cfg"
    t0=$(date +%s.%N)
    curl -sf -Z --parallel-max "${FLOOR_PARALLEL:-64}" -u "$id:floor-password" -K "$WORK/curl.cfg" \
      -w '%{http_code} %{size_download}\n' >"$WORK/floor.out"
    t1=$(date +%s.%N)
    echo "FLOOR transport=http tool=\"curl $(curl --version | head -1 | cut -d' ' -f2) -Z --parallel-max ${FLOOR_PARALLEL:-64}, one identity\"" \
      "fetches=$n complete=$(grep -c "^200 $((IMAGE_KIB * 1024))\$" "$WORK/floor.out")" \
      "seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')" \
      "fetches_per_s=$(awk -v a="$t0" -v b="$t1" -v n="$n" 'BEGIN{printf "%.2f", n/(b-a)}')"
  else
    t0=$(date +%s.%N)
    seq 1 "$n" | xargs -P "${FLOOR_PARALLEL:-16}" -I{} sh -c \
      "coap-client-openssl -m get -b 1024 -B 120 -u $id -k 'bench-floor-key!' -o $WORK/coap-{}.bin \
       coaps://127.0.0.1:$DTLS_PORT/fw/$ARTIFACT >/dev/null 2>&1; stat -c %s $WORK/coap-{}.bin 2>/dev/null || echo 0; rm -f $WORK/coap-{}.bin" \
      >"$WORK/floor.out"
    t1=$(date +%s.%N)
    echo "FLOOR transport=coap tool=\"coap-client-openssl -b 1024 (libcoap $(dpkg-query -W -f '${Version}' libcoap3-bin 2>/dev/null)), ${FLOOR_PARALLEL:-16} processes at once, one identity\"" \
      "fetches=$n complete=$(grep -c "^$((IMAGE_KIB * 1024))\$" "$WORK/floor.out")" \
      "seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')" \
      "fetches_per_s=$(awk -v a="$t0" -v b="$t1" -v n="$n" 'BEGIN{printf "%.2f", n/(b-a)}')"
  fi
}

echo "bench/ota on $(nproc) cores, $(date -u +%FT%TZ), load average before: $(cut -d' ' -f1-3 /proc/loadavg);" \
  "devices=$DEVICES image=${IMAGE_KIB} KiB transports=\"$TRANSPORTS\" pbkdf2=${ITERATIONS:-10000} commit $(git rev-parse --short HEAD)"
for T in $TRANSPORTS; do
  echo "== $T: fresh gateway, $DEVICES devices, one wave of every device that came online"
  start_gateway "$T"
  java -Xmx"${DEVICES_HEAP:-4g}" -Dota.rate="${RATE:-0.2}" -Dota.health="${HEALTH:-PT10S}" \
    -Dota.timeout="${TIMEOUT:-PT25M}" -cp "$SIM" bench/ota/OtaBench.java "http://127.0.0.1:$HTTP_PORT" \
    "$WORK/token" "$MQTT_PORT" "$DTLS_PORT" "$T" "$DEVICES" "$ARTIFACT" $((IMAGE_KIB * 1024)) "$APP" \
    "$WORK/gateway-$T" 2>"$WORK/devices-$T.err" || { tail -20 "$WORK/devices-$T.err"; exit 1; }
  # A full GC after the rollout: what the gateway still holds, apart from garbage its heap limit let pile up.
  jcmd "$APP" GC.run >/dev/null 2>&1 && echo "AFTER_GC transport=$T heap_used_mib=$(jcmd "$APP" GC.heap_info |
    sed -n 's/.*heap *total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -1 | awk '{printf "%.0f", $1 / 1024}')" \
    "rss_mib=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$APP/status")" || true
  curl -sf "http://127.0.0.1:$HTTP_PORT/q/metrics" | grep -E '^(mecgw_ota_download|mecgw_coap_peers_refused|http_server_requests_seconds_count\{[^}]*uri="/fw)' || true
  [[ ${FLOOR:-1} == 1 ]] && floor "$T"
  stop_gateway
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
