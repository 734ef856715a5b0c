#!/usr/bin/env python3
"""The server as its own process (java -jar appstrate-server.jar) holding N idle SSE streams on
/api/realtime/runs (no run, no events): its RSS and thread count, and /health and GET /api/agents p99
with the streams open. Complements SseSubscribersBench, whose server shares the test JVM.
Usage: bench/sse-server-rss.py [N=1000]   (needs embedded-server/target/appstrate-server.jar)"""
import json, os, socket, sys, time
from benchserver import Server

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
srv = Server("sse-server-rss")
port, call, status = srv.port, srv.call, srv.status

def probe(c, path, n, app):
    t = []
    for _ in range(n):
        t0 = time.perf_counter(); code, _ = call(c, "GET", path, app=app); t.append((time.perf_counter() - t0) * 1000)
        assert code == 200, (path, code)
        time.sleep(0.02)
    t.sort(); return t[len(t) // 2], t[min(len(t) - 1, int(len(t) * 0.99))], t[-1]

socks = []
try:
    c = srv.wait_ready()
    app = srv.application(c)["id"]
    tokens = srv.credentials(c, app, N)
    time.sleep(2)
    idle = (status("VmRSS") // 1024, status("Threads"), probe(c, "/health", 100, app), probe(c, "/api/agents", 100, app))
    for i in range(N):
        if srv.proc.poll() is not None: sys.exit(f"server exited ({srv.proc.returncode}) after {i} streams: see {srv.log_path}")
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
    srv.stop()
