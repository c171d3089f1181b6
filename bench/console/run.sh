#!/usr/bin/env bash
# bench/console (issue 19 item 5): server time of every console page, p50/p95 of the HTTP round trip over loopback,
# with DEVICES registered devices and EVENTS events in the gateway's embedded PostgreSQL.
# Usage: run.sh [DEVICES] [EVENTS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl mec-app -am test -Dtest=ConsolePagesBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.devices="${1:-10000}" -Dbench.events="${2:-200000}" -Dbench.runs="${3:-300}" -Dbench.explain="${BENCH_EXPLAIN:-true}" 2>&1 | grep '^BENCH'
