#!/usr/bin/env bash
# ThreadSanitizer under parallel load with reloads (issue 13).
#
#   scripts/tsan.sh [SECONDS]      (default 60)
#
# Builds `triage` with -sanitize=thread into .build-tsan/, serves a copy of the bundled rules,
# and for SECONDS runs 16 concurrent clients (single and batch classification, health checks,
# metrics, the page, errors) while the rule files are rewritten and SIGHUP'd every 0.5 s
# (every third version broken, so failed reloads are in the mix), with --watch on as well.
# Fails if ThreadSanitizer reports anything or a request gets a 5xx.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
swift build --build-path .build-tsan --sanitize=thread --product triage >&2
BIN=.build-tsan/debug/triage
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
cp -r rules "$work/rules"
log=$work/serve.log
TSAN_OPTIONS="halt_on_error=0 second_deadlock_stack=1" "$BIN" serve --port 0 --rules "$work/rules" --watch 2>"$log" &
server=$!
for _ in $(seq 1 1200); do
    port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$log" | head -1)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "${port:-}" ] || { cat "$log" >&2; exit 1; }
python3 - "$port" "$seconds" "$work/rules" "$server" <<'PY'
import http.client, json, os, signal, sys, threading, time
port, seconds, rules, server = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3], int(sys.argv[4])
deadline = time.time() + seconds
counts, errors, lock = {}, [], threading.Lock()
requests = [
    ("POST", "/v1/triage", json.dumps({"id": 1, "text": "营业执照办理需要什么材料？网站登录不上"})),
    ("POST", "/v1/triage/batch", json.dumps({"messages": [{"id": i, "text": "发票怎么开，税务局电话打不通"} for i in range(50)] + [{"id": "bad"}]})),
    ("GET", "/healthz", None), ("GET", "/readyz", None), ("GET", "/metrics", None), ("GET", "/v1/ruleset", None),
    ("GET", "/", None), ("POST", "/v1/triage", "{not json"), ("DELETE", "/v1/triage", None),
]
def client(n):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    i = n
    while time.time() < deadline:
        method, path, body = requests[i % len(requests)]
        i += 1
        try:
            conn.request(method, path, body=body, headers={"Content-Type": "application/json"})
            r = conn.getresponse()
            r.read()
            with lock:
                counts[r.status] = counts.get(r.status, 0) + 1
                if r.status >= 500 and not (r.status == 503 and path.startswith("/v1/triage")):
                    errors.append((method, path, r.status))
        except Exception as e:
            with lock:
                errors.append((method, path, repr(e)))
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
def reloader():
    path = os.path.join(rules, "categories.yaml")
    good = open(path).read()
    n = 0
    while time.time() < deadline:
        n += 1
        text = "categories: [\n" if n % 3 == 0 else good + "# edit %d\n" % n
        open(path, "w").write(text)
        os.kill(server, signal.SIGHUP)
        time.sleep(0.5)
    open(path, "w").write(good)
threads = [threading.Thread(target=client, args=(n,)) for n in range(16)] + [threading.Thread(target=reloader)]
for t in threads: t.start()
for t in threads: t.join()
print("tsan.sh: responses by status:", dict(sorted(counts.items())))
if errors:
    print("tsan.sh: failed requests:", errors[:10], file=sys.stderr)
    sys.exit(1)
PY
load=$?
kill -TERM "$server"
wait "$server" || true
server=0
reports=$(grep -c "WARNING: ThreadSanitizer" "$log" || true)
reloads=$(grep -c "rule set loaded\|rule set reload failed" "$log" || true)
echo "tsan.sh: $reloads reload outcomes logged; ThreadSanitizer reports: $reports"
if [ "$reports" -gt 0 ]; then
    grep -A30 "WARNING: ThreadSanitizer" "$log" | head -120 >&2
    exit 1
fi
exit $load
