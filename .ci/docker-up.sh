#!/usr/bin/env bash
# Starts a private Docker engine for the tests (idempotent) and builds the local images they need,
# with no registry. Last line on stdout: `export DOCKER_HOST=unix://…` (eval it). Progress on stderr.
#   APPSTRATE_DOCKER_DIR   engine folder (default /tmp/appstrate-docker): data, socket, log, pid
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${APPSTRATE_DOCKER_DIR:-/tmp/appstrate-docker}
sock=$dir/docker.sock
host=unix://$sock
log() { echo "docker-up: $*" >&2; }

if ! command -v dockerd >/dev/null || ! { [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; }; then
  log "installing docker.io and busybox-static"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq docker.io busybox-static >&2
fi

mkdir -p "$dir"
if docker -H "$host" version >/dev/null 2>&1; then
  log "engine already running at $host"
else
  log "starting dockerd at $host (log: $dir/dockerd.log)"
  # no iptables and no default bridge: this machine's sandbox allows neither; user networks still work
  setsid nohup dockerd --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
    --iptables=false --bridge=none -H "$host" >"$dir/dockerd.log" 2>&1 < /dev/null &
  for _ in $(seq 1 120); do
    docker -H "$host" version >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker -H "$host" version >/dev/null 2>&1 || { tail -20 "$dir/dockerd.log" >&2; log "dockerd did not come up"; exit 1; }
fi

export DOCKER_HOST=$host
# the sidecar/test image is tiny; the runner image is built by the server itself (tests exercise that path)
if ! docker image inspect appstrate/sidecar:local >/dev/null 2>&1; then
  bash "$here/embedded-server/src/main/resources/docker/build-images.sh" sidecar appstrate/sidecar:local >/dev/null
fi
log "engine ready: $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"
echo "export DOCKER_HOST=$host"
