#!/usr/bin/env python3
"""Fault tests of `triage serve` (issue 13): the server under faults a unit test cannot make.

  exhaustion    one client opens thousands of idle connections; then eight clients fill the
                connection limit: the server holds its limits, answers health checks from
                another address, and is whole afterwards
  amplification 16 clients post the largest texts allowed, made of repeated keywords: responses
                stay small (evidence bounded) and /healthz stays fast
  drain         SIGTERM during large, slowly read responses: each one completes; a client that
                stops reading is reset at the drain deadline and the exit status is then 1; a
                stalled upload and 50 queued SIGHUPs do not hold up the exit
  stderr        nobody reads the server's standard error: requests and /healthz go on, lines
                are dropped and counted
  protocol      malformed chunked framing, a client leaving mid-body, HTTP/1.0, no Host:
                4xx with JSON bodies, no 500 in /metrics, no error line in the log
  unreadable    the server runs as nobody with an unreadable rule folder: the reload fails with
                the folder's path and /readyz says not ready

Usage: scripts/fault-tests.py [--bin PATH] [--quick] [TEST ...]
Runs as root or not; `unreadable` needs root (to run the server as nobody) or a non-root user.
Standard library only. Prints one line per check and the figures; exits 1 if any check fails.
"""
import argparse
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
failures = []


def check(ok, what):
    print(("  ok    " if ok else "  FAIL  ") + what, flush=True)
    if not ok:
        failures.append(what)
    return ok


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ValueError, OSError):
        pass
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class Server:
    """A `triage serve` child on a free port; stderr to a file (or to a pipe nobody reads)."""

    def __init__(self, binary, args, stderr_pipe=False, user=None, rules=None):
        self.log_path = tempfile.mktemp(prefix="triage-fault-", suffix=".log")
        # The desk's case database in a fresh temporary file, not the working folder's default.
        self.db_path = tempfile.mktemp(prefix="triage-fault-", suffix=".sqlite")
        cmd = [binary, "serve", "--port", "0", "--rules", rules or os.path.join(ROOT, "rules"), "--db", self.db_path] + args
        if user is not None:
            cmd = ["setpriv", "--reuid=%d" % user, "--regid=%d" % user, "--clear-groups"] + cmd
        self.pipe_r = None
        if stderr_pipe:
            # The server's standard error goes to a pipe nobody reads; its log is not in a file.
            self.pipe_r, w = os.pipe()
            self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=w, cwd="/")
            os.close(w)
            self.port = self._port_from_ss()
        else:
            self.log = open(self.log_path, "wb")
            self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self.log, cwd="/")
            self.port = self._port_from_log()
        self.wait_ready()

    def _port_from_log(self):
        deadline = time.time() + 60
        while time.time() < deadline:
            text = open(self.log_path, "rb").read().decode("utf-8", "replace")
            marker = "listening on http://127.0.0.1:"
            if marker in text:
                return int(text.split(marker, 1)[1].split()[0].strip().rstrip("/"))
            if self.proc.poll() is not None:
                raise RuntimeError("triage serve exited: " + text)
            time.sleep(0.05)
        raise RuntimeError("triage serve did not start")

    def _port_from_ss(self):
        # The log is in the unread pipe: find the listening port from /proc.
        deadline = time.time() + 60
        while time.time() < deadline:
            inodes = set()
            try:
                for fd in os.listdir("/proc/%d/fd" % self.proc.pid):
                    target = os.readlink("/proc/%d/fd/%s" % (self.proc.pid, fd))
                    if target.startswith("socket:["):
                        inodes.add(target[8:-1])
            except OSError:
                pass
            for line in open("/proc/net/tcp").read().splitlines()[1:]:
                parts = line.split()
                if parts[3] == "0A" and parts[9] in inodes:
                    return int(parts[1].split(":")[1], 16)
            time.sleep(0.05)
        raise RuntimeError("triage serve did not start")

    def wait_ready(self):
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                status, _, _ = self.get("/healthz", timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("triage serve does not answer")

    def request(self, method, path, body=None, source="127.0.0.2", timeout=10, headers=""):
        s = socket.socket()
        s.settimeout(timeout)
        s.bind((source, 0))
        s.connect(("127.0.0.1", self.port))
        data = body if isinstance(body, bytes) else (body or "").encode()
        head = "%s %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n%s" % (method, path, headers)
        if body is not None:
            head += "Content-Type: application/json\r\nContent-Length: %d\r\n" % len(data)
        s.sendall(head.encode() + b"\r\n" + data)
        out = b""
        while True:
            chunk = s.recv(1 << 16)
            if not chunk:
                break
            out += chunk
        s.close()
        header, _, payload = out.partition(b"\r\n\r\n")
        status = int(header.split(b" ", 2)[1]) if header.startswith(b"HTTP/") else 0
        return status, header.decode("latin-1"), payload

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def metrics(self):
        return self.get("/metrics")[2].decode()

    def fds(self):
        return len(os.listdir("/proc/%d/fd" % self.proc.pid))

    def cpu_seconds(self):
        fields = open("/proc/%d/stat" % self.proc.pid).read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log_text(self):
        return open(self.log_path, "rb").read().decode("utf-8", "replace") if os.path.exists(self.log_path) else ""

    def stop(self, sig=signal.SIGTERM, timeout=60):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None
        finally:
            if self.proc.poll() is not None:
                for suffix in ("", "-wal", "-shm"):
                    try:
                        os.remove(self.db_path + suffix)
                    except OSError:
                        pass


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def health_probe(server, stop, latencies, errors, source="127.0.0.2", interval=0.1):
    while not stop.is_set():
        t = time.perf_counter()
        try:
            status, _, _ = server.get("/healthz", source=source, timeout=10)
            if status == 200:
                latencies.append(time.perf_counter() - t)
            else:
                errors.append(status)
        except OSError as e:
            errors.append(type(e).__name__)
        time.sleep(interval)


def open_idle(source, count, port):
    socks = []
    for _ in range(count):
        try:
            s = socket.socket()
            s.setblocking(True)
            s.bind((source, 0))
            s.connect(("127.0.0.1", port))
            socks.append(s)
        except OSError:
            break
    return socks


def test_exhaustion(binary, quick):
    print("exhaustion: idle connections from one client, then from eight", flush=True)
    limit = raise_fd_limit()
    flood = min(5000 if quick else 20000, limit - 200)
    server = Server(binary, ["--log-level", "notice"])
    base_fds = server.fds()
    latencies, errors, stop = [], [], threading.Event()
    probe = threading.Thread(target=health_probe, args=(server, stop, latencies, errors))
    probe.start()
    cpu0 = server.cpu_seconds()
    t0 = time.time()
    socks = open_idle("127.0.0.1", flood, server.port)
    time.sleep(3)
    held = server.fds() - base_fds
    cpu = (server.cpu_seconds() - cpu0) / (time.time() - t0)
    stop.set()
    probe.join()
    print("  one client opened %d connections; the server holds %d (limit per client 256); %.2f CPU-s/s"
          % (len(socks), held, cpu))
    print("  /healthz from another address during it: %d answered, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d failed"
          % (len(latencies), 1000 * percentile(latencies, 50), 1000 * percentile(latencies, 99),
             1000 * max(latencies or [0]), len(errors)))
    check(len(socks) >= flood // 2, "the flood client opened its connections (%d)" % len(socks))
    check(held <= 256 + 16, "one client holds at most 256 connections (%d)" % held)
    check(not errors and len(latencies) >= 10, "every health check during the flood was answered")
    check(percentile(latencies, 99) < 0.5, "health checks stay fast during the flood (p99 < 500 ms)")
    for s in socks:
        s.close()

    # Eight clients, 256 each: the connection limit (1024) and the reserve (128) are reached.
    socks = []
    latencies, errors, stop = [], [], threading.Event()
    probe = threading.Thread(target=health_probe, args=(server, stop, latencies, errors, "127.0.0.200"))
    time.sleep(1)
    base_fds = server.fds()
    for n in range(1, 9):
        socks += open_idle("127.0.%d.1" % n, 256, server.port)
    time.sleep(0.5)
    probe.start()
    time.sleep(4)
    held = server.fds() - base_fds
    stop.set()
    probe.join()
    over = [l for l in server.metrics().splitlines() if l.startswith("triage_http_connections_over_limit_total")]
    print("  eight clients opened %d connections; the server holds %d (limit 1024 + reserve 128)" % (len(socks), held))
    print("  /healthz from a ninth address at the limit: %d answered, p50 %.1f ms, max %.1f ms, %d failed %s"
          % (len(latencies), 1000 * percentile(latencies, 50), 1000 * max(latencies or [0]), len(errors), errors[:5]))
    check(held <= 1024 + 128 + 16, "the server holds at most limit + reserve connections (%d)" % held)
    check(len(latencies) >= len(errors), "most health checks at the limit are answered (%d of %d)"
          % (len(latencies), len(latencies) + len(errors)))
    for s in socks:
        s.close()
    time.sleep(1)
    status, _, _ = server.get("/healthz")
    check(status == 200 and server.proc.poll() is None, "after the floods the server is up and answers /healthz")
    status, _, body = server.request("POST", "/v1/triage", body=json.dumps({"text": "营业执照办理"}))
    check(status == 200 and b'"category"' in body, "and classifies")
    check(server.stop() == 0, "and exits 0 on SIGTERM")


def test_amplification(binary, quick):
    print("amplification: 16 clients post 100,000 characters of repeated keywords", flush=True)
    server = Server(binary, ["--log-level", "notice"])
    text = ("营业执照办理" * 20000)[:100000]
    body = json.dumps({"text": text}, ensure_ascii=False).encode()
    stop = threading.Event()
    sizes, statuses = [], []

    def client():
        while not stop.is_set():
            try:
                status, _, payload = server.request("POST", "/v1/triage", body=body, source="127.0.0.1", timeout=120)
                statuses.append(status)
                sizes.append(len(payload))
            except OSError as e:
                statuses.append(type(e).__name__)

    threads = [threading.Thread(target=client) for _ in range(16)]
    for t in threads:
        t.start()
    time.sleep(2)
    latencies, errors, probe_stop = [], [], threading.Event()
    probe = threading.Thread(target=health_probe, args=(server, probe_stop, latencies, errors))
    probe.start()
    time.sleep(10 if quick else 30)
    probe_stop.set()
    probe.join()
    stop.set()
    for t in threads:
        t.join()
    ok = [s for s in statuses if s == 200]
    print("  %d classifications (%s), largest response %d bytes (%d bytes of input)"
          % (len(ok), {s: list(map(str, statuses)).count(s) for s in set(map(str, statuses))}, max(sizes or [0]), len(body)))
    print("  /healthz during the flood: %d answered, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d failed"
          % (len(latencies), 1000 * percentile(latencies, 50), 1000 * percentile(latencies, 99),
             1000 * max(latencies or [0]), len(errors)))
    check(len(ok) > 0, "the flood was classified")
    check(max(sizes or [0]) < 64 * 1024, "a response stays small (evidence bounded)")
    check(not errors, "every health check during the flood was answered")
    check(percentile(latencies, 99) < 0.5, "health checks stay fast during the flood (p99 < 500 ms)")
    check(server.stop() == 0, "the server exits 0 on SIGTERM")


def batch_body(n=1000):
    messages = [{"id": i, "text": "营业执照办理，发票怎么开？网站登录不上。" * 8} for i in range(n)]
    return json.dumps({"messages": messages}, ensure_ascii=False).encode()


class SlowReader(threading.Thread):
    """Posts a batch, then reads the response slowly (or, with stall, not at all)."""

    def __init__(self, port, body, stall=False):
        super().__init__()
        self.port, self.body, self.stall = port, body, stall
        self.result = None
        self.size = 0
        self.sent = threading.Event()

    def run(self):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
        s.settimeout(60)
        s.connect(("127.0.0.1", self.port))
        s.sendall(b"POST /v1/triage/batch HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                  + b"Content-Length: %d\r\n\r\n" % len(self.body) + self.body)
        self.sent.set()
        if self.stall:
            time.sleep(40)
            s.close()
            self.result = "stalled"
            return
        out = b""
        try:
            while True:
                chunk = s.recv(16384)
                if not chunk:
                    break
                out += chunk
                time.sleep(0.002)
        except ConnectionResetError:
            self.result = "reset"
            return
        except socket.timeout:
            self.result = "timeout"
            return
        header, _, payload = out.partition(b"\r\n\r\n")
        length = [int(l.split(b":")[1]) for l in header.split(b"\r\n") if l.lower().startswith(b"content-length")]
        if not length or len(payload) != length[0]:
            self.result = "cut (%d of %s bytes, then end of stream)" % (len(payload), length[:1])
            return
        try:
            json.loads(payload)
            self.result = "complete"
            self.size = len(payload)
        except ValueError:
            self.result = "invalid"


def test_drain(binary, quick):
    print("drain: SIGTERM during 12 large responses read slowly", flush=True)
    body = batch_body()
    server = Server(binary, ["--log-level", "notice", "--drain-timeout", "20"])
    readers = [SlowReader(server.port, body) for _ in range(12)]
    for r in readers:
        r.start()
    for r in readers:
        r.sent.wait()
    time.sleep(1.0)
    t = time.time()
    server.proc.send_signal(signal.SIGTERM)
    for r in readers:
        r.join()
    status = server.stop()
    results = [r.result for r in readers]
    print("  results: %s, %d bytes each; exit %s after %.1f s"
          % ({x: results.count(x) for x in set(results)}, max(r.size for r in readers), status, time.time() - t))
    check(all(r == "complete" for r in results), "every in-flight response was complete")
    check(status == 0, "the server exited 0 (the deadline was not hit)")

    print("drain: a client that stops reading, a stalled upload and 50 SIGHUPs", flush=True)
    server = Server(binary, ["--log-level", "notice", "--drain-timeout", "3"])
    readers = [SlowReader(server.port, body) for _ in range(3)] + [SlowReader(server.port, body, stall=True)]
    for r in readers:
        r.start()
    for r in readers:
        r.sent.wait()
    upload = socket.create_connection(("127.0.0.1", server.port))
    upload.sendall(b"POST /v1/triage HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n{\"text\": \"")
    time.sleep(1.0)
    for _ in range(50):
        server.proc.send_signal(signal.SIGHUP)
    time.sleep(0.2)
    t = time.time()
    server.proc.send_signal(signal.SIGTERM)
    status = server.stop(timeout=30)
    took = time.time() - t
    for r in readers[:3]:
        r.join()
    results = [r.result for r in readers[:3]]
    print("  slow readers: %s; exit %s after %.1f s (deadline 3 s)" % (results, status, took))
    check(status == 1, "the exit status is 1: the drain deadline was hit")
    check(took < 3 + 5, "the exit came soon after the deadline, despite the stall, the upload and 50 SIGHUPs")
    check(all(r in ("complete", "reset") for r in results), "each response was complete or reset, never cut silently")
    log = server.log_text()
    check("drain deadline passed" in log, "the log says the deadline passed")
    upload.close()


def test_stderr(binary, quick):
    print("stderr: nobody reads the server's standard error", flush=True)
    # A 64 KiB log buffer (the pipe holds 64 KiB more): the access log of these requests overflows both.
    server = Server(binary, ["--log-buffer-bytes", "65536"], stderr_pipe=True)
    n = 3000 if quick else 10000
    slowest = 0.0
    s = socket.create_connection(("127.0.0.1", server.port))
    s.settimeout(10)
    t0 = time.time()
    for i in range(n):
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        t = time.perf_counter()
        data = b""
        while not data.endswith(b"}\n"):
            data += s.recv(4096)
        slowest = max(slowest, time.perf_counter() - t)
    s.close()
    took = time.time() - t0
    dropped = [l for l in server.metrics().splitlines() if l.startswith("triage_log_lines_dropped_total")]
    print("  %d requests (≈ %d KiB of access log) in %.1f s, slowest %.1f ms; %s"
          % (n, n * 200 // 1024, took, 1000 * slowest, dropped))
    check(slowest < 1.0, "no request waited on the log (slowest < 1 s)")
    count = float(dropped[0].split()[-1]) if dropped else 0
    check(count > 0, "lines over the buffer were dropped and counted")
    # Reading the pipe again, logging resumes with a note of what was dropped.
    os.set_blocking(server.pipe_r, False)
    got = b""
    deadline = time.time() + 5
    while time.time() < deadline and b"dropped" not in got:
        try:
            got += os.read(server.pipe_r, 1 << 20)
        except BlockingIOError:
            time.sleep(0.1)
    check(count == 0 or b"log line(s) dropped" in got, "once read again, the log says how many lines were dropped")
    check(server.stop() == 0, "the server exits 0 on SIGTERM")


def test_protocol(binary, quick):
    print("protocol: client errors are 4xx with JSON, never 500", flush=True)
    server = Server(binary, [])

    def raw(data, wait=5.0, close_after=False):
        s = socket.create_connection(("127.0.0.1", server.port))
        s.settimeout(wait)
        s.sendall(data)
        if close_after:
            s.close()
            return b""
        out = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    out += b"<EOF>"
                    break
                out += chunk
        except socket.timeout:
            out += b"<open>"
        s.close()
        return out

    out = raw(b"POST /v1/triage HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
    check(out.startswith(b"HTTP/1.1 400") and b'"code":"malformed_request"' in out, "malformed chunked framing: 400 malformed_request with a JSON body")
    out = raw(b"GET /healthz HTTP/1.1\r\n\r\n")
    check(out.startswith(b"HTTP/1.1 400") and b'"code":"missing_host"' in out, "HTTP/1.1 without Host: 400 missing_host")
    out = raw(b"GET /healthz HTTP/1.0\r\n\r\n", wait=3)
    check(out.startswith(b"HTTP/1.1 200") and out.endswith(b"<EOF>"), "HTTP/1.0: answered, then the connection closes")
    out = raw(b"GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", wait=3)
    check(out.endswith(b"<EOF>"), "HTTP/1.0 with keep-alive: closed after the response as well")
    for _ in range(20):
        raw(b"POST /v1/triage HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n{\"text\": \"abc", close_after=True)
    time.sleep(1)
    metrics = server.metrics()
    fives = [l for l in metrics.splitlines() if l.startswith("triage_http_requests_total") and 'status="5' in l]
    check(not fives, "20 clients leaving mid-body count as no 500 in /metrics %s" % fives[:2])
    status, header, body = server.request("DELETE", "/v1/triage")
    check(status == 405 and "Allow: POST" in header, "an undeclared method on a known path: 405 with Allow")
    status, header, _ = server.get("/")
    check("Content-Security-Policy:" in header and "frame-ancestors 'none'" in header and "nosniff" in header,
          "the page has its security headers")
    server.stop()
    errors = [l for l in server.log_text().splitlines() if " error " in l or " critical " in l]
    check(not errors, "no error line in the log %s" % errors[:2])


def test_unreadable(binary, quick):
    print("unreadable: the server runs as nobody with an unreadable rule folder", flush=True)
    user = None
    if os.getuid() == 0:
        if not shutil.which("setpriv"):
            print("  SKIP  running as root and setpriv is missing: cannot drop to another user")
            return
        user = 65534
    tmp = tempfile.mkdtemp(prefix="triage-fault-rules-")
    os.chmod(tmp, 0o755)
    rules = os.path.join(tmp, "rules")
    shutil.copytree(os.path.join(ROOT, "rules"), rules)
    os.chmod(os.path.join(rules, "kb"), 0o000)
    try:
        server = Server(binary, [], user=user, rules=rules)
        status, _, body = server.get("/readyz")
        log = server.log_text()
        check(status == 503, "/readyz: 503 not ready")
        check("kb: error: cannot read the folder: Permission denied" in log, "the log names the unreadable folder")
        os.chmod(os.path.join(rules, "kb"), 0o755)
        server.proc.send_signal(signal.SIGHUP)
        deadline = time.time() + 30
        while time.time() < deadline and server.get("/readyz")[0] != 200:
            time.sleep(0.2)
        check(server.get("/readyz")[0] == 200, "after the folder is readable again, SIGHUP makes it ready")
        server.stop()
    finally:
        os.chmod(os.path.join(rules, "kb"), 0o755)
        shutil.rmtree(tmp, ignore_errors=True)


TESTS = {
    "protocol": test_protocol, "unreadable": test_unreadable, "stderr": test_stderr, "drain": test_drain,
    "amplification": test_amplification, "exhaustion": test_exhaustion,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=os.environ.get("TRIAGE_BIN", os.path.join(ROOT, ".build/debug/triage")))
    parser.add_argument("--quick", action="store_true", help="smaller floods and shorter runs (CI)")
    parser.add_argument("tests", nargs="*", metavar="TEST", help=", ".join(TESTS))
    args = parser.parse_args()
    unknown = [t for t in args.tests if t not in TESTS]
    if unknown:
        parser.error("unknown test(s): %s (known: %s)" % (", ".join(unknown), ", ".join(TESTS)))
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    for name in args.tests or list(TESTS):
        try:
            TESTS[name](args.bin, args.quick)
        except Exception as e:  # a test that cannot even run is a failure, with its reason
            check(False, "%s: %s: %s" % (name, type(e).__name__, e))
    print("fault tests: %s" % ("all passed" if not failures else "%d failed" % len(failures)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
