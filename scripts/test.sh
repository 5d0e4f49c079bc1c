#!/usr/bin/env bash
# Set up everything the tests need on a fresh machine, then run them all (slow ones included).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk"; then
  # The browser test drives Debian's Chromium (and a CJK font for readable screenshots); no browser download.
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null \
    || echo "warning: could not install Debian's chromium; tests/test_web.py will be skipped" >&2
fi
# lint first: a style or import error fails fast, before the slow tests
.venv/bin/ruff check bot tests bench app.py
# two workers (pytest-xdist): browser, server and subprocess tests wait on I/O while the other worker computes;
# the shipped reports are embedded once per run (tests/conftest.py shares one embedding cache)
exec .venv/bin/python -m pytest -n "${BOT_TEST_WORKERS:-2}" "$@"
