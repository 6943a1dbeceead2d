#!/usr/bin/env bash
# `make demo`: a database with demo data, the daily jobs run once, a summary, the letters as PDF, then the UI.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

check_odoo
ensure_postgres

DB=${DB:-credit_recovery_demo}
SERVE=${SERVE:-1}
PORT=${PORT:-8069}
OUTPUT="$REPO_DIR/demo-output"
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT

echo "== Creating database $DB with demo data"
dropdb --if-exists "$DB"
rm -rf "${HOME}/.local/share/Odoo/filestore/$DB"
if ! odoo_cmd -d "$DB" -i "$MODULE" --stop-after-init --log-level=warn --http-port=0 > "$LOG" 2>&1 \
    || grep -qE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$LOG"; then
    tail -n 40 "$LOG"
    echo "FAILED: the module did not install."
    exit 1
fi

# The server runs while the letters are printed: wkhtmltopdf reads the report styles from it.
"$PYTHON" -m odoo --addons-path="$(odoo_addons_path)" -d "$DB" --db-filter="^$DB\$" \
    --http-interface=127.0.0.1 --http-port="$PORT" --log-level=warn --max-cron-threads=0 > "$LOG.server" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; rm -f "$LOG" "$LOG.server"' EXIT
for _ in $(seq 1 60); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/web/login" && break
    sleep 1
done

echo "== Running the daily jobs of $MODULE"
rm -rf "$OUTPUT"
mkdir -p "$OUTPUT"
"$PYTHON" "$REPO_DIR/scripts/demo_run.py" --database "$DB" --addons-path "$(odoo_addons_path)" --output "$OUTPUT" \
    --base-url "http://127.0.0.1:$PORT"

if [ "$SERVE" = "1" ]; then
    echo "== Odoo serves http://localhost:$PORT (login admin / admin), Ctrl-C to stop"
    wait "$SERVER"
fi
