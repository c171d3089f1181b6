#!/usr/bin/env bash
# bench/sync: CDC edge -> cloud figures next to the targets of issue 4 (steady rows/s, p99 lag, bytes per row vs
# plain JSON, drain after an outage). Everything runs in one JVM on 127.0.0.1: embedded PostgreSQL (edge and cloud),
# in-process KRaft Kafka, a TCP proxy as the backhaul.
# Usage: bench/sync/run.sh [steadyRows] [backlogRows]   (defaults 100000 300000; the issue's full case is 1000000)
set -euo pipefail
cd "$(dirname "$0")/../.."
STEADY="${1:-100000}"
BACKLOG="${2:-300000}"
# One reactor run with -am (as sync/local-cloud.sh): the in-process Kafka is in test-support, which a fresh clone has
# not installed; built in the same run, its classes are on the written class path.
./mvnw -B -q -pl sync -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt
exec java -Xmx4g -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -Dlogging.configuration="file:$PWD/bench/sync/logging.properties" \
  -Dbench.steadyRows="$STEADY" -Dbench.backlogRows="$BACKLOG" \
  -cp "sync/target/test-classes:sync/target/classes:$(cat sync/target/bench-classpath.txt)" dev.mecgw.sync.cdc.SyncBench
