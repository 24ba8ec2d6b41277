#!/usr/bin/env bash
# `make i18n`: export the .pot with Odoo's own exporter from a scratch
# database, then merge it into fr.po (new terms arrive untranslated).
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/tools/setup.sh"

DB=client_relationship_i18n_$$
trap '"${ODOO_BIN[@]}" db -c "$ODOO_CONF" drop "$DB" >/dev/null 2>&1 || true' EXIT
"${ODOO_BIN[@]}" -c "$ODOO_CONF" -d "$DB" -i client_relationship --stop-after-init --log-level=warn
"${ODOO_BIN[@]}" i18n export -c "$ODOO_CONF" -d "$DB" client_relationship -l pot
[ -s "$ROOT/i18n/fr.po" ] || msginit --no-translator --locale=fr --input="$ROOT/i18n/client_relationship.pot" --output-file="$ROOT/i18n/fr.po"
msgmerge --quiet --update --backup=none --no-fuzzy-matching "$ROOT/i18n/fr.po" "$ROOT/i18n/client_relationship.pot"
msgattrib --no-obsolete -o "$ROOT/i18n/fr.po" "$ROOT/i18n/fr.po"
msgfmt --statistics -o /dev/null "$ROOT/i18n/fr.po"
