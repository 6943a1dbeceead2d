# account_credit_recovery: the two commands (see README.md), plus lint and the benchmark.
PYTHON ?= python3
DB ?= credit_recovery_demo
SERVE ?= 1
PORT ?= 8069
export PYTHON

.PHONY: help demo test lint bench check-odoo wheel venv screenshots

help:
	@echo "make demo   create database $(DB) with demo data, run the daily jobs, write letters to demo-output/, serve on :$(PORT)"
	@echo "            (DB=name to change the database, SERVE=0 to stop after the summary)"
	@echo "make test   install in a fresh database, run the tests (pytest-odoo), lint, check translations"
	@echo "            Both use \$$PYTHON (python3) when it imports Odoo 18.0; otherwise they install Odoo 18.0"
	@echo "            into .venv/ from ODOO_SRC (source tree, archive or git URL; default Odoo's 18.0 on GitHub),"
	@echo "            with requirements-odoo18-py311.txt, requirements-dev.txt and the Debian packages needed."
	@echo "make venv   only that installation into .venv/ (ODOO_SRC=... as above)"
	@echo "make screenshots  the README's pictures (static/description/screenshots/) from the demo that make demo serves (DB, PORT)"
	@echo "make lint   ruff + pylint-odoo only"
	@echo "make bench  benchmark on a generated 2,000-customer / 20,000-invoice book"
	@echo "make wheel  build dist/odoo_addon_account_credit_recovery-*.whl from the committed tree (whool)"

venv:
	@bash scripts/bootstrap.sh

check-odoo:
	@bash -c 'source scripts/common.sh && check_odoo'

demo:
	@DB="$(DB)" SERVE="$(SERVE)" PORT="$(PORT)" bash scripts/demo.sh

test:
	@bash scripts/run_tests.sh

screenshots:
	@DB="$(DB)" PORT="$(PORT)" bash scripts/screenshots.sh

lint:
	@bash scripts/lint.sh

bench:
	@bash scripts/bench.sh

# whool names the distribution after the add-on's folder: build from a copy named after the add-on.
wheel:
	@tmp=$$(mktemp -d) && git archive --prefix=account_credit_recovery/ HEAD | tar -x -C "$$tmp" \
		&& $(PYTHON) -m pip wheel --no-deps -q -w dist "$$tmp/account_credit_recovery" \
		&& rm -rf "$$tmp" && ls dist/*.whl
