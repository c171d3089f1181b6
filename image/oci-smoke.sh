#!/usr/bin/env bash
# Smoke test of the OCI tar without a container engine: unpacks its layers into a folder, runs the entrypoint there
# under chroot as the image's user (uid 185) with a free port, waits for /q/health/ready, then stops it.
# Usage: image/oci-smoke.sh [image/out/mecgw-<version>-oci.tar [NAME=VALUE...]]   (root)
#   extra NAME=VALUE pairs are added to the image's environment, e.g. for the cloud image (image/build.sh cloud-oci):
#   image/oci-smoke.sh image/out/mecgw-cloud-<version>-oci.tar MECGW_CLOUD_EMBEDDED_KAFKA_PORT=0
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../scripts/lib/free-ports.sh"
VERSION=${MECGW_VERSION:-$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$HERE/../pom.xml" | head -1)}
TAR=${1:-$HERE/out/mecgw-$VERSION-oci.tar}
extra_env=("${@:2}")
DIR=$(mktemp -d /tmp/mecgw-oci-smoke.XXXXXX)
pid= passed=0
cleanup() {
  # Wait for the application to stop (the cloud stops its embedded Kafka and PostgreSQL first) so that the mounts
  # are no longer busy; a busy /dev bind mount would otherwise stay behind.
  if [[ -n $pid ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  umount "$DIR/root/proc" 2>/dev/null || umount -l "$DIR/root/proc" 2>/dev/null || true
  umount "$DIR/root/dev" 2>/dev/null || umount -l "$DIR/root/dev" 2>/dev/null || true
  # The unpacked image is kept for its app.log after a failure only.
  if [[ $passed == 1 ]] && ! mountpoint -q "$DIR/root/proc" && ! mountpoint -q "$DIR/root/dev"; then rm -rf "$DIR"; fi
}
trap cleanup EXIT
mkdir -p "$DIR/image" "$DIR/root"
tar -C "$DIR/image" -xf "$TAR"
export TAR_OPTIONS=--warning=no-unknown-keyword
python3 - "$DIR/image" "$DIR/root" <<'PY'
import json, os, subprocess, sys
image, root = sys.argv[1], sys.argv[2]
manifest = json.load(open(os.path.join(image, "manifest.json")))[0]
for layer in manifest["Layers"]:
    subprocess.run(["tar", "-C", root, "-xf", os.path.join(image, layer)], check=True)
config = json.load(open(os.path.join(image, manifest["Config"])))["config"]
json.dump(config, open(os.path.join(image, "runtime.json"), "w"))
open(os.path.join(image, "env"), "w").write("\n".join(config.get("Env", [])) + "\n")
PY
read -r user workdir entry < <(python3 -c '
import json, shlex, sys
c = json.load(open(sys.argv[1]))
print(c.get("User", "0"), c.get("WorkingDir", "/"), shlex.join(c["Entrypoint"] + (c.get("Cmd") or [])))' "$DIR/image/runtime.json")
mkdir -p "$DIR/root/proc" "$DIR/root/dev"
mount -t proc proc "$DIR/root/proc"
mount --bind /dev "$DIR/root/dev"
port=$(free_port)
t0=$(date +%s.%N)
mapfile -t image_env < "$DIR/image/env"
# The image's own environment (from its config), plus a free port on loopback.
chroot --userspec="$user:$user" "$DIR/root" /usr/bin/env -i "${image_env[@]}" HOME="$workdir" \
  QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 "${extra_env[@]}" \
  /bin/sh -c "cd $workdir && exec $entry" > "$DIR/app.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/q/health/ready") == 200 ]] && break
  kill -0 "$pid" 2>/dev/null || { echo "oci-smoke: FAILED, process exited"; tail -20 "$DIR/app.log"; exit 1; }
  sleep 1
done
if [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/q/health/ready") != 200 ]]; then
  echo "oci-smoke: FAILED, not ready"; tail -20 "$DIR/app.log"; exit 1
fi
echo "oci-smoke: $TAR entrypoint ($entry, user $user) ready in $(python3 -c "import time; print(f'{time.time() - $t0:.1f}')")s"
passed=1
echo "1 passed, 0 failed"
