#!/usr/bin/env bash
# Rule QA gate: the bundled rules are clean (warnings count) and the corpus
# meets its committed thresholds (corpus/thresholds.yaml for the whole corpus,
# corpus/test/thresholds.yaml for the held-out test part). Expects a built binary.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${TRIAGE_BIN:-.build/debug/triage}
"$BIN" check --strict --rules rules
"$BIN" test --rules rules --no-progress --max-cases 0 --junit "${JUNIT_OUT:-/tmp/triage-test-junit.xml}" --thresholds corpus/thresholds.yaml corpus/tune corpus/tune2 corpus/test
"$BIN" test --rules rules --no-progress --max-cases 0 corpus/test
