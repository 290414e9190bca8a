#!/usr/bin/env bash
# Case-store benchmark (release build): intake rate into SQLite for 10,000 cases (median of 7 runs)
# and worklist query times with 100,000 cases in the store (median of 21 queries each);
# then `triage cases import` end to end (classification included), median of 5 runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
swift build -c release --product triage-cases-bench >&2
swift build -c release --product triage >&2
.build/release/triage-cases-bench --rules rules --corpus corpus "$@"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/in.jsonl" <<'PY'
import json, pathlib, sys
texts = []
for p in sorted(pathlib.Path("corpus").rglob("*.jsonl")):
    for line in p.read_text(encoding="utf-8").splitlines():
        if line.strip():
            texts.append(json.loads(line)["text"])
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for i in range(10000):
        out.write(json.dumps({"id": f"m{i}", "text": texts[i % len(texts)], "received_at": "2026-11-30T09:30:00+08:00"}, ensure_ascii=False) + "\n")
PY
rates=()
for run in 1 2 3 4 5; do
  rm -f "$tmp/c.sqlite"*
  start=$(date +%s.%N)
  .build/release/triage cases import "$tmp/in.jsonl" --rules rules --db "$tmp/c.sqlite" 2>/dev/null
  end=$(date +%s.%N)
  rate=$(python3 -c "print(round(10000 / ($end - $start)))")
  echo "import run $run: $rate cases/s" >&2
  rates+=("$rate")
done
median=$(printf '%s\n' "${rates[@]}" | sort -n | sed -n 3p)
echo "triage cases import of 10,000 messages (rules loaded, classified, stored in batches of 500): $median cases/s (median of 5 runs, whole command)"
