#!/usr/bin/env bash
# Sets SkinChat up from a fresh clone and runs the main job on embedded defaults:
# creates .venv, installs the project, migrates SQLite, seeds the demo clinic, indexes knowledge/demo-clinic,
# starts the API and the kiosk, and prints their URLs.  --install-only stops after the install.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3.11}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.skinchat-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/pip install -q --upgrade pip setuptools wheel
  .venv/bin/pip install -q -e '.[dev]'
  touch "$stamp"
fi
if [ "${1:-}" = "--install-only" ]; then
  echo "installed: .venv/bin/skinchat"
  exit 0
fi
exec .venv/bin/skinchat up "$@"
