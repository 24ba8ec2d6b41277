#!/usr/bin/env bash
# `make run`: a demo database with the addon (created once, upgraded when the
# addon changed), then Odoo on http://localhost:$ODOO_PORT (admin / admin).
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/tools/setup.sh"

DB=${ODOO_DB:-client_relationship_demo}
LANG_CODE=${ODOO_LANG:-fr_FR}
PORT=${ODOO_PORT:-8069}
COUNTRY=${ODOO_COUNTRY:-FR}
STAMP=$BUILD/$DB.addon-hash
addon_hash=$(cd "$ROOT" && git ls-files -z | xargs -0 cat 2>/dev/null | sha1sum | cut -c1-40)

db_exists() { psql -d postgres -tAc "select 1 from pg_database where datname = '$DB'" | grep -q 1; }
addon_state() { psql -d "$DB" -tAc "select state from ir_module_module where name = 'client_relationship'" 2>/dev/null || true; }

if ! db_exists; then
    echo "==> Creating database $DB ($LANG_CODE, demo data, country $COUNTRY)"
    "${ODOO_BIN[@]}" db -c "$ODOO_CONF" init "$DB" --with-demo \
        --language "$LANG_CODE" --country "$COUNTRY"
fi
if [ "$(addon_state)" != installed ]; then
    echo "==> Installing client_relationship into $DB"
    "${ODOO_BIN[@]}" -c "$ODOO_CONF" -d "$DB" -i client_relationship \
        --stop-after-init --log-level=warn
    echo "$addon_hash" > "$STAMP"
elif [ "$(cat "$STAMP" 2>/dev/null)" != "$addon_hash" ]; then
    echo "==> The addon changed: upgrading it in $DB"
    "${ODOO_BIN[@]}" -c "$ODOO_CONF" -d "$DB" -u client_relationship \
        --stop-after-init --log-level=warn
    echo "$addon_hash" > "$STAMP"
fi

echo "==> Odoo on http://localhost:$PORT (admin / admin); Ctrl-C stops it"
exec "${ODOO_BIN[@]}" -c "$ODOO_CONF" -d "$DB" --db-filter="^$DB\$" \
    --http-port="$PORT" "$@"
