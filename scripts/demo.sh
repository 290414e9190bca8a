#!/usr/bin/env bash
# Quick start 1: builds the CLI and classifies a sample message with the bundled rules.
# (A debug build, which shares its build folder with scripts/test.sh; for speed figures
# use scripts/bench.sh, which builds in release mode.)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
swift build --product triage 2>&1 | grep -E "error|Compiling|Build complete" >&2 || true
text=${1:-"我在随申办上办营业执照注销，上传材料一直失败，窗口又说要先去税务局清税，来回跑了三趟，能不能给个准话？"}
.build/debug/triage classify --format text "$text"
