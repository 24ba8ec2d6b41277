#!/usr/bin/env bash
# `make odoo-tests`: Odoo's own sale tests, run by Odoo's runner in a fresh
# database with demo data where the addon is installed, to show that the addon
# (and its demo) leaves the rest of Odoo alone. WITHOUT_ADDON=1 installs only
# the addon's dependencies: the baseline to compare with.
# ODOO_TESTS="test_sale_order ..." picks other files of sale/tests;
# KEEP_DB=1 keeps the database. The full log stays in $BUILD/odoo-tests*.log.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/tools/setup.sh"

TESTS=${ODOO_TESTS:-test_sale_order test_sale_to_invoice test_payment_flow test_sale_flow \
test_access_rights test_credit_limit test_taxes_downpayment}
if [ -n "${WITHOUT_ADDON:-}" ]; then
    label="without client_relationship"
    modules=$("$PYTHON" -c 'import ast, sys
print(",".join(ast.literal_eval(open(sys.argv[1]).read())["depends"]))' "$ROOT/__manifest__.py")
    LOG=$BUILD/odoo-tests-without-addon.log
else
    label="with client_relationship"
    modules=client_relationship
    LOG=$BUILD/odoo-tests.log
fi
# Odoo's path tags: /<module>/tests/<file>.py, any class, any method.
tags=$(printf '/sale/tests/%s.py,' $TESTS)
tags=${tags%,}

DB=${ODOO_TESTS_DB:-client_relationship_odoo_tests_$(date +%Y%m%d_%H%M%S)_$$}
cleanup() {
    if [ -z "${KEEP_DB:-}" ]; then
        "${ODOO_BIN[@]}" db -c "$ODOO_CONF" drop "$DB" >/dev/null 2>&1 || dropdb --if-exists "$DB"
    else
        echo "Database kept: $DB"
    fi
}
trap cleanup EXIT
# The HTTP cases need a server; a free port, since other runs may be going on.
port=$("$PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')

start=$(date +%s)
# As Odoo runs a module's tests: each at_install test right after its module is
# installed (before the modules that come after it), the post_install ones once
# every module is installed with its demo data.
echo "==> Installing $modules with demo data into $DB and running sale's $TESTS ($label)"
echo "    log: $LOG"
set +e
"${ODOO_BIN[@]}" -c "$ODOO_CONF" -d "$DB" -i "$modules" --with-demo --test-tags="$tags" \
    --stop-after-init --http-port="$port" --log-level=info >"$LOG" 2>&1
status=$?
set -e
# Odoo installs a module without its demo data when that data fails (a
# warning in the log): the comparison would then be meaningless.
no_demo=$(psql -d "$DB" -tAc "select string_agg(name, ', ') from ir_module_module
    where state = 'installed' and not demo")
if [ -n "$no_demo" ]; then
    echo "Installed without their demo data: $no_demo (see $LOG)" >&2
    status=1
fi
# Log lines: date time pid LEVEL database logger: message.
grep -E "^([^ ]+ ){5}odoo\.[a-z_.]+: (FAIL|ERROR): " "$LOG" | sed -E 's/^([^ ]+ ){6}//' | sort || true
summary=$(grep -E "[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests when loading database" "$LOG" |
    sed -E 's/^.*: ([0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests).*$/\1/' | tail -1)
echo "==> ${summary:-no test summary (see $LOG)} ($label, with demo data)"
echo "==> make odoo-tests took $(($(date +%s) - start)) s"
exit $status
