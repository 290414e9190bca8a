#!/usr/bin/env bash
# Pre-review desk benchmark (not a test), release build, on 127.0.0.1:
#   1. intake rate: cases per second through POST /v1/cases/batch into SQLite (fresh database and
#      server each run; COUNT messages from corpus/tune and tune2 in batches of BATCH; over 1 and
#      2 keep-alive connections; median of RUNS runs);
#   2. the worklist with 100,000 cases in the store: the page's two API calls (median of 21) and
#      the page in headless Chromium from navigation start to the lists on the screen (median of
#      LOADS loads; screenshot in artifacts/bench-desk-worklist.png).
#
#   scripts/bench-desk.sh                 # both
#   scripts/bench-desk.sh intake          # or: worklist
#   COUNT=20000 BATCH=500 RUNS=5 CLIENTS="1 2" CASES=100000 LOADS=11 scripts/bench-desk.sh
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
scripts/ensure-deps.sh
command -v chromium >/dev/null || { echo "bench-desk: chromium is not installed (scripts/ci-server-deps.sh)" >&2; exit 2; }
swift build -c release --product triage >&2
swift build -c release --product triage-cases-bench >&2
export BIN
BIN=$(swift build -c release --show-bin-path)/triage
if [ "$what" = all ] || [ "$what" = intake ]; then
  python3 scripts/bench-desk.py intake
fi
if [ "$what" = all ] || [ "$what" = worklist ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  "$(dirname "$BIN")/triage-cases-bench" --rules "${RULES:-rules}" --corpus corpus --fill "$work/cases.sqlite" --cases "${CASES:-100000}" >&2
  printf 'bench-desk-password\n' | "$BIN" users add desk --name 基准 --db "$work/cases.sqlite" >&2
  python3 scripts/bench-desk.py worklist "$work/cases.sqlite" bench-desk-password
fi
