"""The server jar as its own process, for the Python benches: the one way they start it (a free loopback port, a fresh
DATA_DIR, a known owner token and bench secrets), wait for its /health, find its application, make API keys, and stop it
(the folder deleted; the server's output kept in <DATA_DIR>.log beside it).
    from benchserver import Server
    with Server("my-bench", jvm_args=["-Xmx256m"]) as srv:
        c = srv.wait_ready(); app = srv.application(c); srv.call(c, "GET", "/api/agents", app=app["id"])"""
import http.client, json, os, shutil, socket, subprocess, sys, tempfile, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
JAR = os.environ.get("JAR") or os.path.join(ROOT, "embedded-server/target/appstrate-server.jar")  # JAR=… for an A/B
OWNER = "bench-owner-token-0123456789"
# the benches' own throwaway secrets: the server exits 1 without them
SECRETS = {"BETTER_AUTH_SECRET": "bench-auth-secret", "UPLOAD_SIGNING_SECRET": "bench-upload-secret-0123456789",
           "CONNECTION_ENCRYPTION_KEY": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}
# streams one credential may hold open (the server's per-credential SSE cap is 200): benches spread theirs over keys
STREAMS_PER_CREDENTIAL = 180


class Server:
    def __init__(self, name, jvm_args=(), env=None):
        if not os.path.exists(JAR):
            sys.exit("build first: mvn -B -ntp -pl embedded-server -am package -DskipTests")
        s = socket.socket(); s.bind(("127.0.0.1", 0)); self.port = s.getsockname()[1]; s.close()
        self.data = tempfile.mkdtemp(prefix=name + "-")
        self.log_path = self.data + ".log"
        full_env = dict(os.environ, DATA_DIR=self.data, PORT=str(self.port), APPSTRATE_OWNER_TOKEN=OWNER,
                        LOG_LEVEL="warn", **SECRETS, **(env or {}))
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(["java", *jvm_args, "-jar", JAR], env=full_env, stdout=self._log,
                                     stderr=subprocess.STDOUT, cwd=ROOT)
        self.pid = self.proc.pid

    def connection(self, timeout=60):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def call(self, c, method, path, body=None, token=OWNER, app=None):
        h = {"Authorization": "Bearer " + token}
        if app: h["X-App-Id"] = app
        if body is not None: h["Content-Type"] = "application/json"
        c.request(method, path, body=body, headers=h)
        r = c.getresponse(); b = r.read()
        return r.status, b

    def wait_ready(self, seconds=60):
        """A connection once /health answers 200; exits naming the log if the server ends or never answers."""
        c = self.connection()
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"server exited ({self.proc.returncode}): see {self.log_path}")
            try:
                if self.call(c, "GET", "/health")[0] == 200:
                    return c
            except OSError:
                c = self.connection()
            time.sleep(0.1)
        sys.exit(f"server not ready in {seconds} s: see {self.log_path}")

    def application(self, c):
        """The default application: a dict with at least id and orgId."""
        apps = json.loads(self.call(c, "GET", "/api/applications")[1])
        return (apps["data"] if isinstance(apps, dict) else apps)[0]

    def credentials(self, c, app, streams):
        """The owner token plus as many API keys as {streams} open streams need."""
        tokens = [OWNER]
        while len(tokens) * STREAMS_PER_CREDENTIAL < streams:
            tokens.append(json.loads(self.call(c, "POST", "/api/api-keys", json.dumps({"name": f"bench-{len(tokens)}"}),
                                               app=app)[1])["key"])
        return tokens

    def status(self, field):
        """A /proc/<pid>/status figure in kB (VmRSS) or a count (Threads)."""
        with open(f"/proc/{self.pid}/status") as f:
            return next(int(l.split()[1]) for l in f if l.startswith(field + ":"))

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill(); self.proc.wait()
        self._log.close()
        shutil.rmtree(self.data, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
