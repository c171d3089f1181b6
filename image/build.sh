#!/usr/bin/env bash
# Builds the MEC Gateway deliverables into image/out/ (root; Debian 12 host with debootstrap, dosfstools, mtools,
# e2fsprogs, fdisk and a JDK 17 with jlink):
#   release  mecgw-<version>.tar.gz: Quarkus fast-jar + jlink'd Java runtime (what Ansible installs and upgrades)
#   oci      mecgw-<version>-oci.tar: OCI/Docker image built by Quarkus Jib, no Docker daemon (docker load / podman load)
#   disk     mecgw-<version>.raw: bootable x86-64 UEFI disk (systemd-boot, Debian 12, PostgreSQL 15, the gateway)
#   cloud-release  mecgw-cloud-<version>.tar.gz: the cloud app's fast-jar (what the Ansible role `cloud` installs)
#   cloud-oci      mecgw-cloud-<version>-oci.tar: the cloud app on the same base image (Jib, no Docker daemon)
#   native-release mecgw-<version>-native.tar.gz: the native executable `mecgw` (issue 22, docs/native.md), built
#                  with GraalVM/Mandrel 25 at GRAALVM_HOME (about an hour on 2 busy cores), or taken from
#                  MECGW_NATIVE_RUNNER=<built executable>; what the Ansible role installs with gateway_runtime=native
#   native         mecgw-<version>-native.raw: the bootable disk carrying the native release instead of the
#                  fast-jar and its jlink'd runtime (first boot applies the role with gateway_runtime=native)
# Usage: image/build.sh [release|oci|disk|cloud-release|cloud-oci|native-release|native|all]   (default all: the
#        JVM deliverables; the native ones only when named)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
OUT=${MECGW_IMAGE_OUT:-$HERE/out}
WORK=${MECGW_IMAGE_WORK:-$HERE/work}
VERSION=${MECGW_VERSION:-$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$REPO/pom.xml" | head -1)}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
DISK_SIZE=${MECGW_DISK_SIZE:-6G}
ESP_MB=256
# Modules of the Java SE platform plus the JDK modules Quarkus, Netty and the JDBC driver reach reflectively.
JLINK_MODULES=java.se,jdk.unsupported,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.naming.dns,jdk.zipfs,jdk.management,jdk.jfr,jdk.localedata

log() { printf '%s [build] %s\n' "$(date +%T)" "$*"; }
mkdir -p "$OUT" "$WORK"

build_release() {
  log "release $VERSION: packaging the gateway"
  (cd "$REPO" && ./mvnw -B -q package -DskipTests -pl mec-app -am)
  local stage=$WORK/release
  rm -rf "$stage" && mkdir -p "$stage"
  cp -a "$REPO/mec-app/target/quarkus-app" "$stage/quarkus-app"
  log "release: jlink runtime ($JLINK_MODULES)"
  "$JAVA_HOME/bin/jlink" --add-modules "$JLINK_MODULES" --strip-debug --no-header-files --no-man-pages \
    --generate-cds-archive --compress=2 --output "$stage/runtime"
  echo "$VERSION" > "$stage/VERSION"
  tar -C "$stage" --owner=0 --group=0 --numeric-owner -czf "$OUT/mecgw-$VERSION.tar.gz" VERSION quarkus-app runtime
  log "release: $OUT/mecgw-$VERSION.tar.gz ($(du -h "$OUT/mecgw-$VERSION.tar.gz" | cut -f1))"
}

# The base image of both OCI images: Debian 12 minbase + the jlink runtime, user mecgw (uid 185), as a tar:// image.
oci_base() {
  local base=$WORK/oci-base
  if [[ ! -f $base/base.tar ]]; then
    [[ -x $WORK/release/runtime/bin/java ]] || build_release
    log "oci: Debian 12 minbase + jlink runtime as Jib's base image (no registry is reachable here)"
    rm -rf "$base" && mkdir -p "$base"
    debootstrap --variant=minbase bookworm "$base/rootfs" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$base/debootstrap.log"
    chroot "$base/rootfs" apt-get clean
    rm -rf "$base/rootfs"/usr/share/{doc,man,info} "$base/rootfs"/var/lib/apt/lists/*
    cp -a "$WORK/release/runtime" "$base/rootfs/opt/java"
    chroot "$base/rootfs" useradd --system --uid 185 --user-group --home-dir /var/lib/mecgw --create-home mecgw
    python3 "$HERE/oci-base.py" "$base/rootfs" "$base/base.tar"
  fi
}

# One application module as an OCI tar on that base, built by Quarkus Jib without a daemon.
# Usage: jib_image <module> <image name> <tar> <ports> [NAME=VALUE environment...]
jib_image() {
  local module=$1 name=$2 tar=$3 ports=$4
  shift 4
  local env_args=()
  for pair in "$@"; do env_args+=("-Dquarkus.jib.environment-variables.${pair%%=*}=${pair#*=}"); done
  oci_base
  log "oci: Quarkus Jib build of $module to a tar (docker executable replaced by image/jib-tar-shim.sh)"
  rm -f "$tar"
  (cd "$REPO" && JIB_TAR_OUTPUT="$tar" ./mvnw -B -q package -DskipTests -pl "$module" -am \
    -Dquarkus.container-image.build=true \
    -Dquarkus.container-image.group=mecgw -Dquarkus.container-image.name="$name" \
    -Dquarkus.container-image.tag="$VERSION" \
    -Dquarkus.jib.base-jvm-image="tar://$WORK/oci-base/base.tar" \
    -Dquarkus.jib.docker-executable-name="$HERE/jib-tar-shim.sh" \
    -Dquarkus.jib.working-directory=/deployments \
    -Dquarkus.jib.jvm-entrypoint=/opt/java/bin/java,-XX:MaxRAMPercentage=60,-jar,quarkus-run.jar \
    "${env_args[@]}" \
    -Dquarkus.jib.user=185 \
    -Dquarkus.jib.ports="$ports")
  [[ -s $tar ]] || { echo "Jib produced no tar" >&2; exit 1; }
  log "oci: $tar ($(du -h "$tar" | cut -f1))"
}

build_oci() {
  jib_image mec-app gateway "$OUT/mecgw-$VERSION-oci.tar" 8080,8443,1883,8883,5683,5684 MECGW_DATA_DIR=/var/lib/mecgw
}

# The cloud app (issue 17): the tarball the Ansible role `cloud` installs, and its OCI image. In a container the
# embedded Kafka binds and advertises MECGW_CLOUD_EMBEDDED_KAFKA_HOST (default 127.0.0.1: run with host networking
# or set it to an address gateways reach); production sets MECGW_CLOUD_KAFKA_BOOTSTRAP_SERVERS (docs/cloud.md).
build_cloud_release() {
  log "cloud release $VERSION: packaging the cloud app"
  (cd "$REPO" && ./mvnw -B -q package -DskipTests -pl cloud -am)
  tar -C "$REPO/cloud/target" --owner=0 --group=0 --numeric-owner -czf "$OUT/mecgw-cloud-$VERSION.tar.gz" quarkus-app
  log "cloud release: $OUT/mecgw-cloud-$VERSION.tar.gz ($(du -h "$OUT/mecgw-cloud-$VERSION.tar.gz" | cut -f1))"
}

build_cloud_oci() {
  jib_image cloud cloud "$OUT/mecgw-cloud-$VERSION-oci.tar" 8090,9092 MECGW_CLOUD_DATA_DIR=/var/lib/mecgw/cloud
}

# The native executable as a release: VERSION and `mecgw` (no runtime/: nothing else runs it).
build_native_release() {
  local runner=${MECGW_NATIVE_RUNNER:-}
  if [[ -z $runner ]]; then
    : "${GRAALVM_HOME:?set GRAALVM_HOME to a GraalVM or Mandrel 25 (docs/native.md), or MECGW_NATIVE_RUNNER}"
    log "native release $VERSION: native build of the gateway (GRAALVM_HOME=$GRAALVM_HOME)"
    (cd "$REPO" && ./mvnw -B -q package -Pnative -DskipTests -pl mec-app -am \
      -Dquarkus.native.graalvm-home="$GRAALVM_HOME" -Dquarkus.native.native-image-xmx="${MECGW_NATIVE_XMX:-7g}")
    runner=$REPO/mec-app/target/mec-app-$VERSION-runner
  fi
  [[ -x $runner ]] || { echo "no native executable at $runner" >&2; exit 1; }
  local stage=$WORK/native-release
  rm -rf "$stage" && mkdir -p "$stage"
  install -m 0755 "$runner" "$stage/mecgw"
  echo "$VERSION" > "$stage/VERSION"
  tar -C "$stage" --owner=0 --group=0 --numeric-owner -czf "$OUT/mecgw-$VERSION-native.tar.gz" VERSION mecgw
  log "native release: $OUT/mecgw-$VERSION-native.tar.gz ($(du -h "$OUT/mecgw-$VERSION-native.tar.gz" | cut -f1))"
}

# Usage: build_disk [release tarball] [disk file]: the JVM release by default.
build_disk() {
  local tarball=${1:-$OUT/mecgw-$VERSION.tar.gz} disk=${2:-$OUT/mecgw-$VERSION.raw}
  [[ -f $tarball ]] || build_release
  local root=$WORK/rootfs
  [[ -f $root/.mecgw-rootfs-complete ]] || "$HERE/rootfs.sh" "$root"
  log "disk: installing the gateway $VERSION ($(basename "$tarball")) and first-boot configuration"
  "$HERE/customize.sh" "$root" "$VERSION" "$tarball" "$REPO/ansible"
  "$HERE/assemble.sh" "$root" "$disk" "$DISK_SIZE" "$ESP_MB"
  log "disk: $disk ($(du -h --apparent-size "$disk" | cut -f1) sparse, $(du -h "$disk" | cut -f1) used)"
}

build_native_disk() {
  [[ -f $OUT/mecgw-$VERSION-native.tar.gz ]] || build_native_release
  build_disk "$OUT/mecgw-$VERSION-native.tar.gz" "$OUT/mecgw-$VERSION-native.raw"
}

case ${1:-all} in
  release) build_release ;;
  oci) build_oci ;;
  disk) build_disk ;;
  cloud-release) build_cloud_release ;;
  cloud-oci) build_cloud_oci ;;
  native-release) build_native_release ;;
  native) build_native_disk ;;
  all) build_release; build_oci; build_disk; build_cloud_release; build_cloud_oci ;;
  *) echo "usage: $0 [release|oci|disk|cloud-release|cloud-oci|native-release|native|all]" >&2; exit 2 ;;
esac
