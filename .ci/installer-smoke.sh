#!/usr/bin/env bash
# Installer smoke test (called from .ci/run, as root): builds the .deb with `mvn -Ppackage`, installs it
# with dpkg, runs the installed headless launcher (health, agent import + run against a scripted model,
# SIGTERM), starts the installed GUI under Xvfb and screenshots it, then uninstalls and checks nothing is
# left outside the data folder. Screenshots and logs go to target/ci-artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ART=$ROOT/target/ci-artifacts
PKG=appstrate-desktop
APP=/opt/appstrate-desktop
T0=$(date +%s)
mkdir -p "$ART"
step() { echo "== installer-smoke [$(($(date +%s) - T0)) s] $*"; }
fail() { echo "installer-smoke FAILED: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }
# waits up to $1 seconds for the command after it to succeed
wait_for() {
  local limit=$(($(date +%s) + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$limit" ] || return 1
    sleep 0.1
  done
}

[ "$(id -u)" = 0 ] || fail "run as root: it installs and removes a .deb"
work=$(mktemp -d /tmp/installer-smoke.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if dpkg -s "$PKG" >/dev/null 2>&1; then dpkg -P "$PKG" >/dev/null 2>&1 || true; fi
  cp "$work"/*.log "$ART/" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

step "tools"
need=()
command -v fakeroot >/dev/null || need+=(fakeroot)
command -v Xvfb >/dev/null || need+=(xvfb)
command -v xwininfo >/dev/null || need+=(x11-utils)
command -v import >/dev/null || need+=(imagemagick)
command -v curl >/dev/null || need+=(curl)
command -v python3 >/dev/null || need+=(python3)
command -v rpmbuild >/dev/null || need+=(rpm)
# what a desktop's menu package provides; without it xdg-desktop-menu has nowhere to put the entry
[ -d /usr/share/desktop-directories ] && [ -d /etc/xdg/menus ] || need+=(lxmenu-data)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

step "build the .deb and the .rpm: mvn -Ppackage"
# with a display (.ci/run's Xvfb) the window trains its own AOT cache; the GUI step checks that it did
build_display=${DISPLAY:-}
# gzip instead of dpkg's default xz: the same package in seconds instead of minutes (release builds keep xz)
export DPKG_DEB_COMPRESSOR_TYPE=${DPKG_DEB_COMPRESSOR_TYPE:-gzip}
mvn -B -ntp -q -Ppackage -pl packaging -am package -DskipTests -Djpackage.types=deb,rpm >"$work/build.log" 2>&1 \
  || { tail -50 "$work/build.log"; fail "mvn -Ppackage"; }
grep '^\[packager\]' "$work/build.log" | grep -v '^\[packager\] \$' || true
deb=$(ls packaging/target/installers/*.deb)
(cd packaging/target/installers && sha256sum -c SHA256SUMS) || fail "SHA256SUMS does not match"
# the .rpm is not installed here (Debian), but rpm installs the times it records: its jar must carry the time the
# app-image's jar had when the AOT cache was made from it (jpackage's own spec would record the copy's newer time)
imagejar=$(ls packaging/target/app-image/$PKG/lib/app/*.jar)
rpmjar=$(rpm -qp --qf '[%{FILEMTIMES} %{FILENAMES}\n]' packaging/target/installers/*.rpm 2>/dev/null | grep " $APP/lib/app/$(basename "$imagejar")$") \
  || fail "no $(basename "$imagejar") in the .rpm"
[ "${rpmjar%% *}" = "$(stat -c %Y "$imagejar")" ] || fail "the .rpm's jar time ${rpmjar%% *} is not the app-image's $(stat -c %Y "$imagejar")"

step "install $(basename "$deb") ($(du -m "$deb" | cut -f1) MB)"
if dpkg -s "$PKG" >/dev/null 2>&1; then dpkg -P "$PKG" >/dev/null; fi
if ! dpkg -i "$deb" >"$work/dpkg-install.log" 2>&1; then
  # the libraries it declares (GTK 3 for JavaFX, …) come from apt, as they would for a user
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -f -y -qq; } >>"$work/dpkg-install.log" 2>&1 \
    || { cat "$work/dpkg-install.log"; fail "dpkg -i"; }
fi
dpkg -s "$PKG" | grep -q '^Status: install ok installed' || fail "$PKG is not installed"
dpkg -L "$PKG" >"$ART/installed-files.txt"
[ -x /usr/bin/appstrate-server ] && [ -x /usr/bin/appstrate-desktop ] && [ -x /usr/bin/appstrate ] || fail "launchers not on PATH"
grep -q '^Name=Appstrate Desktop' /usr/share/applications/appstrate-desktop-appstrate-desktop.desktop || fail "no menu entry"
grep -q '^NoDisplay=true' /usr/share/applications/appstrate-desktop-appstrate-server.desktop || fail "server launcher shown in the menu"
jar=$(sed -n 's/^app\.classpath=\$APPDIR\///p' "$APP/lib/app/appstrate-desktop.cfg")
main=$(sed -n 's/^app\.mainclass=//p' "$APP/lib/app/appstrate-desktop.cfg")
if [ -f "$APP/lib/app/appstrate.aot" ]; then
  # a JDK 25+ runtime ships the AOT caches made at build time, one per set of JVM options: appstrate.aot for the
  # headless server and the command (serial collector), appstrate-desktop.aot for the window (generational ZGC).
  # Through each launcher (its own JVM options), -XX:AOTMode=on refuses to start if the installed app does not match
  # the cache it names, and the main class must come from it
  grep -q '^java-options=-XX:AOTCache=\$APPDIR/appstrate-desktop\.aot$' "$APP/lib/app/appstrate-desktop.cfg" \
    || fail "the window's launcher does not name its own AOT cache (appstrate-desktop.aot)"
  for l in appstrate appstrate-server appstrate-desktop; do
    cache=$(sed -n 's/^java-options=-XX:AOTCache=\$APPDIR\///p' "$APP/lib/app/$l.cfg")
    [ -n "$cache" ] && [ -f "$APP/lib/app/$cache" ] || fail "$l names no AOT cache, or a missing one (${cache:-none})"
    # a log file of its own: the launchers send the JVM's stdout logging nowhere (appstrate run's JSON is there)
    JAVA_TOOL_OPTIONS="-XX:AOTMode=on -Xlog:class+load=info:file=$work/cds-classes-$l.log" DISPLAY= "$l" --help \
      >"$work/cds-check-$l.log" 2>&1 || { tail -5 "$work/cds-check-$l.log"; fail "the AOT cache $cache is not usable by $l"; }
    grep -q "$main source: shared objects file" "$work/cds-classes-$l.log" || fail "the app's classes are not in $cache ($l)"
  done
else
  # postinst remade the runtime's archive with the app's classes for the installed class path: -Xshare:on
  # refuses to start if it does not match, and the main class must come from it
  "$APP/lib/runtime/bin/java" -Xshare:on -Xlog:class+load=info -cp "$APP/lib/app/$jar" "$main" --help \
    >"$work/cds-check.log" 2>&1 || { tail -5 "$work/cds-check.log"; fail "class-data sharing archive not usable"; }
  grep -q "$main source: shared objects file" "$work/cds-check.log" || fail "the app's classes are not in the CDS archive"
fi

step "headless: appstrate-server on port 0 with a fresh data folder"
python3 .ci/scripted-model.py >"$work/model.port" 2>"$work/model.log" &
pids+=($!)
wait_for 20 test -s "$work/model.port" || fail "scripted model did not start"
model_url="http://127.0.0.1:$(head -1 "$work/model.port")/v1"
owner=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
export BETTER_AUTH_SECRET=$(head -c 32 /dev/urandom | base64) UPLOAD_SIGNING_SECRET=$(head -c 32 /dev/urandom | base64)
export CONNECTION_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64) APPSTRATE_OWNER_TOKEN=$owner
export SYSTEM_PROVIDER_KEYS='[{"id":"smoke","providerId":"openai-compatible","baseUrlOverride":"'"$model_url"'","apiKey":"sk-smoke-test-key","models":[{"modelId":"scripted-model","isDefault":true}]}]'
# jpackage's own Linux launcher runs `rpm -qf`, `dpkg -S` and `dpkg -L` on every start (0.4-0.9 s); ours must not:
# package-manager stand-ins on PATH record any call
mkdir -p "$work/pm-shims"
for pm in dpkg dpkg-query rpm; do
  printf '#!/bin/sh\necho "%s $*" >>"%s"\nexit 1\n' "$pm" "$work/pm-calls" >"$work/pm-shims/$pm"
  chmod +x "$work/pm-shims/$pm"
done
DATA_DIR=$work/data PORT=0 HOST=127.0.0.1 PATH="$work/pm-shims:$PATH" appstrate-server >"$work/server.log" 2>&1 &
spid=$!
pids+=($spid)
wait_for 120 grep -qE 'ready.*http://127\.0\.0\.1:[0-9]+' "$work/server.log" || { cat "$work/server.log"; fail "server never ready"; }
url=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$work/server.log" | tail -1)
[ ! -s "$work/pm-calls" ] || fail "the installed launcher queried the package manager at start: $(cat "$work/pm-calls")"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/health")" = 200 ] || fail "/health is not 200"
api() { curl -sS -H "Authorization: Bearer $owner" -H "X-App-Id: $appid" "$@"; }
json() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {"d": d}))' "$1"; }
appid=$(curl -sS -H "Authorization: Bearer $owner" "$url/api/applications" \
  | json '[a["id"] for a in d["data"] if a.get("isDefault")][0]')

step "agent import + run against the scripted model ($model_url)"
python3 - "$work/smoke.afps" <<'EOF'
import json, sys, zipfile
manifest = {"name": "@local/smoke", "version": "1.0.0", "type": "agent", "schema_version": "0.1",
            "display_name": "Installer smoke test", "author": "ci", "dependencies": {},
            "runtime_tools": ["output", "log"],
            "output": {"schema": {"type": "object", "required": ["answer"],
                                  "properties": {"answer": {"type": "integer", "minimum": 0}}}}}
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("manifest.json", json.dumps(manifest))
    z.writestr("prompt.md", "Report the answer with the output tool.")
EOF
code=$(api -o "$work/import.json" -w '%{http_code}' -F "file=@$work/smoke.afps" "$url/api/packages/import")
[ "$code" = 201 ] || { cat "$work/import.json"; fail "import answered $code"; }
code=$(api -o "$work/run.json" -w '%{http_code}' -H 'Content-Type: application/json' -d '{"input":{}}' \
  "$url/api/agents/@local/smoke/run")
[ "$code" = 201 ] || { cat "$work/run.json"; fail "run answered $code"; }
run_id=$(json 'd["id"]' <"$work/run.json")
status=pending
for _ in 1 2 3 4 5 6; do
  api "$url/api/runs/$run_id?wait=30" >"$work/run.json"
  status=$(json 'd["status"]' <"$work/run.json")
  case "$status" in pending | running) ;; *) break ;; esac
done
[ "$status" = success ] || { cat "$work/run.json"; cat "$work/data/runs/$run_id/runner.log" 2>/dev/null || true; fail "run ended $status"; }
[ "$(json 'd["result"]["output"]["answer"]' <"$work/run.json")" = 42 ] || fail "run output is not the scripted answer"
echo "run $run_id: success, output $(json 'd["result"]["output"]' <"$work/run.json")"

step "SIGTERM"
kill -TERM "$spid"
rc=0
wait "$spid" || rc=$?
[ "$rc" = 0 ] || fail "the server exited $rc after SIGTERM"

if grep -q '^app.mainclass=dev.appstrate.desktop.Launcher' "$APP/lib/app/appstrate-desktop.cfg"; then
  step "GUI under Xvfb"
  disp=$((90 + RANDOM % 100))
  Xvfb ":$disp" -screen 0 1280x1024x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
  pids+=($!)
  export DISPLAY=":$disp"
  wait_for 20 xwininfo -root || fail "Xvfb did not start"
  window() { xwininfo -root -tree | grep '"Appstrate Desktop"' | grep -E "$1"; }
  gone() { ! kill -0 "$1"; }
  gui_jvm=
  if [ -f "$APP/lib/app/appstrate-desktop.aot" ]; then
    # the window must map its own cache (-XX:AOTMode=on refuses to start otherwise); its classes say who trained it
    gui_jvm="-XX:AOTMode=on -Xlog:class+load=info:file=$work/gui-classes.log"
  fi
  t0=$(now_ms)
  env ${gui_jvm:+"JAVA_TOOL_OPTIONS=$gui_jvm"} DATA_DIR="$work/gui-data" HOME="$work/home" appstrate-desktop >"$work/gui.log" 2>&1 &
  gpid=$!
  pids+=($gpid)
  wait_for 120 window . || { cat "$work/gui.log"; fail "no window"; }
  first=$(($(now_ms) - t0))
  wait_for 120 window ' 1240x800' || { cat "$work/gui.log"; xwininfo -root -tree | grep -i appstrate; fail "no main window"; }
  main=$(($(now_ms) - t0))
  echo "GUI: first window after $first ms, main window after $main ms" | tee "$ART/gui-launch.txt"
  sleep 3 # let the dashboard's first data arrive
  import -window root "$ART/gui-screen.png"
  wid=$(window ' 1240x800' | awk '{print $1}' | head -1)
  import -window "$wid" "$ART/gui-main-window.png"
  echo "screenshots: $ART/gui-main-window.png, $ART/gui-screen.png"
  if [ -n "$gui_jvm" ] && [ -n "$build_display" ]; then
    # a headless training never loads JavaFX: the window's cache must hold it when the build had a display
    grep -q ' javafx\.stage\.Stage source: shared objects file' "$work/gui-classes.log" \
      || fail "javafx.stage.Stage is not in appstrate-desktop.aot: the build had DISPLAY=$build_display, but the window did not train its cache (build.log: $(grep 'window training\|AOT cache appstrate-desktop' "$work/build.log" | tr '\n' ' '))"
  fi
  kill -TERM "$gpid" 2>/dev/null || true
  if ! wait_for 60 gone "$gpid"; then
    kill -KILL "$gpid" 2>/dev/null || true
    fail "the window did not exit within 60 s of SIGTERM"
  fi
  wait "$gpid" 2>/dev/null || true
  unset DISPLAY
else
  step "GUI: skipped, the packaged jar is the headless server (desktop-app/target/appstrate-desktop.jar not built)"
fi

step "uninstall: dpkg -r"
dpkg -r "$PKG" >"$work/dpkg-remove.log" 2>&1 || { cat "$work/dpkg-remove.log"; fail "dpkg -r"; }
left=()
while read -r f; do
  if [ -d "$f" ]; then
    case "$f" in "$APP" | "$APP"/*) left+=("$f") ;; esac # shared folders such as /opt stay
  elif [ -e "$f" ] || [ -L "$f" ]; then
    left+=("$f")
  fi
done <"$ART/installed-files.txt"
for f in "$APP" /usr/bin/appstrate-server /usr/bin/appstrate-desktop /usr/share/applications/appstrate-desktop-*.desktop; do
  if [ -e "$f" ] || [ -L "$f" ]; then left+=("$f"); fi
done
[ ${#left[@]} -eq 0 ] || fail "left behind after dpkg -r: ${left[*]}"
[ -f "$work/data/appstrate.db" ] || fail "the user's data folder was touched"
dpkg -P "$PKG" >/dev/null

step "passed"
echo "installer-smoke: 1 passed, 0 failed"
