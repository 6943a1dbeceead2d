#!/usr/bin/env bash
# Shared helpers of the Makefile's scripts: find Odoo, make the add-on importable under its technical
# name, make sure PostgreSQL answers.
set -euo pipefail

MODULE=account_credit_recovery
# Installed beside it by make demo and make test, not a dependency: Odoo's demo payment provider, with which the
# demo's customers and the tests pay on the customer's page.
EXTRA_MODULES=payment_demo
PYTHON=${PYTHON:-python3}
REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# ensure_odoo and the virtual environment's installation.
source "$REPO_DIR/scripts/bootstrap.sh"
# Unset: Odoo's official source; set empty: never install anything.
ODOO_SRC=${ODOO_SRC-$ODOO_SRC_DEFAULT}

# Use $PYTHON, or the project's .venv when $PYTHON cannot import Odoo 18 and the .venv can; never installs.
check_odoo() {
    VENV=${VENV:-$REPO_DIR/.venv}
    if imports_odoo18 "$PYTHON"; then
        export PYTHON
    elif [ -x "$VENV/bin/python" ] && imports_odoo18 "$VENV/bin/python"; then
        PYTHON="$VENV/bin/python"
        export PYTHON
    else
        echo "ERROR: '$PYTHON' cannot import Odoo 18.0." >&2
        echo "Run make demo or make test with ODOO_SRC set (see README.md) to install it into $VENV." >&2
        exit 2
    fi
}

# Odoo finds add-ons by folder name: expose this checkout as <tmp>/addons/account_credit_recovery.
# ACR_ADDONS_DIR names an existing folder that already holds the add-on (a worktree's own add-ons folder).
addons_dir() {
    local key dir
    if [ -n "${ACR_ADDONS_DIR:-}" ]; then
        printf '%s' "$ACR_ADDONS_DIR"
        return
    fi
    key=$(printf '%s' "$REPO_DIR" | md5sum | cut -c1-10)
    dir="${TMPDIR:-/tmp}/${MODULE}-addons-${key}"
    add_on_links "$dir/$MODULE"
    printf '%s' "$dir"
}

# The add-on as Odoo sees it: a folder of links to the checkout's entries, without the project's .venv/ and
# what the scripts write (demo-output/...). Odoo reads everything under an add-on: its translation export
# would take every .py file of the virtual environment for the module's own terms.
add_on_links() {
    local module=$1 entry name
    [ -L "$module" ] && rm -f "$module" # the former layout: one link to the whole checkout
    mkdir -p "$module"
    find "$module" -mindepth 1 -maxdepth 1 -xtype l -delete # links to entries removed since
    for entry in "$REPO_DIR"/* "$REPO_DIR"/.[!.]*; do
        [ -e "$entry" ] || continue
        name=${entry##*/}
        case "$name" in
            .venv | .git | demo-output | dist | .bench | .pytest_cache | .ruff_cache) continue ;;
        esac
        [ "$(readlink "$module/$name")" = "$entry" ] || ln -sfn "$entry" "$module/$name"
    done
}

odoo_addons_path() {
    local odoo_root
    # odoo/addons, and the source tree's addons/ folder when it holds modules (Odoo's git layout).
    odoo_root=$("$PYTHON" -c "
import glob, os, odoo.addons
paths = [os.path.abspath(p) for p in odoo.addons.__path__]
tree_addons = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__))), 'addons')
if glob.glob(os.path.join(tree_addons, '*', '__manifest__.py')) and tree_addons not in paths:
    paths.append(tree_addons)
print(','.join(paths))")
    printf '%s,%s' "$odoo_root" "$(addons_dir)"
}

# OCA's queue_job (not a dependency of the add-on: its job-queue path is used when it is installed). Its
# releases after 18.0.3.1.2 import from odoo.tests.common a name Odoo 18.0 gained in the summer of 2025: an
# older Odoo 18.0 gets that release. Installed without its dependencies (Odoo itself, and requests, which Odoo
# already requires): pip would otherwise look for an "odoo" distribution that a source install lacks.
queue_job_requirement() {
    local tests_common
    tests_common=$("$PYTHON" -c "import os, odoo; print(os.path.join(os.path.dirname(odoo.__file__), 'tests', 'common.py'))")
    if grep -q "^SETATTR_SOURCES" "$tests_common"; then
        printf '%s' "odoo-addon-queue-job==18.0.*"
    else
        printf '%s' "odoo-addon-queue-job==18.0.3.1.2"
    fi
}

# True when $PYTHON finds queue_job in Odoo's add-ons (the wheel installs it under odoo/addons).
has_queue_job() {
    "$PYTHON" -c "import importlib.util, sys; sys.exit(0 if importlib.util.find_spec('odoo.addons.queue_job') else 1)" \
        >/dev/null 2>&1
}

# Install queue_job into $PYTHON unless it is there or QUEUE_JOB=0; prints nothing when it is there.
ensure_queue_job() {
    [ "${QUEUE_JOB:-1}" = "1" ] || return 0
    has_queue_job && return 0
    local requirement
    requirement=$(queue_job_requirement)
    echo "Installing OCA's queue_job ($requirement) into $PYTHON (QUEUE_JOB=0 to test without it)..."
    "$PYTHON" -m pip install -q --disable-pip-version-check --no-deps "$requirement" \
        || { echo "ERROR: installing $requirement failed (QUEUE_JOB=0 to test without the job queue)." >&2; exit 2; }
    has_queue_job || { echo "ERROR: Odoo does not find queue_job after its installation." >&2; exit 2; }
}

# Start the local PostgreSQL cluster if nothing answers, and give the current user a superuser role.
ensure_postgres() {
    if ! pg_isready -q; then
        echo "Starting PostgreSQL..."
        if command -v pg_ctlcluster >/dev/null 2>&1 && [ -n "$(pg_lsclusters -h 2>/dev/null)" ]; then
            local version cluster
            read -r version cluster _ < <(pg_lsclusters -h | head -n 1)
            pg_ctlcluster "$version" "$cluster" start
        elif [ -n "${PGDATA:-}" ]; then
            pg_ctl -D "$PGDATA" -l "$PGDATA/server.log" -w start
        else
            echo "ERROR: PostgreSQL is not running and no cluster was found to start." >&2
            exit 2
        fi
        for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
    fi
    local me
    me=$(id -un)
    if ! psql -d postgres -tAc "select 1" >/dev/null 2>&1; then
        echo "Creating PostgreSQL superuser role '$me'..."
        if [ "$(id -u)" = "0" ]; then
            su postgres -c "createuser --superuser '$me'"
        else
            sudo -u postgres createuser --superuser "$me"
        fi
    fi
}

# The Odoo command line with the add-ons path and the database connection.
odoo_cmd() {
    "$PYTHON" -m odoo --addons-path="$(odoo_addons_path)" "$@"
}
