#!/usr/bin/env bash
# Set up the bot and start the web chat + API on the shipped corpus (builds index/ on first start).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
exec .venv/bin/python app.py "$@"
