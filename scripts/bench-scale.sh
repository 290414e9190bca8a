#!/usr/bin/env bash
# The scaling benchmark in one command: synthetic rule sets of M = 100, 1,000
# and 10,000 patterns, messages of 50, 200 and 500 characters, the engine and
# its anchors (naive PCRE2 loop, Python re, Vectorscan) on the same patterns and
# messages, match sets checked against the naive loop. See bench/README.md.
#
#   scripts/bench-scale.sh                    # the full run (about 13 minutes on this 2-core machine)
#   scripts/bench-scale.sh --runs 3           # any bench/run.py option (--sizes, --lengths, --count, ...)
#   scripts/bench-scale.sh --real ../shared/data/teddy2020   # real messages, local runs only
#   scripts/bench-scale.sh --callgrind        # instructions per message instead (scripts/bench-callgrind.sh)
#
# Writes everything under .build-bench/ (git-ignored); the table goes to
# standard output and .build-bench/results.md. Exits 1 if any engine's match
# set differs from the naive loop's.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--callgrind" ]; then
  shift
  exec scripts/bench-callgrind.sh "$@"
fi

# C libraries for the build, GNU time for peak RSS.
scripts/ensure-deps.sh
if [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bench-scale: installing GNU time" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends time >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends time >/dev/null; }
  else
    echo "bench-scale: /usr/bin/time is missing: sudo apt-get install time" >&2
    exit 1
  fi
fi

# Release builds, one after the other (the machine has two cores).
swift build -c release --product triage-bench >&2
swift build -c release --product triage >&2

# Vectorscan comes from PyPI's `hyperscan` package (it links Vectorscan
# statically), in a virtual environment of the benchmark's own.
venv=.build-bench/venv
if ! "$venv/bin/python" -c 'import hyperscan' 2>/dev/null; then
  echo "bench-scale: creating $venv with the hyperscan package" >&2
  mkdir -p .build-bench
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'hyperscan>=0.7,<1'
fi

BENCH_COMMAND="scripts/bench-scale.sh $*" exec "$venv/bin/python" bench/run.py --bin .build/release "$@"
