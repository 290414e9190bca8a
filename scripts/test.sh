#!/usr/bin/env bash
# Quick start 2: runs the whole test suite (what CI runs): the Swift tests
# (swift test), then the rule QA gate on the bundled rules and corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
swift build --build-tests
swift test
scripts/qa-ci.sh
