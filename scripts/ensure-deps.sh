#!/usr/bin/env bash
# Makes sure the C libraries the package links (libpcre2-8, libyaml, OpenCC
# with its t2s data, and libsqlite3 for GRDB in TriageCases) and pkg-config are installed, and the Python packages the
# QA gate needs. Installs them with apt-get and pip when run as root; otherwise
# says exactly what to install.
set -euo pipefail
cd "$(dirname "$0")/.."

# Python packages of the QA gate (scripts/requirements-ci.txt): the contract check and the
# independent holiday count. pip only runs when one of them cannot be imported.
if ! python3 -c 'import jsonschema, openapi_schema_validator, openapi_spec_validator, referencing, yaml, lunardate, ephem' 2>/dev/null; then
  echo "ensure-deps: installing the Python packages of scripts/requirements-ci.txt" >&2
  if ! python3 -m pip --version >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-pip >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-pip >/dev/null; }
  fi
  python3 -m pip install --quiet --disable-pip-version-check -r scripts/requirements-ci.txt \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages -r scripts/requirements-ci.txt
fi

if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libpcre2-8 yaml-0.1 opencc sqlite3 \
  && [ -f /usr/share/opencc/t2s.json ]; then
  exit 0
fi
packages="libpcre2-dev libyaml-dev libopencc-dev libsqlite3-dev pkg-config"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-deps: installing $packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $packages >/dev/null
  exit 0
fi
echo "ensure-deps: missing C libraries. Install them with:" >&2
echo "    sudo apt-get install $packages" >&2
exit 1
