#!/usr/bin/env bash
# Benchmark of the rule-QA commands over a generated corpus (N=10000 messages by default).
#
#   [N=100000] [BASE=main] scripts/bench-qa.sh [RULES_DIR] [CORPUS_DIRS] [RUNS]
#
# Builds the release binary, generates N messages by repeating the messages of
# CORPUS_DIRS (default: the tuning parts, "corpus/tune corpus/tune2"; never a held-out
# part) with new ids, then times `triage check`, `triage test`, `triage stats` and
# `triage diff` (base BASE, default RULES_DIR itself, against RULES_DIR: each message is
# classified twice) RUNS times (default 5) each and prints the median wall-clock seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
RULES=${1:-rules}
CORPUS=${2:-corpus/tune corpus/tune2}
RUNS=${3:-5}
N=${N:-10000}
BASE=${BASE:-$RULES}

swift build -c release --product triage >/dev/null
BIN=$(swift build -c release --show-bin-path)/triage

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# shellcheck disable=SC2086 # CORPUS is a list of folders
find $CORPUS -name '*.jsonl' -print0 | sort -z | xargs -0 cat | grep -v '^[[:space:]]*$' > "$WORK/source.jsonl"
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
        m["id"] = "bench-%06d" % i
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
bench diff  "$BIN" diff --base "$BASE" --head "$RULES" --no-progress "$WORK/bench.jsonl"
