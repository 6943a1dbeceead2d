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
