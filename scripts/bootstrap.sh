#!/usr/bin/env bash
# Odoo 18.0 for `make demo` and `make test` on a machine where $PYTHON cannot import it: a project virtual
# environment (.venv/, ignored by git) with Odoo from ODOO_SRC, its Python dependencies at the versions of
# requirements-odoo18-py311.txt, the development tools of requirements-dev.txt, and the Debian packages
# they need. Sourced by common.sh (ensure_odoo); `bash scripts/bootstrap.sh` runs it alone (`make venv`).
#
# ODOO_SRC: a local Odoo 18.0 source tree (used in place, never modified), an archive (.tar.gz, .tgz,
# .tar, .zip; a path or a URL) or a git URL (cloned at ODOO_BRANCH, 18.0 by default). Empty: no install.

ODOO_SRC_DEFAULT="https://github.com/odoo/odoo"
DEBIAN_PACKAGES=(postgresql wkhtmltopdf chromium poppler-utils libldap2-dev libsasl2-dev libpq-dev
    build-essential python3-dev python3-venv git curl)
BUILD_TOOLS=("setuptools<70" wheel "setuptools_scm<8" cython)

# True when the interpreter $1 imports Odoo 18.
imports_odoo18() {
    "$1" -c "import odoo, sys; sys.exit(0 if odoo.release.version_info[0] == 18 else 1)" >/dev/null 2>&1
}

bootstrap_step() {
    echo "== [bootstrap $1/5] $2"
}

bootstrap_fail() {
    echo "ERROR: $*" >&2
    exit 2
}

# What the virtual environment's packages were installed from: reinstalled when a requirements file
# changes. Its Odoo stays the one it was built with (remove .venv/ to take another ODOO_SRC).
bootstrap_stamp() {
    cat "$REPO_DIR/requirements-odoo18-py311.txt" "$REPO_DIR/requirements-dev.txt" | md5sum | cut -d' ' -f1
}

bootstrap_debian() {
    bootstrap_step 1 "Debian packages: ${DEBIAN_PACKAGES[*]}"
    if ! command -v dpkg-query >/dev/null 2>&1; then
        echo "   not a Debian system: install the equivalents of these packages yourself."
        return
    fi
    local missing=() package
    for package in "${DEBIAN_PACKAGES[@]}"; do
        if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
            echo "   $package: installed"
        else
            missing+=("$package")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return
    local sudo=()
    if [ "$(id -u)" != "0" ]; then
        command -v sudo >/dev/null 2>&1 || bootstrap_fail "installing ${missing[*]} needs root or sudo."
        sudo=(sudo)
    fi
    echo "   installing: ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Prints the root of the Odoo source tree (the folder holding odoo/release.py).
bootstrap_source() {
    local target="$VENV/src/odoo" archive
    if [ -d "$ODOO_SRC" ]; then
        (cd "$ODOO_SRC" && pwd)
        return
    fi
    if [ -f "$target/odoo/release.py" ]; then
        printf '%s' "$target"
        return
    fi
    rm -rf "$target"
    mkdir -p "$target"
    case "$ODOO_SRC" in
        *.tar.gz | *.tgz | *.tar | *.zip)
            archive="$ODOO_SRC"
            if [ ! -f "$archive" ]; then
                archive="$VENV/src/odoo-archive.${ODOO_SRC##*.}"
                echo "   downloading $ODOO_SRC" >&2
                curl -fL --retry 2 -o "$archive" "$ODOO_SRC" >&2 \
                    || bootstrap_fail "cannot download ODOO_SRC=$ODOO_SRC."
            fi
            echo "   extracting $archive into $target" >&2
            if [ "${archive##*.}" = "zip" ]; then
                "$VENV/bin/python" - "$archive" "$target" <<'EOF' >&2 || bootstrap_fail "cannot extract $archive."
import pathlib, shutil, sys, tempfile, zipfile
archive, target = sys.argv[1], pathlib.Path(sys.argv[2])
with tempfile.TemporaryDirectory() as tmp:
    zipfile.ZipFile(archive).extractall(tmp)
    entries = list(pathlib.Path(tmp).iterdir())
    root = entries[0] if len(entries) == 1 and entries[0].is_dir() else pathlib.Path(tmp)
    for entry in root.iterdir():
        shutil.move(str(entry), target / entry.name)
EOF
            else
                tar -xf "$archive" -C "$target" --strip-components=1 >&2 \
                    || bootstrap_fail "cannot extract $archive."
            fi
            ;;
        *)
            echo "   cloning $ODOO_SRC (branch ${ODOO_BRANCH:-18.0}, shallow)" >&2
            git clone -q --depth 1 --branch "${ODOO_BRANCH:-18.0}" "$ODOO_SRC" "$target" >&2 \
                || bootstrap_fail "cannot clone ODOO_SRC=$ODOO_SRC (no network? set ODOO_SRC to a local Odoo 18.0 source tree or archive)."
            ;;
    esac
    printf '%s' "$target"
}

bootstrap_venv() {
    local base_python=$1 source site
    bootstrap_debian

    bootstrap_step 2 "Virtual environment $VENV (from $base_python)"
    "$base_python" -c "import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)" \
        || echo "   WARNING: $base_python is not Python 3.11: the pinned versions were measured on 3.11."
    if [ ! -x "$VENV/bin/python" ]; then
        "$base_python" -m venv "$VENV" || bootstrap_fail "'$base_python -m venv' failed (Debian: python3-venv)."
    else
        echo "   exists"
    fi

    bootstrap_step 3 "Odoo 18.0 from ODOO_SRC=$ODOO_SRC"
    source=$(bootstrap_source) || exit 2
    grep -q "^version_info = (18, 0" "$source/odoo/release.py" 2>/dev/null \
        || bootstrap_fail "$source is not an Odoo 18.0 source tree (odoo/release.py)."
    # Odoo is made importable by a path file: the source tree is used as it is, never written to.
    site=$("$VENV/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    printf '%s\n' "$source" > "$site/odoo-src.pth"
    echo "   $source (linked by $site/odoo-src.pth)"

    bootstrap_step 4 "Odoo's Python dependencies (requirements-odoo18-py311.txt)"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip "${BUILD_TOOLS[@]}" \
        || bootstrap_fail "installing the build tools failed."
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-build-isolation \
        -r "$REPO_DIR/requirements-odoo18-py311.txt" || bootstrap_fail "installing Odoo's dependencies failed."

    bootstrap_step 5 "Development tools (requirements-dev.txt)"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REPO_DIR/requirements-dev.txt" \
        || bootstrap_fail "installing the development tools failed."

    imports_odoo18 "$VENV/bin/python" || bootstrap_fail "$VENV/bin/python still cannot import Odoo 18.0."
    bootstrap_stamp > "$VENV/.acr-bootstrap"
    echo "== Odoo 18.0 ready in $VENV"
}

# Sets and exports PYTHON to an interpreter that imports Odoo 18: $PYTHON itself when it does (CI), else
# the project's .venv, built from ODOO_SRC when missing or out of date.
ensure_odoo() {
    VENV=${VENV:-$REPO_DIR/.venv}
    if imports_odoo18 "$PYTHON"; then
        export PYTHON
        return
    fi
    if [ -x "$VENV/bin/python" ] && imports_odoo18 "$VENV/bin/python" \
        && [ "$(cat "$VENV/.acr-bootstrap" 2>/dev/null)" = "$(bootstrap_stamp)" ]; then
        PYTHON="$VENV/bin/python"
        export PYTHON
        return
    fi
    if [ -z "${ODOO_SRC:-}" ]; then
        echo "ERROR: '$PYTHON' cannot import Odoo 18.0 and ODOO_SRC is empty." >&2
        echo "Either install Odoo 18.0 into $PYTHON, or set ODOO_SRC to an Odoo 18.0 source tree, archive or" >&2
        echo "git URL (default $ODOO_SRC_DEFAULT) to install it into $VENV." >&2
        exit 2
    fi
    echo "'$PYTHON' cannot import Odoo 18.0: installing it into $VENV from $ODOO_SRC."
    bootstrap_venv "$PYTHON"
    PYTHON="$VENV/bin/python"
    export PYTHON
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
    ensure_odoo
    echo "Odoo 18.0 is importable by $PYTHON."
fi
