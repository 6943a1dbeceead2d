#!/usr/bin/env bash
# `make demo`: a fresh database with the demo data, the module's scheduled actions run once, a summary per
# demo customer, the letters as PDF in demo-output/, then Odoo serving it (unless SERVE=0).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_odoo
ensure_postgres

DB=${DB:-credit_recovery_demo}
SERVE=${SERVE:-1}
PORT=${PORT:-8069}
OUTPUT="$REPO_DIR/demo-output"
FILESTORE="${FILESTORE_ROOT:-$HOME/.local/share/Odoo}/filestore/$DB"
WORK=$(mktemp -d)
SERVER=""
cleanup() {
    if [ -n "$SERVER" ]; then
        kill "$SERVER" 2>/dev/null || true
        wait "$SERVER" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Odoo log lines look like "2026-01-01 10:00:00,000 1234 WARNING db logger: message".
LOG_ALERT='^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) '

echo "== Creating database $DB with demo data"
PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists --force "$DB"
rm -rf "$FILESTORE"
if ! odoo_cmd -d "$DB" -i "$MODULE,$EXTRA_MODULES" --stop-after-init --log-level=info --http-port=0 > "$WORK/install.log" 2>&1; then
    tail -n 50 "$WORK/install.log"
    echo "FAILED: the module did not install (log tail above)."
    exit 1
fi
if grep -E "$LOG_ALERT" "$WORK/install.log"; then
    echo "FAILED: the install log has WARNING/ERROR lines (above)."
    exit 1
fi

# The server runs while the letters are printed: wkhtmltopdf fetches the report styles from it.
if curl -s -o /dev/null "http://127.0.0.1:$PORT/web/login"; then
    echo "FAILED: port $PORT is already in use (PORT=... to choose another)."
    exit 1
fi
ADDONS_PATH=$(odoo_addons_path)
# Started directly (not through a shell function) so that $! is the server itself.
"$PYTHON" -m odoo --addons-path="$ADDONS_PATH" -d "$DB" --db-filter="^$DB\$" --http-interface=127.0.0.1 \
    --http-port="$PORT" --log-level=warn --max-cron-threads=0 > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 60); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/web/login" && break
    if ! kill -0 "$SERVER" 2>/dev/null; then
        tail -n 30 "$WORK/server.log"
        echo "FAILED: the Odoo server stopped (log tail above)."
        exit 1
    fi
    sleep 1
done

echo "== Running the scheduled actions of $MODULE"
rm -rf "$OUTPUT"
mkdir -p "$OUTPUT"
"$PYTHON" "$REPO_DIR/scripts/demo_run.py" --database "$DB" --addons-path "$ADDONS_PATH" \
    --output "$OUTPUT" --base-url "http://127.0.0.1:$PORT"

logins() {
    echo "   Logins (French; each opens on the credit controller's day):"
    echo "     controleur / controleur    Camille Laurent, Credit Controller (follows the demo customers)"
    echo "     responsable / responsable  Sophie Marchand, Credit Manager (validates the formal notices)"
    echo "     admin / admin              administrator"
}
if [ "$SERVE" = "0" ]; then
    echo "== Done (SERVE=0). To browse it: make demo, or"
    echo "   $PYTHON -m odoo --addons-path=$ADDONS_PATH -d $DB --db-filter='^$DB\$' --http-port=$PORT"
    echo "   then http://localhost:$PORT"
    logins
    exit 0
fi
echo "== Odoo serves http://localhost:$PORT/odoo/credit-recovery (database $DB). Ctrl-C to stop."
logins
tail -n 0 -f --pid="$SERVER" "$WORK/server.log"
