#!/usr/bin/env bash
# bench/southbound (IEC 60870-5-104, issue 21 item 6): spontaneous float updates per second from N outstations,
# decoded by the gateway's controlling stations and stored (durable embedded PostgreSQL, ack after commit).
# Usage: bench/southbound/iec104.sh [outstations=50] [seconds=20] [warmup=5] [objects-per-asdu=1] [commit|receipt]
# (commit: the gateway, each ASDU acknowledged after its commit; receipt: acknowledged on decode, for comparison)
# BENCH_REBUILD=0 reuses the compiled classes and classpath.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ ${BENCH_REBUILD:-1} == 1 || ! -f mec-app/target/bench-southbound.cp ]]; then
  # package, not compile: the classpath includes the sibling modules' test jars, which only package builds.
  ./mvnw -B -q -pl mec-app -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$PWD/mec-app/target/bench-southbound.cp" >/dev/null
fi
CP=mec-app/target/classes:$(cat mec-app/target/bench-southbound.cp)
CLASSES=mec-app/target/bench-southbound-classes
rm -rf "$CLASSES" && javac -d "$CLASSES" -cp "$CP" bench/southbound/Iec104Bench.java
echo "bench/southbound iec104 on $(nproc) cores, $(date -u +%FT%TZ), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx2g -cp "$CLASSES:$CP" Iec104Bench "${1:-50}" "${2:-20}" "${3:-5}" "${4:-1}" "${5:-commit}" 2>&1 | grep -v '^\[\|INFO\|WARN' || true
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
