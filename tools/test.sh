#!/usr/bin/env bash
# `make test`: a fresh database with the addon (and French), every test with
# pytest-odoo, browser tours included, then the database is dropped.
# TEST=tests/test_x.py::TestX::test_y runs a subset; KEEP_DB=1 keeps the database.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/tools/setup.sh"

# A tour or a PDF check that cannot run must fail, not be skipped.
for tool in chromium wkhtmltopdf pdftotext msgfmt; do
    command -v "$tool" >/dev/null || { echo "$tool is missing: the tests need it" >&2; exit 1; }
done
"$PYTHON" -c "import websocket" || { echo "websocket-client is missing from $VENV" >&2; exit 1; }

DB=${TEST_DB:-client_relationship_test_$(date +%Y%m%d_%H%M%S)_$$}
cleanup() {
    if [ -z "${KEEP_DB:-}" ]; then
        "${ODOO_BIN[@]}" db -c "$ODOO_CONF" drop "$DB" >/dev/null 2>&1 || dropdb --if-exists "$DB"
    else
        echo "Database kept: $DB"
    fi
}
trap cleanup EXIT

start=$(date +%s)
# payment_demo: the portal test pays a deposit with Odoo's demo provider.
echo "==> Installing client_relationship and payment_demo into $DB"
"${ODOO_BIN[@]}" -c "$ODOO_CONF" -d "$DB" -i client_relationship,payment_demo \
    --load-language=fr_FR --stop-after-init --log-level=warn
echo "==> Installed in $(($(date +%s) - start)) s; running the tests"

cd "$BUILD/addons"
# TEST may name several paths, separated by spaces.
targets=()
for target in ${TEST:-tests}; do targets+=("client_relationship/$target"); done
set +e
PYTHONPATH="$ODOO_SRC:$ROOT/tools${PYTHONPATH:+:$PYTHONPATH}" "$VENV/bin/pytest" \
    -p no_skip -p no:cacheprovider \
    --odoo-config="$ODOO_CONF" --odoo-database="$DB" --odoo-http \
    --odoo-log-level="${ODOO_LOG_LEVEL:-warn}" \
    -rfEs "${targets[@]}" "$@"
status=$?
set -e
echo "==> make test took $(($(date +%s) - start)) s"
exit $status
