#!/usr/bin/env bash
# Desktop live log view (TestFX under Monocle, software rendering): lines/s shown, the longest FX pulse gap,
# the drain's wall and FX-thread CPU time, CSS+layout CPU, GC pauses and render-thread CPU per pulse while
# 100,000 lines stream, bytes allocated per line (FX thread, producer, others), stop-the-world collections (count,
# summed pause, MB copied), and the heap and RSS after 1,000,000 more.
# Usage: bench/live-log.sh
# Needs the build: mvn -B -ntp install -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d desktop-app/target/test-classes ] || { echo "build first: mvn -B -ntp install -DskipTests" >&2; exit 1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! mvn -B -ntp -q -pl desktop-app surefire:test -Dtest=LiveLogViewBench -Dbench.groups=bench -Dbench.excluded= \
    -Dsurefire.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
  tail -30 "$log" >&2
  echo "LiveLogViewBench failed: see desktop-app/target/surefire-reports" >&2
  exit 1
fi
grep -h '^\[bench\]' desktop-app/target/surefire-reports/*LiveLogViewBench-output.txt || {
  echo "LiveLogViewBench printed no result: see desktop-app/target/surefire-reports" >&2; exit 1; }
