#!/usr/bin/env python3
"""The server as its own process (java -jar appstrate-server.jar) holding N idle SSE streams on
/api/realtime/runs (no run, no events): its RSS and thread count, and /health and GET /api/agents p99
with the streams open. Complements SseSubscribersBench, whose server shares the test JVM.
Usage: bench/sse-server-rss.py [N=1000]   (needs embedded-server/target/appstrate-server.jar)"""
import http.client, json, os, shutil, socket, subprocess, sys, tempfile, time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
JAR = "embedded-server/target/appstrate-server.jar"
os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
if not os.path.exists(JAR):
    sys.exit("build first: mvn -B -ntp -pl embedded-server -am package -DskipTests")
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
data = tempfile.mkdtemp()
owner = "bench-owner-token-0123456789"
env = dict(os.environ, DATA_DIR=data, PORT=str(port), APPSTRATE_OWNER_TOKEN=owner, LOG_LEVEL="warn",
           BETTER_AUTH_SECRET="bench-auth-secret", UPLOAD_SIGNING_SECRET="bench-upload-secret-0123456789",
           CONNECTION_ENCRYPTION_KEY="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
log = open(os.path.join(tempfile.gettempdir(), "sse-server-rss.log"), "w")
srv = subprocess.Popen(["java", "-jar", JAR], env=env, stdout=log, stderr=subprocess.STDOUT)

def status(field):
    with open(f"/proc/{srv.pid}/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith(field + ":"))

def call(c, method, path, body=None, token=owner, app=None):
    h = {"Authorization": "Bearer " + token}
    if app: h["X-App-Id"] = app
    if body is not None: h["Content-Type"] = "application/json"
    c.request(method, path, body=body, headers=h)
    r = c.getresponse(); b = r.read()
    return r.status, b

def probe(c, path, n, app):
    t = []
    for _ in range(n):
        t0 = time.perf_counter(); code, _ = call(c, "GET", path, app=app); t.append((time.perf_counter() - t0) * 1000)
        assert code == 200, (path, code)
        time.sleep(0.02)
    t.sort(); return t[len(t) // 2], t[min(len(t) - 1, int(len(t) * 0.99))], t[-1]

socks = []
try:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(600):
        try:
            if call(c, "GET", "/health")[0] == 200: break
        except OSError:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        time.sleep(0.1)
    apps = json.loads(call(c, "GET", "/api/applications")[1])
    app = (apps["data"] if isinstance(apps, dict) else apps)[0]["id"]
    tokens = [owner]
    while len(tokens) * 180 < N:
        tokens.append(json.loads(call(c, "POST", "/api/api-keys", json.dumps({"name": f"bench-{len(tokens)}"}), app=app)[1])["key"])
    time.sleep(2)
    idle = (status("VmRSS") // 1024, status("Threads"), probe(c, "/health", 100, app), probe(c, "/api/agents", 100, app))
    for i in range(N):
        if srv.poll() is not None: sys.exit(f"server exited ({srv.returncode}) after {i} streams: see {data}")
        k = socket.create_connection(("127.0.0.1", port))
        k.sendall(f"GET /api/realtime/runs?token={tokens[i % len(tokens)]}&applicationId={app}&channels=run_log HTTP/1.0\r\n"
                  f"Host: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode())
        socks.append(k)
    ok = sum(1 for k in socks if b" 200 " in k.recv(4096).split(b"\r\n")[0])
    time.sleep(2)
    rss, thr = status("VmRSS") // 1024, status("Threads")
    h, a = probe(c, "/health", 200, app), probe(c, "/api/agents", 200, app)
    rss, thr = max(rss, status("VmRSS") // 1024), max(thr, status("Threads"))
    f = lambda t: "%.1f/%.1f/%.1f" % t
    print(f"BENCH sse-server-process streams={ok}/{N} credentials={len(tokens)} rss_idle_mb={idle[0]} threads_idle={idle[1]} "
          f"rss_streams_mb={rss} threads_streams={thr} health_idle_p50/p99/max_ms={f(idle[2])} api_idle={f(idle[3])} "
          f"health_streams={f(h)} api_streams={f(a)} load={os.getloadavg()[0]:.1f}")
finally:
    for k in socks: k.close()
    srv.terminate(); srv.wait(30)
    shutil.rmtree(data, ignore_errors=True)
