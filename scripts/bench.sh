#!/usr/bin/env bash
# `make bench`: performance figures on a generated book of 2,000 customers and 20,000 invoices.
# The book is built once into a template database (BENCH_REBUILD=1 rebuilds it); each run measures a copy.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

check_odoo
ensure_postgres

TEMPLATE=${BENCH_TEMPLATE:-acr_bench_book}
RUN_DB="acr_bench_run_$$"
LOG=$(mktemp)
trap 'dropdb --if-exists "$RUN_DB" >/dev/null 2>&1 || true; rm -f "$LOG"' EXIT

exists() { psql -d postgres -tAc "select 1 from pg_database where datname = '$1'" | grep -q 1; }

if [ "${BENCH_REBUILD:-0}" = "1" ] && exists "$TEMPLATE"; then
    dropdb "$TEMPLATE"
fi
if ! exists "$TEMPLATE"; then
    echo "== Building the benchmark book in template database $TEMPLATE (once; takes a few minutes)"
    if ! odoo_cmd -d "$TEMPLATE" -i "$MODULE" --without-demo=all --stop-after-init --log-level=warn \
        --http-port=0 > "$LOG" 2>&1; then
        tail -n 40 "$LOG"
        dropdb --if-exists "$TEMPLATE"
        exit 1
    fi
    if ! "$PYTHON" "$REPO_DIR/scripts/bench.py" build --database "$TEMPLATE" --addons-path "$(odoo_addons_path)"; then
        dropdb --if-exists "$TEMPLATE"
        exit 1
    fi
fi

echo "== Measuring on a copy of $TEMPLATE with the current code"
createdb -T "$TEMPLATE" "$RUN_DB"
if ! odoo_cmd -d "$RUN_DB" -u "$MODULE" --stop-after-init --log-level=warn --http-port=0 > "$LOG" 2>&1; then
    tail -n 40 "$LOG"
    exit 1
fi
"$PYTHON" "$REPO_DIR/scripts/bench.py" measure --database "$RUN_DB" --addons-path "$(odoo_addons_path)"
