#!/bin/sh
# Installs what the server's browser test and load benchmark need on Debian:
# chromium (headless, for Tests/TriageCLITests/PageBrowserTests.swift) and wrk
# (for scripts/bench-server.sh). Call it from .ci/run before `swift test`.
set -eu
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
# Chinese glyphs for the page screenshots.
[ -d /usr/share/fonts/opentype/noto ] || missing="$missing fonts-noto-cjk"
if [ -n "$missing" ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
chromium --version
