#!/usr/bin/env bash
# Start-up phase by phase and idle memory of one gateway build (issue 22 item 4, docs/native.md "Start-up, phase by
# phase" and "Memory"): a native executable, or a fast-jar given as path/to/quarkus-run.jar (run with java). It starts
# the gateway on its own embedded PostgreSQL (initialised by a first, unmeasured start), then for each round: launch to
# /q/health/ready 200 (curl every 20 ms), the time of each phase from the log's own timestamps (embedded PostgreSQL
# started, Flyway connected, schema validated, inference, sync, start-up report, Quarkus started), and 10 s after ready
# the process's VmRSS and its anonymous memory (/proc/<pid>/smaps). Options after the rounds go to the gateway (e.g.
# -XX:MaximumHeapSizePercent=40 -Xmn32m, or -XX:MaxRAMPercentage=40 for the jar).
# Usage: bench/native/startup.sh <executable|quarkus-run.jar> [rounds, default 3] [gateway options...]
# BENCH_SMAPS=1 also prints each round's RSS by mapping (rss-breakdown.py; BENCH_RESOURCES="file..." locates resources).
# Needs curl and python3. Not a test: it prints figures.
set -euo pipefail
# shellcheck source=bench/lib/ready.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/ready.sh"
TARGET=$(readlink -f "${1:?usage: bench/native/startup.sh <executable|quarkus-run.jar> [rounds] [options...]}")
ROUNDS=${2:-3}
shift $(($# < 2 ? $# : 2))
WORK=$(mktemp -d /tmp/bench-startup.XXXXXX)
GW_PID=
cleanup() { [[ -n $GW_PID ]] && kill "$GW_PID" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/free-ports.sh"
cmd=("$TARGET" "$@")
[[ $TARGET == *.jar ]] && cmd=(java "$@" -jar "$TARGET")

start() { # log file: sets GW_PID HTTP LOG T0 (nanoseconds, taken just before the launch)
  local mqtt
  read -r HTTP mqtt <<<"$(free_ports tcp tcp)"; LOG=$1
  T0=$(date +%s%N)
  MECGW_DATA_DIR=$WORK/data QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$HTTP MECGW_ADMIN_TOKEN=bench-token \
    MECGW_MQTT_HOST=127.0.0.1 MECGW_MQTT_PORT=$mqtt MECGW_MQTT_ALLOW_ANONYMOUS=true MECGW_COAP_ENABLED=false \
    MECGW_CREDENTIALS_PBKDF2_ITERATIONS=10000 MECGW_HTTP_PLAIN_SOURCES=127.0.0.1/32 "${cmd[@]}" >"$LOG" 2>&1 &
  GW_PID=$!
}
ready_seconds() { # prints seconds from launch to ready (curl every 20 ms, at most 600 s)
  await_ready "$HTTP" "$GW_PID" "$LOG" 0.02 600
  seconds_since "$T0"
}
stop() { kill "$GW_PID" 2>/dev/null; wait "$GW_PID" 2>/dev/null || true; GW_PID=; }

echo "== $TARGET ${*:-(no options)}, work dir $WORK; first start initialises the embedded PostgreSQL (not measured)"
start "$WORK/first.log"; await_ready "$HTTP" "$GW_PID" "$LOG" 0.02 600; stop
for round in $(seq 1 "$ROUNDS"); do
  start "$WORK/round-$round.log"
  ready=$(ready_seconds)
  sleep 10
  rss=$(awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$GW_PID/status")
  anon=$(awk '/^Anonymous/ { s += $2 } END { printf "%.1f", s / 1024 }' "/proc/$GW_PID/smaps")
  # BENCH_SMAPS=1: the breakdown by mapping (bench/native/rss-breakdown.py; BENCH_RESOURCES: resource files to locate).
  [[ -n ${BENCH_SMAPS:-} ]] && python3 "$(dirname "$0")/rss-breakdown.py" "$GW_PID" ${BENCH_RESOURCES:-}
  stop
  echo "== round $round (load $(cut -d' ' -f1-3 /proc/loadavg))"
  python3 - "$WORK/round-$round.log" "$T0" "$ready" "$rss" "$anon" <<'PY'
import datetime, re, sys
log, t0, ready, rss, anon = sys.argv[1], int(sys.argv[2]) / 1e9, float(sys.argv[3]), sys.argv[4], sys.argv[5]
day = datetime.datetime.fromtimestamp(t0, datetime.timezone.utc).date()
phases = [("embedded PostgreSQL started", r"Embedded PostgreSQL started.* in (\d+) ms"),
          ("Flyway connected", r"FlywayExecutor\] Database"),
          ("schema validated", r"(is up to date|Successfully applied)"),
          ("inference (store, ingest before it)", r"InferenceProducers"),
          ("sync", r"SyncLifecycle"),
          ("start-up report", r"MEC Gateway started"),
          ("Quarkus started", r"started in [0-9.]+s")]
at, pg = {}, 0.0
for line in open(log, errors="replace"):
    stamp = re.match(r"(\d\d):(\d\d):(\d\d)\.(\d\d\d)", line)
    if not stamp:
        continue
    h, m, s, ms = map(int, stamp.groups())
    t = datetime.datetime(day.year, day.month, day.day, h, m, s, ms * 1000, tzinfo=datetime.timezone.utc).timestamp()
    for name, pattern in phases:
        found = re.search(pattern, line)
        if name not in at and found:
            at[name] = t - t0
            if found.groups() and name.startswith("embedded"):
                pg = int(found.group(1)) / 1000
previous = 0.0
for name, _ in phases:
    if name in at:
        print(f"   {name:38s} at {at[name]:7.2f} s  (+{at[name] - previous:5.2f})")
        previous = at[name]
print(f"   {'/q/health/ready 200':38s} at {ready:7.2f} s  (+{ready - previous:5.2f})")
print(f"RESULT ready={ready:.2f}s postgres={pg:.2f}s ready_without_postgres={ready - pg:.2f}s idle_rss={rss}MiB anonymous={anon}MiB")
PY
done
