#!/usr/bin/env bash
# Rule QA gate: the bundled rules are clean (warnings count), the corpus meets its committed
# floors (corpus/thresholds.yaml on the parts it names, each part's part.yaml on that part),
# and the generated pages are current. Held-out parts (corpus/test, corpus/test2) show only
# their aggregates here: no text or id of theirs reaches the CI log or the JUnit file.
# Expects a built binary.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${TRIAGE_BIN:-.build/debug/triage}
"$BIN" check --strict --rules rules
"$BIN" test --rules rules --no-progress --max-cases 0 --junit "${JUNIT_OUT:-/tmp/triage-test-junit.xml}" corpus
"$BIN" doc --rules rules --check docs/rules-reference.md
"$BIN" schema --check docs/rules.schema.json
