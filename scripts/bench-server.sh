#!/bin/sh
# Load benchmark for `triage serve` (not a test): release build, server on
# 127.0.0.1, wrk posting real corpus messages. Reports req/s and p50/p99/p99.9
# latency for the single and batch endpoints, then single messages while the
# rule set is reloaded (SIGHUP, each time with a new version) every second.
# Prints the median of RUNS runs of DURATION each.
#
#   scripts/bench-server.sh                # defaults below
#   RUNS=5 DURATION=10s CONNECTIONS=32 scripts/bench-server.sh
#
# Environment: CORPUS (folder with *.jsonl; default /work/main/corpus/tune, then
# corpus/tune), RULES (default rules), PORT (18181), RUNS (3), DURATION (10s),
# CONNECTIONS (16), BATCH_CONNECTIONS (4), THREADS (1), BATCH (100 messages a
# batch request).
set -eu
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
BATCH_CONNECTIONS=${BATCH_CONNECTIONS:-4}
THREADS=${THREADS:-1}
BATCH=${BATCH:-100}
PORT=${PORT:-18181}
RULES=${RULES:-rules}
CORPUS=${CORPUS:-/work/main/corpus/tune}
[ -d "$CORPUS" ] || CORPUS=corpus/tune
command -v wrk >/dev/null || { echo "bench-server: wrk is not installed (scripts/ci-server-deps.sh)" >&2; exit 2; }
ls "$CORPUS"/*.jsonl >/dev/null 2>&1 || { echo "bench-server: no *.jsonl in $CORPUS" >&2; exit 2; }

swift build -c release --product triage >&2
BIN=$(swift build -c release --show-bin-path)/triage

WORK=$(mktemp -d)
SERVER=""
cleanup() {
    [ -n "$SERVER" ] && kill -TERM "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# Request bodies: id and text only (labels stripped); batch bodies of BATCH messages.
python3 - "$CORPUS" "$WORK" "$BATCH" <<'PY'
import glob, json, sys
corpus, work, batch = sys.argv[1], sys.argv[2], int(sys.argv[3])
msgs = []
for path in sorted(glob.glob(corpus + "/*.jsonl")):
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line:
            continue
        try:
            m = json.loads(line)
        except ValueError:
            continue
        if isinstance(m, dict) and isinstance(m.get("text"), str):
            msgs.append({"id": m.get("id"), "text": m["text"]})
with open(work + "/single.txt", "w", encoding="utf-8") as f:
    for m in msgs:
        f.write(json.dumps(m, ensure_ascii=False) + "\n")
with open(work + "/batch.txt", "w", encoding="utf-8") as f:
    for i in range(0, len(msgs), batch):
        chunk = msgs[i:i + batch]
        while len(chunk) < batch:
            chunk += msgs[: batch - len(chunk)]
        f.write(json.dumps({"messages": chunk}, ensure_ascii=False) + "\n")
print(f"bench-server: {len(msgs)} corpus messages from {corpus}", file=sys.stderr)
PY

# A private copy of the rules, so the reload run can change the version each second.
cp -R "$RULES" "$WORK/rules"
"$BIN" serve --rules "$WORK/rules" --host 127.0.0.1 --port "$PORT" 2>"$WORK/server.log" &
SERVER=$!
i=0
until curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null; do
    i=$((i + 1)); [ $i -lt 100 ] || { echo "bench-server: server did not start" >&2; cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.1
done

run() { # name path bodies connections
    BENCH_PATH=$2 BODIES_FILE=$3 wrk -t"$THREADS" -c"$4" -d"$DURATION" --timeout 5s -s scripts/bench-server.lua \
        "http://127.0.0.1:$PORT$2" | grep '^RESULT' | sed "s/^RESULT/$1/"
}

reloader() { # changes the rule set and sends SIGHUP every second until killed
    n=0
    while :; do
        n=$((n + 1))
        echo "# bench reload $n" >> "$WORK/rules/ruleset.yaml"
        kill -HUP "$SERVER"
        sleep 1
    done
}

for r in $(seq "$RUNS"); do
    run single /v1/triage "$WORK/single.txt" "$CONNECTIONS" >> "$WORK/results"
    run batch /v1/triage/batch "$WORK/batch.txt" "$BATCH_CONNECTIONS" >> "$WORK/results"
    reloader &
    RELOADER=$!
    run single+reload /v1/triage "$WORK/single.txt" "$CONNECTIONS" >> "$WORK/results"
    kill "$RELOADER"; wait "$RELOADER" 2>/dev/null || true
done

echo "== raw runs"
cat "$WORK/results"
echo "== median of $RUNS runs, $DURATION each, wrk -t$THREADS, -c$CONNECTIONS single, -c$BATCH_CONNECTIONS batch of $BATCH messages, $(nproc) cores"
python3 - "$WORK/results" "$BATCH" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, *fields = line.split()
    rows.setdefault(name, []).append({k: float(v) for k, v in (f.split("=") for f in fields)})
print(f"{'run':<14}{'req/s':>9}{'msg/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'p99.9 ms':>10}{'errors':>8}")
for name, runs in rows.items():
    med = lambda k: statistics.median(r[k] for r in runs)
    per = int(sys.argv[2]) if name == "batch" else 1
    errors = sum(r["errors"] for r in runs)
    print(f"{name:<14}{med('rps'):>9.0f}{med('rps') * per:>9.0f}{med('p50_ms'):>9.2f}{med('p99_ms'):>9.2f}{med('p999_ms'):>10.2f}{errors:>8.0f}")
PY
echo "== reloads counted by the server"
curl -s "http://127.0.0.1:$PORT/metrics" | grep '^triage_ruleset_reloads_total'
if grep -q "reload failed" "$WORK/server.log"; then echo "bench-server: a reload failed" >&2; exit 1; fi
