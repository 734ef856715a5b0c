#!/usr/bin/env bash
# API load benchmark with wrk: GET /health and an API-key-authenticated GET /api/agents (5 agents installed),
# 2 threads, 20 connections, 15 s each after a 5 s warm-up; prints req/s, p50, p99 and the server's RSS after load.
# Builds nothing: run `mvn -B -ntp install -DskipTests` first. Needs Debian's wrk (apt-get install -y wrk) and curl.
# Usage: bench/api-load.sh        env: JAR, JAVA_OPTS, DURATION (15s), THREADS (2), CONNECTIONS (20),
#        SERVER (a command that starts the server instead of java -jar, e.g. /opt/appstrate-desktop/bin/appstrate-server)
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-embedded-server/target/appstrate-server.jar}
JAVA_OPTS=${JAVA_OPTS:-}
DURATION=${DURATION:-15s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-20}
SERVER=${SERVER:-}
[ -n "$SERVER" ] || [ -f "$JAR" ] || { echo "missing $JAR: run mvn -B -ntp install -DskipTests" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is required: apt-get install -y wrk" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is required" >&2; exit 1; }

export BETTER_AUTH_SECRET=bench-secret UPLOAD_SIGNING_SECRET=bench-upload-secret-0123
export CONNECTION_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64) LOG_LEVEL=warn
export APPSTRATE_OWNER_TOKEN=bench-owner-token-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
PORT=${PORT:-$((20000 + RANDOM % 20000))}
BASE="http://127.0.0.1:$PORT"
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT

if [ -n "$SERVER" ]; then
  DATA_DIR="$work/data" PORT=$PORT HOST=127.0.0.1 $SERVER >"$work/server.log" 2>&1 &
else
  DATA_DIR="$work/data" PORT=$PORT java $JAVA_OPTS -jar "$JAR" >"$work/server.log" 2>&1 &
fi
pid=$!
until curl -sf -o /dev/null "$BASE/health"; do
  kill -0 $pid 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.05
done

owner=(-H "Authorization: Bearer $APPSTRATE_OWNER_TOKEN" -H "Content-Type: application/json")
app=$(curl -sf "${owner[@]}" "$BASE/api/applications" | sed -n 's/.*"id":"\(app_[^"]*\)".*"isDefault":true.*/\1/p')
[ -n "$app" ] || { echo "no default application" >&2; exit 1; }
for i in 1 2 3 4 5; do
  curl -sf -o /dev/null "${owner[@]}" -H "X-App-Id: $app" -X POST "$BASE/api/packages/agents" -d "{\"manifest\":{\"name\":\"@bench/agent-$i\",
    \"type\":\"agent\",\"version\":\"1.0.$i\",\"schema_version\":\"0.1\",\"display_name\":\"Bench agent $i\",\"author\":\"bench\",
    \"description\":\"Agent $i of the load benchmark\",\"keywords\":[\"bench\",\"load\"],
    \"input\":{\"schema\":{\"type\":\"object\",\"properties\":{\"topic\":{\"type\":\"string\"}},\"required\":[\"topic\"]}}},
    \"content\":\"# Agent $i\\n\\nSummarise the topic.\\n\"}"
done
key=$(curl -sf "${owner[@]}" -H "X-App-Id: $app" -X POST "$BASE/api/api-keys" -d '{"name":"bench","scopes":["agents:read"]}' \
  | sed -n 's/.*"key":"\(ask_[0-9a-f]*\)".*/\1/p')
[ -n "$key" ] || { echo "no API key" >&2; exit 1; }
count=$(curl -sf -H "Authorization: Bearer $key" "$BASE/api/agents" | grep -o '"id":"@bench/' | wc -l)
[ "$count" = 5 ] || { echo "expected 5 agents, got $count" >&2; exit 1; }

run() { # $1 = label, $2 = path, rest = wrk args
  local label=$1 path=$2; shift 2
  local out="$work/$(echo "$label" | tr -c 'a-zA-Z0-9' '_').txt"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "$@" "$BASE$path" >/dev/null   # warm-up (JIT, caches)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$BASE$path" >"$out"
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$out")
  p50=$(awk '$1=="50%" {print $2}' "$out")
  p99=$(awk '$1=="99%" {print $2}' "$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$out")
  printf '| %s | %s | %s | %s | %s |\n' "$label" "$rps" "$p50" "$p99" "${non2xx:-0}"
}

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after a 5 s warm-up); $(nproc) CPUs; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| endpoint | req/s | p50 | p99 | non-2xx |\n|---|---|---|---|---|\n'
run "GET /health" /health
run "GET /api/agents (API key, 5 agents)" /api/agents -H "Authorization: Bearer $key"
rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
echo
echo "server RSS after load: $((rss_kb / 1024)) MB (${SERVER:-java -jar, JAVA_OPTS='${JAVA_OPTS}'})"
kill $pid; wait $pid 2>/dev/null || true; pid=""
