#!/usr/bin/env bash
# Checks that the gateway role's cloud Kafka settings reach the gateway's Kafka clients: renders the role's
# sync-kafka.properties for SASL_SSL + SCRAM + a PEM CA + a pass-through property, starts the packaged gateway with
# the environment the role renders (bootstrap + QUARKUS_CONFIG_LOCATIONS) and reads the Kafka clients' own
# configuration dump (CDC producers and downlink consumer) from its log. No broker: the bootstrap port is closed.
# Not part of CI (starts the whole gateway). Needs root (runs the gateway as nobody) and a packaged gateway:
#   ./mvnw -B -q package -DskipTests -pl mec-app -am && ansible/test/kafka-config.sh
set -euo pipefail
ANSIBLE_DIR=$(cd "$(dirname "$0")/.." && pwd)
REPO=$(cd "$ANSIBLE_DIR/.." && pwd)
JAR=$REPO/mec-app/target/quarkus-app/quarkus-run.jar
JAVA=${JAVA:-$(command -v java)}
[[ -f $JAR ]] || { echo "no $JAR: package the gateway first" >&2; exit 2; }
work=$(mktemp -d /tmp/mecgw-kafka-config.XXXXXX)
gateway_pid=
cleanup() { [[ -z $gateway_pid ]] || { kill "$gateway_pid" 2>/dev/null; wait "$gateway_pid" 2>/dev/null || true; }; rm -rf "$work"; }
trap cleanup EXIT
log() { printf '%s [kafka-config] %s\n' "$(date +%T)" "$*"; }
source "$REPO/scripts/lib/free-ports.sh"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -noenc -days 1 -subj /CN=kafka-test-ca \
  -keyout "$work/ca.key" -out "$work/ca.crt" 2>/dev/null
# A password with a quote and a backslash, which the JAAS and properties syntaxes must both escape.
secret=$(openssl rand -hex 8)
cat > "$work/vars.yml" <<VARS
gateway_cloud_kafka_bootstrap: 127.0.0.1:$(free_port)
gateway_cloud_kafka_security_protocol: SASL_SSL
gateway_cloud_kafka_sasl_mechanism: SCRAM-SHA-512
gateway_cloud_kafka_sasl_username: mecgw-site-test
gateway_cloud_kafka_sasl_password: 'p"a\ss-$secret'
gateway_cloud_kafka_ca_pem: x
gateway_cloud_kafka_properties: {client.id: mecgw-kafka-config-test}
gateway_tls_dir: $work
VARS
# The role's own template, rendered by Ansible with the role's defaults under the test values.
ANSIBLE_CONFIG=$ANSIBLE_DIR/ansible.cfg ANSIBLE_NOCOLOR=1 ansible -i localhost, localhost -c local -o \
  -m ansible.builtin.template -a "src=$ANSIBLE_DIR/roles/gateway/templates/sync-kafka.properties.j2 dest=$work/sync-kafka.properties mode=0644" \
  -e "@$ANSIBLE_DIR/roles/gateway/defaults/main.yml" -e "@$work/vars.yml" > "$work/ansible.log"
# The CA file name the template refers to.
cp "$work/ca.crt" "$work/kafka-ca.crt"
mkdir -p "$work/data" "$work/tmp" && chown -R 65534:65534 "$work" && chmod 0755 "$work"

log "starting the packaged gateway with the rendered settings"
: > "$work/gateway.log"
bootstrap=$(sed -n 's/^gateway_cloud_kafka_bootstrap: //p' "$work/vars.yml")
env -i PATH="$PATH" HOME="$work" MECGW_DATA_DIR="$work/data" QUARKUS_HTTP_PORT="$(free_port)" QUARKUS_HTTP_SSL_PORT=0 \
  MECGW_MQTT_PORT=0 MECGW_COAP_PORT=0 MECGW_COAP_DTLS_PORT=0 MECGW_SYNC_KAFKA_BOOTSTRAP_SERVERS="$bootstrap" \
  QUARKUS_CONFIG_LOCATIONS="$work/sync-kafka.properties" QUARKUS_LOG_CATEGORY__ORG_APACHE_KAFKA__LEVEL=INFO \
  setpriv --reuid=65534 --regid=65534 --clear-groups "$JAVA" -Djava.io.tmpdir="$work/tmp" -jar "$JAR" \
  > "$work/gateway.log" 2>&1 &
gateway_pid=$!
deadline=$(( $(date +%s) + ${MECGW_KAFKA_CHECK_WAIT:-300} ))
until [[ $(grep -c 'ConsumerConfig values' "$work/gateway.log") -ge 1 && $(grep -c 'ProducerConfig values' "$work/gateway.log") -ge 1 ]]; do
  kill -0 "$gateway_pid" 2>/dev/null || { log "FAIL gateway exited"; tail -20 "$work/gateway.log"; echo "0 passed, 1 failed"; exit 1; }
  (( $(date +%s) < deadline )) || { log "FAIL no Kafka client configuration logged"; tail -20 "$work/gateway.log"; echo "0 passed, 1 failed"; exit 1; }
  sleep 1
done
sleep 2  # let the dumps finish writing
fails=0
expect() { # description, fixed string, minimum count
  local n
  n=$(grep -cF -- "$2" "$work/gateway.log" || true)
  if (( n >= $3 )); then log "ok   $1 ($n clients)"; else log "FAIL $1: '$2' seen $n times, want >= $3"; fails=$((fails + 1)); fi
}
clients=$(grep -cE '(Producer|Consumer)Config values' "$work/gateway.log")
expect "security protocol" "security.protocol = SASL_SSL" "$clients"
expect "SASL mechanism" "sasl.mechanism = SCRAM-SHA-512" "$clients"
expect "PEM trust store" "ssl.truststore.location = $work/kafka-ca.crt" "$clients"
expect "pass-through property" "client.id = mecgw-kafka-config-test" "$clients"
rejected='LoginException|KafkaException|JaasConfig|Value not specified for key|ConfigException'
if grep -qE "$rejected" "$work/gateway.log"; then
  log "FAIL the Kafka clients rejected the settings:"; grep -E "$rejected" "$work/gateway.log" | head -5
  fails=$((fails + 1))
else
  log "ok   JAAS configuration with quote and backslash in the password accepted"
fi
if grep -qF "$secret" "$work/gateway.log"; then
  log "FAIL the SASL password appears in the log"; fails=$((fails + 1))
else
  log "ok   SASL password not logged"
fi
echo "$(( fails == 0 ? 1 : 0 )) passed, $(( fails == 0 ? 0 : 1 )) failed"
exit $(( fails > 0 ))
