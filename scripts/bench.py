"""Build a receivable book for the benchmark, or measure the module on it (see scripts/bench.sh)."""

import argparse
import os
import random
import statistics
import time
from datetime import date, timedelta

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.tools import SQL

CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", 2000))
INVOICES = int(os.environ.get("BENCH_INVOICES", 20000))
BATCH = 500
CONTEXT = {
    "tracking_disable": True,
    "mail_notrack": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_auto_subscribe_no_notify": True,
}


def environment(database, addons_path):
    odoo.tools.config.parse_config(["-d", database, f"--addons-path={addons_path}", "--log-level=warn"])
    return odoo.modules.registry.Registry(database)


def build(registry):
    rng = random.Random(20261123)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
        company = env.company
        if not company.chart_template:
            company.write({"country_id": env.ref("base.fr").id, "currency_id": env.ref("base.EUR").id})
            env["account.chart.template"].try_loading("fr", company=company, install_demo=False)
        company.account_use_credit_limit = True
        cr.commit()
        env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
        started = time.time()
        partners = env["res.partner"].create(
            [
                {
                    "name": f"Bench Customer {index:04d}",
                    "is_company": True,
                    "country_id": env.ref("base.fr").id,
                    "credit_limit": rng.choice([0, 5000, 20000, 50000]),
                }
                for index in range(CUSTOMERS)
            ]
        )
        env["res.users"].create(
            {
                "name": "Bench Credit Manager",
                "login": "bench_credit_manager",
                "groups_id": [Command.link(env.ref("account_credit_recovery.group_credit_manager").id)],
            }
        )
        tax = env["account.tax"].search(
            [("company_id", "=", company.id), ("type_tax_use", "=", "sale"), ("amount", "=", 20.0)], limit=1
        )
        product = env["product.product"].create(
            {"name": "Bench service", "type": "service", "taxes_id": [Command.set(tax.ids)]}
        )
        cr.commit()
        today = date.today()
        receivable_payments = []
        for start in range(0, INVOICES, BATCH):
            values = []
            for _index in range(start, min(start + BATCH, INVOICES)):
                invoice_date = today - timedelta(days=rng.randint(0, 450))
                values.append(
                    {
                        "move_type": "out_invoice",
                        "partner_id": partners[rng.randrange(CUSTOMERS)].id,
                        "invoice_date": invoice_date,
                        "invoice_date_due": invoice_date + timedelta(days=rng.choice([30, 45, 60])),
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "product_id": product.id,
                                    "price_unit": round(rng.uniform(100, 5000), 2),
                                    "tax_ids": [Command.set(tax.ids)],
                                }
                            )
                            for _line in range(rng.randint(1, 3))
                        ],
                    }
                )
            moves = env["account.move"].create(values)
            moves.action_post()
            for move in moves:
                draw = rng.random()
                if move.invoice_date_due > today and draw < 0.5:
                    continue  # not due yet, open
                if draw < 0.65:
                    late = rng.choice([-5, 0, 3, 10, 25, 60])
                    receivable_payments.append(
                        (move, move.amount_total, move.invoice_date_due + timedelta(days=late))
                    )
                elif draw < 0.75:
                    receivable_payments.append(
                        (move, round(move.amount_total * 0.4, 2), move.invoice_date_due + timedelta(days=10))
                    )
            cr.commit()
            env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
            print(f"  {start + len(values)} invoices posted ({time.time() - started:.0f} s)", flush=True)
        _pay(env, company, receivable_payments, today, started)
        cr.commit()
        print(f"Book built in {time.time() - started:.0f} s", flush=True)


def _pay(env, company, payments, today, started):
    """Payments as bank journal entries, reconciled with the invoices."""
    journal = env["account.journal"].search([("company_id", "=", company.id), ("type", "=", "bank")], limit=1)
    outstanding = (
        journal.inbound_payment_method_line_ids[:1].payment_account_id
        or company.account_journal_payment_debit_account_id
    )
    for start in range(0, len(payments), BATCH):
        chunk = payments[start : start + BATCH]
        moves = env["account.move"].browse([move.id for move, _amount, _date in chunk])
        entries = env["account.move"].create(
            [
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": min(pay_date, today),
                    "line_ids": [
                        Command.create(
                            {"account_id": outstanding.id, "debit": amount, "partner_id": move.partner_id.id}
                        ),
                        Command.create(
                            {
                                "account_id": move.partner_id.property_account_receivable_id.id,
                                "credit": amount,
                                "partner_id": move.partner_id.id,
                            }
                        ),
                    ],
                }
                for move, amount, pay_date in chunk
            ]
        )
        entries.action_post()
        for move, entry in zip(moves, entries, strict=True):
            lines = (move.line_ids | entry.line_ids).filtered(
                lambda line: line.account_type == "asset_receivable" and not line.reconciled
            )
            lines.reconcile()
        env.cr.commit()
        print(f"  {start + len(chunk)} payments reconciled ({time.time() - started:.0f} s)", flush=True)


def _median(samples):
    return statistics.median(samples)


def measure(registry):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        user = env["res.users"].search([("login", "=", "bench_credit_manager")], limit=1)
        env = api.Environment(cr, user.id, {})
        partner_ids = env["res.partner"].search([("name", "=like", "Bench Customer %")]).ids
        cr.execute(
            SQL("SELECT count(*) FROM account_move WHERE move_type = 'out_invoice' AND state = 'posted'")
        )
        invoices = cr.fetchone()[0]
        cr.execute(
            SQL(
                """SELECT count(*) FROM account_move_line aml JOIN account_account a ON a.id = aml.account_id
                    WHERE a.account_type = 'asset_receivable' AND NOT aml.reconciled AND aml.parent_state = 'posted'"""
            )
        )
        open_items = cr.fetchone()[0]
        print(f"BENCH book_customers {len(partner_ids)} customers")
        print(f"BENCH book_invoices {invoices} invoices")
        print(f"BENCH book_open_items {open_items} items")
        figures = [
            "credit_exposure",
            "credit_overdue_amount",
            "credit_available",
            "credit_oldest_overdue_days",
            "credit_avg_days_late",
            "credit_late_invoice_ratio",
            "credit_dso",
        ]
        _time_read(env, partner_ids, figures, "exposure_all_customers")
        _time_read(env, partner_ids, ["credit_risk_level"], "risk_level_all_customers")
        _time_form(env, partner_ids)
        _time_dunning(registry)


def _time_read(env, partner_ids, fields_, name):
    samples, queries = [], []
    for _round in range(5):
        env.invalidate_all()
        partners = env["res.partner"].browse(partner_ids)
        before = odoo.sql_db.sql_counter
        started = time.perf_counter()
        partners.read(fields_)
        samples.append(time.perf_counter() - started)
        queries.append(odoo.sql_db.sql_counter - before)
    print(f"BENCH {name} {_median(samples):.3f} s")
    print(f"BENCH {name}_queries {int(_median(queries))} queries")


def _time_form(env, partner_ids):
    """Open one customer's form: what the web client reads for the form view, Credit page included."""
    view = env["res.partner"].get_views([(False, "form")])["views"]["form"]
    spec = {name: {} for name in view["fields"]}
    samples, queries = [], []
    partner = env["res.partner"].browse(partner_ids[len(partner_ids) // 2])
    for _round in range(10):
        env.invalidate_all()
        before = odoo.sql_db.sql_counter
        started = time.perf_counter()
        partner.web_read(spec)
        samples.append(time.perf_counter() - started)
        queries.append(odoo.sql_db.sql_counter - before)
    print(f"BENCH partner_credit_page {_median(samples) * 1000:.0f} ms")
    print(f"BENCH partner_credit_page_queries {int(_median(queries))} queries")


def _time_dunning(registry):
    """The daily run's decisions for the whole book (nothing is written: the transaction is rolled back)."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.company
        run = env["credit.recovery.run"]._get_or_create(company, date.today())
        before = odoo.sql_db.sql_counter
        started = time.perf_counter()
        decisions = run._decide()
        elapsed = time.perf_counter() - started
        print(f"BENCH dunning_decide {elapsed:.3f} s ({len(decisions)} customers to contact)")
        print(f"BENCH dunning_decide_queries {odoo.sql_db.sql_counter - before} queries")
        floor = SQL(
            """SELECT p.commercial_partner_id, SUM(aml.amount_residual)
                 FROM account_move_line aml
                 JOIN account_account a ON a.id = aml.account_id
                 JOIN res_partner p ON p.id = aml.partner_id
                WHERE a.account_type = 'asset_receivable' AND NOT aml.reconciled
                  AND aml.parent_state = 'posted' AND aml.date_maturity < %s
             GROUP BY p.commercial_partner_id""",
            date.today(),
        )
        cr.execute(floor)  # warm the cache like the run's own query
        cr.fetchall()
        started = time.perf_counter()
        cr.execute(floor)
        cr.fetchall()
        print(f"BENCH sql_floor {time.perf_counter() - started:.3f} s")
        cr.rollback()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("step", choices=["build", "measure"])
    parser.add_argument("--database", required=True)
    parser.add_argument("--addons-path", required=True)
    args = parser.parse_args()
    registry = environment(args.database, args.addons_path)
    if args.step == "build":
        build(registry)
    else:
        measure(registry)


if __name__ == "__main__":
    main()
