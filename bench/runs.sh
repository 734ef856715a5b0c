#!/usr/bin/env bash
# Run benchmarks (real server, real runner subprocesses, scripted instant model):
#   run overhead  - POST .../run to terminal success, median of 18 (bench.runs; the run route allows 20 a minute)
#   log fan-out   - 100,000 signed events into one run (bench.events) with 10 SSE subscribers
# Usage: bench/runs.sh [overhead|fanout|all]   (needs `mvn -B -ntp install -DskipTests` first)
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}
tests=()
case "$which" in
  overhead) tests=(RunOverheadBench) ;;
  fanout) tests=(LogFanoutBench) ;;
  all) tests=(RunOverheadBench LogFanoutBench) ;;
  *) echo "usage: $0 [overhead|fanout|all]" >&2; exit 2 ;;
esac
for t in "${tests[@]}"; do
  mvn -B -ntp -q -o -pl embedded-server surefire:test -Dtest="$t" -Dsurefire.excludedGroups= \
      -Dsurefire.failIfNoSpecifiedTests=false ${BENCH_OPTS:-} >/dev/null || true
  grep -h '^BENCH' embedded-server/target/surefire-reports/*"$t"-output.txt || {
    echo "$t failed: see embedded-server/target/surefire-reports" >&2; exit 1; }
done
