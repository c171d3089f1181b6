#!/usr/bin/env bash
# Modbus TCP benchmark through the packaged gateway (issue 21.6): PLCS simulated PLCs (digitalpetri's server in a
# separate process, one loopback port each) x REGISTERS holding registers, registered as devices of type `modbus`
# through the REST API and polled every second; measures readings STORED (committed in the gateway's durable embedded
# PostgreSQL) per second over a steady window, and the CPU and RSS of the gateway's JVM and of its PostgreSQL.
# Usage: bench/southbound/modbus.sh [plcs=200] [registers=50] [seconds=60] [warmup=20]
# The app is built unless already packaged; BENCH_REBUILD=1 forces it. Needs curl, psql (postgresql-client), python3.
# Not a test: it prints figures for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
PLCS=${1:-200}
REGISTERS=${2:-50}
SECS=${3:-60}
WARMUP=${4:-20}
WORK=$(mktemp -d /tmp/bench-modbus.XXXXXX)
PIDS=()
# The work dir holds the gateway's database (~0.5 GiB after a 60 s run): removed unless BENCH_KEEP=1.
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [[ ${BENCH_KEEP:-0} == 1 ]] || rm -rf "$WORK"
}
trap cleanup EXIT
source scripts/lib/free-ports.sh

echo "== bench/southbound modbus on $(nproc) cores, $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD)," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg) (work dir $WORK)"
CP_FILE=mec-app/target/bench-southbound-cp.txt
if [[ ${BENCH_REBUILD:-0} == 1 || ! -f mec-app/target/quarkus-app/quarkus-run.jar || ! -f $CP_FILE ]]; then
  ./mvnw -B -q -pl mec-app -am package dependency:build-classpath -DskipTests -Dmdep.includeScope=test \
    -Dmdep.outputFile="$PWD/$CP_FILE" >/dev/null
fi

echo "== starting $PLCS simulated PLCs x $REGISTERS holding registers (own process)"
java -Xmx512m -cp "$(cat "$CP_FILE")" bench/southbound/ModbusPlcs.java "$PLCS" "$REGISTERS" "$WORK/ports.txt" \
  >"$WORK/plcs.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do grep -q READY "$WORK/plcs.log" && break; sleep 1; done
grep -q READY "$WORK/plcs.log" || { cat "$WORK/plcs.log"; exit 1; }

HTTP=$(free_port)
echo "== starting the packaged gateway (HTTP $HTTP, durable embedded PostgreSQL, MQTT/CoAP on ephemeral ports)"
java -Dmecgw.data-dir="$WORK/gw" -Dmecgw.admin.token=bench-token -Dquarkus.http.port="$HTTP" \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.ssl-port=0 -Dmecgw.mqtt.port=0 -Dmecgw.coap.port=0 \
  -Dmecgw.coap.dtls-port=0 -jar mec-app/target/quarkus-app/quarkus-run.jar >"$WORK/gw.log" 2>&1 &
GW=$!
PIDS+=("$GW")
API=http://127.0.0.1:$HTTP
for _ in $(seq 1 180); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "$API/q/health/ready") == 200 ]] && break
  kill -0 "$GW" 2>/dev/null || { cat "$WORK/gw.log"; exit 1; }
  sleep 1
done
PG_PORT=$(sed -n 's/.*Embedded PostgreSQL started on 127.0.0.1:\([0-9]*\).*/\1/p' "$WORK/gw.log" | head -1)
export PGPASSWORD
PGPASSWORD=$(cat "$WORK/gw/postgres-password")
sql() { psql -XqtA -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "$1"; }

echo "== registering $PLCS devices of type modbus through POST /api/v1/devices"
registers_json=$(python3 -c "import json,sys; print(json.dumps([{'metric': 'r%d' % r, 'table': 'holding',
  'address': r, 'type': 'uint16', 'pollMs': 1000} for r in range($REGISTERS)]))")
i=0
while read -r port; do
  code=$(curl -s -o "$WORK/register.out" -w '%{http_code}' -H 'Authorization: Bearer bench-token' \
    -H 'Content-Type: application/json' "$API/api/v1/devices" \
    -d "{\"id\":\"plc-$i\",\"type\":\"modbus\",\"connection\":{\"host\":\"127.0.0.1\",\"port\":$port,\"registers\":$registers_json}}")
  [[ $code == 201 || $code == 200 ]] || { echo "registering plc-$i: HTTP $code $(cat "$WORK/register.out")"; exit 1; }
  i=$((i + 1))
done <"$WORK/ports.txt"

# CPU ticks of a process (utime + stime, /proc/<pid>/stat fields 14 and 15, after the parenthesised name).
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_pids() { local pm; pm=$(head -1 "$WORK/gw/postgres/postmaster.pid"); echo "$pm" $(ps -o pid= --ppid "$pm"); }
pg_ticks() { local t=0 p; for p in $(pg_pids); do t=$((t + $(ticks "$p"))); done; echo "$t"; }
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
pg_rss_kib() { local t=0 p; for p in $(pg_pids); do t=$((t + $(rss_kib "$p"))); done; echo "$t"; }
committed() { curl -s "$API/q/metrics" | awk '/^mecgw_ingest_readings_committed_total/ { print $2 }'; }
now_ms() { date +%s%3N; }

echo "== warm-up ${WARMUP}s, then ${SECS}s measured"
sleep "$WARMUP"
HZ=$(getconf CLK_TCK)
t0=$(now_ms); gw0=$(ticks "$GW"); pg0=$(pg_ticks); c0=$(committed)
rss_max=0
end=$(($(date +%s) + SECS))
while (($(date +%s) < end)); do
  r=$(rss_kib "$GW"); ((r > rss_max)) && rss_max=$r
  sleep 2
done
t1=$(now_ms); gw1=$(ticks "$GW"); pg1=$(pg_ticks); c1=$(committed)
pg_rss=$(pg_rss_kib)
# Readings polled inside the window, counted in PostgreSQL once the group commits have drained (5 s).
sleep 5
stored=$(sql "SELECT count(*) FROM telemetry WHERE device_id LIKE 'plc-%'
  AND ts >= to_timestamp($t0 / 1000.0) AND ts < to_timestamp($t1 / 1000.0)")
offline=0
for ((p = 0; p < PLCS; p++)); do
  curl -s -H 'Authorization: Bearer bench-token' "$API/api/v1/devices/plc-$p" | grep -q '"state":"online"' \
    || offline=$((offline + 1))
done
events=$(sql "SELECT count(*) FROM events WHERE kind = 'southbound.offline'" 2>/dev/null || echo '?')
python3 - "$PLCS" "$REGISTERS" "$t0" "$t1" "$stored" "$c0" "$c1" "$gw0" "$gw1" "$pg0" "$pg1" "$HZ" "$rss_max" \
  "$pg_rss" "$offline" "$events" <<'PY'
import sys
plcs, regs, t0, t1, stored, c0, c1, gw0, gw1, pg0, pg1, hz, rss, pg_rss, offline, events = sys.argv[1:]
secs = (int(t1) - int(t0)) / 1000
print(f"RESULT modbus plcs={plcs} registers={regs} poll=1s window={secs:.1f}s expected={int(plcs) * int(regs)}/s")
print(f"RESULT stored_per_s={int(stored) / secs:.0f} (rows in PostgreSQL polled in the window: {stored})")
print(f"RESULT committed_per_s={(float(c1) - float(c0)) / secs:.0f} (mecgw_ingest_readings_committed_total)")
print(f"RESULT gateway_jvm_cpu={(int(gw1) - int(gw0)) / int(hz) / secs:.2f} cores"
      f" embedded_postgres_cpu={(int(pg1) - int(pg0)) / int(hz) / secs:.2f} cores")
print(f"RESULT gateway_jvm_rss_max={int(rss) / 1024:.0f} MiB embedded_postgres_rss_sum={int(pg_rss) / 1024:.0f} MiB")
print(f"RESULT devices_not_online={offline} southbound.offline_events={events}")
PY
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
