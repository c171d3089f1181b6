#!/usr/bin/env bash
# Start-up and library checks of the gateway's native executable (issue 22 item 1, docs/native.md), black-box through
# its ports, first against a throwaway system PostgreSQL 15 and then with its embedded PostgreSQL:
#   system   initdb in a temp folder (wal_level=logical, random loopback port), the executable started on it: time
#            to /q/health/ready, Flyway, REST, MQTT round-trip + QoS 1 telemetry (image/gateway-checks.sh), CoAP
#            unsecured and over DTLS-PSK (libcoap), an ONNX sensor model fitted over REST and scoring live MQTT
#            telemetry, a Modbus TCP PLC played by pymodbus, the console's login page, the 5G network simulator and
#            NEF client, and Debezium Embedded (replication slot created; Kafka clients pointed at a closed port, or
#            with MECGW_CHECK_CLOUD=<bootstrap>,<cloud PostgreSQL port> at a running local cloud, sync/local-cloud.sh,
#            where a device created over REST must arrive in mecgw_cloud_rows through the zstd producer), then SIGTERM.
#   embedded no JDBC URL: the embedded server is extracted from the executable, initialised and started; ready time
#            of that first start and of a second one (cluster already initialised).
# Usage: image/native/check.sh <executable> [system|embedded|all]   (default all; also runs a fast-jar given as
#        path/to/quarkus-run.jar, for comparison). Needs PostgreSQL 15 server binaries (MECGW_PG_BIN, default
#        /usr/lib/postgresql/15/bin), psql, curl, mosquitto-clients, libcoap3-bin. Run as root (initdb runs as the
#        user postgres) or as any user. Exit status: number of failed checks. Work folder kept on failure.
# MECGW_CHECK_KEEP=1 keeps the work folder (the gateway's logs) even when every check passed.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TARGET=$(readlink -f "${1:?usage: $0 <executable> [system|embedded|all]}")
MODE=${2:-all}
PG_BIN=${MECGW_PG_BIN:-/usr/lib/postgresql/15/bin}
TOKEN=check-admin-token-0123456789
WORK=$(mktemp -d /tmp/mecgw-native-check.XXXXXX)
chmod 0755 "$WORK"
CLOUD=${MECGW_CHECK_CLOUD:-}
CLOUD_BOOTSTRAP=${CLOUD%,*} CLOUD_PG=${CLOUD##*,}
fails=0
GW_PID=
PG_DATA=
ok() { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
log() { printf '%s [check] %s\n' "$(date +%T)" "$*"; }
source "$HERE/../../scripts/lib/free-ports.sh" # free_port tcp|udp
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  [[ -n $GW_PID ]] && kill "$GW_PID" 2>/dev/null && wait "$GW_PID" 2>/dev/null
  [[ -n $PG_DATA ]] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1
  if [[ $fails == 0 && -z ${MECGW_CHECK_KEEP:-} ]]; then rm -rf "$WORK"; else echo "work folder kept: $WORK"; fi
}
trap cleanup EXIT

launch() { # name, env assignments...: starts the gateway (executable or jar), sets GW_PID, HTTP, LOG
  local name=$1; shift
  HTTP=$(free_port tcp) LOG=$WORK/$name.log
  local cmd=("$TARGET")
  [[ $TARGET == *.jar ]] && cmd=(java -jar "$TARGET")
  env "$@" QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$HTTP" MECGW_ADMIN_TOKEN=$TOKEN \
    MECGW_HTTP_PLAIN_SOURCES=127.0.0.1/32 MECGW_CREDENTIALS_PBKDF2_ITERATIONS=10000 \
    "${cmd[@]}" >"$LOG" 2>&1 &
  GW_PID=$!
  T0=$(date +%s.%N)
}
await_ready() { # name, limit seconds: ok with the time from launch to /q/health/ready 200
  local deadline=$(($(date +%s) + $2))
  while (($(date +%s) < deadline)); do
    if ! kill -0 "$GW_PID" 2>/dev/null; then
      fail "$1: exited before ready: $(grep -m3 -E 'ERROR|Exception|Error' "$LOG" | cut -c1-300)"
      GW_PID=
      return 1
    fi
    if [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP/q/health/ready") == 200 ]]; then
      READY_S=$(python3 -c "import time; print(f'{time.time() - $T0:.3f}')")
      ok "$1: ready in ${READY_S} s ($(grep -o 'started in [0-9.]*s' "$LOG" | head -1))"
      return 0
    fi
    sleep 0.02
  done
  fail "$1: not ready within $2 s (see $LOG)"
  return 1
}
stop_gateway() { # name
  kill "$GW_PID" 2>/dev/null
  local status=0
  wait "$GW_PID" 2>/dev/null || status=$?
  GW_PID=
  # Quarkus exits 143 on SIGTERM after a clean shutdown, on the JVM and natively.
  if [[ $status == 143 ]]; then ok "$1: stopped on SIGTERM ($status)"; else fail "$1: exit $status on SIGTERM"; fi
}
admin() { curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
sql() { psql -X -qtA "host=127.0.0.1 port=$PG_PORT user=postgres dbname=postgres" -c "$1"; }
await_sql() { # description, query, limit seconds: waits until the query answers non-empty and not 0/f
  local deadline=$(($(date +%s) + $3)) got
  while (($(date +%s) < deadline)); do
    got=$(sql "$2" 2>/dev/null)
    if [[ -n $got && $got != 0 && $got != f ]]; then ok "$1 ($got)"; return 0; fi
    sleep 0.5
  done
  fail "$1: '$2' answered '$got' after $3 s"
  return 1
}

check_system() {
  log "system PostgreSQL 15 ($PG_BIN) in $WORK/pg"
  PG_PORT=$(free_port tcp) PG_DATA=$WORK/pg
  install -d -o "$(stat -c %U "$WORK")" "$PG_DATA"
  [[ $(id -u) == 0 ]] && chown postgres "$PG_DATA"
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust >"$WORK/initdb.log" 2>&1 || { fail "initdb: $(tail -3 "$WORK/initdb.log")"; return; }
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w start \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_DATA -c wal_level=logical" \
    >/dev/null || { fail "pg_ctl start: $(tail -3 "$PG_DATA/server.log")"; return; }
  local mqtt coap dtls sim kafka
  read -r mqtt coap dtls sim kafka <<<"$(free_ports tcp udp udp tcp tcp)"
  launch system QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" \
    QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=unused MECGW_DATA_DIR="$WORK/data-system" \
    MECGW_MQTT_HOST=127.0.0.1 MECGW_MQTT_PORT="$mqtt" MECGW_COAP_HOST=127.0.0.1 MECGW_COAP_PORT="$coap" \
    MECGW_COAP_DTLS_PORT="$dtls" MECGW_COAP_ALLOW_UNSECURED=true \
    MECGW_RAN_ENABLED=true MECGW_RAN_SIMULATOR_ENABLED=true MECGW_RAN_SIMULATOR_PORT="$sim" \
    MECGW_RAN_NEF_EXTERNAL_GROUP_ID=site@site.example \
    MECGW_SYNC_KAFKA_BOOTSTRAP_SERVERS="${CLOUD_BOOTSTRAP:-127.0.0.1:$kafka}" MECGW_SITE_ID="check-$$"
  await_ready "system PostgreSQL: start" 300 || return
  await_sql "Flyway: migrations applied" "SELECT count(*) FROM flyway_schema_history WHERE success" 10
  "$HERE/../gateway-checks.sh" "http://127.0.0.1:$HTTP" "$mqtt" "$TOKEN" | sed 's/^/     mqtt+rest: /'
  local status=${PIPESTATUS[0]}
  if [[ $status == 0 ]]; then ok "REST + MQTT (image/gateway-checks.sh)"; else fail "image/gateway-checks.sh: $status failures"; fi

  # CoAP: a device with a printable PSK, unsecured POST to /telemetry/{id} and DTLS-PSK POST to /telemetry.
  local device=coap-$$ key=native-secret-16b
  admin -o /dev/null -X POST "http://127.0.0.1:$HTTP/api/v1/devices" \
    -d "{\"id\":\"$device\",\"type\":\"sensor\",\"credentials\":{\"psk\":\"$(printf %s "$key" | xxd -p)\"}}"
  coap-client-notls -m post -t 50 -e '{"hum":41}' "coap://127.0.0.1:$coap/telemetry/$device" >"$WORK/coap.out" 2>&1
  await_sql "CoAP: unsecured POST stored" "SELECT count(*) FROM telemetry WHERE device_id = '$device' AND metric = 'hum'" 10
  coap-client-openssl -m post -u "$device" -k "$key" -t 50 -e '{"temp":22.5}' "coaps://127.0.0.1:$dtls/telemetry" \
    >"$WORK/coaps.out" 2>&1
  await_sql "CoAP/DTLS (Scandium, PSK): POST stored" \
    "SELECT count(*) FROM telemetry WHERE device_id = '$device' AND metric = 'temp'" 10

  # ONNX Runtime: history inserted directly, a sensor model fitted over REST (exported to ONNX, loaded through JNI),
  # then live MQTT telemetry with one spike must raise an inference.anomaly event.
  local onnx=onnx-$$
  admin -o /dev/null -X POST "http://127.0.0.1:$HTTP/api/v1/devices" \
    -d "{\"id\":\"$onnx\",\"type\":\"sensor\",\"credentials\":{\"password\":\"onnx-password\"}}"
  sql "INSERT INTO telemetry SELECT '$onnx', 'temp', now() - interval '6000 s' + i * interval '1 s',
       20 + 0.3 * sin(i) FROM generate_series(1, 2000) i" >/dev/null
  local fit
  fit=$(admin -o "$WORK/fit.json" -w '%{http_code}' -X POST "http://127.0.0.1:$HTTP/api/v1/models/sensor-anomaly/fit" \
    -d "{\"metric\":\"temp\",\"deviceIds\":[\"$onnx\"]}")
  if [[ $fit == 201 ]]; then ok "ONNX: sensor model fitted and loaded (201)"; else fail "ONNX fit: $fit $(head -c 400 "$WORK/fit.json")"; fi
  for i in $(seq 0 40); do
    if [[ $i == 20 ]]; then echo '{"temp":35}'; else echo "{\"temp\":20.$((i % 3))}"; fi
  done | mosquitto_pub -h 127.0.0.1 -p "$mqtt" -V mqttv5 -i "$onnx-live" -u "$onnx" -P onnx-password \
    -t "devices/$onnx/telemetry" -q 1 -l 2>"$WORK/onnx-pub.err"
  await_sql "ONNX: anomaly scored on live MQTT telemetry" \
    "SELECT count(*) FROM events WHERE device_id = '$onnx' AND kind = 'inference.anomaly'" 30

  # Modbus TCP (digitalpetri modbus-tcp, netty-channel-fsm): a PLC played by pymodbus, polled every 200 ms.
  if python3 -c 'import pymodbus' 2>/dev/null; then
    local plc_port plc=plc-$$
    plc_port=$(free_port tcp)
    echo '[{"table": "holding", "address": 0, "type": "float32", "value": 21.5}]' >"$WORK/plc.json"
    mkfifo "$WORK/plc.stdin"
    python3 "$HERE/../../mec-app/src/test/resources/southbound/modbus/pymodbus_plc.py" "$plc_port" "$WORK/plc.json" \
      <"$WORK/plc.stdin" >"$WORK/plc.out" 2>&1 &
    exec 7>"$WORK/plc.stdin" # the PLC answers until its stdin closes
    for _ in $(seq 1 100); do grep -q READY "$WORK/plc.out" && break; sleep 0.1; done
    admin -o "$WORK/plc.json.out" -X POST "http://127.0.0.1:$HTTP/api/v1/devices" -d "{\"id\":\"$plc\",\"type\":\"modbus\",
      \"connection\":{\"host\":\"127.0.0.1\",\"port\":$plc_port,\"registers\":[{\"metric\":\"flow\",
      \"table\":\"holding\",\"address\":0,\"type\":\"float32\",\"pollMs\":200}]}}"
    await_sql "Modbus TCP: pymodbus PLC polled, readings stored" \
      "SELECT count(*) FROM telemetry WHERE device_id = '$plc' AND metric = 'flow' AND value = 21.5" 30
    exec 7>&-
  else
    echo "     skip Modbus: pymodbus not installed (pip install pymodbus==3.15.0)"
  fi

  local page
  page=$(curl -s -o "$WORK/console.html" -w '%{http_code}' "http://127.0.0.1:$HTTP/console/login")
  if [[ $page == 200 ]] && grep -qi '<form' "$WORK/console.html"; then ok "console: login page rendered (Qute)"; else fail "console login page: $page"; fi
  # 5G: the NEF/MEC clients subscribe to the simulator at start; a failed call is logged at WARN or ERROR.
  local slices
  slices=$(admin -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP/api/v1/ran/slices")
  if grep -q '5G network *: NEF http' "$LOG" && [[ $slices == 200 ]] \
      && ! grep -E '(WARN|ERROR) .*\[d\.m\.(a\.)?ran' "$LOG" | grep -q .; then
    ok "5G: NEF/MEC clients against the simulator, no warning ($(grep -m1 -oE '5G network *:.*' "$LOG" | cut -c1-100))"
  else
    fail "5G: slices $slices; $(grep -m2 -E '(WARN|ERROR) .*ran' "$LOG" | cut -c1-300)"
  fi
  await_sql "Debezium Embedded: replication slot created" "SELECT count(*) FROM pg_replication_slots" 60
  local deadline=$(($(date +%s) + 60)) health=
  while (($(date +%s) < deadline)); do
    health=$(curl -s "http://127.0.0.1:$HTTP/q/health/ready")
    grep -q '"state" *: *"running"' <<<"$health" && break
    sleep 1
  done
  if grep -q '"state" *: *"running"' <<<"$health"; then
    ok "Debezium Embedded: capture running, Kafka producer $([[ -n $CLOUD ]] && echo sending to the local cloud || echo retrying the closed port) (backhaul $(grep -oE '"backhaul" *: *"[a-z]+"' <<<"$health" | grep -oE '[a-z]+"$' | tr -d '"'))"
  else
    fail "Debezium Embedded: sync health $(tr -d '\n ' <<<"$health" | cut -c1-400)"
  fi
  if [[ -n $CLOUD ]]; then
    # Sync end to end: Debezium's capture, the zstd producer, the local cloud's applier.
    local synced=sync-$$
    admin -o /dev/null -X POST "http://127.0.0.1:$HTTP/api/v1/devices" \
      -d "{\"id\":\"$synced\",\"type\":\"sensor\",\"credentials\":{\"password\":\"sync-password\"}}"
    PG_PORT=$CLOUD_PG await_sql "sync: a device created over REST arrived in the cloud (Debezium, zstd, Kafka)" \
      "SELECT count(*) FROM mecgw_cloud_rows WHERE site_id = 'check-$$' AND table_name = 'public.devices'
       AND data->>'id' = '$synced'" 120
  fi
  if grep -qE 'UnsatisfiedLinkError|ClassNotFoundException|NoSuchMethodException|UnsupportedFeature' "$LOG"; then
    fail "native errors in the log: $(grep -m3 -E 'UnsatisfiedLinkError|ClassNotFoundException|NoSuchMethodException|UnsupportedFeature' "$LOG" | cut -c1-300)"
  else
    ok "no UnsatisfiedLinkError/ClassNotFound/NoSuchMethod/UnsupportedFeature in the log"
  fi
  echo "     RSS after the checks: $(grep VmRSS /proc/$GW_PID/status | awk '{printf "%.1f MiB", $2 / 1024}')"
  stop_gateway "system PostgreSQL"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null
  PG_DATA=
}

check_embedded() {
  log "embedded PostgreSQL in $WORK/data-embedded"
  local run
  for run in "first start (initdb)" "second start (initialised)"; do
    launch embedded MECGW_DATA_DIR="$WORK/data-embedded" MECGW_MQTT_HOST=127.0.0.1 MECGW_MQTT_PORT=0 \
      MECGW_MQTT_TLS_PORT=0 MECGW_COAP_HOST=127.0.0.1 MECGW_COAP_PORT=0 MECGW_COAP_DTLS_PORT=0
    await_ready "embedded PostgreSQL, $run" 300 || return
    grep -m1 'embedded PostgreSQL' "$LOG" | sed 's/^/     /'
    local code
    code=$(admin -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP/api/v1/devices")
    if [[ $code == 200 ]]; then ok "embedded: REST on the embedded store (200)"; else fail "embedded: REST $code"; fi
    stop_gateway "embedded PostgreSQL, $run"
  done
}

log "checking $TARGET ($(du -h "$TARGET" | cut -f1)) in $WORK"
case $MODE in
  system) check_system ;;
  embedded) check_embedded ;;
  all) check_system; check_embedded ;;
  *) echo "usage: $0 <executable> [system|embedded|all]" >&2; exit 2 ;;
esac
echo "native checks: $fails failed"
exit "$fails"
