#!/usr/bin/env bash
# `make screenshots`: the README's pictures (static/description/screenshots/), from the demo served by `make demo`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

check_odoo
DB=${DB:-credit_recovery_demo}
PORT=${PORT:-8069}
BASE_URL="http://127.0.0.1:$PORT"
if ! curl -s -o /dev/null "$BASE_URL/web/login"; then
    echo "ERROR: no Odoo answers on $BASE_URL: run \`make demo\` (it serves the demo) in another terminal first." >&2
    exit 2
fi
command -v pdftoppm >/dev/null 2>&1 || { echo "ERROR: pdftoppm is missing (Debian: poppler-utils)." >&2; exit 2; }
echo "== Screenshots of $DB on $BASE_URL"
"$PYTHON" "$REPO_DIR/scripts/screenshots.py" --base-url "$BASE_URL" --database "$DB" \
    --output "$REPO_DIR/static/description/screenshots"
