#!/usr/bin/env bash
# Builds Appstrate's local images without any registry: a root file system in a folder, tarred,
# then `docker import`ed. The server runs this script too when an image it needs is missing.
#
#   build-images.sh sidecar <tag> [--digest <d>]
#       busybox (Debian's busybox-static) + /sidecar.sh: TCP relays from the agent's network to the platform.
#   build-images.sh runner <tag> --classpath <jar|dir>[:<jar|dir>...] [--java-home <dir>] [--digest <d>]
#       a jlink'd Java runtime (or a copy of --java-home when jlink is absent) + the agent-runner classpath
#       + the shared libraries ldd lists + busybox for /bin/sh; runs as uid 1001 in /workspace.
#
# Env: DOCKER_HOST (as the docker CLI reads it), BUSYBOX (a static busybox binary; default: found on PATH).
# Prints progress to stderr and, on success, the image tag on stdout.
set -euo pipefail

die() { echo "build-images: $*" >&2; exit 1; }
say() { echo "build-images: $*" >&2; }

[ $# -ge 2 ] || die "usage: $0 sidecar|runner <tag> [--classpath CP] [--java-home DIR]"
kind=$1; tag=$2; shift 2
classpath=""; java_home=""; digest=""
while [ $# -gt 0 ]; do
  case "$1" in
    --classpath) classpath=$2; shift 2 ;;
    --java-home) java_home=$2; shift 2 ;;
    --digest) digest=$2; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done

command -v docker >/dev/null || die "the docker CLI is not installed (Debian/Ubuntu: apt-get install docker.io)"

find_busybox() {
  local b=${BUSYBOX:-}
  for c in "$b" /bin/busybox /usr/bin/busybox "$(command -v busybox 2>/dev/null || true)"; do
    [ -n "$c" ] && [ -x "$c" ] || continue
    # a dynamically linked busybox would need its libraries in the image: insist on a static one
    if ! ldd "$c" >/dev/null 2>&1; then echo "$c"; return 0; fi
  done
  die "no static busybox found: install Debian's busybox-static (apt-get install busybox-static) or set BUSYBOX=<path>"
}

# Copies the shared libraries a binary needs (as ldd lists them) into the root file system.
copy_libs() {
  local root=$1; shift
  local f lib
  for f in "$@"; do
    ldd "$f" 2>/dev/null | grep -oE '(/[^ ]+)' | while read -r lib; do
      case "$lib" in "$root"/*) continue ;; esac
      [ -e "$lib" ] || continue
      if [ ! -e "$root$lib" ]; then
        mkdir -p "$root$(dirname "$lib")"
        cp -L "$lib" "$root$lib"
      fi
    done
  done
}

base_root() {
  local root=$1 bb
  bb=$(find_busybox)
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/workspace" "$root/proc" "$root/sys" "$root/dev"
  chmod 1777 "$root/tmp"
  cp "$bb" "$root/bin/busybox"
  for a in $("$root/bin/busybox" --list); do
    [ "$a" = busybox ] || ln -sf busybox "$root/bin/$a"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nagent:x:1001:1001:agent:/workspace:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' > "$root/etc/passwd"
  printf 'root:x:0:\nagent:x:1001:\nnobody:x:65534:\n' > "$root/etc/group"
}

# Tars the folder with root ownership, except /workspace which belongs to the agent user (uid 1001).
import_root() {
  local root=$1 tag=$2; shift 2
  local tarball=$root.tar
  tar -C "$root" --numeric-owner --owner=0 --group=0 --exclude=./workspace -cf "$tarball" .
  tar -C "$root" --numeric-owner --owner=1001 --group=1001 --no-recursion -rf "$tarball" ./workspace
  say "importing $tag ($(du -h "$tarball" | cut -f1))"
  docker import "$@" "$tarball" "$tag" >/dev/null
  rm -f "$tarball"
}

work=$(mktemp -d "${TMPDIR:-/tmp}/appstrate-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/rootfs

case "$kind" in
  sidecar)
    base_root "$root"
    cat > "$root/sidecar.sh" <<'SH'
#!/bin/sh
# RELAYS="8080=host:port 8081=host:port": each listening port forwards every connection to its upstream
# (busybox nc: -ll keeps listening, -e runs one relaying nc per connection).
[ -n "$RELAYS" ] || { echo '{"level":"error","msg":"RELAYS is not set"}' >&2; exit 2; }
for r in $RELAYS; do
  port=${r%%=*}; up=${r#*=}
  nc -ll -p "$port" -e nc "${up%:*}" "${up##*:}" &
  echo "{\"level\":\"info\",\"msg\":\"relay listening\",\"port\":$port,\"upstream\":\"$up\"}"
done
trap 'kill $(jobs -p) 2>/dev/null; exit 0' TERM INT
wait
# a relay died: exit, so the container shows as broken and is never handed to a run
echo '{"level":"error","msg":"relay stopped"}' >&2
exit 1
SH
    chmod 755 "$root/sidecar.sh"
    import_root "$root" "$tag" -c 'ENV PATH=/bin' -c 'USER 65534:65534' -c 'EXPOSE 8080' \
      -c 'ENTRYPOINT ["/sidecar.sh"]' -c 'LABEL appstrate.image=sidecar' -c "LABEL appstrate.build.digest=${digest:-none}"
    ;;
  runner)
    [ -n "$classpath" ] || die "runner needs --classpath (the agent-runner jar and its dependencies)"
    java_home=${java_home:-${JAVA_HOME:-}}
    if [ -z "$java_home" ]; then
      java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    fi
    [ -x "$java_home/bin/java" ] || die "no Java runtime at $java_home (set --java-home or JAVA_HOME)"
    base_root "$root"
    mkdir -p "$root/app/lib"
    cp_in=""
    i=0
    IFS=: read -r -a entries <<< "$classpath"
    for e in "${entries[@]}"; do
      [ -n "$e" ] || continue
      i=$((i + 1))
      if [ -d "$e" ]; then
        mkdir -p "$root/app/lib/c$i"; cp -R "$e/." "$root/app/lib/c$i/"; cp_in="$cp_in:/app/lib/c$i"
      elif [ -f "$e" ]; then
        cp "$e" "$root/app/lib/$i-$(basename "$e")"; cp_in="$cp_in:/app/lib/$i-$(basename "$e")"
      else
        die "classpath entry not found: $e"
      fi
    done
    cp_in=${cp_in#:}
    jlink_bin=""
    for c in "$java_home/bin/jlink" "$(command -v jlink 2>/dev/null || true)"; do
      [ -n "$c" ] && [ -x "$c" ] && { jlink_bin=$c; break; }
    done
    if [ -n "$jlink_bin" ]; then
      jdeps_bin=$(dirname "$jlink_bin")/jdeps
      mods=$("$jdeps_bin" --ignore-missing-deps --print-module-deps --multi-release 17 -cp "$classpath" \
              $(printf '%s ' "${entries[@]}") 2>/dev/null | tail -1 || true)
      # jdk.crypto.ec for TLS to model APIs; jdk.zipfs so jars can be read as file systems
      mods="${mods:-java.base,java.net.http},jdk.crypto.ec,jdk.zipfs"
      say "jlink modules: $mods"
      "$jlink_bin" --add-modules "$mods" --strip-debug --no-man-pages --no-header-files --compress=2 \
        --output "$root/opt/java"
    else
      say "jlink not found: copying the whole runtime $java_home"
      mkdir -p "$root/opt"; cp -RL "$java_home" "$root/opt/java"
    fi
    copy_libs "$root" "$root/opt/java/bin/java" $(find "$root/opt/java/lib" -name '*.so' -type f)
    cat > "$root/app/run.sh" <<SH
#!/bin/sh
exec /opt/java/bin/java \${JAVA_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto} -cp $cp_in dev.appstrate.runner.AgentRunner "\$@"
SH
    chmod 755 "$root/app/run.sh"
    # a class-data archive makes the JVM start faster; best effort
    "$root/opt/java/bin/java" -Xshare:dump >/dev/null 2>&1 || true
    import_root "$root" "$tag" -c 'ENV PATH=/opt/java/bin:/bin' -c 'ENV JAVA_HOME=/opt/java' -c 'ENV LANG=C.UTF-8' \
      -c 'ENV WORKSPACE_DIR=/workspace' -c 'USER 1001:1001' -c 'WORKDIR /workspace' \
      -c 'ENTRYPOINT ["/app/run.sh"]' -c 'LABEL appstrate.image=runner' -c "LABEL appstrate.build.digest=${digest:-none}"
    ;;
  *) die "unknown image kind '$kind' (sidecar or runner)" ;;
esac
say "built $tag"
echo "$tag"
