#!/usr/bin/env python3
"""Hostile SSE viewers against the server as its own process (java -Xmx256m -jar appstrate-server.jar): a finished run
with an ~18 MB log (600 lines of 30 KB, seeded into its SQLite file), then
  1. N viewers (default 200) replaying it at once and reading it whole,
  2. N viewers replaying it and reading nothing (stalled), then all dropped mid-replay,
  3. a slow reader (64 KB/s) beside them.
Reports the Java heap after a full GC (jcmd GC.heap_info), RSS, threads (jcmd Thread.print) and open fds before, during
and after, /health latency while the viewers are open, and whether every full reader got every line in order.
Usage: bench/sse-replay-heap.py [N=200]   (needs embedded-server/target/appstrate-server.jar)"""
import http.client, json, os, re, socket, sqlite3, subprocess, sys, threading, time, uuid
from benchserver import Server, OWNER as owner

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200
LINES, LINE = 600, 30_000
srv = Server("sse-replay-heap", jvm_args=["-Xmx256m"])
port, data, call = srv.port, srv.data, srv.call


def gauges():
    heap = subprocess.run(["jcmd", str(srv.pid), "GC.run"], capture_output=True, text=True)
    info = subprocess.run(["jcmd", str(srv.pid), "GC.heap_info"], capture_output=True, text=True).stdout
    used = sum(int(m) for m in re.findall(r"used (\d+)K", info.split("Metaspace")[0])) // 1024
    threads = subprocess.run(["jcmd", str(srv.pid), "Thread.print"], capture_output=True, text=True).stdout
    nthreads = sum(1 for l in threads.splitlines() if l.startswith('"'))
    fds = len(os.listdir(f"/proc/{srv.pid}/fd"))
    with open(f"/proc/{srv.pid}/status") as f:
        rss = next(int(l.split()[1]) for l in f if l.startswith("VmRSS:")) // 1024
    return {"heap_mb": used, "rss_mb": rss, "threads": nthreads, "fds": fds}


def health_ms(_, n=20):
    t = []
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for _ in range(n):
        t0 = time.perf_counter(); code, _ = call(c, "GET", "/health"); t.append((time.perf_counter() - t0) * 1000)
        assert code == 200, code
        time.sleep(0.05)
    c.close()
    t.sort(); return "p50 %.1f / max %.1f ms" % (t[len(t) // 2], t[-1])


def open_stream(token, app, run, rcvbuf=None):
    k = socket.socket()
    if rcvbuf: k.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    k.connect(("127.0.0.1", port))
    k.sendall(f"GET /api/realtime/runs/{run}?token={token}&applicationId={app}&channels=run_log HTTP/1.0\r\n"
              f"Host: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode())
    return k


def read_all(k, ids, last, pace=None):
    buf = b""
    k.settimeout(300)
    while True:
        chunk = k.recv(65536 if pace is None else 4096)
        if not chunk: return False
        buf += chunk
        *lines, buf = buf.split(b"\n")
        for l in lines:
            if l.startswith(b"id: "):
                ids.append(int(l[4:]))
                if ids[-1] == last: return True
        if pace: time.sleep(4096 / pace)


try:
    c = srv.wait_ready()
    a = srv.application(c)
    app, org = a["id"], a["orgId"]
    tokens = srv.credentials(c, app, N + 1)
    run = "run_" + str(uuid.uuid4())
    db = sqlite3.connect(os.path.join(data, "appstrate.db"), timeout=30)
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    db.execute("INSERT INTO runs(id, org_id, application_id, run_number, status, timeout_seconds, started_at, completed_at) "
               "VALUES (?, ?, ?, 1, 'success', 60, ?, ?)", (run, org, app, now, now))
    db.executemany("INSERT INTO run_logs(run_id, org_id, type, level, event, message, data, created_at) VALUES (?, ?, 'progress', "
                   "'info', 'log', ?, NULL, ?)", [(run, org, f"line {i} " + "z" * LINE, now) for i in range(LINES)])
    db.commit()
    stored = [r[0] for r in db.execute("SELECT id FROM run_logs WHERE run_id=? ORDER BY id", (run,))]
    db.close()
    last = stored[-1]
    print(f"log: {LINES} lines, {LINES * LINE / 1e6:.0f} MB; viewers: {N}; server -Xmx256m; load {os.getloadavg()[0]:.1f}")
    print("before:", gauges())

    # 1. N viewers replaying at once, each reading the whole log
    results = [None] * N
    def full(i):
        ids = []
        k = open_stream(tokens[i % len(tokens)], app, run)
        try:
            whole = read_all(k, ids, last)
            results[i] = whole and ids == stored
            if not results[i]:
                print(f"viewer {i}: {'ended' if not whole else 'out of order'} after {len(ids)} lines", flush=True)
        finally:
            k.close()
    t0 = time.time()
    ts = [threading.Thread(target=full, args=(i,)) for i in range(N)]
    for t in ts: t.start()
    time.sleep(3)
    print("1. during full replays:", gauges(), "health", health_ms(c))
    for t in ts: t.join()
    print(f"1. {sum(1 for r in results if r)}/{N} viewers got all {LINES} lines in order in {time.time() - t0:.0f} s")
    time.sleep(3)
    print("1. after:", gauges())

    # 2. + 3. N stalled viewers and one slow reader, then all dropped mid-replay
    stalled = [open_stream(tokens[i % len(tokens)], app, run, rcvbuf=4096) for i in range(N)]
    slow_ids = []
    slow = open_stream(tokens[-1], app, run)
    def slow_read():
        try:
            read_all(slow, slow_ids, last, pace=64 * 1024)
        except OSError:
            pass  # dropped below
    th = threading.Thread(target=slow_read, daemon=True); th.start()
    time.sleep(10)
    print("2. stalled:", gauges(), "health", health_ms(c), f"slow reader at {len(slow_ids)} lines")
    for k in stalled: k.close()
    slow.close()
    time.sleep(8)
    print("2. after dropping them:", gauges(), "health", health_ms(c))
finally:
    srv.stop()
