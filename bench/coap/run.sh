#!/usr/bin/env bash
# bench/coap: confirmable telemetry POSTs per second acknowledged (2.04 = committed) with N concurrent
# clients, plain CoAP and DTLS PSK, against the packaged gateway with a fresh embedded PostgreSQL.
# Usage: bench/coap/run.sh [clients] [inflight-per-client] [seconds]
# MODES ("plain dtls"), WARMUP (seconds before the window, 10), BENCH_REBUILD=0 (reuse an existing package), GATEWAY_OPTS (extra JVM options of the
# gateway), GATEWAY_JAR (another packaged gateway, e.g. a baseline build), PROFILE_DIR (record both JVMs with JFR during the measured window into that folder).
set -euo pipefail
cd "$(dirname "$0")/../.."
CLIENTS=${1:-32}
INFLIGHT=${2:-4}
SECONDS_RUN=${3:-20}
TARGET=15000

# One reactor run, so that the sibling modules resolve to their fresh jars; mec-app comes last and writes last.
if [[ ${BENCH_REBUILD:-1} == 1 || ! -f mec-app/target/quarkus-app/quarkus-run.jar || ! -f mec-app/target/bench-coap.cp ]]; then
  ./mvnw -B -q -pl mec-app -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$PWD/mec-app/target/bench-coap.cp" >/dev/null
fi
CP=$(cat mec-app/target/bench-coap.cp)
CLASSES=mec-app/target/bench-coap-classes
rm -rf "$CLASSES" && javac -q -d "$CLASSES" -cp "$CP" bench/coap/*.java 2>/dev/null || javac -d "$CLASSES" -cp "$CP" bench/coap/*.java

source scripts/lib/free-ports.sh
read -r HTTP_PORT COAP_PORT DTLS_PORT <<<"$(free_ports tcp udp udp)"
DATA=$(mktemp -d /tmp/mecgw-bench-coap.XXXXXX)
TOKEN=bench-$(date +%s)-token
java -Xmx2g ${GATEWAY_OPTS:-} -Dmecgw.data-dir="$DATA" -Dquarkus.http.port="$HTTP_PORT" -Dquarkus.http.host=127.0.0.1 \
  -Dmecgw.coap.host=127.0.0.1 -Dmecgw.coap.port="$COAP_PORT" -Dmecgw.coap.dtls-port="$DTLS_PORT" \
  -Dmecgw.coap.allow-unsecured=true -Dmecgw.coap.peer-rate=1000000 -Dmecgw.coap.peer-burst=1000000 \
  -Dmecgw.admin.token="$TOKEN" -jar "${GATEWAY_JAR:-mec-app/target/quarkus-app/quarkus-run.jar}" > "$DATA/gateway.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$HTTP_PORT/q/health/ready" >/dev/null && break
  sleep 1
done
curl -sf "http://127.0.0.1:$HTTP_PORT/q/health/ready" >/dev/null || { tail -50 "$DATA/gateway.log"; exit 1; }

echo "bench/coap on $(nproc) cores, $(date -u +%FT%TZ), load average before: $(cut -d' ' -f1-3 /proc/loadavg);" \
  "clients=$CLIENTS inflight=$INFLIGHT window=${SECONDS_RUN}s"
for MODE in ${MODES:-plain dtls}; do
  java -Xmx1g -Dwarmup.seconds="${WARMUP:-10}" -cp "$CLASSES:$CP" CoapBench "http://127.0.0.1:$HTTP_PORT" "$TOKEN" "$COAP_PORT" "$DTLS_PORT" \
    "$MODE" "$CLIENTS" "$INFLIGHT" "$SECONDS_RUN" "$APP" "$DATA" > "$DATA/out-$MODE" &
  BENCH=$!
  if [[ -n ${PROFILE_DIR:-} ]]; then
    mkdir -p "$PROFILE_DIR"
    sleep $(( ${WARMUP:-10} + 3 ))
    jcmd "$APP" JFR.start name=w settings=${JFR_SETTINGS:-profile} duration="$((SECONDS_RUN - 2))s" filename="$PROFILE_DIR/gateway-$MODE.jfr" >/dev/null
    jcmd "$BENCH" JFR.start name=w settings=${JFR_SETTINGS:-profile} duration="$((SECONDS_RUN - 2))s" filename="$PROFILE_DIR/loadgen-$MODE.jfr" >/dev/null
  fi
  wait "$BENCH" || { cat "$DATA/out-$MODE"; exit 1; }
  cat "$DATA/out-$MODE" | tee -a "$DATA/results"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "$(grep -o "mode=plain" "$DATA/results")" ] || exit 0
PLAIN=$(grep -o 'mode=plain.*rate=[0-9]*' "$DATA/results" | grep -o 'rate=[0-9]*' | cut -d= -f2)
echo "reference: issue #6 target >= $TARGET persisted POST/s plain; measured plain $PLAIN/s ($(awk "BEGIN{printf \"%.2f\", $PLAIN/$TARGET}")x target)"
