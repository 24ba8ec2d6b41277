#!/usr/bin/env bash
# `make bench`: the nightly health recompute, run by Odoo's own cron runner, on
# 100,000 clients in two companies (1,000,000 invoice lines, 300,000 messages),
# against a hand-written SQL lower bound; then the same on 10,000 clients built
# the same way, to see how the cost per client grows.
#
# Each database is built once as <name>_built (a few minutes; rebuilt when
# tools/bench/populate.py changes its VERSION) and upgraded when the addon
# changes; every `make bench` times a fresh copy of it, so that run 1 is the
# first computation of every client.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/tools/setup.sh"

DB=${BENCH_DB:-client_relationship_bench}
VERSION=$(sed -n 's/^VERSION = "\(.*\)"$/\1/p' "$ROOT/tools/bench/populate.py")
# The addon's files, tracked or not, but the tooling and the documentation: what an
# upgrade would change.
addon_hash=$(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard -- . \
    ':!tools' ':!*.md' | xargs -0 cat 2>/dev/null | sha1sum | cut -c1-40)
RESULTS=$(mktemp -d)
trap 'rm -rf "$RESULTS"' EXIT

param() {  # param DB KEY: a bench parameter of DB, empty when DB or KEY is missing
    psql -d "$1" -tAc "SELECT value FROM ir_config_parameter
                       WHERE key = 'client_relationship.bench_$2'" 2>/dev/null || true
}

stamp() {  # stamp DB: DB's schema and statistics follow the addon as it is now
    psql -d "$1" -qc "VACUUM ANALYZE"
    psql -d "$1" -qc "INSERT INTO ir_config_parameter (key, value)
                      VALUES ('client_relationship.bench_addon_hash', '$addon_hash')
                      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
}

fresh_copy() {  # fresh_copy DB SCALE: DB as built by populate.py at SCALE, never computed
    local db=$1 scale=$2 built=$1_built
    local clients
    clients=$(awk -v scale="$scale" 'BEGIN { printf "%d", 100000 * scale }')
    if [ "$(param "$built" populated)" != "$VERSION:$clients" ]; then
        "${ODOO_BIN[@]}" db -c "$ODOO_CONF" drop "$built" >/dev/null 2>&1 || true
        echo "==> Building $built: $clients clients (once; a few minutes)"
        "${ODOO_BIN[@]}" -c "$ODOO_CONF" -d "$built" -i client_relationship \
            --stop-after-init --log-level=warn
        BENCH_SCALE=$scale "${ODOO_BIN[@]}" shell -c "$ODOO_CONF" -d "$built" \
            --log-level=warn < "$ROOT/tools/bench/populate.py"
        stamp "$built"
    elif [ "$(param "$built" addon_hash)" != "$addon_hash" ]; then
        echo "==> Upgrading client_relationship in $built"
        "${ODOO_BIN[@]}" -c "$ODOO_CONF" -d "$built" -u client_relationship \
            --stop-after-init --log-level=warn
        stamp "$built"
    fi
    "${ODOO_BIN[@]}" db -c "$ODOO_CONF" duplicate -f "$built" "$db" >"$RESULTS/copy.log" 2>&1 ||
        { cat "$RESULTS/copy.log"; exit 1; }
}

started=$(date +%s)
# The small database's runs take a second: four warm ones, against its noise.
for size in 10k 100k; do
    if [ $size = 10k ]; then db=${DB}_10k scale=0.1 warm=4; else db=$DB scale=1 warm=2; fi
    fresh_copy "$db" $scale
    echo "==> $size clients ($db)"
    BENCH_RESULTS=$RESULTS/$size.json BENCH_WARM_RUNS=${BENCH_WARM_RUNS:-$warm} \
        "${ODOO_BIN[@]}" shell -c "$ODOO_CONF" -d "$db" --log-level=warn \
        < "$ROOT/tools/bench/run.py"
done
echo "==> Targets"
"$PYTHON" "$ROOT/tools/bench/report.py" "$RESULTS/10k.json" "$RESULTS/100k.json"
echo "==> make bench took $(($(date +%s) - started)) s"
