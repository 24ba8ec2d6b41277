#!/usr/bin/env bash
# `make bench`: a database with 100,000 clients, 1,000,000 invoice lines and
# 300,000 messages (built once, then reused), and the timing of the nightly
# health recompute against a hand-written SQL lower bound.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/tools/setup.sh"

DB=${BENCH_DB:-client_relationship_bench}
populated() {
    psql -d "$DB" -tAc "select value from ir_config_parameter where key = 'client_relationship.bench_populated'" 2>/dev/null | grep -q 1
}
if ! populated; then
    dropdb --if-exists "$DB"
    echo "==> Building $DB (once; a few minutes)"
    "${ODOO_BIN[@]}" -c "$ODOO_CONF" -d "$DB" -i client_relationship --stop-after-init --log-level=warn
    "${ODOO_BIN[@]}" shell -c "$ODOO_CONF" -d "$DB" --log-level=info < "$ROOT/tools/bench/populate.py"
else
    echo "==> Upgrading client_relationship in $DB"
    "${ODOO_BIN[@]}" -c "$ODOO_CONF" -d "$DB" -u client_relationship --stop-after-init --log-level=warn
fi
"${ODOO_BIN[@]}" shell -c "$ODOO_CONF" -d "$DB" --log-level=warn < "$ROOT/tools/bench/run.py"
