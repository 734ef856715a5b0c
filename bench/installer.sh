#!/usr/bin/env bash
# Installed-app benchmark (root, Linux): sizes of the app-image and .deb, headless cold start of the
# installed launcher to the first /health 200 (with the AOT cache shipped by a JDK 25+ runtime or the class-data
# sharing archive postinst made for a JDK 17 one, with only the runtime's own archive, with none) against
# `java -jar` on the system JDK, and, when the desktop
# app is packaged, GUI launch to the first window and to the main window under Xvfb.
# Build first: mvn -B -ntp -Ppackage install -DskipTests   (dpkg's default xz compression, as released)
# Usage: bench/installer.sh [runs]   (default 5; medians; installs the .deb and removes it at the end)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
APP=/opt/appstrate-desktop
deb=$(ls packaging/target/installers/*.deb 2>/dev/null | head -1)
image=packaging/target/app-image/appstrate-desktop
[ -n "$deb" ] && [ -d "$image" ] || { echo "build first: mvn -B -ntp -Ppackage install -DskipTests" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root (dpkg -i)" >&2; exit 1; }

export BETTER_AUTH_SECRET=bench-secret UPLOAD_SIGNING_SECRET=bench-upload-secret-0123 LOG_LEVEL=warn
export CONNECTION_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64) HOST=127.0.0.1
PORT=${PORT:-$((20000 + RANDOM % 20000))}
export PORT
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; dpkg -P appstrate-desktop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
. bench/lib.sh
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

dpkg -i "$deb" >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -f -y -qq >/dev/null
cfg=$APP/lib/app/appstrate-desktop.cfg
jar=$APP/lib/app/$(sed -n 's/^app\.classpath=\$APPDIR\///p' "$cfg")
main=$(sed -n 's/^app\.mainclass=//p' "$cfg")
headless_arg=""
[ "$main" = dev.appstrate.desktop.Launcher ] && headless_arg=--headless

TICK=$(getconf CLK_TCK)
boot() { # $@ = command; prints "wall cpu": ms from exec to the first /health 200 on a fresh data folder, and the CPU ms the process used by then
  rm -rf "$work/data"
  local t0
  t0=$(now_ms)
  DATA_DIR="$work/data" "$@" >"$work/boot.log" 2>&1 &
  pid=$!
  until health_ok; do
    kill -0 $pid 2>/dev/null || { cat "$work/boot.log" >&2; exit 1; }
    tick
  done
  local wall=$(($(now_ms) - t0))
  echo "$wall $(awk -v t="$TICK" '{print int(($14 + $15) * 1000 / t)}' /proc/$pid/stat)"
  kill $pid
  wait $pid 2>/dev/null || true
  pid=""
}
series() { # $1 = label, rest = command
  local label=$1 walls=() cpus=() r
  shift
  boot "$@" >/dev/null # warm the page cache; not counted
  for _ in $(seq "$RUNS"); do
    r=$(boot "$@")
    walls+=("${r% *}")
    cpus+=("${r#* }")
  done
  printf '| %s | %s ms | %s ms | %s |\n' "$label" "$(printf '%s\n' "${walls[@]}" | median)" \
    "$(printf '%s\n' "${cpus[@]}" | median)" "${walls[*]}"
}

echo "| metric | value |"
echo "|---|---|"
echo "| app-image ($(basename "$image")) | $(du -sm "$image" | cut -f1) MB ($(du -sb "$image" | cut -f1) bytes) |"
echo "| .deb ($(basename "$deb")) | $(du -m "$deb" | cut -f1) MB ($(stat -c %s "$deb") bytes) |"
echo "| installed size (after postinst) | $(du -sm "$APP" | cut -f1) MB |"
echo "| packaged jar | $(basename "$jar"), main class $main |"
echo
echo "Headless cold start to the first /health 200 (fresh DATA_DIR each run, median of $RUNS; load average $(cut -d' ' -f1-3 /proc/loadavg);"
echo "the CPU column moves less with the machine's load than the wall time):"
echo
echo "| how | wall (median) | CPU used by then (median) | wall, all runs |"
echo "|---|---|---|---|"
series "installed appstrate-server ($(sed -n 's/^JAVA_VERSION=//p' "$APP/lib/runtime/release" | tr -d '"'), $([ -f "$APP/lib/app/appstrate.aot" ] && echo "AOT cache made at build time" || echo "CDS archive with the app's classes (postinst)"))" "$APP/bin/appstrate-server"
if [ -f "$APP/lib/app/appstrate.aot" ]; then
  # a JDK 25+ runtime: the AOT cache made at build time, against the runtime's own archive (JDK classes)
  JAVA_TOOL_OPTIONS="-XX:AOTMode=off" series "installed appstrate-server without its AOT cache (runtime's own CDS archive)" "$APP/bin/appstrate-server"
else
  # the archive as shipped (JDK classes only), straight from the package
  dpkg-deb --fsys-tarfile "$deb" | tar -xO ./opt/appstrate-desktop/lib/runtime/lib/server/classes.jsa >"$work/jdk-only.jsa"
  JAVA_TOOL_OPTIONS="-XX:SharedArchiveFile=$work/jdk-only.jsa" \
    series "installed appstrate-server, the runtime's own CDS archive (JDK classes)" "$APP/bin/appstrate-server"
fi
# (a launcher naming an AOT cache refuses -Xshare:off)
[ -f "$APP/lib/app/appstrate.aot" ] || JAVA_TOOL_OPTIONS=-Xshare:off series "installed appstrate-server, no CDS" "$APP/bin/appstrate-server"
series "java -cp <same jar> (system JDK $(java -version 2>&1 | head -1 | cut -d'"' -f2))" java -cp "$jar" "$main" $headless_arg
if [ -f embedded-server/target/appstrate-server.jar ]; then
  series "java -jar embedded-server/target/appstrate-server.jar" java -jar embedded-server/target/appstrate-server.jar
fi

if [ "$main" = dev.appstrate.desktop.Launcher ] && command -v Xvfb >/dev/null && command -v xwininfo >/dev/null; then
  disp=$((90 + RANDOM % 100))
  Xvfb ":$disp" -screen 0 1280x1024x24 -nolisten tcp >/dev/null 2>&1 &
  xpid=$!
  export DISPLAY=":$disp"
  until xwininfo -root >/dev/null 2>&1; do sleep 0.1; done
  firsts=(); mains=()
  for _ in $(seq "$RUNS"); do
    rm -rf "$work/gui" && mkdir -p "$work/gui/home"
    t0=$(now_ms)
    DATA_DIR="$work/gui/data" HOME="$work/gui/home" "$APP/bin/appstrate-desktop" >"$work/gui.log" 2>&1 &
    pid=$!
    until xwininfo -root -tree | grep -q '"Appstrate Desktop"'; do sleep 0.02; done
    firsts+=($(($(now_ms) - t0)))
    until xwininfo -root -tree | grep '"Appstrate Desktop"' | grep -q ' 1240x800'; do sleep 0.02; done
    mains+=($(($(now_ms) - t0)))
    kill $pid; wait $pid 2>/dev/null || true; pid=""
  done
  kill $xpid
  echo
  echo "GUI under Xvfb (software rendering), fresh data folder each run, median of $RUNS:"
  echo
  echo "| metric | median | runs |"
  echo "|---|---|---|"
  printf '| launch to first window (splash) | %s ms | %s |\n' "$(printf '%s\n' "${firsts[@]}" | median)" "${firsts[*]}"
  printf '| launch to main window shown | %s ms | %s |\n' "$(printf '%s\n' "${mains[@]}" | median)" "${mains[*]}"
fi
