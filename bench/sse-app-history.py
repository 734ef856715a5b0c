#!/usr/bin/env python3
"""Viewers of an application's all-runs stream over a large history: N viewers (default 100) open
/api/realtime/runs with Last-Event-ID: 0 over one run's 18 MB log (600 lines of 30 KB) and read nothing; after 10 s the
server's CPU meanwhile, its RSS and threads, its heap after a full GC (jcmd), and /health.
Usage: [JAR=…] bench/sse-app-history.py [N=100]   (needs embedded-server/target/appstrate-server.jar; jcmd on PATH)"""
import os, re, socket, sqlite3, subprocess, sys, time, uuid
from benchserver import Server, OWNER
N = int(sys.argv[1]) if len(sys.argv) > 1 else 100
with Server("app-history") as srv:
    c = srv.wait_ready(); a = srv.application(c); app, org = a["id"], a["orgId"]
    db = sqlite3.connect(os.path.join(srv.data, "appstrate.db"), timeout=30)
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()); run = "run_" + str(uuid.uuid4())
    db.execute("INSERT INTO runs(id, org_id, application_id, run_number, status, timeout_seconds, started_at, completed_at) VALUES (?, ?, ?, 1, 'success', 60, ?, ?)", (run, org, app, now, now))
    db.executemany("INSERT INTO run_logs(run_id, org_id, type, level, event, message, data, created_at) VALUES (?, ?, 'progress','info','log', ?, NULL, ?)", [(run, org, f"line {i} " + "z" * 30000, now) for i in range(600)])
    db.commit(); db.close()
    def cpu():
        f = open(f"/proc/{srv.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) * 10
    c0 = cpu(); viewers = []
    for _ in range(N):
        k = socket.socket(); k.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096); k.connect(("127.0.0.1", srv.port))
        k.sendall(f"GET /api/realtime/runs?token={OWNER}&applicationId={app}&channels=run_log HTTP/1.0\r\nHost: 127.0.0.1\r\nLast-Event-ID: 0\r\n\r\n".encode())
        viewers.append(k)
    time.sleep(10)
    spent, rss, threads = cpu() - c0, srv.status("VmRSS") // 1024, srv.status("Threads")
    subprocess.run(["jcmd", str(srv.pid), "GC.run"], capture_output=True)
    used = re.search(r"used (\d+)K", subprocess.run(["jcmd", str(srv.pid), "GC.heap_info"], capture_output=True, text=True).stdout)
    t = time.time(); health = srv.call(c, "GET", "/health")[0]
    print(f"{os.environ.get('JAR', 'this build')} N={N}: server CPU {spent} ms, RSS {rss} MB, threads {threads}, heap after a full GC "
          f"{int(used.group(1)) // 1024 if used else '?'} MB, /health {health} in {1000 * (time.time() - t):.0f} ms, load {os.getloadavg()[0]:.1f}", flush=True)
    for k in viewers:
        k.close()
