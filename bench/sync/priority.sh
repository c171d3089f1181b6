#!/usr/bin/env bash
# bench/sync/priority.sh (issue 14.7): first critical change after the link returns, following a gateway restart during
# an outage with a bulk backlog; "before" (the producer settings of before 14.7, no lane gate) and "after" in one run.
# Usage: bench/sync/priority.sh [bulkRows] [criticalRows]   (defaults 500000 100)
set -euo pipefail
cd "$(dirname "$0")/../.."
BULK="${1:-500000}"
CRITICAL="${2:-100}"
# One reactor run with -am (as sync/local-cloud.sh): the in-process Kafka is in test-support, which a fresh clone has
# not installed; built in the same run, its classes are on the written class path.
./mvnw -B -q -pl sync -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt
exec java -Xmx4g -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -Dlogging.configuration="file:$PWD/bench/sync/logging.properties" \
  -Dbench.bulkRows="$BULK" -Dbench.criticalRows="$CRITICAL" \
  -cp "sync/target/test-classes:sync/target/classes:$(cat sync/target/bench-classpath.txt)" \
  dev.mecgw.sync.cdc.PriorityDrainBench
