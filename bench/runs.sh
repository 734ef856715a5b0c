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
#   latency       - p99 ingest latency at 1,000 events/s (bench.rate) over 60,000 events (bench.events) from a COLD server
#                   in its own process, as users run it: SERVER="command line" (default: this JDK's
#                   java -jar embedded-server/target/appstrate-server.jar; e.g. SERVER="java -XX:TieredStopAtLevel=1 -jar …"
#                   or SERVER=/opt/appstrate-desktop/bin/appstrate-server), the runner's EventSink and 10 subscribers in
#                   the test JVM, warmed first against a throwaway server (bench.clientWarmup=20000); prints the p99 of
#                   every 10 s and the server process's CPU. The same server in the test JVM: fanout with
#                   BENCH_OPTS="-Dbench.rate=1000 -Dbench.sink=true -Dbench.events=60000"
#   inline        - POST /api/runs/inline to first log line / output / terminal on the live stream, median of 20
#                   (bench.runs): the running-server part of `appstrate run ./agent`
# Usage: bench/runs.sh [overhead|fanout|latency|inline|sse|team|all]   e.g. BENCH_OPTS="-Dbench.events=20000 -Dbench.rate=1000" bench/runs.sh fanout
# Needs what the README's build command leaves behind: mvn -B -ntp install -DskipTests
# (the first run may download the test provider Maven skipped then; offline, add it once with network access)
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}
tests=()
case "$which" in
  overhead) tests=(RunOverheadBench) ;;
  fanout) tests=(LogFanoutBench) ;;
  latency) tests=(ServerProcessLatencyBench) ;;
  inline) tests=(InlineRunBench) ;;
  sse) tests=(SseSubscribersBench) ;;
  team) tests=(TeamServerBench) ;;
  all) tests=(RunOverheadBench LogFanoutBench InlineRunBench) ;;
  *) echo "usage: $0 [overhead|fanout|latency|inline|sse|team|all]" >&2; exit 2 ;;
esac
[ -d embedded-server/target/test-classes ] || { echo "build first: mvn -B -ntp install -DskipTests" >&2; exit 1; }
server=()
if [ "$which" = latency ]; then
  if [ -n "${SERVER:-}" ]; then
    server=("-Dbench.server=$SERVER")
  else
    [ -f embedded-server/target/appstrate-server.jar ] || {
      echo "no embedded-server/target/appstrate-server.jar: build first (mvn -B -ntp install -DskipTests) or set SERVER" >&2; exit 1; }
  fi
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in "${tests[@]}"; do
  if ! mvn -B -ntp -q -pl embedded-server surefire:test -Dtest="$t" -Dsurefire.excludedGroups= \
      -Dsurefire.failIfNoSpecifiedTests=false ${server[@]+"${server[@]}"} ${BENCH_OPTS:-} >"$log" 2>&1; then
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
