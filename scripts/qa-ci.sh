#!/usr/bin/env bash
# Rule QA gate for CI: the bundled rules are clean (warnings count) and the
# bundled corpus meets corpus/thresholds.yaml. Expects a built binary.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${TRIAGE_BIN:-.build/debug/triage}
"$BIN" check --strict --rules rules
"$BIN" test --rules rules --no-progress --max-cases 20 --junit "${JUNIT_OUT:-/tmp/triage-test-junit.xml}" corpus
