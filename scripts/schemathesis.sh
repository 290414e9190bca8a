#!/usr/bin/env bash
# Contract test of the running server with schemathesis (issue 13): every check, against the
# OpenAPI document the server serves at /openapi.yaml. Starts `triage serve` on a free port
# with the bundled rules, runs schemathesis, stops the server; exits non-zero on any failure.
#
#   scripts/schemathesis.sh [MAX_EXAMPLES]      (default 100 per operation)
#
# Installs the pinned schemathesis into .build/schemathesis-4.32.5 on first use (pip). The one
# cross-field rule JSON Schema cannot state is in scripts/schemathesis_hooks.py.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${TRIAGE_BIN:-.build/debug/triage}
PKGS=.build/schemathesis-4.32.5
if [ ! -d "$PKGS/schemathesis" ]; then
    # Into a folder of its own (no venv module needed, nothing installed system-wide).
    python3 -m pip install -q --disable-pip-version-check --target "$PKGS" "schemathesis==4.32.5"
fi
log=$(mktemp)
db=$(mktemp -d)
"$BIN" serve --port 0 --rules rules --log-level notice --db "$db/cases.sqlite" 2>"$log" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$log" "$db"' EXIT
for _ in $(seq 1 600); do
    port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$log" | head -1)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "${port:-}" ] || { cat "$log" >&2; echo "schemathesis.sh: triage serve did not start" >&2; exit 1; }
# From .build/, where schemathesis may keep its cache (.schemathesis/) out of the tree.
root=$PWD
cd .build
PYTHONPATH="$root/scripts:$root/$PKGS" SCHEMATHESIS_HOOKS=schemathesis_hooks python3 -m schemathesis.cli run \
    "http://127.0.0.1:$port/openapi.yaml" --url "http://127.0.0.1:$port" \
    --checks all --max-examples "${1:-100}" --seed "${SCHEMATHESIS_SEED:-13}" --no-color
