#!/usr/bin/env python3
"""Desk benchmark (not a test), driven by scripts/bench-desk.sh; Python standard library only.

  intake    cases per second through POST /v1/cases/batch into SQLite: a fresh database and a
            fresh `triage serve` per run, N messages in batches of B over C keep-alive connections,
            timed from the first request to the last reply; median of RUNS runs.
  worklist  with a store of 100,000 cases (triage-cases-bench --fill): the two API calls the page
            makes (awaiting review by 预审截止, dispatched by 答复截止; 50 each, with counts), median
            of 21; then the page in headless Chromium, from navigation start to the worklist on the
            screen (performance mark "worklist-rendered" in desk.js), median of 11 loads.
"""
import base64, http.client, json, os, pathlib, shutil, signal, statistics, subprocess, sys, tempfile, threading, time

BIN = os.environ.get("BIN", ".build/release/triage")
RULES = os.environ.get("RULES", "rules")
PORT = int(os.environ.get("PORT", "18191"))


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def corpus_texts():
    texts = []
    for part in ("corpus/tune", "corpus/tune2"):
        for p in sorted(pathlib.Path(part).glob("*.jsonl")):
            for line in p.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    texts.append(json.loads(line)["text"])
    return texts


class Server:
    """`triage serve` on 127.0.0.1:PORT over DB, stopped with SIGTERM."""

    def __init__(self, db, port=PORT):
        self.port = port
        self.log = open(db + ".serve.log", "w")
        self.p = subprocess.Popen([BIN, "serve", "--rules", RULES, "--db", db, "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=self.log)
        for _ in range(600):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/readyz")
                if c.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise SystemExit("bench-desk: the server did not start")

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        self.p.wait(30)
        self.log.close()


def token(db, scopes):
    out = subprocess.run([BIN, "tokens", "add", "bench", "--scope", *scopes, "--db", db], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def intake(runs, count, batch, clients):
    texts = corpus_texts()
    rates = []
    for run in range(1, runs + 1):
        work = tempfile.mkdtemp(prefix="bench-desk-")
        db = os.path.join(work, "cases.sqlite")
        secret = token(db, ["cases:write"])
        bodies = []
        for b in range(0, count, batch):
            msgs = [{"id": f"r{run}-{i}", "text": texts[i % len(texts)] + f"（{i}）", "received_at": "2026-11-30T09:30:00+08:00"}
                    for i in range(b, min(b + batch, count))]
            bodies.append(json.dumps({"messages": msgs}, ensure_ascii=False).encode("utf-8"))
        server = Server(db)
        headers = {"Authorization": "Bearer " + secret, "Content-Type": "application/json"}

        def timed(path, key):
            done = [0] * clients
            errors = []

            def client(k):
                c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=300)
                for body in bodies[k::clients]:
                    c.request("POST", path, body=body, headers=headers)
                    r = c.getresponse()
                    data = r.read()
                    if r.status != 200:
                        errors.append((r.status, data[:200]))
                        return
                    done[k] += json.loads(data)[key]

            threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
            start = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            seconds = time.perf_counter() - start
            if errors or sum(done) != count:
                raise SystemExit(f"bench-desk: {path} failed: {errors[:1]}, {sum(done)} of {count}")
            return count / seconds

        # The same messages classified without storing (POST /v1/triage/batch), on the same server just
        # before: how much of the intake time is the store's.
        classify = timed("/v1/triage/batch", "count")
        rate = timed("/v1/cases/batch", "created")
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
        rates.append((rate, classify))
        log(f"intake run {run} ({clients} connection(s)): {rate:.0f} cases/s; classify only {classify:.0f} msg/s")
    return rates


class Chromium:
    """Headless chromium over --remote-debugging-pipe (NUL-separated JSON on fds 3 and 4)."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="bench-chromium-")
        args = ["chromium", "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--hide-scrollbars", "--user-data-dir=" + self.profile, "about:blank"]
        self.p = subprocess.Popen(["/bin/sh", "-c", 'exec "$0" "$@" 3<&0 4>&1 1>&2 0</dev/null'] + args,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.buf, self.n = b"", 0

    def call(self, method, params=None, session=None):
        self.n += 1
        m = {"id": self.n, "method": method, "params": params or {}}
        if session:
            m["sessionId"] = session
        self.p.stdin.write(json.dumps(m).encode() + b"\0")
        self.p.stdin.flush()
        while True:
            while b"\0" not in self.buf:
                chunk = os.read(self.p.stdout.fileno(), 65536)
                if not chunk:
                    raise SystemExit("bench-desk: chromium went away")
                self.buf += chunk
            msg, self.buf = self.buf.split(b"\0", 1)
            j = json.loads(msg)
            if j.get("id") == self.n:
                if "error" in j:
                    raise SystemExit(f"bench-desk: {method}: {j['error']}")
                return j.get("result", {})

    def close(self):
        try:
            self.call("Browser.close")
        except SystemExit:
            pass
        self.p.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


def worklist(db, password, queries, loads, width):
    server = Server(db)
    try:
        c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        c.request("POST", "/v1/session", body=json.dumps({"username": "desk", "password": password}), headers={"Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        cookie = r.getheader("Set-Cookie").split(";")[0]
        api = {}
        for name, path in [("awaiting review, by 预审截止", "/v1/cases?status=awaiting_review&limit=50"),
                           ("dispatched, by 答复截止", "/v1/cases?status=dispatched&limit=50")]:
            ms = []
            for _ in range(queries):
                t = time.perf_counter()
                c.request("GET", path, headers={"Cookie": cookie})
                r = c.getresponse()
                body = r.read()
                ms.append((time.perf_counter() - t) * 1000)
                assert r.status == 200, body[:200]
            api[name] = (statistics.median(ms), len(body), json.loads(body)["total"])
        browser = Chromium()
        try:
            target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            s = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            browser.call("Network.enable", {}, s)
            name, value = cookie.split("=", 1)
            browser.call("Network.setCookie", {"name": name, "value": value, "url": f"http://127.0.0.1:{PORT}/"}, s)
            browser.call("Network.setCacheDisabled", {"cacheDisabled": True}, s)
            browser.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": 1000, "deviceScaleFactor": 1, "mobile": False}, s)
            page_ms, rows = [], 0
            for i in range(loads + 1):
                browser.call("Page.navigate", {"url": f"http://127.0.0.1:{PORT}/?load={i}"}, s)
                for _ in range(600):
                    r = browser.call("Runtime.evaluate", {"expression": "(() => { const m = performance.getEntriesByName('worklist-rendered')[0];"
                                     " return m ? [m.startTime, document.querySelectorAll('#worklist tbody tr').length] : null; })()",
                                     "returnByValue": True}, s)
                    v = r["result"].get("value")
                    if v:
                        break
                    time.sleep(0.02)
                else:
                    raise SystemExit("bench-desk: the worklist never rendered")
                if i > 0:  # the first load warms the server's glossary cache and chromium
                    page_ms.append(v[0])
                    rows = v[1]
            shot = browser.call("Page.captureScreenshot", {"format": "png"}, s)["data"]
            os.makedirs("artifacts", exist_ok=True)
            pathlib.Path("artifacts/bench-desk-worklist.png").write_bytes(base64.b64decode(shot))
        finally:
            browser.close()
        return api, statistics.median(page_ms), min(page_ms), max(page_ms), rows
    finally:
        server.stop()


def main():
    what = sys.argv[1]
    if what == "intake":
        count, batch, runs = int(os.environ.get("COUNT", "20000")), int(os.environ.get("BATCH", "500")), int(os.environ.get("RUNS", "5"))
        for clients in [int(x) for x in os.environ.get("CLIENTS", "1 2").split()]:
            runs_ = intake(runs, count, batch, clients)
            rates, classify = [r for r, _ in runs_], [c for _, c in runs_]
            ratio = statistics.median([r / c for r, c in runs_])
            print(f"intake through POST /v1/cases/batch: {count} messages in batches of {batch} over {clients} connection(s): "
                  f"{statistics.median(rates):.0f} cases/s (median of {runs} runs; min {min(rates):.0f}, max {max(rates):.0f}); "
                  f"the same through POST /v1/triage/batch (classify only): {statistics.median(classify):.0f} msg/s; "
                  f"intake / classify-only in the same run: {ratio:.2f} (median)")
    elif what == "worklist":
        db, password = sys.argv[2], sys.argv[3]
        api, median, lo, hi, rows = worklist(db, password, int(os.environ.get("QUERIES", "21")), int(os.environ.get("LOADS", "11")),
                                             int(os.environ.get("WIDTH", "1400")))
        for name, (ms, size, total) in api.items():
            print(f"worklist API at 100,000 cases, {name}: {ms:.1f} ms ({total} match, page of 50 with counts, {size // 1024} KiB; median of 21)")
        print(f"worklist page in headless Chromium, navigation start to both lists on the screen ({rows} rows): "
              f"{median:.0f} ms (median of {os.environ.get('LOADS', '11')} loads; min {lo:.0f}, max {hi:.0f})")


if __name__ == "__main__":
    main()
