#!/usr/bin/env bash
# Black-box checks of a running gateway through its published ports: REST with and without the admin token,
# metrics, an MQTT publish/subscribe round-trip between two registered devices (mosquitto_pub/_sub), and a QoS 1
# telemetry reading read back over REST. Used by image/boot-test.sh on the QEMU-booted appliance; runs against any
# gateway, e.g. a local `java -jar mec-app/target/quarkus-app/quarkus-run.jar`.
# Usage: image/gateway-checks.sh <https base url> <mqtt port> <admin token>   -> exit status = number of failures
set -uo pipefail
BASE=$1 MQTT_PORT=$2 TOKEN=$3
WAIT=${MECGW_CHECK_WAIT:-180}
tmp=$(mktemp -d)
: > "$tmp/pub.err"
trap 'kill "${sub_pid:-}" 2>/dev/null; rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
call() { # name, expected status, curl args...
  local name=$1 want=$2 got; shift 2
  got=$(curl -sk -o "$tmp/body" -w '%{http_code}' --max-time 60 "$@")
  if [[ $got == "$want" ]]; then ok "$name ($got)"; else fail "$name: got $got, want $want: $(head -c 400 "$tmp/body")"; fi
}
admin=(-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json')

call "REST without token is refused" 401 "$BASE/api/v1/devices"
call "REST list devices with the admin token" 200 "${admin[@]}" "$BASE/api/v1/devices"
call "Prometheus metrics are served" 200 "$BASE/q/metrics"

# Two devices with one-off passwords, and an ACL rule that lets devices use a test topic beyond their own.
run=$(date +%s)
pw_sensor=$(openssl rand -hex 12) pw_probe=$(openssl rand -hex 12)
sensor=check-sensor-$run probe=check-probe-$run topic=site/checks/$run
call "register device $sensor" 201 "${admin[@]}" -X POST "$BASE/api/v1/devices" \
  -d "{\"id\":\"$sensor\",\"type\":\"sensor\",\"credentials\":{\"password\":\"$pw_sensor\"}}"
call "register device $probe" 201 "${admin[@]}" -X POST "$BASE/api/v1/devices" \
  -d "{\"id\":\"$probe\",\"type\":\"probe\",\"credentials\":{\"password\":\"$pw_probe\"}}"
for action in PUBLISH SUBSCRIBE; do
  call "ACL rule $action site/checks/#" 201 "${admin[@]}" -X POST "$BASE/api/v1/acl" \
    -d "{\"action\":\"$action\",\"topicFilter\":\"site/checks/#\"}"
done

# MQTT round-trip: the probe subscribes, the sensor publishes (again until the subscription is in place: mosquitto_sub
# gives no signal when SUBACK arrives).
mqtt=(-h 127.0.0.1 -p "$MQTT_PORT" -V mqttv5)
payload="ping-$run"
mosquitto_sub "${mqtt[@]}" -i "$probe" -u "$probe" -P "$pw_probe" -t "$topic" -q 1 -C 1 -W "$WAIT" \
  > "$tmp/received" 2> "$tmp/sub.err" &
sub_pid=$!
t0=$(date +%s.%N)
deadline=$(( $(date +%s) + WAIT ))
while kill -0 "$sub_pid" 2>/dev/null && (( $(date +%s) < deadline )); do
  mosquitto_pub "${mqtt[@]}" -i "$sensor" -u "$sensor" -P "$pw_sensor" -t "$topic" -q 1 -m "$payload" \
    2>> "$tmp/pub.err" || true
  for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$sub_pid" 2>/dev/null || break; sleep 0.5; done
done
wait "$sub_pid" 2>/dev/null
sub_pid=
if [[ $(cat "$tmp/received") == "$payload" ]]; then
  ok "MQTT round-trip $sensor -> $topic -> $probe in $(python3 -c "import time; print(f'{time.time() - $t0:.1f}')")s"
else
  fail "MQTT round-trip: received '$(cat "$tmp/received")'; sub: $(cat "$tmp/sub.err") pub: $(tail -3 "$tmp/pub.err")"
fi

# Telemetry over MQTT QoS 1 (acknowledged after the commit), read back over REST.
if mosquitto_pub "${mqtt[@]}" -i "$sensor" -u "$sensor" -P "$pw_sensor" -t "devices/$sensor/telemetry" -q 1 \
    -m '{"temperature": 21.5}' 2> "$tmp/pub.err"; then
  ok "MQTT QoS 1 telemetry acknowledged"
else
  fail "MQTT QoS 1 telemetry: $(cat "$tmp/pub.err")"
fi
call "REST reads the telemetry back" 200 "${admin[@]}" "$BASE/api/v1/devices/$sensor/telemetry?metric=temperature"
if grep -q '21.5' "$tmp/body"; then ok "stored reading is 21.5"; else fail "stored reading: $(head -c 400 "$tmp/body")"; fi
exit "$fails"
