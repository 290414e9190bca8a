#!/usr/bin/env bash
# Instructions per message (valgrind's callgrind), for the bundled rules on
# 200-character corpus messages. Instruction counts do not depend on what else
# the machine is doing, so they compare runs to one another where timings do not.
#
#   scripts/bench-callgrind.sh [--rules DIR] [--count N] [--repeat R] [--strategy prefilter|plain] [--length L] [--baseline DIR]
#   scripts/bench-scale.sh --callgrind …     # the same
#
# engine:  triage-bench callgrind classifies exactly N messages inside one function,
#          triage_bench_measured; callgrind collects only while that function runs
#          (--collect-atstart=no --toggle-collect=triage_bench_measured), after the
#          rule-set load and a warm-up. Instructions ÷ N.
# jsonl:   the same, with what classify --jsonl does around it: each input line parsed,
#          each result written as JSON (triage-bench callgrind --jsonl, triage_bench_measured_jsonl).
# e2e:     the whole `triage classify --jsonl --rules DIR < N messages` process
#          minus the same process over no messages (start-up, rule-set load), ÷ N.
# Each is run R times (default 2) to show that the count is stable.
# Results: standard output and .build-bench/callgrind.md.
set -euo pipefail
cd "$(dirname "$0")/.."

rules=rules count=500 repeat=2 strategy=prefilter length=200 baseline=
while [ $# -gt 0 ]; do
  case "$1" in
    --baseline) baseline=$2; shift 2 ;;
    --rules) rules=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --strategy) strategy=$2; shift 2 ;;
    --length) length=$2; shift 2 ;;
    *) echo "usage: $0 [--rules DIR] [--count N] [--repeat R] [--strategy prefilter|plain] [--length L] [--baseline DIR]" >&2; exit 2 ;;
  esac
done

scripts/ensure-deps.sh
if ! command -v valgrind >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bench-callgrind: installing valgrind" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends valgrind >/dev/null
  else
    echo "bench-callgrind: valgrind is missing: sudo apt-get install valgrind" >&2
    exit 1
  fi
fi
swift build -c release --product triage-bench >&2
swift build -c release --product triage >&2

out=.build-bench/callgrind
mkdir -p "$out"
# Copies without DWARF: valgrind 3.19's reader gives up on the DWARF 5 of the
# large triage binary. The code, and so the count, is the same; symbols stay.
for b in triage triage-bench; do
  objcopy --strip-debug .build/release/$b "$out/$b"
  # --baseline DIR: the binaries of an earlier build, counted in the same run.
  if [ -n "$baseline" ]; then objcopy --strip-debug "$baseline/$b" "$out/baseline-$b"; fi
done
# valgrind 3.19 also dies on the sigsuspend() that ends an async Swift main
# (triage is one): bench/valgrind_sigsuspend.c works around it.
cc=$(command -v cc || command -v clang)
"$cc" -shared -fPIC -O2 -o "$out/sigsuspend.so" bench/valgrind_sigsuspend.c
python3 bench/gen_messages.py --lengths "$length" --count "$length:$count" --out "$out" >&2
messages=$out/corpus-$length.jsonl
: > "$out/empty.jsonl"

# Swift's hashing is seeded per process; a fixed seed makes dictionary probing,
# and so the instruction count, the same from run to run.
export SWIFT_DETERMINISTIC_HASHING=1

# Total instructions (Ir) recorded in a callgrind output file.
instructions() { awk '/^(summary|totals):/ { print $2; exit }' "$1"; }

engine_counts=() jsonl_counts=() e2e_counts=()
for r in $(seq "$repeat"); do
  valgrind --tool=callgrind --collect-atstart=no --toggle-collect=triage_bench_measured \
    --callgrind-out-file="$out/engine.$r.out" \
    "$out/triage-bench" callgrind --rules "$rules" --messages "$messages" --count "$count" --strategy "$strategy" \
    >/dev/null 2>"$out/engine.$r.log"
  engine_counts+=("$(instructions "$out/engine.$r.out")")
  valgrind --tool=callgrind --collect-atstart=no --toggle-collect=triage_bench_measured_jsonl \
    --callgrind-out-file="$out/jsonl.$r.out" \
    "$out/triage-bench" callgrind --jsonl --rules "$rules" --messages "$messages" --count "$count" --strategy "$strategy" \
    >/dev/null 2>"$out/jsonl.$r.log"
  jsonl_counts+=("$(instructions "$out/jsonl.$r.out")")

  LD_PRELOAD=$PWD/$out/sigsuspend.so valgrind --tool=callgrind --callgrind-out-file="$out/e2e-n.$r.out" \
    "$out/triage" classify --jsonl --rules "$rules" <"$messages" >/dev/null 2>"$out/e2e-n.$r.log"
  LD_PRELOAD=$PWD/$out/sigsuspend.so valgrind --tool=callgrind --callgrind-out-file="$out/e2e-0.$r.out" \
    "$out/triage" classify --jsonl --rules "$rules" <"$out/empty.jsonl" >/dev/null 2>"$out/e2e-0.$r.log"
  e2e_counts+=("$(( $(instructions "$out/e2e-n.$r.out") - $(instructions "$out/e2e-0.$r.out") ))")
  echo "bench-callgrind: run $r: engine ${engine_counts[-1]} Ir, e2e ${e2e_counts[-1]} Ir over $count messages" >&2
done
base_engine=() base_e2e=()
if [ -n "$baseline" ]; then
  for r in $(seq "$repeat"); do
    valgrind --tool=callgrind --collect-atstart=no --toggle-collect=triage_bench_measured \
      --callgrind-out-file="$out/baseline-engine.$r.out" \
      "$out/baseline-triage-bench" callgrind --rules "$rules" --messages "$messages" --count "$count" --strategy "$strategy" \
      >/dev/null 2>"$out/baseline-engine.$r.log"
    base_engine+=("$(instructions "$out/baseline-engine.$r.out")")
    LD_PRELOAD=$PWD/$out/sigsuspend.so valgrind --tool=callgrind --callgrind-out-file="$out/baseline-e2e-n.$r.out" \
      "$out/baseline-triage" classify --jsonl --rules "$rules" <"$messages" >/dev/null 2>"$out/baseline-e2e-n.$r.log"
    LD_PRELOAD=$PWD/$out/sigsuspend.so valgrind --tool=callgrind --callgrind-out-file="$out/baseline-e2e-0.$r.out" \
      "$out/baseline-triage" classify --jsonl --rules "$rules" <"$out/empty.jsonl" >/dev/null 2>"$out/baseline-e2e-0.$r.log"
    base_e2e+=("$(( $(instructions "$out/baseline-e2e-n.$r.out") - $(instructions "$out/baseline-e2e-0.$r.out") ))")
  done
fi

per_message() { for n in "$@"; do echo $(( (n + count / 2) / count )); done | paste -sd' ' | sed 's/ / · /g'; }
{
  echo "Instructions per message (callgrind Ir), rules \`$rules\`, $count corpus messages of $length characters, $repeat runs each:"
  echo
  echo "| path | instructions per message, each run |"
  echo "| --- | ---: |"
  echo "| engine (\`TriageEngine.classify\`, $strategy) | $(per_message "${engine_counts[@]}") |"
  echo "| JSON Lines in process (parse the line, classify, write the JSON: \`triage-bench callgrind --jsonl\`) | $(per_message "${jsonl_counts[@]}") |"
  echo "| \`triage classify --jsonl\` (whole process − process over no messages) | $(per_message "${e2e_counts[@]}") |"
  if [ -n "$baseline" ]; then
    echo "| baseline ($baseline): engine | $(per_message "${base_engine[@]}") |"
    echo "| baseline ($baseline): \`triage classify --jsonl\` | $(per_message "${base_e2e[@]}") |"
  fi
  echo
  echo "$(date '+%Y-%m-%d %H:%M %Z'); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(valgrind --version); commit $(git rev-parse --short HEAD)"
} | tee .build-bench/callgrind.md
