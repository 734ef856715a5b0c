#!/usr/bin/env bash
# Agent-development loop benchmarks (real embedded server, real runner subprocesses, scripted instant model):
#   save → re-validated   - prompt.md written → the folder's new check published on the FX thread (≤ 200 ms)
#   Run again → log line  - Ctrl+R → inline run → run detail's log source → first line on the FX thread (≤ 400 ms)
#   appstrate run cold    - java -jar appstrate-desktop.jar run ./agent, no server running → output printed (≤ 2.5 s)
#   appstrate run warm    - the same with --server pointing at a running server (≤ 600 ms)
# Usage: bench/agent-dev.sh            (BENCH_OPTS="-Dbench.rounds=20" for more samples)
# Needs the build: mvn -B -ntp install -DskipTests (the command benchmarks use desktop-app/target/appstrate-desktop.jar)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f desktop-app/target/appstrate-desktop.jar ] || { echo "build first: mvn -B -ntp install -DskipTests" >&2; exit 1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# -am: the server classes come from this checkout's reactor, not from an older install in ~/.m2
if ! mvn -B -ntp -q -pl desktop-app -am verify -Dtest=AgentDevBench -Dbench.groups=bench -Dbench.excluded= \
    -Dsurefire.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false ${BENCH_OPTS:-} >"$log" 2>&1; then
  tail -30 "$log" >&2
  echo "AgentDevBench failed: see desktop-app/target/surefire-reports" >&2
  exit 1
fi
grep -h '^BENCH' desktop-app/target/surefire-reports/*AgentDevBench-output.txt || {
  echo "AgentDevBench printed no result: see desktop-app/target/surefire-reports" >&2; exit 1; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
