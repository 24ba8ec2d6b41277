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
    # Without Odoo's own demo data, so that the company keeps its country's
    # chart of accounts and currency (euros for France); the demo story is
    # then told by the addon's demo loader, under the demo's deposit rules.
    echo "==> Creating database $DB ($LANG_CODE, country $COUNTRY)"
    "${ODOO_BIN[@]}" db -c "$ODOO_CONF" init "$DB" --language "$LANG_CODE" --country "$COUNTRY"
    echo "==> Installing client_relationship into $DB"
    "${ODOO_BIN[@]}" -c "$ODOO_CONF" -d "$DB" -i client_relationship \
        --stop-after-init --log-level=warn
    echo "==> Telling the demo story (demo clients, invoices, messages, an ended relationship)"
    "${ODOO_BIN[@]}" shell -c "$ODOO_CONF" -d "$DB" --no-http --log-level=warn <<'PY'
admin = env.ref("base.user_admin")
admin.partner_id.write({"name": "Claire Martin", "email": "claire@secretariat-martin.example"})
admin.company_id.write({
    "name": "Secrétariat Claire Martin",
    "street": "12 rue des Lilas",
    "zip": "69003",
    "city": "Lyon",
    "email": "contact@secretariat-martin.example",
})
# The demo's deposit rules for this database's own company; demo data alone
# (an Odoo database installed with --with-demo) leaves the company's rules alone.
from odoo.addons.client_relationship.demo import story
story.turn_deposit_rules_on(admin.company_id)
story.load_demo_story(env(user=admin))
env.cr.commit()
PY
    echo "$addon_hash" > "$STAMP"
elif [ "$(addon_state)" != installed ]; then
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
