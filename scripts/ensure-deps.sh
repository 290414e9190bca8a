#!/usr/bin/env bash
# Makes sure the C libraries the package links (libpcre2-8, libyaml, OpenCC
# with its t2s data) and pkg-config are installed, and Python's jsonschema (the
# test that validates the bundled rules against docs/rules.schema.json uses it).
# Installs them with apt-get when run as root; otherwise says exactly what to install.
set -euo pipefail
if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libpcre2-8 yaml-0.1 opencc \
  && [ -f /usr/share/opencc/t2s.json ] && python3 -c 'import jsonschema' >/dev/null 2>&1; then
  exit 0
fi
packages="libpcre2-dev libyaml-dev libopencc-dev pkg-config python3-jsonschema"
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
