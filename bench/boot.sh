#!/usr/bin/env bash
# Boot benchmark: cold boot (empty DATA_DIR), warm boot (existing DATA_DIR) to the first 200 on /health,
# and idle RSS 10 s after boot. Builds nothing: run `mvn -B -ntp install -DskipTests` first.
# Usage: bench/boot.sh [runs]   (default 5 runs each; prints medians)
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-embedded-server/target/appstrate-server.jar}
RUNS=${1:-5}
JAVA_OPTS=${JAVA_OPTS:-}
[ -f "$JAR" ] || { echo "missing $JAR: run mvn -B -ntp install -DskipTests" >&2; exit 1; }

export BETTER_AUTH_SECRET=bench-secret UPLOAD_SIGNING_SECRET=bench-upload-secret-0123
export CONNECTION_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64) LOG_LEVEL=warn
PORT=${PORT:-$((20000 + RANDOM % 20000))}
work=$(mktemp -d)
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
. bench/lib.sh

pid=""
ms=0
boot_once() { # $1 = data dir; sets $ms to the time to first 200, leaves the server running as $pid
  local t0 t1
  t0=$(now_ms)
  DATA_DIR="$1" PORT=$PORT java $JAVA_OPTS -jar "$JAR" >"$work/server.log" 2>&1 &
  pid=$!
  until health_ok; do
    kill -0 $pid 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    tick
  done
  t1=$(now_ms)
  ms=$((t1 - t0))
}
stop_server() { kill $pid; wait $pid 2>/dev/null || true; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

cold=(); warm=()
for i in $(seq "$RUNS"); do
  rm -rf "$work/data"
  boot_once "$work/data"; cold+=("$ms"); stop_server
  boot_once "$work/data"; warm+=("$ms"); stop_server
done
boot_once "$work/data"
sleep 10
[ -d /proc/$pid ] || { echo "server exited:"; cat "$work/server.log"; exit 1; } 
rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
stop_server

printf '| metric | median of %s | all runs |\n|---|---|---|\n' "$RUNS"
printf '| cold boot to first /health 200 | %s ms | %s |\n' "$(printf '%s\n' "${cold[@]}" | median)" "${cold[*]}"
printf '| warm boot to first /health 200 | %s ms | %s |\n' "$(printf '%s\n' "${warm[@]}" | median)" "${warm[*]}"
printf '| idle RSS 10 s after boot | %s MB | |\n' "$((rss_kb / 1024))"
