#!/usr/bin/env bash
# The hardening gate (issue 13), run by CI after scripts/test.sh, on the debug build it made:
#   1. every fuzz target for a short budget (FUZZ_SECONDS, default 20 s each; builds .build-fuzz/);
#   2. the fault tests in their quick form (scripts/fault-tests.py --quick);
#   3. schemathesis against the running server, every check (scripts/schemathesis.sh).
# Each step reports its figures; the script exits non-zero if any step fails.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
scripts/fuzz.sh all "${FUZZ_SECONDS:-20}" || status=1
python3 scripts/fault-tests.py --quick --bin "$(realpath "${TRIAGE_BIN:-.build/debug/triage}")" || status=1
scripts/schemathesis.sh "${SCHEMATHESIS_EXAMPLES:-100}" || status=1
exit $status
