#!/usr/bin/env bash
# `make test`: install the add-on in a fresh database, run its tests with pytest-odoo, lint, check the
# French translation, drop the database. Exits non-zero on the first failure of any step.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_odoo
ensure_postgres
ensure_queue_job
# queue_job, when present, is installed in the test database: the job-queue path is tested, and every other
# test runs with it installed (the module's setting to use it is off by default).
INSTALL="$MODULE,$EXTRA_MODULES"
if [ "${QUEUE_JOB:-1}" = "1" ] && has_queue_job; then
    INSTALL="$INSTALL,queue_job"
fi

DB=${TEST_DB:-acr_test_$(date +%Y%m%d%H%M%S)_$$}
WORK=$(mktemp -d)
KEEP_DB=${KEEP_DB:-0}
cleanup() {
    if [ "$KEEP_DB" != "1" ]; then
        dropdb --if-exists "$DB" >/dev/null 2>&1 || true
        rm -rf "${FILESTORE_ROOT:-$HOME/.local/share/Odoo}/filestore/$DB"
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# Odoo log lines look like "2026-01-01 10:00:00,000 1234 WARNING db logger: message".
LOG_ALERT='^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) '

echo "== Installing $INSTALL (with demo data) into database $DB"
odoo_cmd -d "$DB" -i "$INSTALL" --stop-after-init --log-level=info --http-port=0 \
    > "$WORK/install.log" 2>&1 || { tail -n 50 "$WORK/install.log"; echo "FAILED: install"; exit 1; }
if grep -E "$LOG_ALERT" "$WORK/install.log"; then
    echo "FAILED: the install log has WARNING/ERROR lines (above)."
    exit 1
fi
echo "Install log clean."

echo "== Tests (pytest-odoo)"
set +e
# scripts/pytest_shared_fixture.py: the test classes share the French company's fixture (tests/common.py).
PYTHONPATH="$REPO_DIR/scripts${PYTHONPATH:+:$PYTHONPATH}" "$PYTHON" -m pytest -p no:cacheprovider -p pytest_shared_fixture \
    --odoo-database="$DB" --odoo-addons-path="$(odoo_addons_path)" --odoo-log-level=warn --odoo-http \
    --odoo-extra=http-interface=127.0.0.1 -rs \
    "$(addons_dir)/$MODULE/tests" ${PYTEST_ARGS:-} 2>&1 | tee "$WORK/pytest.log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
    echo "FAILED: tests (pytest exit code $status)."
    exit 1
fi
# pytest-odoo imports the test framework before Odoo is in test mode, which Odoo logs as an ERROR once.
if grep -E "$LOG_ALERT" "$WORK/pytest.log" | grep -v "odoo.tests.common: Importing test framework"; then
    echo "FAILED: the tests logged WARNING/ERROR lines (above): a test must be silent."
    exit 1
fi

echo "== Lint"
"$REPO_DIR/scripts/lint.sh"

echo "== Translations"
odoo_cmd -d "$DB" --i18n-export="$WORK/$MODULE.pot" --modules="$MODULE" --stop-after-init \
    --log-level=warn > "$WORK/export.log" 2>&1 || { cat "$WORK/export.log"; echo "FAILED: export"; exit 1; }
"$PYTHON" "$REPO_DIR/scripts/check_i18n.py" "$WORK/$MODULE.pot" "$REPO_DIR/i18n/fr.po"

echo "make test: all steps passed."
