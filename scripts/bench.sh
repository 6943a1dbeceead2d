#!/usr/bin/env bash
# `make bench`: performance figures on a generated book of 2,000 customers and 20,000 invoices.
# The book is built once into a template database (BENCH_REBUILD=1 rebuilds it); each run measures a copy
# of it, updated to the current code. BENCH_TEMPLATE names the template; BENCH_CUSTOMERS and BENCH_INVOICES
# build a smaller book (give it its own BENCH_TEMPLATE).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

check_odoo
ensure_postgres

TEMPLATE=${BENCH_TEMPLATE:-acr_bench_book}
BUILDING="${TEMPLATE}_building"
RUN_DB="acr_bench_run_$$"
LOG=$(mktemp)
ADDONS_PATH=$(odoo_addons_path)
cleanup() {
    dropdb --if-exists "$RUN_DB" >/dev/null 2>&1 || true
    rm -f "$LOG"
}
trap cleanup EXIT

db_exists() { [ "$(psql -d postgres -tAc "select 1 from pg_database where datname = '$1'")" = "1" ]; }

if [ "${BENCH_REBUILD:-0}" = "1" ] && db_exists "$TEMPLATE"; then
    dropdb "$TEMPLATE"
fi
if ! db_exists "$TEMPLATE"; then
    # Built under another name and renamed at the end: an interrupted build never leaves a half book.
    echo "== Building the benchmark book into template database $TEMPLATE (once)"
    started=$(date +%s)
    dropdb --if-exists "$BUILDING" 2>/dev/null
    if ! odoo_cmd -d "$BUILDING" -i "$MODULE" --without-demo=all --stop-after-init --log-level=warn \
        --http-port=0 > "$LOG" 2>&1; then
        tail -n 40 "$LOG"
        echo "ERROR: installing $MODULE into $BUILDING failed." >&2
        exit 1
    fi
    echo "  module installed without demo data ($(($(date +%s) - started)) s)"
    "$PYTHON" "$REPO_DIR/scripts/bench.py" build --database "$BUILDING" --addons-path "$ADDONS_PATH"
    psql -d postgres -qc "ALTER DATABASE \"$BUILDING\" RENAME TO \"$TEMPLATE\""
    echo "== Template $TEMPLATE built in $(($(date +%s) - started)) s"
fi

echo "== Measuring on a copy of $TEMPLATE updated to the current code"
createdb -T "$TEMPLATE" "$RUN_DB"
if ! odoo_cmd -d "$RUN_DB" -u "$MODULE" --stop-after-init --log-level=warn --http-port=0 > "$LOG" 2>&1; then
    tail -n 40 "$LOG"
    echo "ERROR: updating $MODULE in $RUN_DB failed." >&2
    exit 1
fi
"$PYTHON" "$REPO_DIR/scripts/bench.py" measure --database "$RUN_DB" --addons-path "$ADDONS_PATH"
