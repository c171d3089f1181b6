#!/usr/bin/env bash
# Sparkplug B benchmark (issue 21.6): NDATA metrics/s decoded and stored by the packaged gateway (durable embedded
# PostgreSQL); each NDATA is acknowledged (QoS 1) only after its readings are committed. Fresh nodes each round.
# Usage: bench/southbound/sparkplug.sh [seconds per round, default 10] [rounds, default 3]
# BENCH_NODES (10 edge nodes), BENCH_METRICS (20 metrics per NDATA), BENCH_WINDOW (16 in flight per node) size the load.
# The app is built unless already packaged; BENCH_REBUILD=1 forces it. Ports: BENCH_GW_MQTT (21893),
# BENCH_GW_HTTP (28090). Needs curl. Not a test: it prints figures for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-10}
ROUNDS=${2:-3}
NODES=${BENCH_NODES:-10}
METRICS=${BENCH_METRICS:-20}
WINDOW=${BENCH_WINDOW:-16}
GW_MQTT=${BENCH_GW_MQTT:-21893}
GW_HTTP=${BENCH_GW_HTTP:-28090}
WORK=$(mktemp -d /tmp/bench-sparkplug.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

echo "== building gateway and load generator classpath (work dir $WORK)"
CP_FILE=mec-app/target/bench-southbound-cp.txt
if [[ ${BENCH_REBUILD:-0} == 1 || ! -f mec-app/target/quarkus-app/quarkus-run.jar || ! -f $CP_FILE ]]; then
  ./mvnw -B -q -pl mec-app -am package dependency:build-classpath -DskipTests -Dmdep.includeScope=test \
    -Dmdep.outputFile="$PWD/$CP_FILE" >/dev/null
fi
CP=$(cat "$CP_FILE")

echo "== starting gateway (MQTT $GW_MQTT, HTTP $GW_HTTP)"
java -Dmecgw.data-dir="$WORK/gw" -Dmecgw.mqtt.port="$GW_MQTT" -Dmecgw.mqtt.host=127.0.0.1 \
  -Dmecgw.admin.token=bench-token -Dquarkus.http.port="$GW_HTTP" -Dquarkus.http.host=127.0.0.1 \
  -Dmecgw.credentials.pbkdf2-iterations=10000 -Dmecgw.coap.enabled=false \
  -jar mec-app/target/quarkus-app/quarkus-run.jar >"$WORK/gw.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do grep -q "MQTT  " "$WORK/gw.log" && break; sleep 1; done
grep -q "MQTT  " "$WORK/gw.log" || { cat "$WORK/gw.log"; exit 1; }

register() { # id type labels-json
  curl -sf -o /dev/null -H 'Authorization: Bearer bench-token' -H 'Content-Type: application/json' \
    -d "{\"id\":\"$1\",\"type\":\"$2\",\"labels\":$3,\"credentials\":{\"password\":\"bench-password\"}}" \
    "http://127.0.0.1:$GW_HTTP/api/v1/devices"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
for round in $(seq 1 "$ROUNDS"); do
  : >"$WORK/nodes-$round.txt"
  for i in $(seq 1 "$NODES"); do
    register "spnode-$round-$i" sparkplug '{"sparkplug.group":"bench"}'
    echo "spnode-$round-$i:bench-password" >>"$WORK/nodes-$round.txt"
  done
  echo "== round $round: $NODES edge nodes x $METRICS metrics per NDATA, QoS 1, $WINDOW in flight each (${SECS}s)"
  java -Xmx1g -cp "$CP" bench/southbound/SparkplugLoad.java 127.0.0.1 "$GW_MQTT" "$SECS" "$WORK/nodes-$round.txt" \
    bench "$METRICS" "$WINDOW" 2>>"$WORK/load.err" | grep '^RESULT' | tee -a "$WORK/results.txt" || echo "RESULT failed (see $WORK/load.err)"
done
echo "== median metric_rate over $ROUNDS rounds: $(sed -n 's/.* metric_rate=\([^ ]*\).*/\1/p' "$WORK/results.txt" | median) metrics/s"
echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg)"
