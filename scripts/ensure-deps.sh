#!/usr/bin/env bash
# Makes sure the C libraries the package links (libpcre2-8, libyaml, OpenCC
# with its t2s data, and libsqlite3 for GRDB in TriageCases) and pkg-config are
# installed. Installs them with apt-get when run as root; otherwise says exactly
# what to install.
set -euo pipefail
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
