#!/usr/bin/env bash
# Docker run start-up: the adapter's start → agent container running, with SIDECAR_POOL_SIZE=0 and =2
# (median of 10 each, after one warm-up run), and the sidecar's share of it. Needs a Docker engine:
# eval "$(bash .ci/docker-up.sh)" first. The run pipeline's own overhead (admission, env) is not included.
# Usage: bench/docker-run-start.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-10}
if [ -z "${DOCKER_HOST:-}" ] && [ ! -S /var/run/docker.sock ]; then
  echo "needs a Docker engine: eval \"\$(bash .ci/docker-up.sh)\"  (or set DOCKER_HOST)" >&2
  exit 1
fi
out=$(pwd)/bench/results/docker-run-start.txt
mkdir -p "$(dirname "$out")"
mvn -B -ntp -q -pl agent-runner install -DskipTests
mvn -B -ntp -q -pl embedded-server test -Dtest=DockerRunStartBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.runs="$RUNS" -Dbench.out="$out"
cat "$out"
