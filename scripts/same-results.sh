#!/usr/bin/env bash
# Checks that a reformatting of the rules changed no result: classifies every corpus message
# with the rules of git revision BASE and with the working tree's rules/, and compares the
# results, ignoring the rules version and the fields that depend on the clock (deadlines
# counted from now when a message has no received_at). Prints only counts, never a message.
#
#   scripts/same-results.sh [BASE]     (default: HEAD)
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${1:-HEAD}
BIN=${TRIAGE_BIN:-.build/debug/triage}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
git archive "$BASE" rules | tar -x -C "$WORK"
find corpus -name '*.jsonl' -print0 | sort -z | xargs -0 cat > "$WORK/corpus.jsonl"
normalize() {
    python3 -c '
import json, sys
for line in sys.stdin:
    d = json.loads(line)
    d.pop("ruleset", None)
    dl = d.get("deadlines")
    if isinstance(dl, dict) and dl.get("received_at_defaulted"):
        for k in ("received_at", "pre_review_due", "reply_due"):
            dl.pop(k, None)
        dl["reasons"] = [r["code"] for r in dl.get("reasons", [])]
    print(json.dumps(d, ensure_ascii=False, sort_keys=True))'
}
"$BIN" classify --rules "$WORK/rules" --jsonl < "$WORK/corpus.jsonl" 2>/dev/null | normalize > "$WORK/base"
"$BIN" classify --rules rules --jsonl < "$WORK/corpus.jsonl" 2>/dev/null | normalize > "$WORK/head"
n=$(wc -l < "$WORK/head")
d=$(paste -d '\n' "$WORK/base" "$WORK/head" | paste - - | awk -F '\t' '$1 != $2' | wc -l)
if [ "$d" -eq 0 ] && [ "$(wc -l < "$WORK/base")" -eq "$n" ]; then
    echo "same-results: all $n corpus messages classify the same with $BASE's rules and the working tree's"
else
    echo "same-results: $d of $n corpus messages differ between $BASE's rules and the working tree's" >&2
    exit 1
fi
