#!/usr/bin/env bash
# Starts S3Proxy (Maven Central org.gaul:s3proxy, filesystem provider) on loopback with its own folder and a free
# port, for the S3 storage tests. Prints the 'export …' lines on stdout; its pid file is "$dir/s3proxy.pid".
# Usage: eval "$(bash .ci/s3proxy-up.sh)"; stop with: kill "$(cat "$APPSTRATE_TEST_S3_DIR/s3proxy.pid")"
set -euo pipefail
version=4.1.0
jar="$HOME/.m2/repository/org/gaul/s3proxy/$version/s3proxy-$version-jar-with-dependencies.jar"
if [ ! -f "$jar" ]; then
  mvn -B -q -ntp dependency:get -Dartifact="org.gaul:s3proxy:$version:jar:jar-with-dependencies" -Dtransitive=false >&2
fi
dir=$(mktemp -d /tmp/ci-s3proxy.XXXXXX)
mkdir -p "$dir/data"
key=appstrate-test
secret="appstrate-test-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
for _ in $(seq 20); do  # a port nothing answers on, then S3Proxy binds it or we try another
  p=$((20000 + RANDOM % 30000))
  (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
  cat >"$dir/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$p
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$key
s3proxy.credential=$secret
jclouds.provider=filesystem
jclouds.filesystem.basedir=$dir/data
CONF
  java -jar "$jar" --properties "$dir/s3proxy.conf" >"$dir/s3proxy.log" 2>&1 </dev/null &
  echo $! >"$dir/s3proxy.pid"
  for _ in $(seq 150); do  # Jetty binds the port once S3Proxy is ready to serve
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "export APPSTRATE_TEST_S3_ENDPOINT=http://127.0.0.1:$p"
      echo "export APPSTRATE_TEST_S3_ACCESS_KEY=$key"
      echo "export APPSTRATE_TEST_S3_SECRET_KEY=$secret"
      echo "export APPSTRATE_TEST_S3_DIR=$dir"
      exit 0
    fi
    kill -0 "$(cat "$dir/s3proxy.pid")" 2>/dev/null || break
    sleep 0.2
  done
  kill "$(cat "$dir/s3proxy.pid")" 2>/dev/null || true
done
echo "S3Proxy did not start: $(tail -3 "$dir/s3proxy.log" 2>/dev/null)" >&2
exit 1
