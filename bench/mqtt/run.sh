#!/usr/bin/env bash
# MQTT broker benchmark (issue #3): the same load generator against the gateway's broker and Debian's
# mosquitto in one run, printing ratios. Usage: bench/mqtt/run.sh [seconds-per-scenario, default 10]
#   or bench/mqtt/run.sh --only sustained [seconds, default 60]: only the sustained QoS 1 memory scenario,
#   or bench/mqtt/run.sh --only fanin [rounds, default 3]: fan-in QoS 0 and 1, 10 s each, gateway and mosquitto
#   alternating for that many rounds, with the medians and their ratios (a noisy machine needs rounds),
#   or bench/mqtt/run.sh --only telemetry [rounds, default 3]: persisted QoS 1 telemetry, 10 s per round; with
#   BENCH_BASELINE_JAR=path/to/quarkus-run.jar a second gateway from that build runs alternately (A/B, medians).
# BENCH_SUSTAIN_SECS (60), BENCH_SUSTAIN_RATE (10000 msg/s offered by 50 publishers) size that scenario.
# The app is built unless already packaged; BENCH_REBUILD=1 forces it.
# Needs: mosquitto (apt-get install mosquitto), curl. Ports: BENCH_GW_MQTT (21883), BENCH_GW_HTTP (28080),
# BENCH_MOSQ (21884). Not a test: it prints figures for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
ONLY=all
if [[ ${1:-} == --only ]]; then ONLY=${2:?--only needs a scenario (sustained)}; shift 2; fi
[[ $ONLY == all || $ONLY == sustained || $ONLY == fanin || $ONLY == telemetry ]] || { echo "unknown scenario $ONLY" >&2; exit 2; }
SECS=${1:-10}
SUSTAIN_SECS=${BENCH_SUSTAIN_SECS:-60}
[[ $ONLY == sustained ]] && SUSTAIN_SECS=${1:-$SUSTAIN_SECS}
SUSTAIN_RATE=${BENCH_SUSTAIN_RATE:-10000}
GW_MQTT=${BENCH_GW_MQTT:-21883}
GW_HTTP=${BENCH_GW_HTTP:-28080}
MOSQ=${BENCH_MOSQ:-21884}
IDLE=${BENCH_IDLE:-10000}
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
WORK=$(mktemp -d /tmp/bench-mqtt.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

echo "== building gateway and load generator classpath"
echo "   work dir $WORK"
# One reactor run, so that the sibling modules resolve to their fresh jars; mec-app comes last and writes last.
CP_FILE=mec-app/target/bench-mqtt-cp.txt
if [[ ${BENCH_REBUILD:-0} == 1 || ! -f mec-app/target/quarkus-app/quarkus-run.jar || ! -f $CP_FILE ]]; then
  ./mvnw -B -q -pl mec-app -am package dependency:build-classpath -DskipTests -Dmdep.includeScope=test \
    -Dmdep.outputFile="$PWD/$CP_FILE" >/dev/null
fi
CP=$(cat "$CP_FILE")
load() { java -Xmx2g -cp "$CP" bench/mqtt/MqttLoad.java "$@" 2>>"$WORK/load.err" | grep '^\(RESULT\|SAMPLE\)' || echo "RESULT failed (see $WORK/load.err)"; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }

start_gateway() { # name jar mqtt-port http-port; sets GW_PID
  echo "== starting gateway $1 (MQTT $3, HTTP $4) from $2"
  java -Dmecgw.data-dir="$WORK/$1" -Dmecgw.mqtt.port="$3" -Dmecgw.mqtt.host=127.0.0.1 \
    -Dmecgw.mqtt.allow-anonymous=true -Dmecgw.admin.token=bench-token -Dquarkus.http.port="$4" \
    -Dquarkus.http.host=127.0.0.1 -Dmecgw.credentials.pbkdf2-iterations=10000 -Dmecgw.coap.enabled=false \
    -jar "$2" >"$WORK/$1.log" 2>&1 &
  GW_PID=$!; PIDS+=("$GW_PID")
  for _ in $(seq 1 120); do grep -q "MQTT  " "$WORK/$1.log" && break; sleep 1; done
  grep -q "MQTT  " "$WORK/$1.log" || { cat "$WORK/$1.log"; exit 1; }
}
register_devices() { # http-port file
  : >"$2"
  for i in $(seq 1 20); do
    curl -sf -o /dev/null -H 'Authorization: Bearer bench-token' -H 'Content-Type: application/json' \
      -d "{\"id\":\"bench-$i-$$\",\"type\":\"sensor\",\"credentials\":{\"password\":\"bench-password\"}}" \
      "http://127.0.0.1:$1/api/v1/devices"
    echo "bench-$i-$$:bench-password" >>"$2"
  done
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

if [[ $ONLY == telemetry ]]; then
  ROUNDS=${1:-3}
  start_gateway gw mec-app/target/quarkus-app/quarkus-run.jar "$GW_MQTT" "$GW_HTTP"
  register_devices "$GW_HTTP" "$WORK/devices-gw.txt"
  ports=(gw:$GW_MQTT)
  if [[ -n ${BENCH_BASELINE_JAR:-} ]]; then
    start_gateway base "$BENCH_BASELINE_JAR" $((GW_MQTT + 1)) $((GW_HTTP + 1))
    register_devices $((GW_HTTP + 1)) "$WORK/devices-base.txt"
    ports+=(base:$((GW_MQTT + 1)))
  fi
  for round in $(seq 1 "$ROUNDS"); do
    for entry in "${ports[@]}"; do
      name=${entry%%:*}; port=${entry##*:}
      echo "== round $round: $name persisted QoS 1 telemetry, 20 devices (10s)"
      load telemetry 127.0.0.1 "$port" 10 "$WORK/devices-$name.txt" | tee -a /dev/stderr | field rate >>"$WORK/telemetry-$name.txt"
    done
  done
  echo
  echo "== persisted QoS 1 telemetry, medians of $ROUNDS rounds ($(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
  g=$(median <"$WORK/telemetry-gw.txt")
  printf 'gateway  %s msg/s (%s)\n' "$g" "$(paste -sd/ "$WORK/telemetry-gw.txt")"
  if [[ -n ${BENCH_BASELINE_JAR:-} ]]; then
    b=$(median <"$WORK/telemetry-base.txt")
    printf 'baseline %s msg/s (%s)  ratio %s\n' "$b" "$(paste -sd/ "$WORK/telemetry-base.txt")" \
      "$(awk -v a="$g" -v b="$b" 'BEGIN { printf "%.2f", a / b }')"
  fi
  exit 0
fi

start_gateway gw mec-app/target/quarkus-app/quarkus-run.jar "$GW_MQTT" "$GW_HTTP"
echo "== starting mosquitto ($MOSQ)"
mosquitto -p "$MOSQ" >"$WORK/mosquitto.log" 2>&1 &
MOSQ_PID=$!; PIDS+=("$MOSQ_PID")

declare -A R
sustained() { # broker port pid metrics-url|-
  echo "== $1: sustained QoS 1 fan-in 50->1 at $SUSTAIN_RATE msg/s offered (${SUSTAIN_SECS}s, RSS every 5 s)"
  load sustained 127.0.0.1 "$2" "$SUSTAIN_SECS" 50 "$SUSTAIN_RATE" "$3" "$4" >"$WORK/sustained-$1.txt" || true
  cat "$WORK/sustained-$1.txt" >&2
}
sustained_table() {
  local mid=$(( SUSTAIN_SECS / 2 / 5 * 5 )) b f
  echo
  echo "== sustained QoS 1, 50->1 at $SUSTAIN_RATE msg/s offered, ${SUSTAIN_SECS}s ($(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
  printf '%-10s %9s %9s %9s %9s %11s %8s %12s %10s\n' broker idle_MiB start_MiB mid_MiB end_MiB growth_MiB growth% delivered/s delivered%
  for b in gw mosq; do
    f="$WORK/sustained-$b.txt"
    awk -v b="$b" -v mid="$mid" -v end="$SUSTAIN_SECS" '
      function v(line, k) { return (match(line, " " k "=[^ ]*") ? substr(line, RSTART + length(k) + 2, RLENGTH - length(k) - 2) : "n/a") }
      $1 == "SAMPLE" && $2 == "t=idle" { idle = v($0, "rss_mib") }
      $1 == "SAMPLE" && $2 == "t=0" { s = v($0, "rss_mib") }
      $1 == "SAMPLE" && $2 == "t=" mid { m = v($0, "rss_mib") }
      $1 == "SAMPLE" && $2 == "t=" end { e = v($0, "rss_mib") }
      $1 == "RESULT" { rate = v($0, "rate"); pct = v($0, "delivered_pct") }
      END { ok = s + 0 > 0 && e + 0 > 0; g = ok ? sprintf("%.1f", e - s) : "n/a"; gp = ok ? sprintf("%.1f", 100 * (e - s) / s) : "n/a"
            printf "%-10s %9s %9s %9s %9s %11s %8s %12s %10s\n", b, idle, s, m, e, g, gp, rate, pct }' "$f"
  done
  echo "gateway per 5 s sample: RSS MiB, JVM heap used MiB, G1 old gen MiB, messages dropped from full queues"
  awk '$1 == "SAMPLE" { printf "  %-7s %s %s %s %s\n", $2, $3, $6, $7, $8 }' "$WORK/sustained-gw.txt"
}
if [[ $ONLY == sustained ]]; then
  sustained gw "$GW_MQTT" "$GW_PID" "http://127.0.0.1:$GW_HTTP/q/metrics"
  sustained mosq "$MOSQ" "$MOSQ_PID" -
  sustained_table
  exit 0
fi

if [[ $ONLY == fanin ]]; then
  ROUNDS=${1:-3}
  for round in $(seq 1 "$ROUNDS"); do
    for qos in 0 1; do
      for broker in gw mosq; do
        port=$([[ $broker == gw ]] && echo "$GW_MQTT" || echo "$MOSQ")
        echo "== round $round: $broker fan-in 50->1 QoS $qos (10s)"
        load fanin 127.0.0.1 "$port" "$qos" 10 50 | tee -a /dev/stderr | field rate >>"$WORK/fanin-$broker-$qos.txt"
      done
    done
  done
  echo
  echo "== fan-in medians of $ROUNDS rounds ($(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
  for qos in 0 1; do
    g=$(median <"$WORK/fanin-gw-$qos.txt"); m=$(median <"$WORK/fanin-mosq-$qos.txt")
    printf 'QoS %s  gateway %s (%s)  mosquitto %s (%s)  ratio %s\n' "$qos" "$g" "$(paste -sd/ "$WORK/fanin-gw-$qos.txt")" \
      "$m" "$(paste -sd/ "$WORK/fanin-mosq-$qos.txt")" "$(awk -v a="$g" -v b="$m" 'BEGIN { printf "%.2f", a / b }')"
  done
  exit 0
fi

for broker in gw mosq; do
  port=$([[ $broker == gw ]] && echo "$GW_MQTT" || echo "$MOSQ")
  for qos in 0 1; do
    echo "== $broker: fan-in 50->1 QoS $qos (${SECS}s)"
    R[$broker.fanin$qos]=$(load fanin 127.0.0.1 "$port" "$qos" "$SECS" 50 | tee -a /dev/stderr | field rate)
  done
  echo "== $broker: 1->1 at 1000 msg/s (${SECS}s)"
  line=$(load latency 127.0.0.1 "$port" 1000 "$SECS" | tee -a /dev/stderr)
  R[$broker.p50]=$(echo "$line" | field p50_ms); R[$broker.p99]=$(echo "$line" | field p99_ms)
done

echo "== gw: persisted QoS 1 telemetry, 20 devices (${SECS}s)"
register_devices "$GW_HTTP" "$WORK/devices.txt"
R[gw.telemetry]=$(load telemetry 127.0.0.1 "$GW_MQTT" "$SECS" "$WORK/devices.txt" | tee -a /dev/stderr | field rate)

for broker in gw mosq; do
  port=$([[ $broker == gw ]] && echo "$GW_MQTT" || echo "$MOSQ")
  pid=$([[ $broker == gw ]] && echo "$GW_PID" || echo "$MOSQ_PID")
  echo "== $broker: $IDLE idle connections"
  line=$(load idle 127.0.0.1 "$port" "$IDLE" "$pid" | tee -a /dev/stderr)
  R[$broker.held]=$(echo "$line" | field held); R[$broker.rss]=$(echo "$line" | field added_mib)
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
echo
echo "== results ($(date -u +%FT%TZ), $(nproc) cores, $(mosquitto -h 2>/dev/null | head -1))"
printf '%-34s %12s %12s %8s\n' scenario gateway mosquitto ratio
printf '%-34s %12s %12s %8s\n' "fan-in 50->1 QoS 0 (msg/s)" "${R[gw.fanin0]}" "${R[mosq.fanin0]}" "$(ratio "${R[gw.fanin0]}" "${R[mosq.fanin0]}")"
printf '%-34s %12s %12s %8s\n' "fan-in 50->1 QoS 1 (msg/s)" "${R[gw.fanin1]}" "${R[mosq.fanin1]}" "$(ratio "${R[gw.fanin1]}" "${R[mosq.fanin1]}")"
printf '%-34s %12s %12s %8s\n' "1->1 1000 msg/s p50 (ms)" "${R[gw.p50]}" "${R[mosq.p50]}" "$(ratio "${R[gw.p50]}" "${R[mosq.p50]}")"
printf '%-34s %12s %12s %8s\n' "1->1 1000 msg/s p99 (ms)" "${R[gw.p99]}" "${R[mosq.p99]}" "$(ratio "${R[gw.p99]}" "${R[mosq.p99]}")"
printf '%-34s %12s %12s %8s\n' "$IDLE idle conns held" "${R[gw.held]}" "${R[mosq.held]}" ""
printf '%-34s %12s %12s %8s\n' "$IDLE idle conns added RSS (MiB)" "${R[gw.rss]}" "${R[mosq.rss]}" ""
printf '%-34s %12s %12s %8s\n' "persisted QoS 1 telemetry (msg/s)" "${R[gw.telemetry]}" "n/a" ""

sustained gw "$GW_MQTT" "$GW_PID" "http://127.0.0.1:$GW_HTTP/q/metrics"
sustained mosq "$MOSQ" "$MOSQ_PID" -
sustained_table
