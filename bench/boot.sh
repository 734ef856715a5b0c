#!/usr/bin/env bash
# Boot benchmark: cold boot (empty DATA_DIR), warm boot (existing DATA_DIR) to the first 200 on /health, the CPU
# time the JVM used by then (all its threads; moves far less than the wall time on a busy machine), the classes
# loaded by then (one more cold boot with -Xlog:class+load), and idle RSS 10 s after boot.
# Builds nothing: run `mvn -B -ntp install -DskipTests` first.
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

TICK=$(getconf CLK_TCK)
pid=""
ms=0
cpu=0
boot_once() { # $1 = data dir, rest = extra JVM options; sets $ms (to the first 200) and $cpu (JVM CPU ms by then), leaves the server running as $pid
  local t0 t1 dir=$1
  shift
  t0=$(now_ms)
  DATA_DIR="$dir" PORT=$PORT java $JAVA_OPTS "$@" -jar "$JAR" >"$work/server.log" 2>&1 &
  pid=$!
  until health_ok; do
    kill -0 $pid 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    tick
  done
  t1=$(now_ms)
  cpu=$(awk -v t="$TICK" '{print int(($14 + $15) * 1000 / t)}' /proc/$pid/stat)
  ms=$((t1 - t0))
}
stop_server() { kill $pid; wait $pid 2>/dev/null || true; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
cold=(); warm=(); cold_cpu=(); warm_cpu=()
for i in $(seq "$RUNS"); do
  rm -rf "$work/data"
  boot_once "$work/data"; cold+=("$ms"); cold_cpu+=("$cpu"); stop_server
  boot_once "$work/data"; warm+=("$ms"); warm_cpu+=("$cpu"); stop_server
done
# classes loaded by the first 200 (the log is read the moment /health answers; the warm-up that starts then adds a few)
rm -rf "$work/data"
boot_once "$work/data" "-Xlog:class+load:file=$work/classes.txt"
classes=$(wc -l <"$work/classes.txt")
stop_server
boot_once "$work/data"
sleep 10
[ -d /proc/$pid ] || { echo "server exited:"; cat "$work/server.log"; exit 1; } 
rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
stop_server

echo "JAVA_OPTS='$JAVA_OPTS', load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after"
echo
printf '| metric | median of %s | all runs |\n|---|---|---|\n' "$RUNS"
printf '| cold boot to first /health 200 | %s ms | %s |\n' "$(printf '%s\n' "${cold[@]}" | median)" "${cold[*]}"
printf '| JVM CPU used by then (cold) | %s ms | %s |\n' "$(printf '%s\n' "${cold_cpu[@]}" | median)" "${cold_cpu[*]}"
printf '| warm boot to first /health 200 | %s ms | %s |\n' "$(printf '%s\n' "${warm[@]}" | median)" "${warm[*]}"
printf '| JVM CPU used by then (warm) | %s ms | %s |\n' "$(printf '%s\n' "${warm_cpu[@]}" | median)" "${warm_cpu[*]}"
printf '| classes loaded by the first 200 (cold, one boot) | %s | |\n' "$classes"
printf '| idle RSS 10 s after boot | %s MB | |\n' "$((rss_kb / 1024))"
