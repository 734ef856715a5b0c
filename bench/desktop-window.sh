#!/usr/bin/env bash
# Desktop window benchmark, measured from outside as a user sees it, in a real X window under a window manager:
# the window appears (start-up progress, title "Appstrate Desktop — starting…"), the main window is usable
# (title becomes "Appstrate Desktop" once the app's screens are in place), and the window is gone after close
# (Alt+F4 through openbox, as a user closes it). First launch = fresh data folder; later launch = same folder.
# Builds nothing: run `mvn -B -ntp install -DskipTests` first. Needs Xvfb, openbox, xdotool.
# Usage: bench/desktop-window.sh [runs]   (default 5; prints medians). JAVA_OPTS passes JVM options (e.g. CDS).
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-desktop-app/target/appstrate-desktop.jar}
RUNS=${1:-5}
JAVA_OPTS=${JAVA_OPTS:-}
[ -f "$JAR" ] || { echo "missing $JAR: run mvn -B -ntp install -DskipTests" >&2; exit 1; }
for tool in Xvfb openbox xdotool; do command -v $tool >/dev/null || { echo "needs $tool (apt-get install xvfb openbox xdotool)" >&2; exit 1; }; done

work=$(mktemp -d)
disp=$((300 + RANDOM % 200))
Xvfb ":$disp" -screen 0 1280x1024x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb=$!
for _ in $(seq 100); do [ -e "/tmp/.X11-unix/X$disp" ] && break; sleep 0.05; done
DISPLAY=":$disp" openbox >"$work/openbox.log" 2>&1 &
wm=$!
export DISPLAY=":$disp"
pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; kill $wm $xvfb 2>/dev/null; rm -rf "$work"' EXIT
sleep 1 # openbox manages windows from now on

now_ms() { local t=${EPOCHREALTIME/./}; echo "${t:0:-3}"; }
# polling forks xdotool: every 20 ms is ~2 % of one core, well under what the app's own start-up uses
visible() { xdotool search --onlyvisible --name "$1" 2>/dev/null | head -1; }

appear=0; usable=0; gone=0; exited=0
launch_once() { # $1 = data dir
  local t0 w
  t0=$(now_ms)
  DATA_DIR="$1" LOG_LEVEL=warn java $JAVA_OPTS -jar "$JAR" >"$work/app.log" 2>&1 &
  pid=$!
  until [ -n "$(visible '^Appstrate Desktop')" ]; do kill -0 $pid 2>/dev/null || { cat "$work/app.log" >&2; exit 1; }; sleep 0.02; done
  appear=$(( $(now_ms) - t0 ))
  until w=$(visible '^Appstrate Desktop$') && [ -n "$w" ]; do kill -0 $pid 2>/dev/null || { cat "$work/app.log" >&2; exit 1; }; sleep 0.02; done
  usable=$(( $(now_ms) - t0 ))
  sleep 1 # the user looks at it; the app finishes its first page's loading
  xdotool windowactivate --sync "$w" >/dev/null 2>&1 || true
  t0=$(now_ms)
  xdotool key --clearmodifiers alt+F4
  while [ -n "$(visible '^Appstrate Desktop')" ]; do sleep 0.01; done
  gone=$(( $(now_ms) - t0 ))
  wait $pid 2>/dev/null || true
  exited=$(( $(now_ms) - t0 ))
  pid=""
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

fa=(); fu=(); la=(); lu=(); g=(); x=()
for i in $(seq "$RUNS"); do
  rm -rf "$work/data"
  launch_once "$work/data"; fa+=("$appear"); fu+=("$usable"); g+=("$gone"); x+=("$exited")
  launch_once "$work/data"; la+=("$appear"); lu+=("$usable"); g+=("$gone"); x+=("$exited")
done

printf 'load average at end: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '| metric | median of %s | all runs |\n|---|---|---|\n' "$RUNS"
printf '| first launch: window with start-up progress appears | %s ms | %s |\n' "$(printf '%s\n' "${fa[@]}" | median)" "${fa[*]}"
printf '| first launch: main window usable | %s ms | %s |\n' "$(printf '%s\n' "${fu[@]}" | median)" "${fu[*]}"
printf '| later launch: window appears | %s ms | %s |\n' "$(printf '%s\n' "${la[@]}" | median)" "${la[*]}"
printf '| later launch: main window usable | %s ms | %s |\n' "$(printf '%s\n' "${lu[@]}" | median)" "${lu[*]}"
printf '| close (Alt+F4): window gone | %s ms | %s |\n' "$(printf '%s\n' "${g[@]}" | median)" "${g[*]}"
printf '| close: process exited (server stopped) | %s ms | %s |\n' "$(printf '%s\n' "${x[@]}" | median)" "${x[*]}"
