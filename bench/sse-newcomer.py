#!/usr/bin/env python3
"""A newcomer behind stalled replays: N viewers (default 200) open an 18 MB log's stream and read nothing, then a new viewer
opens another run's stream (one line of history): how long until it has that line, and the server's CPU meanwhile.
Usage: [JAR=…] bench/sse-newcomer.py [N=200] [repetitions=1]   (needs embedded-server/target/appstrate-server.jar)"""
import os, sys, sqlite3, socket, time, uuid
from benchserver import Server
N = int(sys.argv[1]) if len(sys.argv) > 1 else 200
with Server("newcomer") as srv:
    c = srv.wait_ready(); a = srv.application(c); app, org = a["id"], a["orgId"]
    tokens = srv.credentials(c, app, N + 1)
    db = sqlite3.connect(os.path.join(srv.data, "appstrate.db"), timeout=30)
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    big, small = "run_" + str(uuid.uuid4()), "run_" + str(uuid.uuid4())
    for i, r in enumerate((big, small)):
        db.execute("INSERT INTO runs(id, org_id, application_id, run_number, status, timeout_seconds, started_at, completed_at) VALUES (?, ?, ?, ?, 'success', 60, ?, ?)", (r, org, app, i + 1, now, now))
    db.executemany("INSERT INTO run_logs(run_id, org_id, type, level, event, message, data, created_at) VALUES (?, ?, 'progress','info','log', ?, NULL, ?)", [(big, org, f"line {i} " + "z" * 30000, now) for i in range(600)])
    db.execute("INSERT INTO run_logs(run_id, org_id, type, level, event, message, data, created_at) VALUES (?, ?, 'progress','info','log', 'hello', NULL, ?)", (small, org, now))
    db.commit(); db.close()
    def open_stream(token, run, rcvbuf=None):
        k = socket.socket()
        if rcvbuf: k.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        k.connect(("127.0.0.1", srv.port))
        k.sendall(f"GET /api/realtime/runs/{run}?token={token}&applicationId={app}&channels=run_log HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode())
        return k
    for rep in range(int(sys.argv[2]) if len(sys.argv) > 2 else 1):
        stalled = [open_stream(tokens[i % len(tokens)], big, 4096) for i in range(N)]
        def cpu():
            f = open(f"/proc/{srv.pid}/stat").read().rsplit(")", 1)[1].split()
            return (int(f[11]) + int(f[12])) * 10
        t0 = time.time(); c0 = cpu()
        k = open_stream(tokens[-1], small)
        buf = b""
        while b"hello" not in buf:
            buf += k.recv(65536)
        print(f"{os.environ.get('JAR','')} N={N} newcomer's history after {1000*(time.time()-t0):.0f} ms wall, server CPU meanwhile {cpu()-c0} ms, load {os.getloadavg()[0]:.1f}", flush=True)
        k.close()
        for s in stalled: s.close()
        time.sleep(3)
