#!/usr/bin/env bash
# `make lint`: ruff (checks and format) and pylint with OCA's pylint-odoo.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/tools/setup.sh"
cd "$ROOT"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
# On the command line because pylintrc enables its checks after disabling:
# Odoo injects model attributes at runtime; README.md stands for README.rst.
PYTHONPATH="$ODOO_SRC" "$VENV/bin/pylint" --rcfile=.pylintrc --disable=no-member,missing-readme \
    --recursive=y .
echo "lint: clean"
