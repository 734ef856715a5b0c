#!/usr/bin/env bash
# Desktop live log view (TestFX under Monocle, software rendering): lines/s shown, the longest FX pulse gap,
# the drain's wall and FX-thread CPU time, CSS+layout CPU, GC pauses and render-thread CPU per pulse while
# 100,000 lines stream, bytes allocated per line (FX thread, producer, others), stop-the-world collections (count,
# summed pause, MB copied), the longest pulses one by one ([bench-pulse]: where each one's wall time went: FX-thread
# CPU in the drain and in CSS+layout, the render thread's and the producer's CPU, GC and JIT time in the same
# interval), and the heap and RSS after 1,000,000 more.
# Usage: [BENCH_JVM_OPTIONS="…"] bench/live-log.sh [--launcher]
#   --launcher  the test JVM as the installed window runs: the JDK 25+ in /usr/lib/jvm (or $LAUNCHER_JDK) with the
#               JVM options of packaging/jpackage/launcher.args (C1 only, its heap), then launcher-jdk25.args
#               (generational ZGC), as Packager gives them to a JDK 25+ runtime's window launcher, and the runtime's
#               native-access options (the installed app also maps its AOT cache, which a test class path cannot use)
#   BENCH_JVM_OPTIONS  more JVM options, after those (e.g. -XX:+UseZGC to try a collector)
# Needs the build: mvn -B -ntp install -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d desktop-app/target/test-classes ] || { echo "build first: mvn -B -ntp install -DskipTests" >&2; exit 1; }
jvm=()
extra=${BENCH_JVM_OPTIONS:-}
if [ "${1:-}" = "--launcher" ]; then
  jdk=${LAUNCHER_JDK:-$(ls -d /usr/lib/jvm/*2[5-9]*/ 2>/dev/null | head -1 || true)}
  [ -x "${jdk%/}/bin/java" ] || { echo "--launcher needs a JDK 25+: set LAUNCHER_JDK" >&2; exit 1; }
  opts=$(sed -n 's/^--java-options //p' packaging/jpackage/launcher.args packaging/jpackage/launcher-jdk25.args | tr '\n' ' ')
  jvm=(-Djvm="${jdk%/}/bin/java")
  extra="$opts --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow $extra"
  echo "test JVM: ${jdk%/}/bin/java $extra" >&2
fi
[ -z "$extra" ] || jvm+=("-Dbench.jvmOptions=$extra")
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! mvn -B -ntp -q -pl desktop-app surefire:test -Dtest=LiveLogViewBench -Dbench.groups=bench -Dbench.excluded= \
    -Dsurefire.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false "${jvm[@]}" >"$log" 2>&1; then
  tail -30 "$log" >&2
  echo "LiveLogViewBench failed: see desktop-app/target/surefire-reports" >&2
  exit 1
fi
grep -h '^\[bench' desktop-app/target/surefire-reports/*LiveLogViewBench-output.txt | grep -v '^\[bench-phase\]' || {
  echo "LiveLogViewBench printed no result: see desktop-app/target/surefire-reports" >&2; exit 1; }
