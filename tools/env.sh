# Shared settings, sourced by the other scripts.
# shellcheck shell=bash
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${CLIENT_RELATIONSHIP_CACHE:-$HOME/.cache/client_relationship}
ODOO_BRANCH=19.0
if [ -n "${ODOO_SRC:-}" ]; then
    ODOO_SRC=$(cd "$ODOO_SRC" && pwd)
else
    ODOO_SRC=$CACHE/odoo-$ODOO_BRANCH
fi
VENV=${VENV:-$CACHE/venv}
PYTHON=$VENV/bin/python
# Odoo finds the addon under its technical name, whatever this checkout is
# called, through a folder outside the checkout (inside, Odoo's exporter would
# follow the link back into itself).
BUILD=$CACHE/checkouts/$(printf %s "$ROOT" | sha1sum | cut -c1-12)
ADDONS_PATH=$ODOO_SRC/addons,$BUILD/addons
ODOO_CONF=$BUILD/odoo.conf
ODOO_BIN=("$PYTHON" "$ODOO_SRC/odoo-bin")
