#!/usr/bin/env bash
# bench/southbound, Modbus part (issue 21 item 6): PLCS simulated PLCs x REGISTERS holding registers polled every
# second by the gateway's Modbus client; prints readings/s and process CPU. Usage: run.sh [PLCS] [REGISTERS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl mec-app -am test -Dtest=ModbusPollBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.plcs="${1:-200}" -Dbench.registers="${2:-50}" -Dbench.seconds="${3:-30}" 2>&1 | grep '^BENCH'
