#!/usr/bin/env bash
# Lint without Odoo: ruff (rules and format) and pylint with pylint-odoo's OCA checks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3}
# The project's .venv (make demo / make test on a machine without Odoo) holds the tools when $PYTHON lacks them.
if ! "$PYTHON" -m ruff --version >/dev/null 2>&1 && [ -x .venv/bin/python ]; then
    PYTHON=.venv/bin/python
fi
"$PYTHON" -m ruff check .
"$PYTHON" -m ruff format --check .
mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.py' ':!:scripts/*' | while read -r f; do [ -f "$f" ] && echo "$f"; done)
"$PYTHON" -m pylint --rcfile=.pylintrc "${files[@]}"
echo "Lint clean."
