#!/usr/bin/env bash
# Run benchmarks (real server, real runner subprocesses, scripted instant model):
#   run overhead  - POST .../run to terminal success, median of 18 (bench.runs; the run route allows 20 a minute)
#   sse           - 1,000 SSE subscribers on one run (bench.subscribers) while 300 events go in at 50/s
#                   (bench.events, bench.rate); /health and GET /api/agents p99, threads, heap/RSS, all delivered
#   log fan-out   - 100,000 signed events into one run (bench.events) over 8 pipelining connections
#                   (bench.senders, bench.window) with 10 SSE subscribers (bench.subscribers); bench.rate=1000
#                   paces the senders to measure latency; bench.batch=100 sends 100 events per request as a
#                   CloudEvents batch (1 = the original's protocol); bench.sink=true sends through the runner's EventSink
#   team          - the same server on embedded SQLite and on PostgreSQL + Redis side by side (TeamServerBench):
#                   GET /api/agents p50/p99 and run overhead, requests alternating (needs APPSTRATE_TEST_POSTGRES_URL
#                   and APPSTRATE_TEST_REDIS_URL); fan-out across two instances: BENCH_OPTS=-Dbench.cluster=true ... fanout
#   inline        - POST /api/runs/inline to first log line / output / terminal on the live stream, median of 20
#                   (bench.runs): the running-server part of `appstrate run ./agent`
# Usage: bench/runs.sh [overhead|fanout|inline|sse|team|all]   e.g. BENCH_OPTS="-Dbench.events=20000 -Dbench.rate=1000" bench/runs.sh fanout
# Needs what the README's build command leaves behind: mvn -B -ntp install -DskipTests
# (the first run may download the test provider Maven skipped then; offline, add it once with network access)
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}
tests=()
case "$which" in
  overhead) tests=(RunOverheadBench) ;;
  fanout) tests=(LogFanoutBench) ;;
  inline) tests=(InlineRunBench) ;;
  sse) tests=(SseSubscribersBench) ;;
  team) tests=(TeamServerBench) ;;
  all) tests=(RunOverheadBench LogFanoutBench InlineRunBench) ;;
  *) echo "usage: $0 [overhead|fanout|inline|sse|team|all]" >&2; exit 2 ;;
esac
[ -d embedded-server/target/test-classes ] || { echo "build first: mvn -B -ntp install -DskipTests" >&2; exit 1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in "${tests[@]}"; do
  if ! mvn -B -ntp -q -pl embedded-server surefire:test -Dtest="$t" -Dsurefire.excludedGroups= \
      -Dsurefire.failIfNoSpecifiedTests=false ${BENCH_OPTS:-} >"$log" 2>&1; then
    tail -30 "$log" >&2
    if grep -q "offline\|Could not resolve\|Cannot access" "$log"; then
      echo "Maven could not fetch what the benchmark needs (network, or a local repository without the build):" \
        "run mvn -B -ntp install -DskipTests with network access first" >&2
    fi
    echo "$t failed: see embedded-server/target/surefire-reports" >&2
    exit 1
  fi
  grep -h '^BENCH' embedded-server/target/surefire-reports/*"$t"-output.txt || {
    echo "$t printed no result: see embedded-server/target/surefire-reports" >&2; exit 1; }
done
