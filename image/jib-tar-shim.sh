#!/usr/bin/env bash
# Stands in for the `docker` executable that Quarkus Jib calls when it is not pushing to a registry: Jib streams the
# finished image (docker-archive tar) into `docker load`; we write it to $JIB_TAR_OUTPUT instead. No daemon runs.
set -euo pipefail
case ${1:-} in
  load)
    : "${JIB_TAR_OUTPUT:?set JIB_TAR_OUTPUT to the tar to write}"
    cat > "$JIB_TAR_OUTPUT"
    echo "Loaded image: written to $JIB_TAR_OUTPUT"
    ;;
  info)
    echo '{"OSType":"linux","Architecture":"x86_64"}'
    ;;
  *)
    echo "jib-tar-shim: unsupported docker command: $*" >&2
    exit 1
    ;;
esac
