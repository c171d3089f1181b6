#!/usr/bin/env bash
# The whole site in one command, on loopback only: the cloud application (cloud/, with its embedded Kafka and
# PostgreSQL), the gateway with sync on and the built-in 5G network simulator, a cuttable backhaul link between them,
# and a simulated site from devices/ (MQTT 3.1.1/5 and CoAP/DTLS sensors, one MJPEG camera). It registers the devices
# through the REST API, fits the sensor anomaly model on the first minute of data, installs the vision model when the
# fixtures are present, cuts the backhaul now and then, sends a command through the cloud API, and prints a summary
# every few seconds. Ctrl-C stops everything.
#
#   scripts/demo.sh                    runs until Ctrl-C
#   DEMO_SECONDS=90 scripts/demo.sh    stops by itself; exit 0 only when the flow worked end to end
#
# Everything lives in a fresh folder (DEMO_DIR, default a new mktemp folder), which is kept for its logs; nothing
# outside it is written or removed. Timings (seconds) can be set: DEMO_FIT_AFTER, DEMO_FAULT_AFTER,
# DEMO_COMMAND_AFTER, DEMO_CUT_EVERY, DEMO_CUT_FOR, DEMO_SUMMARY_EVERY; sizes: DEMO_MQTT, DEMO_COAP, DEMO_RATE.
# DEMO_EXPECT_COMMAND=0 does not count a cloud command that is not acknowledged (docs/commands.md) as a failure.
# DEMO_CLOUD_PORT fixes the cloud API's port (default: a free one; the summary prints the curl to query it).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
source scripts/lib/free-ports.sh

seconds="${DEMO_SECONDS:-0}"
if ((seconds > 0 && seconds < 300)); then
  # A short run (tests): everything happens within the first minute and a half.
  fit_after="${DEMO_FIT_AFTER:-20}" fault_after="${DEMO_FAULT_AFTER:-30}" command_after="${DEMO_COMMAND_AFTER:-15}"
  cut_every="${DEMO_CUT_EVERY:-25}" cut_for="${DEMO_CUT_FOR:-15}" summary_every="${DEMO_SUMMARY_EVERY:-5}"
else
  fit_after="${DEMO_FIT_AFTER:-60}" fault_after="${DEMO_FAULT_AFTER:-180}" command_after="${DEMO_COMMAND_AFTER:-45}"
  cut_every="${DEMO_CUT_EVERY:-120}" cut_for="${DEMO_CUT_FOR:-30}" summary_every="${DEMO_SUMMARY_EVERY:-5}"
fi
mqtt_count="${DEMO_MQTT:-20}" coap_count="${DEMO_COAP:-5}" rate="${DEMO_RATE:-$( ((seconds > 0 && seconds < 300)) && echo 2 || echo 1)}"
expect_command="${DEMO_EXPECT_COMMAND:-1}"
site="demo-site"
faulty="sim-mqtt-07"
fixtures="${MECGW_FIXTURES_DIR:-$repo/../shared}"

gateway_jar=mec-app/target/quarkus-app/quarkus-run.jar
cloud_jar=cloud/target/quarkus-app/quarkus-run.jar
devices_jar=devices/target/mecgw-devices.jar

log() { printf '[demo %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { log "FAILED: $*"; exit 1; }

# --- build when needed -------------------------------------------------------------------------------------------
if [[ ! -f $gateway_jar || ! -f $cloud_jar || ! -f $devices_jar ]]; then
  log "building (first run only; a few minutes)…"
  ./mvnw -B -q package -DskipTests
fi

# --- work folder, ports, processes --------------------------------------------------------------------------------
if [[ -n ${DEMO_DIR:-} ]]; then
  [[ ! -e $DEMO_DIR || -z "$(ls -A "$DEMO_DIR")" ]] || die "DEMO_DIR $DEMO_DIR is not empty; give a new folder"
  mkdir -p "$DEMO_DIR"
  work="$(cd "$DEMO_DIR" && pwd)"
else
  work="$(mktemp -d "${TMPDIR:-/tmp}/mecgw-demo.XXXXXX")"
fi
mkdir -p "$work/logs" "$work/tmp"

pids=()
names=()
start() { # name, command...: runs in the background with its output in logs/<name>.log
  local name=$1
  shift
  "$@" >"$work/logs/$name.log" 2>&1 &
  pids+=($!)
  names+=("$name")
  log "started $name (pid $!)"
}

stopping=false
cleanup() {
  local status=$?
  $stopping && return
  stopping=true
  trap - INT TERM
  log "stopping…"
  # Reverse start order: devices, gateway, cloud, backhaul; TERM first so that each shuts down cleanly.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[i]}" 2>/dev/null || true
    for _ in $(seq 1 120); do
      kill -0 "${pids[i]}" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
  log "stopped; logs and data in $work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

alive() { # fails naming the first process that died
  for ((i = 0; i < ${#pids[@]}; i++)); do
    kill -0 "${pids[i]}" 2>/dev/null || die "${names[i]} exited; see $work/logs/${names[i]}.log"
  done
}

await() { # seconds, description, test command...
  local limit=$1 what=$2
  shift 2
  for _ in $(seq 1 "$limit"); do
    if "$@" 2>/dev/null; then return 0; fi
    alive
    sleep 1
  done
  die "$what not ready after ${limit}s"
}

# One call, so that no two are alike; CoAP's two are UDP (scripts/lib/free-ports.sh: below the ephemeral range).
read -r http_port mqtt_port coap_port coaps_port ran_port cloud_pick kafka_port edge_port backhaul_port \
  <<<"$(free_ports tcp tcp udp udp tcp tcp tcp tcp tcp)"
[[ -n $backhaul_port ]] || die "no free loopback ports"
cloud_port="${DEMO_CLOUD_PORT:-$cloud_pick}"
gateway_dir="$work/gateway"
token_file="$gateway_dir/admin-token"
api="http://127.0.0.1:$http_port"
cloud_dir="$work/cloud"
cloud_token_file="$cloud_dir/admin-token"
cloud_api="http://127.0.0.1:$cloud_port"
cut_file="$work/backhaul-cut"
since="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# --- backhaul and cloud -----------------------------------------------------------------------------------------------
# The gateway reaches the cloud's Kafka only through the backhaul link (devices/ BackhaulMain), which is cut while
# $cut_file exists. The cloud's embedded Kafka has a listener for gateways that advertises the link's port, so
# that Kafka clients stay behind the link after bootstrap; the cloud's own consumers use their own listener and
# keep working during a cut, as in a real deployment.
log "work folder $work"
start backhaul java -Djava.io.tmpdir="$work/tmp" -cp "$devices_jar" dev.mecgw.devices.app.BackhaulMain \
  --listen "$backhaul_port" --upstream "127.0.0.1:$edge_port" --cut-file "$cut_file"
await 60 "backhaul link" grep -q "backhaul link up" "$work/logs/backhaul.log"
log "starting the cloud application (API $cloud_api, Kafka $kafka_port, gateways through the backhaul on $backhaul_port)…"
# Only what the demo needs is set; settings meant for another cloud (an external Kafka or database, a fixed
# token) are not inherited, so the demo's cloud stays on loopback with its data in the work folder.
start cloud env -u MECGW_CLOUD_KAFKA_BOOTSTRAP_SERVERS -u QUARKUS_DATASOURCE_JDBC_URL -u MECGW_CLOUD_ADMIN_TOKEN \
  -u QUARKUS_CONFIG_LOCATIONS MECGW_CLOUD_DATA_DIR="$cloud_dir" QUARKUS_HTTP_HOST=127.0.0.1 \
  QUARKUS_HTTP_PORT="$cloud_port" MECGW_CLOUD_EMBEDDED_KAFKA_HOST=127.0.0.1 \
  MECGW_CLOUD_EMBEDDED_KAFKA_PORT="$kafka_port" MECGW_CLOUD_EMBEDDED_KAFKA_EDGE_PORT="$edge_port" \
  MECGW_CLOUD_EMBEDDED_KAFKA_EDGE_ADVERTISED_PORT="$backhaul_port" \
  java -Djava.io.tmpdir="$work/tmp" -jar "$cloud_jar"
await 240 "cloud" curl -fsS -o /dev/null "$cloud_api/q/health/ready"
bootstrap="$(sed -n 's/.*MECGW_SYNC_KAFKA_BOOTSTRAP_SERVERS=\([^ ]*\).*/\1/p' "$work/logs/cloud.log" | head -1)"
[[ $bootstrap == "127.0.0.1:$backhaul_port" ]] ||
  die "the cloud gives gateways '$bootstrap', not the backhaul link 127.0.0.1:$backhaul_port; see $work/logs/cloud.log"
cloud_auth=(-H "Authorization: Bearer $(cat "$cloud_token_file")")

# --- gateway (sync on, 5G network simulator) ------------------------------------------------------------------------
# The simulated devices have SIMs but connect over loopback, outside the simulated UE pool: require-network-identity
# (on by default, docs/security.md) would refuse them.
log "starting the gateway (HTTP $http_port, MQTT $mqtt_port, CoAPS $coaps_port, 5G simulator $ran_port)…"
start gateway env MECGW_DATA_DIR="$gateway_dir" MECGW_SITE_ID="$site" \
  QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$http_port" \
  MECGW_MQTT_HOST=127.0.0.1 MECGW_MQTT_PORT="$mqtt_port" \
  MECGW_COAP_HOST=127.0.0.1 MECGW_COAP_PORT="$coap_port" MECGW_COAP_DTLS_PORT="$coaps_port" \
  MECGW_SYNC_KAFKA_BOOTSTRAP_SERVERS="$bootstrap" MECGW_SYNC_DOWN_AFTER=5s \
  MECGW_RAN_ENABLED=true MECGW_RAN_SIMULATOR_ENABLED=true MECGW_RAN_SIMULATOR_PORT="$ran_port" \
  MECGW_RAN_SIMULATOR_SCENARIO=demo MECGW_RAN_NEF_EXTERNAL_GROUP_ID=site-devices@site.example \
  MECGW_RAN_REQUIRE_NETWORK_IDENTITY=false \
  java -Djava.io.tmpdir="$work/tmp" -Dmecgw.ran.slices.iot.snssai=1:000001 \
  -Dmecgw.ran.slices.iot.ue-subnets=10.45.0.0/16 -Dmecgw.ran.slices.iot.allowed-types=sensor,camera \
  -jar "$gateway_jar"
await 240 "gateway" curl -fsS -o /dev/null "$api/q/health/ready"
token="$(cat "$token_file")"
auth=(-H "Authorization: Bearer $token")

# --- simulated site ---------------------------------------------------------------------------------------------------
if [[ -f $fixtures/models/ultraface-rfb-320/model.onnx ]]; then
  model="$fixtures/models/ultraface-rfb-320/model.onnx"
  sha="$(sha256sum "$model" | cut -c1-64)"
  metadata='{"name":"vision","version":"ultraface-1","kind":"VISION","head":"ULTRAFACE","sha256":"'$sha'",
    "inputs":[{"name":"input","shape":[1,3,240,320]}],
    "outputs":[{"name":"scores","shape":[1,4420,2]},{"name":"boxes","shape":[1,4420,4]}],
    "preprocessing":{"width":320,"height":240,"colors":"RGB","layout":"NCHW","resize":"STRETCH","scale":1.0,
                     "mean":[127],"std":[128],"interpolation":"BILINEAR"},
    "thresholds":{"score":0.7,"iou":0.3},"labels":["BACKGROUND","face"]}'
  if curl -fsS "${auth[@]}" -F "metadata=$metadata" -F "model=@$model;type=application/octet-stream" \
    "$api/api/v1/models" >"$work/logs/vision-model.json" 2>&1; then
    log "vision model installed (UltraFace face detector from the fixtures)"
  else
    log "vision model not installed: $(cat "$work/logs/vision-model.json")"
  fi
else
  log "no fixtures at $fixtures: camera frames are not analyzed (scripts/fetch-fixtures.sh gets the models)"
fi

images=()
[[ -d $fixtures/models/images ]] && images=(--camera-images "$fixtures/models/images")
log "starting $mqtt_count MQTT + $coap_count CoAP/DTLS sensors and one camera; $faulty develops a fault after ${fault_after}s…"
start devices java -jar "$devices_jar" --gateway 127.0.0.1 --mqtt-port "$mqtt_port" --coaps-port "$coaps_port" \
  --api "$api" --token-file "$token_file" --mqtt "$mqtt_count" --coap "$coap_count" --rate "$rate" --day 10m \
  --fault "$faulty" --fault-after "${fault_after}s" --fault-kind offset --camera "${images[@]}" \
  --status-file "$work/devices.json"
await 300 "devices" test -s "$work/devices.json"
launched="$(sed -n 's/^devices started at \([^:]*:[^:]*:[^:]*\): .*/\1/p' "$work/logs/devices.log" | head -1)"
# Fit on healthy data only: up to the moment the faulty sensor starts misbehaving (a real site fits on a period
# known to be normal).
fit_to="$(date -u -d "$launched + $((fault_after - 2)) seconds" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || true)"
sensor_ids=()
for i in $(seq 1 "$mqtt_count"); do sensor_ids+=("$(printf 'sim-mqtt-%02d' "$i")"); done
for i in $(seq 1 "$coap_count"); do sensor_ids+=("$(printf 'sim-coap-%02d' "$i")"); done
device_ids=("${sensor_ids[@]}" sim-cam-1)
registered=${#device_ids[@]}

# --- the live part ------------------------------------------------------------------------------------------------------
metric() { # name, optional label filter: the sum of a Prometheus series from the scrape in $scrape
  awk -v n="$1" -v f="${2:-}" '$1 ~ ("^" n "([{]|$)") && (f == "" || index($1, f)) { s += $2 }
    END { printf "%.0f", s + 0 }' <<<"$scrape"
}
metric_f() {
  awk -v n="$1" '$1 ~ ("^" n "([{]|$)") { s += $2 } END { printf "%.1f", s + 0 }' <<<"$scrape"
}
json_total() { # top-level number of the devices status file (the totals come before the per-device detail)
  sed -e 's/"detail".*//' -n -e "s/.*\"$1\":\([0-9]*\).*/\1/p" "$work/devices.json" 2>/dev/null | head -1 | grep . ||
    echo 0
}
cloud_get() { # path: a GET on the cloud API with its admin token
  curl -fsS "${cloud_auth[@]}" "$cloud_api$1"
}
command_status() { # the cloud's status of the command (from its mirror of the site's table), and the gateway's view
  [[ -n $command_id ]] || return 0
  command_text="$(cloud_get "/api/v1/sites/$site/commands/$command_id" 2>/dev/null |
    sed -n 's/.*"status":"\([^"]*\)".*/\1/p' || true)"
  command_text="${command_text:-unknown}"
  command_edge="$(curl -fsS "${auth[@]}" "$api/api/v1/devices/sim-mqtt-01/commands/$command_id" 2>/dev/null |
    sed -n 's/.*"status":"\([^"]*\)".*/\1/p' || true)"
}
cloud_view() { # what the cloud application knows of the site, from its fleet API and metrics
  local devices id page from last all="" site_json scrape
  devices="$(cloud_get "/api/v1/sites/$site/devices" 2>/dev/null || true)"
  cloud_devices=0
  for id in "${device_ids[@]}"; do
    [[ $devices == *"\"id\":\"$id\""* ]] && cloud_devices=$((cloud_devices + 1))
  done
  cloud_devices_online=$(grep -o '"online":true' <<<"$devices" | wc -l || true)
  # Events since the demo began, oldest first, a page of 1000 at a time; a page starts at the last one's time,
  # so that events sharing a timestamp are counted once (by id).
  from=$since
  for _ in $(seq 1 100); do
    page="$(cloud_get "/api/v1/sites/$site/events?from=$from&limit=1000" 2>/dev/null)" || break
    all+="$page"
    (($(grep -o '"id":[0-9]*,"ts":' <<<"$page" | wc -l || true) < 1000)) && break
    last="$(grep -o '"ts":"[^"]*"' <<<"$page" | tail -1 | cut -d'"' -f4 || true)"
    [[ $last == "$from" ]] && break
    from=$last
  done
  cloud_events=$(grep -o '"id":[0-9]*,"ts":' <<<"$all" | sort -u | wc -l || true)
  cloud_anomalies=$(grep -o "\"id\":[0-9]*,\"ts\":\"[^\"]*\",\"deviceId\":\"$faulty\",\"kind\":\"inference.anomaly\"" <<<"$all" |
    sort -u | wc -l || true)
  site_json="$(cloud_get /api/v1/sites 2>/dev/null | grep -o "{\"siteId\":\"$site\"[^}]*}" || true)"
  cloud_site="$(sed -n 's/.*"online":\([a-z]*\).*/\1/p' <<<"$site_json" | sed 's/true/online/; s/false/offline/')"
  cloud_site+=", lag $(sed -n 's/.*"lagSeconds":\([^,}]*\).*/\1/p' <<<"$site_json")s"
  cloud_site+=", backlog $(sed -n 's/.*"backlogRows":\([^,}]*\).*/\1/p' <<<"$site_json") rows (last heartbeat)"
  scrape="$(curl -fsS "$cloud_api/q/metrics" 2>/dev/null || true)"
  cloud_rows=$(metric mecgw_cloud_changes_applied_total)
}

began=$(date +%s)
last_committed=-1 last_at=$began next_summary=0
fitted=false command_id="" command_sent_at=0 cuts=0 cut_until=0 next_cut=$cut_every max_backlog=0 drained=false anomaly_seen=false
readings_per_s=0 backlog=0 lag=0 backhaul_up=0
fit_text="waiting" command_text="not sent" command_edge=""
log "running; Ctrl-C stops$( ((seconds > 0)) && echo " (or after ${seconds}s)")"
while :; do
  alive
  now=$(date +%s)
  elapsed=$((now - began))
  ((seconds > 0 && elapsed >= seconds)) && break

  # Backhaul: cut for cut_for seconds every cut_every seconds.
  if ((cut_until == 0 && elapsed >= next_cut)); then
    touch "$cut_file"
    cuts=$((cuts + 1))
    cut_until=$((now + cut_for))
    next_cut=$((next_cut + cut_every))
    log "backhaul cut for ${cut_for}s"
  elif ((cut_until > 0 && now >= cut_until)); then
    rm -f "$cut_file"
    cut_until=0
    log "backhaul restored"
  fi
  if ((cut_until > 0)); then
    # An operator keeps working while the site is cut off: these twin changes wait in the backlog.
    curl -fsS -o /dev/null "${auth[@]}" -X PUT -H 'Content-Type: application/json' \
      -d "{\"setpoint\":$((20 + elapsed % 5)),\"changedAt\":$now}" "$api/api/v1/devices/sim-coap-01/twin/desired" || true
  fi

  if ! $fitted && ((elapsed >= fit_after)); then
    body='{"metric":"temp","deviceIds":['"$(printf '"%s",' "${sensor_ids[@]}" | sed 's/,$//')"'],"margin":1.5'
    body+="${fit_to:+,\"to\":\"$fit_to\"}}"
    if curl -fsS "${auth[@]}" -H 'Content-Type: application/json' -d "$body" \
      "$api/api/v1/models/sensor-anomaly/fit" >"$work/logs/fit.json" 2>&1; then
      fitted=true
      fit_text="installed ($(sed -n 's/.*"version":"\([^"]*\)".*/\1/p' "$work/logs/fit.json"))"
      log "sensor anomaly model fitted on the first ${elapsed}s of data and installed"
    else
      fit_text="retrying: $(head -c 120 "$work/logs/fit.json")"
    fi
  fi

  # The command goes through the cloud API; the cloud answers 404 until the device's row has reached it.
  if [[ -z $command_id ]] && ((elapsed >= command_after && now >= command_sent_at + 3)); then
    command_sent_at=$now
    if reply="$(curl -fsS "${cloud_auth[@]}" -H 'Content-Type: application/json' \
      -d '{"name":"blink","payload":{"times":3},"ttl":"PT10M"}' \
      "$cloud_api/api/v1/sites/$site/devices/sim-mqtt-01/commands" 2>&1)"; then
      command_id="$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' <<<"$reply")"
      command_text="queued"
      log "cloud API: command blink ($command_id) to sim-mqtt-01 (POST /api/v1/sites/$site/devices/sim-mqtt-01/commands)"
    else
      command_text="not accepted yet (${reply##*: })"
    fi
  fi

  if ((elapsed < next_summary)); then
    sleep 1
    continue
  fi
  next_summary=$((elapsed + summary_every))
  scrape="$(curl -fsS "$api/q/metrics" 2>/dev/null || true)"
  committed=$(metric mecgw_ingest_readings_committed_total)
  if ((now > last_at && last_committed >= 0)); then
    readings_per_s=$(((committed - last_committed) / (now - last_at)))
  fi
  last_committed=$committed last_at=$now
  anomalies=$(metric mecgw_inference_windows_total 'outcome="anomalous"')
  backlog=$(metric mecgw_sync_backlog_rows)
  lag=$(metric_f mecgw_sync_replication_lag_seconds)
  backhaul_up=$(metric mecgw_sync_backhaul_up)
  ((backlog > max_backlog)) && max_backlog=$backlog
  if ((cuts > 0 && cut_until == 0 && max_backlog > 0 && backlog < max_backlog / 4 + 1)); then drained=true; fi
  detections="$(curl -fsS "${auth[@]}" "$api/api/v1/inference/vision/stats" 2>/dev/null | tr -d '\n' || true)"
  cloud_view
  ((cloud_anomalies > 0)) && anomaly_seen=true
  command_status
  link="up"
  [[ -f $cut_file ]] && link="CUT"

  [[ -t 1 ]] && printf '\033[H\033[2J'
  cat <<EOF
── MEC Gateway demo ── ${elapsed}s ── site $site ── $work
 devices online      : $(json_total online) / $(json_total devices)   (sent $(json_total sent), acknowledged $(json_total acknowledged), failed $(json_total failed))
 readings stored     : ${readings_per_s}/s  (total $committed)
 anomaly model       : $fit_text;  anomalous windows $anomalies (faulty sensor: $faulty, fault from ${fault_after}s)
 camera detections   : ${detections:-n/a}
 backhaul            : $link (gateway sees it $([[ $backhaul_up == 1 ]] && echo up || echo down)), backlog $backlog rows (max $max_backlog), lag ${lag}s, cuts $cuts
 cloud               : $cloud_rows changes applied; devices $cloud_devices / $registered ($cloud_devices_online online), events $cloud_events, anomalies of $faulty $cloud_anomalies
 cloud sees the site : ${cloud_site:-not yet}
 cloud command       : ${command_id:+blink → sim-mqtt-01: }$command_text in the cloud, ${command_edge:-?} at the gateway   (device responses $(json_total responses))
 gateway API         : curl -H "Authorization: Bearer \$(cat $token_file)" $api/api/v1/devices
 cloud API           : curl -H "Authorization: Bearer \$(cat $cloud_token_file)" $cloud_api/api/v1/sites/$site/devices
EOF
done

# --- verdict -------------------------------------------------------------------------------------------------------------
# Time is up: bring the backhaul back if it is cut, then give the site a bounded while to drain into the cloud.
rm -f "$cut_file"
((cut_until > 0)) && log "backhaul restored"
cut_until=0
settle_until=$(($(date +%s) + ${DEMO_SETTLE:-90}))
while :; do
  alive
  scrape="$(curl -fsS "$api/q/metrics" 2>/dev/null || true)"
  backlog=$(metric mecgw_sync_backlog_rows)
  if ((cuts > 0 && max_backlog > 0 && backlog < max_backlog / 4 + 1)); then drained=true; fi
  cloud_view
  ((cloud_anomalies > 0)) && anomaly_seen=true
  command_status
  command_done=true
  [[ $expect_command == 1 && $command_text != acknowledged ]] && command_done=false
  if { $drained || ((cuts == 0)); } && $anomaly_seen && $command_done && ((cloud_devices >= registered)); then
    break
  fi
  (($(date +%s) >= settle_until)) && break
  sleep 2
done
failures=()
((cloud_devices >= registered)) || failures+=("the cloud has $cloud_devices of the $registered registered devices")
((cloud_events > 0)) || failures+=("no events reached the cloud")
$anomaly_seen || failures+=("no anomaly event of $faulty reached the cloud")
((cuts > 0)) || failures+=("the backhaul was never cut (run longer than ${cut_every}s)")
((cuts == 0)) || $drained || failures+=("the backlog did not drain after the backhaul came back (max $max_backlog rows)")
if [[ $expect_command == 1 && $command_text != acknowledged ]]; then
  failures+=("cloud command $command_id is '$command_text' in the cloud ('${command_edge:-?}' at the gateway), not acknowledged")
fi
printf 'RESULT registered=%s devices=%s events=%s anomalies=%s cuts=%s max_backlog=%s drained=%s command=%s command_edge=%s\n' \
  "$registered" "$cloud_devices" "$cloud_events" "$cloud_anomalies" "$cuts" "$max_backlog" "$drained" "$command_text" \
  "${command_edge:-none}"
if ((${#failures[@]} > 0)); then
  for f in "${failures[@]}"; do log "FAILED: $f"; done
  exit 1
fi
log "the flow worked end to end"
