#!/usr/bin/env bash
# JVM vs native, side by side in one run (issue 22 item 4): the same gateway as the fast-jar on the JVM and as the
# native executable, each on its own embedded PostgreSQL (initialised before the first measured start), alternating
# for some rounds; medians printed for docs/benchmarks.md:
#   ready       launch to /q/health/ready 200 (curl every 20 ms), and the same less the embedded PostgreSQL's start
#               (its "Embedded PostgreSQL started ... in N ms" line)
#   idle RSS    VmRSS of the gateway process (not PostgreSQL's) 10 s after ready
#   fan-in      bench/mqtt's MQTT 3.1.1 QoS 1 fan-in 50->1 for 10 s (msg/s) and the gateway's peak VmRSS meanwhile
#               (sampled every 0.5 s)
#   telemetry   bench/mqtt's persisted QoS 1 telemetry, 20 devices, 10 s (acknowledged = committed readings/s)
#   size        the native executable vs quarkus-app/ plus the jlink'd runtime image/build.sh ships
# Usage: bench/native/run.sh <native executable> [rounds, default 3]
# The fast-jar and the load generator's class path are built unless present (BENCH_REBUILD=1 forces it, as in
# bench/mqtt). BENCH_JVM_OPTS (default: the appliance's -XX:MaxRAMPercentage=40) and BENCH_NATIVE_OPTS (default:
# the appliance's heap options of the native release, -XX:MaximumHeapSizePercent=40 -Xmn32m, as
# ansible/roles/gateway sets them) are passed to each. Needs curl. Not a test: it prints figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib/ready.sh
RUNNER=$(readlink -f "${1:?usage: bench/native/run.sh <native executable> [rounds]}")
ROUNDS=${2:-3}
JVM_OPTS=${BENCH_JVM_OPTS:--XX:MaxRAMPercentage=40}
NATIVE_OPTS=${BENCH_NATIVE_OPTS:--XX:MaximumHeapSizePercent=40 -Xmn32m}
JAR=mec-app/target/quarkus-app/quarkus-run.jar
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
WORK=$(mktemp -d /tmp/bench-native.XXXXXX)
GW_PID=
cleanup() { [[ -n $GW_PID ]] && kill "$GW_PID" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
echo "== work dir $WORK"

CP_FILE=mec-app/target/bench-mqtt-cp.txt
if [[ ${BENCH_REBUILD:-0} == 1 || ! -f $JAR || ! -f $CP_FILE ]]; then
  echo "== building the fast-jar and the load generator's class path"
  ./mvnw -B -q -pl mec-app -am package dependency:build-classpath -DskipTests -Dmdep.includeScope=test \
    -Dmdep.outputFile="$PWD/$CP_FILE" >/dev/null
fi
CP=$(cat "$CP_FILE")
load() { java -Xmx2g -cp "$CP" bench/mqtt/MqttLoad.java "$@" 2>>"$WORK/load.err" | grep '^RESULT' || echo "RESULT failed (see $WORK/load.err)"; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
source scripts/lib/free-ports.sh
rss_mib() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

start() { # variant: starts it on its own data dir and free ports; sets GW_PID HTTP MQTT LOG T0
  local variant=$1 cmd opts
  read -r HTTP MQTT <<<"$(free_ports tcp tcp)"; LOG=$WORK/$variant-$(date +%s%N).log
  if [[ $variant == jvm ]]; then
    read -ra opts <<<"$JVM_OPTS"; cmd=(java "${opts[@]}" -jar "$JAR")
  else
    read -ra opts <<<"$NATIVE_OPTS"; cmd=("$RUNNER" "${opts[@]}")
  fi
  T0=$(date +%s%N)
  MECGW_DATA_DIR=$WORK/data-$variant QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$HTTP MECGW_ADMIN_TOKEN=bench-token \
    MECGW_MQTT_HOST=127.0.0.1 MECGW_MQTT_PORT=$MQTT MECGW_MQTT_ALLOW_ANONYMOUS=true MECGW_COAP_ENABLED=false \
    MECGW_CREDENTIALS_PBKDF2_ITERATIONS=10000 MECGW_HTTP_PLAIN_SOURCES=127.0.0.1/32 "${cmd[@]}" >"$LOG" 2>&1 &
  GW_PID=$!
}
ready_seconds() { # prints seconds from launch to ready (curl every 20 ms, at most 300 s)
  await_ready "$HTTP" "$GW_PID" "$LOG" 0.02 300
  seconds_since "$T0"
}
stop() { kill "$GW_PID" 2>/dev/null; wait "$GW_PID" 2>/dev/null || true; GW_PID=; }
register_devices() { # file: 20 new devices with passwords, as bench/mqtt registers them
  : >"$1"
  local id
  for i in $(seq 1 20); do
    id=bench-$i-$$-$(date +%s%N)
    curl -sf -o /dev/null -H 'Authorization: Bearer bench-token' -H 'Content-Type: application/json' \
      -d "{\"id\":\"$id\",\"type\":\"sensor\",\"credentials\":{\"password\":\"bench-password\"}}" \
      "http://127.0.0.1:$HTTP/api/v1/devices"
    echo "$id:bench-password" >>"$1"
  done
}

for variant in jvm native; do
  echo "== $variant: first start initialises its embedded PostgreSQL (not measured)"
  start "$variant"; await_ready "$HTTP" "$GW_PID" "$LOG" 0.02 300; stop
done

for round in $(seq 1 "$ROUNDS"); do
  for variant in jvm native; do
    start "$variant"
    ready=$(ready_seconds)
    pg_ms=$(sed -n 's/.*Embedded PostgreSQL started on [^ ]* in \([0-9]*\) ms.*/\1/p' "$LOG" | head -1)
    ready_app=$(awk -v r="$ready" -v p="${pg_ms:-0}" 'BEGIN { printf "%.3f", r - p / 1000 }')
    sleep 10 # idle: let start-up garbage settle before the idle sample
    idle=$(rss_mib "$GW_PID")
    echo "== round $round $variant: ready ${ready}s (PostgreSQL ${pg_ms:-?} ms, without it ${ready_app}s), idle RSS ${idle} MiB"
    ( peak=0; while kill -0 "$GW_PID" 2>/dev/null; do
        r=$(rss_mib "$GW_PID"); peak=$(awk -v a="$peak" -v b="$r" 'BEGIN { print (b > a ? b : a) }')
        echo "$peak" >"$WORK/peak"; sleep 0.5
      done ) &
    sampler=$!
    fanin=$(load fanin 127.0.0.1 "$MQTT" 1 10 50 | tee -a /dev/stderr | field rate)
    kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
    peak=$(cat "$WORK/peak")
    register_devices "$WORK/devices.txt"
    telemetry=$(load telemetry 127.0.0.1 "$MQTT" 10 "$WORK/devices.txt" | tee -a /dev/stderr | field rate)
    stop
    echo "$round $ready $ready_app $idle $fanin $peak $telemetry" >>"$WORK/$variant.txt"
  done
done

col() { awk -v c="$2" '{ print $c }' "$WORK/$1.txt" | median; }
all() { awk -v c="$2" '{ print $c }' "$WORK/$1.txt" | paste -sd/; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

echo "== sizes"
native_mib=$(du -m --apparent-size "$RUNNER" | cut -f1)
jar_mib=$(du -sm --apparent-size mec-app/target/quarkus-app | cut -f1)
JDK=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
MODULES=$(sed -n 's/^JLINK_MODULES=//p' image/build.sh)
if [[ -x $JDK/bin/jlink ]] && "$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files \
    --no-man-pages --generate-cds-archive --compress=2 --output "$WORK/runtime" >/dev/null 2>&1; then
  runtime_mib=$(du -sm --apparent-size "$WORK/runtime" | cut -f1)
else
  runtime_mib=n/a
fi

echo
echo "== JVM vs native, medians of $ROUNDS rounds ($(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "   JVM: $(java -version 2>&1 | head -1) $JVM_OPTS; native: $(basename "$RUNNER") $NATIVE_OPTS"
printf '%-46s %14s %14s %8s\n' figure JVM native native/JVM
row() { printf '%-46s %14s %14s %8s\n' "$1" "$(col jvm "$2")" "$(col native "$2")" "$(ratio "$(col native "$2")" "$(col jvm "$2")")"; }
row "ready, embedded PostgreSQL initialised (s)" 2
row "ready less PostgreSQL's start (s)" 3
row "idle RSS, gateway process (MiB)" 4
row "MQTT QoS 1 fan-in 50->1 (msg/s)" 5
row "peak RSS during fan-in (MiB)" 6
row "persisted QoS 1 telemetry (readings/s)" 7
printf '%-46s %14s %14s\n' "size: quarkus-app + jlink runtime / executable (MiB)" "$jar_mib + $runtime_mib" "$native_mib"
echo "per round (ready ready-less-pg idle fanin peak telemetry):"
for v in jvm native; do echo "  $v: $(for c in 2 3 4 5 6 7; do all "$v" "$c"; done | paste -sd' ')"; done
