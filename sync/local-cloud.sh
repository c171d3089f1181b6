#!/usr/bin/env bash
# Starts a local "cloud" (in-process Kafka + central PostgreSQL + applier) on 127.0.0.1 for trying the sync out.
# Then start the gateway with the printed MECGW_SYNC_KAFKA_BOOTSTRAP_SERVERS. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
# One reactor run with -am: sync's tests need the test-support module, which a fresh clone has not installed; built in
# the same run, its classes are on the written class path (as test-support/target/classes).
./mvnw -B -q -pl sync -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/cloud-classpath.txt
exec java -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -Dlogging.configuration="file:$PWD/bench/sync/logging.properties" \
  -cp "sync/target/test-classes:sync/target/classes:$(cat sync/target/cloud-classpath.txt)" dev.mecgw.sync.applier.LocalCloud
