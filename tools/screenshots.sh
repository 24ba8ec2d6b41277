#!/usr/bin/env bash
# `make screenshots`: the demo database of `make run`, served on a spare port,
# photographed in headless Chromium into static/description/screenshots/.
set -euo pipefail
source "$(dirname "$0")/env.sh"
PORT=${SCREENSHOTS_PORT:-8079}
export ODOO_DB=${ODOO_DB:-client_relationship_demo}
# Prepare the demo database exactly as `make run` does, without serving it.
"$ROOT/tools/run.sh" --stop-after-init >/dev/null
"${ODOO_BIN[@]}" -c "$ODOO_CONF" -d "$ODOO_DB" --db-filter="^$ODOO_DB\$" --http-port="$PORT" \
    --log-level=warn >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$PORT/web/login" >/dev/null && break; sleep 1; done
"$PYTHON" "$ROOT/tools/screenshots.py" "http://127.0.0.1:$PORT" "$ODOO_DB" \
    "$ROOT/static/description/screenshots"
