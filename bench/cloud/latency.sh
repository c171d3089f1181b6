#!/usr/bin/env bash
# bench/cloud latency (issue 17 item 9): the packaged cloud (embedded Kafka + PostgreSQL) and the packaged gateway
# as processes on 127.0.0.1, one MQTT 5 device; one sample at a time (dev.mecgw.devices.e2e.CloudLatencyBench):
#   sensor_to_cloud_row  device publishes devices/{id}/twin/reported → the cloud's device_twins row shows it
#   command_round_trip   POST .../commands on the cloud → device gets it and answers → cloud status acknowledged
# Prints p50/p99/max per path. Usage: bench/cloud/latency.sh [samples]   (default 200; BENCH_BUILD=1 repackages)
set -euo pipefail
cd "$(dirname "$0")/../.."
SAMPLES="${1:-200}"
if [[ ${BENCH_BUILD:-0} == 1 || ! -f cloud/target/quarkus-app/quarkus-run.jar ||
  ! -f mec-app/target/quarkus-app/quarkus-run.jar ]]; then
  ./mvnw -B -q package -DskipTests -pl mec-app,cloud -am
fi
./mvnw -B -q -pl devices test-compile
./mvnw -B -q -pl devices dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt
exec java -Xmx256m -Dbench.samples="$SAMPLES" -Dmecgw.repo.root="$PWD" \
  -cp "devices/target/test-classes:devices/target/classes:$(cat devices/target/bench-classpath.txt)" \
  dev.mecgw.devices.e2e.CloudLatencyBench
