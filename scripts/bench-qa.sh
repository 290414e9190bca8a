#!/usr/bin/env bash
# Benchmark of the rule-QA commands over a 10,000-message corpus.
#
#   scripts/bench-qa.sh [RULES_DIR] [CORPUS_DIR] [RUNS]
#
# Builds the release binary, generates a 10k corpus by repeating the messages of
# CORPUS_DIR (default: corpus/) with new ids, then times `triage test`, `triage stats`
# and `triage diff` (base = head = RULES_DIR, so each message is classified twice)
# RUNS times (default 5) each and prints the median wall-clock seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
RULES=${1:-rules}
CORPUS=${2:-corpus}
RUNS=${3:-5}
N=10000

swift build -c release --product triage >/dev/null
BIN=$(swift build -c release --show-bin-path)/triage

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
find "$CORPUS" -name '*.jsonl' -print0 | sort -z | xargs -0 cat | grep -v '^[[:space:]]*$' > "$WORK/source.jsonl"
python3 - "$WORK/source.jsonl" "$WORK/bench.jsonl" "$N" <<'PY'
import json, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = []
for raw in open(src, encoding="utf-8"):
    try:
        lines.append(json.loads(raw))
    except ValueError:
        pass
if not lines:
    sys.exit("no valid corpus lines in " + src)
with open(dst, "w", encoding="utf-8") as out:
    for i in range(n):
        m = dict(lines[i % len(lines)])
        m["id"] = "bench-%05d" % i
        out.write(json.dumps(m, ensure_ascii=False) + "\n")
PY
echo "corpus: $N messages generated from $(wc -l < "$WORK/source.jsonl") lines of $CORPUS; rules: $RULES; $(nproc) cores; median of $RUNS runs"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
bench() {
    local name=$1; shift
    local times=()
    for _ in $(seq "$RUNS"); do
        local start=$EPOCHREALTIME
        "$@" >/dev/null 2>&1 || true
        times+=("$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN {print b - a}')")
    done
    printf '%-7s %6.2f s   (%s)\n' "$name" "$(printf '%s\n' "${times[@]}" | median)" "$*"
}
bench check "$BIN" check --rules "$RULES"
bench test  "$BIN" test --rules "$RULES" --no-progress --html "$WORK/report.html" "$WORK/bench.jsonl"
bench stats "$BIN" stats --rules "$RULES" --no-progress "$WORK/bench.jsonl"
bench diff  "$BIN" diff --base "$RULES" --head "$RULES" --no-progress "$WORK/bench.jsonl"
