#!/usr/bin/env bash
# Timings of the paths issue 13 found quadratic (defect 10), on a release build:
#   - `triage check` on the bundled rules plus N rules without examples (N warnings), text and JSON;
#   - `triage check` and `triage classify` on 20,000 rules sharing one aliased pattern list;
#   - `triage classify --jsonl` on one line of 5, 20 and 50 MB rejected at its first byte.
# Each figure is the median of RUNS runs (default 5).
#
#   swift build -c release && scripts/bench-hardening.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${TRIAGE_BIN:-.build/release/triage}
runs=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() {  # median wall time in seconds of running "$@" $runs times (output discarded)
    local times=()
    for _ in $(seq 1 "$runs"); do
        local t0 t1
        t0=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || true
        t1=$(date +%s.%N)
        times+=("$(python3 -c "print($t1 - $t0)")")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'
}

for n in 1000 2000 4000; do
    dir=$work/warn-$n
    cp -r rules "$dir"
    python3 - "$dir/gen.yaml" "$n" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    f.write("rules:\n")
    for i in range(n):
        f.write(f"  - id: gen_{i}\n    category: business\n    weight: 1\n    description: 生成{i}\n    patterns: ['生成词{i}号']\n")
PY
    echo "check, $n warnings: text $(median "$BIN" check --rules "$dir") s, JSON $(median "$BIN" check --rules "$dir" --format json) s"
done

dir=$work/alias
cp -r rules "$dir"
python3 - "$dir/gen.yaml" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("rules:\n  - id: gen_0\n    category: business\n    weight: 1\n    description: 生成\n"
            "    patterns: &p ['营业执照办理', '发票(开具|领用)', '社保卡补办', '公积金提取', '居住证(办理|签注)']\n"
            "    examples: {match: ['营业执照办理']}\n")
    for i in range(1, 20000):
        f.write(f"  - {{id: gen_{i}, category: business, weight: 1, description: 生成, patterns: *p}}\n")
PY
echo '{"id": 1, "text": "营业执照办理需要什么材料"}' > "$work/one.jsonl"
echo "20,000 rules on one aliased list: check $(median "$BIN" check --rules "$dir") s (JSON $(median "$BIN" check --rules "$dir" --format json) s), classify one message $(median sh -c "'$BIN' classify --jsonl --rules '$dir' < '$work/one.jsonl'") s"

for mb in 5 20 50; do
    python3 -c "import sys; sys.stdout.write('x' * ($mb * 1000000) + '\n')" > "$work/long.jsonl"
    echo "classify --jsonl, one $mb MB line rejected at byte 0: $(median sh -c "'$BIN' classify --jsonl --max-input-bytes 100000000 --rules rules < '$work/long.jsonl'") s (default --max-input-bytes: $(median sh -c "'$BIN' classify --jsonl --rules rules < '$work/long.jsonl'") s)"
done
