#!/usr/bin/env bash
# bench/cloud: rows/s applied into the cloud's typed tables by one and by two applier instances (issue 17), then the
# end-to-end latencies of bench/cloud/latency.sh (sensor → cloud row, command round trip), in one run.
# Rows/s: one JVM on 127.0.0.1: durable embedded PostgreSQL with the cloud schema, embedded KRaft Kafka; the event
# topics of N sites are filled first, then drained by the appliers.
# Usage: bench/cloud/run.sh [rows] [sites] [latency samples]   (defaults 200000 10 200)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS="${1:-200000}"
SITES="${2:-10}"
./mvnw -B -q -pl cloud test-compile
./mvnw -B -q -pl cloud dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
java -Xmx2g -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -Dlogging.configuration="file:$PWD/bench/sync/logging.properties" \
  -Dbench.rows="$ROWS" -Dbench.sites="$SITES" \
  -cp "cloud/target/test-classes:cloud/target/classes:$(cat cloud/target/bench-classpath.txt)" dev.mecgw.cloud.apply.CloudBench
bench/cloud/latency.sh "${3:-200}"
