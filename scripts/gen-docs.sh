#!/usr/bin/env bash
# Regenerates the pages generated from the rule set and the loader's schema:
# docs/rules-reference.md (`triage doc`) and docs/rules.schema.json (`triage schema`).
# CI (scripts/qa-ci.sh) fails when they are out of date.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${TRIAGE_BIN:-}
if [ -z "$BIN" ]; then
  swift build --product triage >/dev/null
  BIN=.build/debug/triage
fi
"$BIN" doc --rules rules --output docs/rules-reference.md
"$BIN" schema --output docs/rules.schema.json
echo "gen-docs: wrote docs/rules-reference.md and docs/rules.schema.json" >&2
