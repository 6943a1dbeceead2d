#!/usr/bin/env bash
# `make bench`: performance figures on a generated book of 2,000 customers and 20,000 invoices.
# The book is built once into a template database (BENCH_REBUILD=1 rebuilds it); each run measures a copy
# of it, updated to the current code. BENCH_TEMPLATE names the template; BENCH_CUSTOMERS and BENCH_INVOICES
# build a smaller book (give it its own BENCH_TEMPLATE). Unless BENCH_OCA=0, OCA's account_credit_control
# (downloaded once from PyPI into BENCH_CACHE, never part of this repository) runs on another copy of the
# book. BENCH_SCALE=10 then copies the book in SQL to ten times its size (once, into the template
# <template>_x10) and measures the run, the exposure, the aged balance, the credit page and the dashboard
# there too. Last, the ratios, the growth from 1x to 10x and the targets are printed.
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
LETTERS_FILE=$(mktemp)
SCALE=${BENCH_SCALE:-1}
SCALE_TEMPLATE="${TEMPLATE}_x${SCALE}"
SCALE_DB="${SCALE_TEMPLATE}_run_$$"
ADDONS_PATH=$(odoo_addons_path)
cleanup() {
    dropdb --if-exists "$RUN_DB" >/dev/null 2>&1 || true
    dropdb --if-exists "$OCA_DB" >/dev/null 2>&1 || true
    dropdb --if-exists "$SCALE_DB" >/dev/null 2>&1 || true
    rm -f "$LOG" "$RESULTS" "$LETTERS_FILE"
}
trap cleanup EXIT

db_exists() { [ "$(psql -d postgres -tAc "select 1 from pg_database where datname = '$1'")" = "1" ]; }

if [ "${BENCH_REBUILD:-0}" = "1" ] && db_exists "$TEMPLATE"; then
    dropdb "$TEMPLATE"
fi
# BENCH_SEED_TEMPLATE names a smaller book built by the ORM (BENCH_CUSTOMERS / BENCH_INVOICES and its own
# BENCH_TEMPLATE): the book is then that one copied BENCH_SEED_FACTOR times in SQL (bench.py scale), in
# minutes rather than hours on a loaded machine.
SEED_TEMPLATE=${BENCH_SEED_TEMPLATE:-}
if [ -n "$SEED_TEMPLATE" ] && ! db_exists "$TEMPLATE"; then
    echo "== Copying $SEED_TEMPLATE ${BENCH_SEED_FACTOR:-20} times in SQL into template database $TEMPLATE (once)"
    started=$(date +%s)
    dropdb --if-exists "$BUILDING" 2>/dev/null
    createdb -T "$SEED_TEMPLATE" "$BUILDING"
    "$PYTHON" "$REPO_DIR/scripts/bench.py" scale --database "$BUILDING" --addons-path "$ADDONS_PATH" \
        --factor "${BENCH_SEED_FACTOR:-20}"
    psql -d "$BUILDING" -qc "VACUUM ANALYZE"
    psql -d postgres -qc "ALTER DATABASE \"$BUILDING\" RENAME TO \"$TEMPLATE\""
    echo "== Template $TEMPLATE built in $(($(date +%s) - started)) s"
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
# The measures commit (the scheduled action commits each call): OCA's copy is taken before them.
[ "${BENCH_OCA:-1}" = "1" ] && createdb -T "$RUN_DB" "$OCA_DB"
# The job path (BENCH dunning_run_jobs) is measured when OCA's queue_job is installed in the measured copy.
if [ "${QUEUE_JOB:-1}" = "1" ] && has_queue_job; then
    odoo_cmd -d "$RUN_DB" -i queue_job --stop-after-init --log-level=warn --http-port=0 > "$LOG" 2>&1 \
        || { tail -n 40 "$LOG"; echo "ERROR: installing queue_job in $RUN_DB failed." >&2; exit 1; }
fi
started=$(date +%s)
"$PYTHON" "$REPO_DIR/scripts/bench.py" measure --database "$RUN_DB" --addons-path "$ADDONS_PATH" \
    --letters-file "$LETTERS_FILE" | tee "$RESULTS"
echo "  measured in $(($(date +%s) - started)) s"

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
    # A copy of the measured database taken before the measures (updated to the current code and its
    # dependencies), so that uninstalling this add-on runs with the code that installed it.
    "$PYTHON" "$REPO_DIR/scripts/bench.py" oca-uninstall --database "$OCA_DB" --addons-path "$ADDONS_PATH" \
        > "$LOG" 2>&1 || { tail -n 40 "$LOG"; echo "ERROR: uninstalling $MODULE from $OCA_DB failed." >&2; exit 1; }
    if ! "$PYTHON" -m odoo --addons-path="$OCA_PATH" -d "$OCA_DB" -i account_credit_control --without-demo=all \
        --stop-after-init --log-level=warn --http-port=0 > "$LOG" 2>&1; then
        tail -n 40 "$LOG"
        echo "ERROR: installing account_credit_control into $OCA_DB failed." >&2
        exit 1
    fi
    "$PYTHON" "$REPO_DIR/scripts/bench.py" oca-measure --database "$OCA_DB" --addons-path "$OCA_PATH" \
        --letters-file "$LETTERS_FILE" | tee -a "$RESULTS"
    dropdb --if-exists "$OCA_DB"
fi
dropdb --if-exists "$RUN_DB"

if [ "$SCALE" != "1" ]; then
    if ! db_exists "$SCALE_TEMPLATE"; then
        echo "== Copying $TEMPLATE $SCALE times in SQL into template database $SCALE_TEMPLATE (once)"
        started=$(date +%s)
        dropdb --if-exists "${SCALE_TEMPLATE}_building" 2>/dev/null
        createdb -T "$TEMPLATE" "${SCALE_TEMPLATE}_building"
        "$PYTHON" "$REPO_DIR/scripts/bench.py" scale --database "${SCALE_TEMPLATE}_building" \
            --addons-path "$ADDONS_PATH" --factor "$SCALE" | tee -a "$RESULTS"
        psql -d "${SCALE_TEMPLATE}_building" -qc "VACUUM ANALYZE"
        psql -d postgres -qc "ALTER DATABASE \"${SCALE_TEMPLATE}_building\" RENAME TO \"$SCALE_TEMPLATE\""
        echo "== Template $SCALE_TEMPLATE built in $(($(date +%s) - started)) s"
    fi
    echo "== Measuring on a copy of $SCALE_TEMPLATE updated to the current code"
    createdb -T "$SCALE_TEMPLATE" "$SCALE_DB"
    if ! odoo_cmd -d "$SCALE_DB" -u "$MODULE" --stop-after-init --log-level=warn --http-port=0 > "$LOG" 2>&1; then
        tail -n 40 "$LOG"
        echo "ERROR: updating $MODULE in $SCALE_DB failed." >&2
        exit 1
    fi
    started=$(date +%s)
    "$PYTHON" "$REPO_DIR/scripts/bench.py" measure --database "$SCALE_DB" --addons-path "$ADDONS_PATH" \
        --scope scale --prefix "x$SCALE." --rounds 3 --form-rounds 5 | tee -a "$RESULTS"
    echo "  measured in $(($(date +%s) - started)) s"
    dropdb --if-exists "$SCALE_DB"
fi
"$PYTHON" "$REPO_DIR/scripts/bench.py" ratios --results "$RESULTS" --prefix "x$SCALE."
