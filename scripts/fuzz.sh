#!/usr/bin/env bash
# Fuzzing with libFuzzer (issue 13; docs/fuzzing.md).
#
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer flags ...]   fuzz one target for SECONDS
#   scripts/fuzz.sh all SECONDS                            every target in turn (what CI runs)
#   scripts/fuzz.sh build                                  only build the fuzzing binary
#
# TARGET: yaml, json, normalizer, matcher, calendar (Sources/FuzzTargets). The binary is
# SwiftPM's triage-fuzz product built into .build-fuzz/ with -sanitize=fuzzer,address and
# -DFUZZING (libFuzzer's LLVMFuzzerRunDriver drives it). Corpora start from the bundled rules
# and the corpus and grow in .build-fuzz/corpus/TARGET; a crash is written to
# .build-fuzz/crashes/TARGET/, minimised, and makes the script exit 1. Keep the minimised
# input in Tests/FuzzTargetsTests/Regressions/TARGET/ once it is fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=.build-fuzz
BIN=$BUILD/release/triage-fuzz
TARGETS="yaml json normalizer matcher calendar"

build() {
    swift build -c release --build-path "$BUILD" --product triage-fuzz \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -g -Xswiftc -use-ld=lld >&2
}

# Seeds: rule files for yaml; corpus records for json; corpus texts for normalizer; fixed
# pseudo-random bytes for matcher and calendar (their inputs are choices, not text).
seed() {
    local target=$1 dir=$BUILD/corpus/$1
    mkdir -p "$dir"
    [ -n "$(ls -A "$dir" 2>/dev/null)" ] && return
    python3 - "$target" "$dir" <<'PY'
import glob, json, os, random, sys
target, out = sys.argv[1], sys.argv[2]
def write(name, data):
    open(os.path.join(out, name), "wb").write(data)
lines = []
for path in sorted(glob.glob("corpus/tune*/*.jsonl")):
    lines += [l for l in open(path, "rb").read().split(b"\n") if l.strip()]
if target == "yaml":
    for n, path in enumerate(sorted(glob.glob("rules/**/*.yaml", recursive=True) + glob.glob("Tests/**/Fixtures/**/*.yaml", recursive=True))):
        write("rule-%03d" % n, open(path, "rb").read())
elif target == "json":
    for n, line in enumerate(lines[:400]):
        write("record-%03d" % n, line)
elif target == "normalizer":
    for n, line in enumerate(lines[:400]):
        write("text-%03d" % n, json.loads(line)["text"].encode())
else:
    rng = random.Random(13)
    for n in range(64):
        write("seed-%02d" % n, bytes(rng.randrange(256) for _ in range(rng.randrange(8, 400 if target == "matcher" else 32))))
PY
}

max_len() {
    case $1 in
        matcher) echo 1024 ;;
        calendar) echo 64 ;;
        *) echo 32768 ;;
    esac
}

run() {
    local target=$1 seconds=$2
    shift 2
    seed "$target"
    mkdir -p "$BUILD/crashes/$target"
    local log=$BUILD/fuzz-$target.log
    echo "fuzz.sh: $target for ${seconds} s" >&2
    set +e
    SWIFT_BACKTRACE=enable=no TRIAGE_FUZZ_TARGET=$target TRIAGE_ROOT=$PWD ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 \
        "$BIN" "$BUILD/corpus/$target" -max_total_time="$seconds" -max_len="$(max_len "$target")" \
        -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="$BUILD/crashes/$target/" "$@" >"$log" 2>&1
    local status=$?
    set -e
    local runs cov ft corp
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || true)
    ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || true)
    corp=$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1 || true)
    printf '%-11s %4ss  %10s execs  cov %6s  ft %6s  %s  exit %s\n' "$target" "$seconds" "${runs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-}" "$status"
    if [ "$status" -ne 0 ] || ls "$BUILD/crashes/$target/" | grep -qE '^(crash|leak|timeout|oom)-'; then
        echo "fuzz.sh: $target FOUND A PROBLEM; the log is $log" >&2
        grep -E 'triage-fuzz|ERROR|SUMMARY|Test unit written' "$log" | head -20 >&2
        for crash in "$BUILD/crashes/$target/"crash-* "$BUILD/crashes/$target/"timeout-*; do
            [ -f "$crash" ] || continue
            SWIFT_BACKTRACE=enable=no TRIAGE_FUZZ_TARGET=$target TRIAGE_ROOT=$PWD ASAN_OPTIONS=detect_leaks=0 \
                "$BIN" -minimize_crash=1 -runs=20000 -exact_artifact_path="$crash.min" "$crash" >/dev/null 2>&1 || true
            echo "fuzz.sh: minimised: $crash.min" >&2
        done
        return 1
    fi
}

case "${1:-}" in
    build) build ;;
    all)
        build
        failed=0
        for t in $TARGETS; do run "$t" "${2:?seconds}" || failed=1; done
        exit $failed
        ;;
    yaml | json | normalizer | matcher | calendar)
        build
        t=$1
        shift
        run "$t" "$@"
        ;;
    *)
        sed -n '2,14p' "$0" >&2
        exit 2
        ;;
esac
