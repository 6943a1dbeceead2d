#!/usr/bin/env bash
# `make bench`: performance figures on a generated book of 2,000 customers and 20,000 invoices.
# The book is built once into a template database (BENCH_REBUILD=1 rebuilds it); each run measures a copy
# of it, updated to the current code. BENCH_TEMPLATE names the template; BENCH_CUSTOMERS and BENCH_INVOICES
# build a smaller book (give it its own BENCH_TEMPLATE). Then, unless BENCH_OCA=0, OCA's account_credit_control
# (downloaded once from PyPI into BENCH_CACHE, never part of this repository) runs on another copy of the
# book, and the ratios of the dunning run to OCA's and to the SQL floor are printed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

check_odoo
ensure_postgres

TEMPLATE=${BENCH_TEMPLATE:-acr_bench_book}
BUILDING="${TEMPLATE}_building"
RUN_DB="${TEMPLATE}_run_$$"
OCA_DB="${TEMPLATE}_oca_$$"
OCA_VERSION="18.0.*"
CACHE=${BENCH_CACHE:-${TMPDIR:-/tmp}/acr-bench-cache}
LOG=$(mktemp)
RESULTS=$(mktemp)
ADDONS_PATH=$(odoo_addons_path)
cleanup() {
    dropdb --if-exists "$RUN_DB" >/dev/null 2>&1 || true
    dropdb --if-exists "$OCA_DB" >/dev/null 2>&1 || true
    rm -f "$LOG" "$RESULTS"
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
"$PYTHON" "$REPO_DIR/scripts/bench.py" measure --database "$RUN_DB" --addons-path "$ADDONS_PATH" | tee "$RESULTS"

# OCA's account_credit_control from its wheel, extracted into the cache: an add-ons folder for the copy only.
oca_addons_dir() {
    local wheel_dir="$CACHE/wheels" addons="$CACHE/oca/odoo/addons"
    if [ ! -d "$addons/account_credit_control" ]; then
        mkdir -p "$wheel_dir"
        "$PYTHON" -m pip download --quiet --no-deps --dest "$wheel_dir" \
            "odoo-addon-account-credit-control==$OCA_VERSION" >&2
        rm -rf "$CACHE/oca"
        "$PYTHON" -m zipfile -e "$(ls -t "$wheel_dir"/odoo_addon_account_credit_control-*.whl | head -n 1)" \
            "$CACHE/oca"
    fi
    printf '%s' "$addons"
}

if [ "${BENCH_OCA:-1}" = "1" ]; then
    echo "== OCA account_credit_control on another copy of $TEMPLATE"
    OCA_PATH="$ADDONS_PATH,$(oca_addons_dir)"
    # A copy of the measured database (updated to the current code and its dependencies, measurements
    # rolled back), so that uninstalling this add-on runs with the code that installed it.
    createdb -T "$RUN_DB" "$OCA_DB"
    "$PYTHON" "$REPO_DIR/scripts/bench.py" oca-uninstall --database "$OCA_DB" --addons-path "$ADDONS_PATH" \
        > "$LOG" 2>&1 || { tail -n 40 "$LOG"; echo "ERROR: uninstalling $MODULE from $OCA_DB failed." >&2; exit 1; }
    if ! "$PYTHON" -m odoo --addons-path="$OCA_PATH" -d "$OCA_DB" -i account_credit_control --without-demo=all \
        --stop-after-init --log-level=warn --http-port=0 > "$LOG" 2>&1; then
        tail -n 40 "$LOG"
        echo "ERROR: installing account_credit_control into $OCA_DB failed." >&2
        exit 1
    fi
    "$PYTHON" "$REPO_DIR/scripts/bench.py" oca-measure --database "$OCA_DB" --addons-path "$OCA_PATH" \
        | tee -a "$RESULTS"
fi
dropdb --if-exists "$RUN_DB"
"$PYTHON" "$REPO_DIR/scripts/bench.py" ratios --results "$RESULTS"
