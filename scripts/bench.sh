#!/usr/bin/env bash
# Engine throughput benchmark (release build, one thread, median of 7 runs).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
swift build -c release --product triage-bench >&2
.build/release/triage-bench --rules rules --corpus corpus "$@"
