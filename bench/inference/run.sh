#!/usr/bin/env bash
# Inference benchmark (issue #5): raw ONNX Runtime session.run vs the full pipeline on the same frames,
# image decode separately, sensor windows/s with and without batching, and telemetry-ingest throughput
# with and without full vision load. Builds what it needs; prints one table.
# Usage: bench/inference/run.sh [iterations]   (default 200)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/inference/target/bench"
cd "$root"
./mvnw -B -q -pl inference -DskipTests package
./mvnw -B -q -pl inference dependency:build-classpath -Dmdep.outputFile="$out.cp" >/dev/null
cp="$root/inference/target/classes:$(cat "$out.cp")"
mkdir -p "$out"
javac -d "$out" -cp "$cp" "$here"/src/*.java
# Third-party models come from the fixtures folder (MECGW_FIXTURES_DIR, default ../shared; scripts/fetch-fixtures.sh).
models="${MECGW_FIXTURES_DIR:-$root/../shared}/models"
if [ ! -d "$models" ]; then
  echo "SKIPPED: bench needs the model fixtures in $models; run scripts/fetch-fixtures.sh or set MECGW_FIXTURES_DIR" >&2
  [ "${CI:-}" = true ] && exit 1
  exit 0
fi
exec java -Xmx1g -cp "$out:$cp" dev.mecgw.inference.vision.InferenceBench "$models" "${1:-200}"
