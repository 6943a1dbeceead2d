"""Build a receivable book for the benchmark, or measure the module on it (see scripts/bench.sh).

``build`` fills a fresh database (module installed without demo data) with a French company's book:
customers, invoices over 15 months under usual French payment terms, payments on time or late, partial
payments, credit notes, unreconciled payments, confirmed orders and draft invoices. Everything goes
through the ORM, in batches, with tracking and mail off, committing after each batch.

``measure`` prints one line per figure, ``BENCH <name> <value> <unit>``.

``oca-uninstall``, ``oca-measure`` and ``ratios`` compare with OCA's ``account_credit_control`` on a copy of
the book: this module is uninstalled from the copy (both define ``credit_policy_id`` on partners), OCA's
module installed from its wheel (see scripts/bench.sh), a 3-level policy at 10/30/60 days configured, and its
credit-line generation timed; ``ratios`` prints ours against OCA's and against the SQL floor.
"""

import argparse
import io
import math
import os
import random
import re
import statistics
import time
import traceback
from collections import Counter
from contextlib import suppress
from datetime import date, timedelta

from freezegun import freeze_time
from lxml import etree

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.tools import SQL
from odoo.tools.pdf import PdfFileReader

from odoo.addons.base.models.ir_cron import CompletionStatus

CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", 2000))
INVOICES = int(os.environ.get("BENCH_INVOICES", 20000))
BATCH = 500
# Letters of the second day rendered by the letters figure (0: all of them).
LETTERS = int(os.environ.get("BENCH_LETTERS", 200))
# Figures of the 10x book carry this prefix (``measure --prefix``).
PREFIX = ""
# Measured time, unaffected by freezegun (the letters' day is frozen): freezegun replaces the clock
# functions it finds as module attributes, not one held in a tuple.
_CLOCK = (time.perf_counter,)
DAYS = 456  # invoices over the last 15 months
MANAGER_LOGIN = "bench_credit_manager"
CONTEXT = {
    "tracking_disable": True,
    "mail_notrack": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_auto_subscribe_no_notify": True,
}
# Payment behaviour of a customer: (weight, days late drawn from this range).
PROFILES = {
    "early": (15, (-10, 0)),
    "on_time": (35, (0, 3)),
    "late": (30, (3, 30)),
    "very_late": (15, (25, 90)),
    "bad": (5, (60, 240)),
}
CREDIT_FIGURES = [
    "credit_exposure",
    "credit_overdue_amount",
    "credit_available",
    "credit_oldest_overdue_days",
    "credit_avg_days_late",
    "credit_late_invoice_ratio",
    "credit_dso",
]


def environment(database, addons_path):
    odoo.tools.config.parse_config(["-d", database, f"--addons-path={addons_path}", "--log-level=warn"])
    return odoo.modules.registry.Registry(database)


class Progress:
    def __init__(self):
        self.started = time.time()

    def __call__(self, message):
        print(f"  [{time.time() - self.started:5.0f} s] {message}", flush=True)


# Build ------------------------------------------------------------------------------------------------


def build(registry):
    rng = random.Random(20261123)
    progress = Progress()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
        company = _setup_company(env)
        cr.commit()
        progress(f"company {company.name}: chart {company.chart_template}, {company.currency_id.name}")
        setup = _setup_master_data(env, company, rng)
        cr.commit()
        progress(f"{CUSTOMERS} customers, their contacts and the Credit Manager user created")
        today = date.today()
        # Orders are confirmed first, as their customers' credit allowed then; invoicing comes later.
        _create_orders(env, setup, rng, today, progress)
        invoices = _create_invoices(env, setup, rng, today, progress)
        settlements = _plan_payments(env, invoices, setup, rng, today)
        _pay(env, setup, settlements, progress)
        _create_credit_notes(env, setup, rng, today, progress)
        _create_unreconciled_payments(env, setup, rng, today, progress)
        _create_drafts(env, setup, rng, today, progress)
        env["ir.config_parameter"].set_param("account_credit_recovery.bench_book_date", today.isoformat())
        cr.commit()
        progress(f"book built in {time.time() - progress.started:.0f} s")


def _setup_company(env):
    """The main company as a French one: country FR, EUR, the fr chart (account installs the generic one)."""
    company = env.company
    if company.chart_template != "fr":
        if env["account.move"].search_count([("company_id", "=", company.id)], limit=1):
            raise SystemExit(f"{company.name} already has entries under another chart: use a fresh database.")
        company.write({"country_id": env.ref("base.fr").id, "currency_id": env.ref("base.EUR").id})
        env["account.chart.template"].try_loading("fr", company=company, install_demo=False)
    company.write({"account_use_credit_limit": True})
    return company


def _setup_master_data(env, company, rng):
    Term = env["account.payment.term"]
    terms = Term.create(
        [
            {
                "name": "Bench 30 jours",
                "line_ids": [Command.create({"value": "percent", "value_amount": 100, "nb_days": 30})],
            },
            {
                "name": "Bench 45 jours fin de mois",
                "line_ids": [
                    Command.create(
                        {
                            "value": "percent",
                            "value_amount": 100,
                            "nb_days": 45,
                            "delay_type": "days_end_of_month_on_the",
                        }
                    )
                ],
            },
            {
                "name": "Bench 50 % à 30 jours, 50 % à 60 jours",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 30}),
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 60}),
                ],
            },
        ]
    )
    tax = env["account.tax"].search(
        [("company_id", "=", company.id), ("type_tax_use", "=", "sale"), ("amount", "=", 20.0)], limit=1
    )
    products = env["product.product"].create(
        [
            {
                "name": name,
                "type": "service",
                "invoice_policy": "order",
                "list_price": price,
                "taxes_id": [Command.set(tax.ids)],
            }
            for name, price in [
                ("Bench consulting day", 850),
                ("Bench maintenance", 240),
                ("Bench licence", 1200),
            ]
        ]
    )
    france = env.ref("base.fr").id
    partners = env["res.partner"].create(
        [
            {
                "name": f"Bench Customer {index:04d}",
                "is_company": True,
                # Four customers in five have an accounting address (reminders go by e-mail), the others
                # get letters.
                "email": f"compta@client-{index:04d}.example" if index % 5 else False,
                "country_id": france,
                "city": "Lyon",
                "customer_rank": 1,
                "credit_limit": rng.choice([0, 0, 5000, 20000, 50000, 150000]),
                "property_payment_term_id": rng.choices(terms.ids, weights=[50, 35, 15])[0],
            }
            for index in range(CUSTOMERS)
        ]
    )
    contacts = env["res.partner"].create(
        [
            {"name": f"Comptabilité {partner.name}", "parent_id": partner.id, "type": "invoice"}
            for partner in partners[::4]
        ]
    )
    invoice_address = {contact.parent_id.id: contact.id for contact in contacts}
    env["res.users"].create(
        {
            "name": "Bench Credit Manager",
            "login": MANAGER_LOGIN,
            "company_id": company.id,
            "company_ids": [Command.set(company.ids)],
            "groups_id": [
                Command.link(env.ref("base.group_user").id),
                Command.link(env.ref("sales_team.group_sale_salesman").id),
                Command.link(env.ref("account_credit_recovery.group_credit_manager").id),
            ],
        }
    )
    profiles = list(PROFILES)
    weights = [PROFILES[name][0] for name in profiles]
    journal = env["account.journal"].search([("company_id", "=", company.id), ("type", "=", "bank")], limit=1)
    return {
        "company": company,
        "tax": tax,
        "products": products,
        "partners": partners,
        "invoice_address": invoice_address,
        "profile": {partner.id: rng.choices(profiles, weights)[0] for partner in partners},
        "bank_journal": journal,
        "bank_account": journal.default_account_id,
        "sale_journal": env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "sale")], limit=1
        ),
    }


def _invoice_lines(setup, rng):
    return [
        Command.create(
            {
                "product_id": rng.choice(setup["products"]).id,
                "quantity": rng.choice([1, 1, 2, 3, 5, 10]),
                "price_unit": round(rng.uniform(80, 3000), 2),
                "tax_ids": [Command.set(setup["tax"].ids)],
            }
        )
        for _line in range(rng.randint(1, 3))
    ]


def _create_invoices(env, setup, rng, today, progress):
    """Posted customer invoices, in date order as a real book; returns their ids."""
    partner_ids = setup["partners"].ids
    # A few customers buy a lot: a skewed choice of customer per invoice.
    heavy = rng.sample(partner_ids, max(1, len(partner_ids) // 10))
    dates = sorted(today - timedelta(days=rng.randint(0, DAYS)) for _index in range(INVOICES))
    invoice_ids = []
    for start in range(0, INVOICES, BATCH):
        values = []
        for invoice_date in dates[start : start + BATCH]:
            partner_id = rng.choice(heavy) if rng.random() < 0.3 else rng.choice(partner_ids)
            values.append(
                {
                    "move_type": "out_invoice",
                    "journal_id": setup["sale_journal"].id,
                    "partner_id": setup["invoice_address"].get(partner_id, partner_id)
                    if rng.random() < 0.5
                    else partner_id,
                    "invoice_date": invoice_date,
                    "invoice_line_ids": _invoice_lines(setup, rng),
                }
            )
        moves = env["account.move"].create(values)
        moves.action_post()
        invoice_ids += moves.ids
        env.cr.commit()
        env.invalidate_all()
        progress(f"{len(invoice_ids)} invoices posted")
    return invoice_ids


def _plan_payments(env, invoice_ids, setup, rng, today):
    """[(invoice, amount or None for all, payment date)] following each customer's behaviour."""
    settlements = []
    outcome = Counter()
    for start in range(0, len(invoice_ids), BATCH):
        moves = env["account.move"].browse(invoice_ids[start : start + BATCH])
        moves.fetch(["commercial_partner_id", "amount_total", "invoice_date"])
        moves.line_ids.fetch(["account_type", "date_maturity", "balance"])
        for move in moves:
            terms = move.line_ids.filtered(lambda line: line.account_type == "asset_receivable").sorted(
                "date_maturity"
            )
            dues = terms.mapped("date_maturity")
            low, high = PROFILES[setup["profile"][move.commercial_partner_id.id]][1]
            late = rng.randint(low, high)
            draw = rng.random()
            pay_date = max(dues[-1] + timedelta(days=late), move.invoice_date)
            if draw < 0.10 or pay_date > today:
                outcome["open"] += 1
                continue
            if draw < 0.22:
                # Part paid: the first instalment, or 30-70 % of the invoice.
                first = max(dues[0] + timedelta(days=late), move.invoice_date)
                if len(terms) > 1:
                    amount = terms[0].balance
                else:
                    amount = round(move.amount_total * rng.choice([0.3, 0.4, 0.5, 0.6, 0.7]), 2)
                settlements.append((move.id, amount, min(first, today)))
                outcome["partly paid"] += 1
            else:
                settlements.append((move.id, None, pay_date))
                outcome["paid"] += 1
        env.invalidate_all()
    print(
        "  invoices: "
        + ", ".join(f"{outcome[key]} {key}" for key in ("paid", "partly paid", "open"))
        + f" of {len(invoice_ids)}",
        flush=True,
    )
    return settlements


def _payment_entry(setup, partner_id, amount, pay_date, receivable_account_id, label):
    return {
        "move_type": "entry",
        "journal_id": setup["bank_journal"].id,
        "date": pay_date,
        "ref": label,
        "line_ids": [
            Command.create(
                {
                    "account_id": setup["bank_account"].id,
                    "debit": amount,
                    "partner_id": partner_id,
                    "name": label,
                }
            ),
            Command.create(
                {
                    "account_id": receivable_account_id,
                    "credit": amount,
                    "partner_id": partner_id,
                    "name": label,
                }
            ),
        ],
    }


def _pay(env, setup, settlements, progress):
    """Customer payments as bank entries, reconciled with their invoices by batch."""
    Move = env["account.move"]
    done = 0
    for start in range(0, len(settlements), BATCH):
        chunk = settlements[start : start + BATCH]
        invoices = Move.browse([invoice_id for invoice_id, _amount, _date in chunk])
        invoices.fetch(["commercial_partner_id", "amount_total", "name"])
        receivables = []
        values = []
        for invoice, (_invoice_id, amount, pay_date) in zip(invoices, chunk, strict=True):
            lines = invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
            receivables.append(lines)
            values.append(
                _payment_entry(
                    setup,
                    invoice.commercial_partner_id.id,
                    amount or invoice.amount_total,
                    pay_date,
                    lines[0].account_id.id,
                    f"Virement {invoice.name}",
                )
            )
        entries = Move.create(values)
        entries.action_post()
        plan = [
            lines | entry.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
            for lines, entry in zip(receivables, entries, strict=True)
        ]
        env["account.move.line"]._reconcile_plan(plan)
        env.cr.commit()
        env.invalidate_all()
        done += len(chunk)
        progress(f"{done} payments posted and reconciled")


def _create_credit_notes(env, setup, rng, today, progress):
    """Credit notes: half set against an open invoice of the customer, half left unreconciled."""
    Move = env["account.move"]
    Line = env["account.move.line"]
    open_lines = Line.search(
        [
            ("account_type", "=", "asset_receivable"),
            ("reconciled", "=", False),
            ("parent_state", "=", "posted"),
            ("move_id.move_type", "=", "out_invoice"),
            ("amount_residual", ">=", 50),
        ]
    )
    targets = rng.sample(list(open_lines), min(len(open_lines), max(1, INVOICES // 100)))
    values = []
    for line in targets:
        values.append(
            {
                "move_type": "out_refund",
                "journal_id": setup["sale_journal"].id,
                "partner_id": line.move_id.commercial_partner_id.id,
                "invoice_date": max(line.move_id.invoice_date, today - timedelta(days=rng.randint(0, 60))),
                "ref": f"Avoir sur {line.move_id.name}",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": setup["products"][0].id,
                            "price_unit": round(line.amount_residual * 0.2 / 1.2, 2),
                            "tax_ids": [Command.set(setup["tax"].ids)],
                        }
                    )
                ],
            }
        )
    refunds = Move.create(values)
    refunds.action_post()
    plan = [
        line | refund.line_ids.filtered(lambda item: item.account_type == "asset_receivable")
        for line, refund in list(zip(targets, refunds, strict=True))[::2]
    ]
    Line._reconcile_plan(plan)
    env.cr.commit()
    progress(f"{len(refunds)} credit notes posted, {len(plan)} set against invoices")


def _create_unreconciled_payments(env, setup, rng, today, progress):
    """Payments received but not matched yet (on account, or not identified)."""
    partners = rng.sample(list(setup["partners"]), max(1, CUSTOMERS // 20))
    receivable = partners[0].property_account_receivable_id
    entries = env["account.move"].create(
        [
            _payment_entry(
                setup,
                partner.id,
                round(rng.uniform(200, 8000), 2),
                today - timedelta(days=rng.randint(0, 90)),
                receivable.id,
                f"Virement reçu {partner.name}",
            )
            for partner in partners
        ]
    )
    entries.action_post()
    env.cr.commit()
    progress(f"{len(entries)} unreconciled payments posted")


def _create_orders(env, setup, rng, today, progress):
    """Confirmed orders not invoiced yet, approved by the Credit Manager where a hold applied."""
    partners = setup["partners"]
    company = env.company
    # Approved as a Credit Manager's approval binds it: customer, company, currency and amount (see
    # sale.order._credit_hold_approval_valid).
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "client_order_ref": f"BC-{index:05d}",
                "credit_hold_approved": True,
                "credit_hold_approved_amount": 10**9,
                "credit_hold_approval_reason": "Benchmark book",
                "credit_hold_approved_partner_id": partner.commercial_partner_id.id,
                "credit_hold_approved_company_id": company.id,
                "credit_hold_approved_currency_id": company.currency_id.id,
                "credit_hold_approved_company_amount": 10**9,
                "order_line": [
                    Command.create(
                        {
                            "product_id": rng.choice(setup["products"]).id,
                            "product_uom_qty": rng.choice([1, 2, 5, 10]),
                            "price_unit": round(rng.uniform(100, 2500), 2),
                        }
                    )
                    for _line in range(rng.randint(1, 3))
                ],
            }
            for index, partner in ((index, rng.choice(partners)) for index in range(max(1, CUSTOMERS // 8)))
        ]
    )
    orders.action_confirm()
    env.cr.commit()
    progress(f"{len(orders)} confirmed sale orders")


def _create_drafts(env, setup, rng, today, progress):
    partners = setup["partners"]
    drafts = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "journal_id": setup["sale_journal"].id,
                "partner_id": rng.choice(partners).id,
                "invoice_date": today - timedelta(days=rng.randint(0, 10)),
                "invoice_line_ids": _invoice_lines(setup, rng),
            }
            for _draft in range(max(1, CUSTOMERS // 10))
        ]
    )
    env.cr.commit()
    progress(f"{len(drafts)} draft invoices")


# Scale ------------------------------------------------------------------------------------------------

# The book's tables copied by ``scale``, in order, with the rows of the book each holds.
SCALE_TABLES = {
    "res_partner": """SELECT id FROM res_partner WHERE commercial_partner_id IN (
                        SELECT id FROM res_partner WHERE name LIKE 'Bench Customer %' AND is_company)""",
    "account_full_reconcile": "SELECT id FROM account_full_reconcile",
    "account_move": "SELECT id FROM account_move",
    "account_payment": "SELECT id FROM account_payment",
    "account_move_line": "SELECT id FROM account_move_line",
    "account_partial_reconcile": "SELECT id FROM account_partial_reconcile",
    "sale_order": "SELECT id FROM sale_order",
    "sale_order_line": "SELECT id FROM sale_order_line",
}
# Tables whose date columns move back by one day per copy (the copy is the same business, days earlier).
SCALE_SHIFTED = {
    "account_move",
    "account_move_line",
    "account_partial_reconcile",
    "account_payment",
    "sale_order",
}


def scale(registry, factor):
    """Copy the book ``factor - 1`` times in SQL, then check that the copy adds up.

    Every row of the book's tables (customers and their contacts, entries, journal items, payments,
    partial and full reconciliations, orders and their lines, and the many2many rows joining them) is
    copied with a new id (``id + copy * offset``, offset the table's largest id), every foreign key into a
    copied table moved the same way, names made unique (customer "Bench Customer 0001 #2", entry number
    moved past the book's largest: "FAC/2026/00001" becomes "FAC/2026/100001" with 5-digit numbers, order
    "S00001-2") and dates moved back by ``copy`` days. Stored computed values
    (residuals, reconciled flags, matching numbers, commercial partners, totals) are copied with the rows
    they depend on, so they stay true. Foreign-key triggers are off during the copy (the rows reference
    each other in cycles: entry and payment) and the sequences are moved past the new ids; scripts/bench.sh
    then vacuums and analyses the database for the planner.
    """
    progress = Progress()
    with registry.cursor() as cr:
        offsets, columns, foreign = {}, {}, {}
        for table, rows in SCALE_TABLES.items():
            cr.execute(f"CREATE TEMP TABLE bench_copy_{table} AS {rows}")
            cr.execute(f"ALTER TABLE bench_copy_{table} ADD PRIMARY KEY (id)")
            cr.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            offsets[table] = 10 ** len(str(cr.fetchone()[0]))
            cr.execute(
                SQL(
                    """SELECT column_name, data_type FROM information_schema.columns
                        WHERE table_name = %s AND table_schema = 'public' ORDER BY ordinal_position""",
                    table,
                )
            )
            columns[table] = cr.fetchall()
        # Entries are numbered on from their original's number, past the largest one.
        cr.execute("SELECT COALESCE(MAX(sequence_number), 0) FROM account_move")
        offsets["sequence_number"] = 10 ** len(str(cr.fetchone()[0]))
        cr.execute(
            SQL(
                """
                SELECT cl.relname, a.attname, ct.relname
                  FROM pg_constraint c
                  JOIN pg_class cl ON cl.oid = c.conrelid
                  JOIN pg_class ct ON ct.oid = c.confrelid
                  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
                 WHERE c.contype = 'f' AND ct.relname IN %s
                """,
                tuple(SCALE_TABLES),
            )
        )
        for table, column, target in cr.fetchall():
            foreign.setdefault(table, {})[column] = target
        # Many2many tables: no id, every row with a copied side is copied.
        relations = {}
        for table, fks in foreign.items():
            if table not in SCALE_TABLES and not _has_column(cr, table, "id"):
                cr.execute(
                    SQL("SELECT column_name FROM information_schema.columns WHERE table_name = %s", table)
                )
                relations[table] = ([column for [column] in cr.fetchall()], fks)
        cr.execute("SET session_replication_role = replica")
        for copy in range(1, factor):
            for table in SCALE_TABLES:
                cr.execute(_copy_table_sql(table, copy, offsets, columns[table], foreign.get(table, {})))
            for table, (names, fks) in relations.items():
                cr.execute(_copy_relation_sql(table, copy, offsets, names, fks))
            progress(f"copy {copy} of the book written")
        cr.execute("SET session_replication_role = DEFAULT")
        for table in SCALE_TABLES:
            cr.execute(f"SELECT setval('{table}_id_seq', (SELECT MAX(id) FROM {table}))")
        cr.commit()
        progress(f"book copied {factor} times")
        _scale_check(cr, factor, offsets)


def _has_column(cr, table, column):
    cr.execute(
        SQL(
            "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
            table,
            column,
        )
    )
    return bool(cr.fetchone())


def _moved(expression, target, copy, offsets):
    """``expression`` (an id of ``target``) moved to the copy when its row is copied, else left as is."""
    return (
        f"CASE WHEN {expression} IN (SELECT id FROM bench_copy_{target}) "
        f"THEN {expression} + {copy * offsets[target]} ELSE {expression} END"
    )


def _copy_table_sql(table, copy, offsets, columns, fks):
    names, values = [], []
    for column, data_type in columns:
        source = f"t.{column}"
        if column == "id":
            value = f"t.id + {copy * offsets[table]}"
        elif column in fks:
            value = _moved(source, fks[column], copy, offsets)
        elif table in SCALE_SHIFTED and data_type == "date":
            value = f"{source} - {copy}"
        elif table == "sale_order" and column == "date_order":
            value = f"{source} - interval '{copy} days'"
        else:
            value = _renamed(table, column, copy, offsets) or source
        names.append(f'"{column}"')
        values.append(value)
    return (
        f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(values)} "
        f"FROM {table} t WHERE t.id IN (SELECT id FROM bench_copy_{table})"
    )


def _renamed(table, column, copy, offsets):
    """The value of a name or token column in the copy, or None to keep the original's."""
    number = f"(t.sequence_number + {copy * offsets['sequence_number']})"
    customer = rf"regexp_replace(t.{column}, '(Bench Customer \d+)', '\1 #{copy + 1}', 'g')"
    renames = {
        ("res_partner", "name"): customer,
        ("res_partner", "complete_name"): customer,
        ("res_partner", "email"): f"replace(t.email, '.example', '-{copy + 1}.example')",
        (
            "account_move",
            "name",
        ): f"CASE WHEN t.sequence_number > 0 THEN t.sequence_prefix || {number} ELSE t.name END",
        ("account_move", "sequence_number"): f"CASE WHEN t.sequence_number > 0 THEN {number} ELSE 0 END",
        ("account_move", "payment_reference"): (
            f"CASE WHEN t.payment_reference = t.name THEN t.sequence_prefix || {number} ELSE t.payment_reference END"
        ),
        ("account_move", "access_token"): "NULL",
        ("account_move_line", "matching_number"): (
            rf"CASE WHEN t.matching_number ~ '^P\d+$' "
            rf"THEN 'P' || (substr(t.matching_number, 2)::bigint + {copy * offsets['account_partial_reconcile']}) "
            rf"WHEN t.matching_number ~ '^\d+$' "
            rf"THEN (t.matching_number::bigint + {copy * offsets['account_full_reconcile']})::varchar "
            "ELSE t.matching_number END"
        ),
        ("account_move_line", "move_name"): (
            "(SELECT CASE WHEN m.sequence_number > 0 THEN m.sequence_prefix || "
            f"(m.sequence_number + {copy * offsets['sequence_number']}) ELSE m.name END FROM account_move m WHERE m.id = t.move_id)"
        ),
        ("account_payment", "name"): (
            "(SELECT CASE WHEN m.sequence_number > 0 THEN m.sequence_prefix || "
            f"(m.sequence_number + {copy * offsets['sequence_number']}) ELSE m.name END FROM account_move m WHERE m.id = t.move_id)"
        ),
        ("sale_order", "name"): f"t.name || '-{copy + 1}'",
        ("sale_order", "access_token"): "NULL",
    }
    return renames.get((table, column))


def _copy_relation_sql(table, copy, offsets, names, fks):
    values = [_moved(f"t.{name}", fks[name], copy, offsets) if name in fks else f"t.{name}" for name in names]
    copied = " OR ".join(f"t.{name} IN (SELECT id FROM bench_copy_{target})" for name, target in fks.items())
    return (
        f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(values)} "
        f"FROM {table} t WHERE {copied} ON CONFLICT DO NOTHING"
    )


def _scale_check(cr, factor, offsets):
    """The copy adds up: its receivable balance is the sum of its parts, each part the book's own.

    Per part (the original and each copy, told apart by the items' ids), the receivable balance, residual
    and items per customer (the copy's customer taken back to the original's id) must equal the original's;
    and every receivable item's residual must equal its balance less its partial reconciliations.
    """
    line_offset, partner_offset = offsets["account_move_line"], offsets["res_partner"]
    receivable = """FROM account_move_line l JOIN account_account a ON a.id = l.account_id
                    WHERE a.account_type = 'asset_receivable' AND l.parent_state = 'posted'"""
    cr.execute(f"SELECT SUM(l.balance), SUM(l.amount_residual), COUNT(*) {receivable}")
    total, residual, items = cr.fetchone()
    cr.execute(
        f"""
        WITH parts AS (
            SELECT l.id / {line_offset} AS part,
                   l.partner_id - (l.id / {line_offset}) * {partner_offset} AS partner,
                   SUM(l.balance) AS balance, SUM(l.amount_residual) AS residual, COUNT(*) AS items
              {receivable} GROUP BY 1, 2
        )
        SELECT (SELECT SUM(balance) FROM parts), (SELECT COUNT(DISTINCT part) FROM parts),
               (SELECT COUNT(*) FROM parts p JOIN parts o ON o.part = 0 AND o.partner = p.partner
                 WHERE p.part > 0 AND (p.balance, p.residual, p.items) IS DISTINCT FROM (o.balance, o.residual, o.items)),
               (SELECT COUNT(*) FROM parts p WHERE p.part > 0
                   AND NOT EXISTS (SELECT 1 FROM parts o WHERE o.part = 0 AND o.partner = p.partner)),
               (SELECT SUM(balance) FROM parts WHERE part = 0)
        """
    )
    parts_total, parts, mismatches, orphans, original = cr.fetchone()
    cr.execute(
        f"""
        SELECT COUNT(*) {receivable}
           AND l.amount_residual <> l.balance
               - COALESCE((SELECT SUM(p.amount) FROM account_partial_reconcile p WHERE p.debit_move_id = l.id), 0)
               + COALESCE((SELECT SUM(p.amount) FROM account_partial_reconcile p WHERE p.credit_move_id = l.id), 0)
        """
    )
    inconsistent = cr.fetchone()[0]
    _bench("scale_receivable_balance", f"{total:.2f}", "EUR")
    _bench("scale_receivable_balance_sum_of_parts", f"{parts_total:.2f}", "EUR")
    _bench("scale_receivable_balance_original", f"{original:.2f}", "EUR")
    _bench("scale_receivable_residual", f"{residual:.2f}", "EUR")
    _bench("scale_receivable_items", items, "items")
    _bench("scale_parts", parts, "parts")
    _bench("scale_customer_mismatches", mismatches + orphans, "customers")
    _bench("scale_residuals_not_balance_less_partials", inconsistent, "items")
    ok = (
        parts == factor
        and not mismatches
        and not orphans
        and not inconsistent
        and round(total, 2) == round(parts_total, 2) == round(original * factor, 2)
    )
    print(f"BENCH scale_check {'ok' if ok else 'FAILED'}", flush=True)
    if not ok:
        raise SystemExit("The copied book does not add up: see the scale_ figures above.")


# Measure ----------------------------------------------------------------------------------------------


def _bench(name, value, unit):
    print(f"BENCH {PREFIX}{name} {value} {unit}", flush=True)


def measure(registry, rounds, form_rounds, scope="all", letters=LETTERS, letters_file=None):
    """Every figure of ``scope`` on the book; ``scope`` "scale" measures what the 10x book is measured on.

    The read-only figures are measured first and rolled back; then the daily run (committed, as the cron
    commits each call), the dashboard on the run's work, and the letters of a second run 8 days later.
    """
    if scope == "scale":
        # One round of each figure on the 10x book: its reads take minutes on a loaded machine.
        rounds = 1
    with registry.cursor() as cr:
        env = _manager_env(cr)
        partner_ids = _bench_partner_ids(env)
        _machine()
        _french(env)
        _book_size(env, partner_ids)
        _section(_time_read, env, partner_ids, CREDIT_FIGURES, "exposure_all_customers", rounds)
        if scope == "all":
            _section(_time_read, env, partner_ids, ["credit_risk_level"], "risk_level_all_customers", rounds)
        _section(_time_form, env, partner_ids, form_rounds)
        _section(_time_aged_balance, env, rounds, scope == "all")
        _section(_time_sql_floor, env, rounds)
        _section(_time_dry_run, env)
        cr.rollback()
    if scope == "all":
        # before the inline run: the jobs do the same first day's work, then everything is rolled back
        _section(_time_job_path, registry)
    _section(_time_dunning_run, registry)
    with registry.cursor() as cr:
        _section(_time_dashboard, _manager_env(cr), rounds)
        cr.rollback()
    if scope != "all":
        return
    _section(_time_dunning_letters, registry, letters, letters_file)


def _section(measure_figure, *args):
    """One figure: when it fails, the failure is printed (``BENCH failed <figure>``) and the others go on."""
    try:
        measure_figure(*args)
    except Exception as error:
        traceback.print_exc()
        print(f"BENCH failed {measure_figure.__name__} ({error!r})", flush=True)
        with suppress(Exception):
            args[0].cr.rollback()


def _machine():
    """The machine the figures were measured on: cores and load when the measures start."""
    _bench("machine_cores", os.cpu_count(), "cores")
    _bench("machine_load_1min", f"{os.getloadavg()[0]:.1f}", "runnable processes")


def _french(env):
    """French active with this module's translations, as in a French company: its letters print in French.

    Set up before any figure (the template books of an earlier bench lack it); not measured.
    """
    if not env["res.lang"].sudo().search_count([("code", "=", "fr_FR")]):
        env["res.lang"].sudo()._activate_lang("fr_FR")
        env["ir.module.module"].sudo()._load_module_terms(["account_credit_recovery"], ["fr_FR"])
        env.cr.commit()


def _manager_env(cr):
    env = api.Environment(cr, SUPERUSER_ID, {})
    user = env["res.users"].search([("login", "=", MANAGER_LOGIN)], limit=1)
    if not user:
        raise SystemExit(f"No user {MANAGER_LOGIN}: rebuild the book (BENCH_REBUILD=1 make bench).")
    return api.Environment(cr, user.id, {})


def _bench_partner_ids(env):
    return env["res.partner"].search([("name", "=like", "Bench Customer %"), ("is_company", "=", True)]).ids


class Meter:
    """Wall time, SQL queries (every cursor of the process) and peak RSS of what runs inside it.

    The peak is the process's high-water mark, reset when entering (``/proc/self/clear_refs``, Linux): the
    memory the figure itself needs on top of what the process already holds.
    """

    def __enter__(self):
        _reset_peak_rss()
        self.queries = odoo.sql_db.sql_counter
        self.started = _CLOCK[0]()
        return self

    def __exit__(self, *_exc):
        self.elapsed = _CLOCK[0]() - self.started
        self.queries = odoo.sql_db.sql_counter - self.queries
        self.peak_rss = _peak_rss_mib()

    def report(self, name, value=None, unit="s"):
        _bench(name, f"{self.elapsed:.3f}" if value is None else value, unit)
        _bench(f"{name}_queries", self.queries, "queries")
        _bench(f"{name}_peak_rss", f"{self.peak_rss:.0f}", "MiB")


def _reset_peak_rss():
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear_refs:
            clear_refs.write("5")
    except OSError:  # not Linux, or not allowed: the peak is then the process's since it started
        pass


def _peak_rss_mib():
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _book_size(env, partner_ids):
    cr = env.cr
    cr.execute(SQL("SELECT count(*) FROM account_move WHERE move_type = 'out_invoice' AND state = 'posted'"))
    invoices = cr.fetchone()[0]
    cr.execute(
        SQL(
            """SELECT count(*) FROM account_move_line aml JOIN account_account a ON a.id = aml.account_id
                WHERE a.account_type = 'asset_receivable' AND NOT aml.reconciled AND aml.parent_state = 'posted'"""
        )
    )
    open_items = cr.fetchone()[0]
    cr.execute(SQL("SELECT count(*) FROM account_partial_reconcile"))
    partials = cr.fetchone()[0]
    _bench("book_customers", len(partner_ids), "customers")
    _bench("book_invoices", invoices, "invoices")
    _bench("book_open_items", open_items, "items")
    _bench("book_reconciliations", partials, "partials")


def _time_read(env, partner_ids, fields_, name, rounds):
    """Read the figures for every customer, cache invalidated: what a list of all customers costs."""
    samples, queries = [], []
    for _round in range(rounds):
        env.invalidate_all()
        partners = env["res.partner"].browse(partner_ids)
        before = odoo.sql_db.sql_counter
        started = time.perf_counter()
        partners.read(fields_)
        samples.append(time.perf_counter() - started)
        queries.append(odoo.sql_db.sql_counter - before)
    _bench(name, f"{statistics.median(samples):.3f}", "s")
    _bench(f"{name}_queries", int(statistics.median(queries)), "queries")


def _field_spec(arch_node, fields_info, models_info):
    """The web client's specification for the fields of a view node (web_read's ``specification``)."""
    spec = {}
    for node in _own_fields(arch_node):
        name = node.get("name")
        info = fields_info.get(name)
        if not info:
            continue
        ftype = info["type"]
        if ftype in ("many2one", "many2one_reference"):
            spec[name] = {"fields": {"display_name": {}}} if ftype == "many2one" else {}
        elif ftype in ("one2many", "many2many"):
            comodel = info["relation"]
            subviews = [child for child in node if child.tag in ("list", "kanban", "form")]
            subview = next((view for view in subviews if view.tag in ("list", "kanban")), None)
            if subview is None:
                spec[name] = {"fields": {"display_name": {}}}  # tags, checkboxes...
            else:
                sub_fields = models_info.get(comodel, {}).get("fields", {})
                spec[name] = {"fields": _field_spec(subview, sub_fields, models_info), "limit": 40}
        else:
            spec[name] = {}
    return spec


def _own_fields(node):
    """Field nodes of a view, not those of the sub-views of its x2many fields."""
    for child in node:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "field":
            yield child
        else:
            yield from _own_fields(child)


def _time_form(env, partner_ids, rounds):
    """Open one customer's form: the web_read the web client sends (views are cached by the client)."""
    Partner = env["res.partner"]
    views = Partner.get_views([(False, "form")])
    arch = etree.fromstring(views["views"]["form"]["arch"])
    spec = _field_spec(arch, views["models"]["res.partner"]["fields"], views["models"])
    # The customer with the most invoices: the heaviest form.
    env.cr.execute(
        SQL(
            """SELECT commercial_partner_id FROM account_move WHERE commercial_partner_id IN %s
            GROUP BY commercial_partner_id ORDER BY count(*) DESC LIMIT 1""",
            tuple(partner_ids),
        )
    )
    partner = Partner.browse(env.cr.fetchone()[0])
    ours = {name for name in spec if Partner._fields[name]._module == "account_credit_recovery"}
    _time_web_read(partner, spec, rounds, "partner_credit_page")
    # What the page adds to the standard form: the same form without this module's fields, and its
    # fields alone.
    _time_web_read(
        partner, {k: v for k, v in spec.items() if k not in ours}, rounds, "partner_form_without_credit"
    )
    _time_web_read(
        partner, {k: v for k, v in spec.items() if k in ours}, rounds, "partner_credit_fields_only"
    )
    _bench("partner_credit_page_fields", len(spec), "fields")
    _bench("partner_credit_page_module_fields", len(ours), "fields")


def _time_web_read(partner, spec, rounds, name):
    samples, queries = [], []
    for _round in range(rounds):
        partner.env.invalidate_all()
        before = odoo.sql_db.sql_counter
        started = time.perf_counter()
        partner.with_context(bin_size=True).web_read(spec)
        samples.append(time.perf_counter() - started)
        queries.append(odoo.sql_db.sql_counter - before)
    _bench(name, f"{statistics.median(samples) * 1000:.0f}", "ms")
    _bench(f"{name}_queries", int(statistics.median(queries)), "queries")


def _time_dry_run(env):
    """The decision half alone: what the run would do today, nothing written (``_decide``)."""
    env = env(user=SUPERUSER_ID)
    env.invalidate_all()
    # A run in memory, as the dry-run wizard decides (invalidating the cache would forget it).
    run = env["credit.recovery.run"].new({"company_id": env.company.id, "date": date.today()})
    with Meter() as meter:
        decisions = run._decide()
    meter.report("dunning_dry_run")
    _bench("dunning_dry_run_customers", len(decisions), "customers")


def _cron_job(cr, cron_id):
    """The row Odoo's cron worker acquires for ``cron_id`` (``ir.cron._acquire_one_job``), ready or not."""
    cr.execute(
        SQL(
            """
            WITH last_cron_progress AS (
                SELECT id AS progress_id, cron_id, timed_out_counter, done, remaining
                  FROM ir_cron_progress WHERE cron_id = %(cron)s ORDER BY id DESC LIMIT 1
            )
            SELECT * FROM ir_cron LEFT JOIN last_cron_progress lcp ON lcp.cron_id = ir_cron.id
             WHERE ir_cron.id = %(cron)s
            """,
            cron=cron_id,
        )
    )
    job = cr.dictfetchone()
    job["timed_out_counter"] = job["timed_out_counter"] or 0
    job["done"] = job["done"] or 0
    return job


def _run_cron_until_done(registry, xmlid, limit=200):
    """Run the scheduled action as Odoo's cron worker does, until nothing remains.

    ``ir.cron._run_job`` runs the server action up to 10 times per acquisition, each call in a committed
    transaction that notifies its progress (``_notify_progress``); a job "partially done" is acquired again
    at once. Returns ``(calls, status)``: every call counted, across acquisitions.
    """
    IrCron = registry["ir.cron"]
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cron_id = env.ref(xmlid).id
        cr.execute(SQL("SELECT count(*) FROM ir_cron_progress WHERE cron_id = %s", cron_id))
        before = cr.fetchone()[0]
    status = None
    for _acquisition in range(limit):
        with registry.cursor() as cr:
            job = _cron_job(cr, cron_id)
        status = IrCron._run_job(job)
        if status != CompletionStatus.PARTIALLY_DONE:
            break
    with registry.cursor() as cr:
        cr.execute(SQL("SELECT count(*) FROM ir_cron_progress WHERE cron_id = %s", cron_id))
        calls = cr.fetchone()[0] - before
    return calls, status


def _run_counts(cr, day):
    """What the run of ``day`` wrote: actions, activities, e-mails queued, cases proposed."""
    cr.execute(
        SQL(
            """
            SELECT (SELECT count(*) FROM credit_recovery_action a JOIN credit_recovery_run r ON r.id = a.run_id
                     WHERE r.date = %(day)s),
                   (SELECT count(*) FROM mail_activity WHERE res_model IN ('credit.recovery.action', 'res.partner')
                       AND date_deadline = %(day)s),
                   (SELECT count(*) FROM mail_mail WHERE state = 'outgoing'),
                   (SELECT count(*) FROM credit_recovery_action a JOIN credit_recovery_run r ON r.id = a.run_id
                     WHERE r.date = %(day)s AND a.send_queued)
            """,
            day=day,
        )
    )
    return cr.fetchone()


def _time_dunning_run(registry, day=None):
    """The daily scheduled action from its first call until nothing remains, every call committed."""
    day = day or date.today()
    with registry.cursor() as cr:
        _actions, _activities, mails_before, _queued = _run_counts(cr, day)
    with Meter() as meter:
        calls, status = _run_cron_until_done(registry, "account_credit_recovery.ir_cron_credit_recovery_run")
    with registry.cursor() as cr:
        actions, activities, mails, queued = _run_counts(cr, day)
        cr.execute(SQL("SELECT count(*) FROM credit_recovery_run_reconcile_rel"))
        to_reconcile = cr.fetchone()[0]
    meter.report("dunning_run")
    _bench("dunning_run_calls", calls, "calls")
    _bench("dunning_run_status", 0 if status == CompletionStatus.FULLY_DONE else 1, "(0 = fully done)")
    _bench("dunning_run_actions", actions, "actions")
    _bench("dunning_run_activities", activities, "activities")
    _bench("dunning_run_emails_queued", mails - mails_before, "e-mails")
    _bench("dunning_run_emails_left", queued, "e-mails")
    _bench("dunning_run_reconcile_first", to_reconcile, "customers")
    _bench("dunning_run_queries_per_call", round(meter.queries / max(calls, 1)), "queries")
    _bench("dunning_run_queries_per_action", f"{meter.queries / max(actions, 1):.1f}", "queries")
    # Every customer the run decided: reminded (an action) or told to reconcile first.
    _bench("dunning_run_per_customer", f"{meter.elapsed * 1000 / max(actions + to_reconcile, 1):.1f}", "ms")
    _bench("dunning_run_load_1min", f"{os.getloadavg()[0]:.1f}", "runnable processes")


def _time_dashboard(env, rounds):
    """The credit controller's dashboard of the Credit Manager (the team's work), on the run's actions."""
    Dashboard = env["credit.recovery.dashboard"]
    samples, queries = [], []
    for _round in range(rounds):
        env.invalidate_all()
        with Meter() as meter:
            Dashboard.get_dashboard_data()
        samples.append(meter.elapsed)
        queries.append(meter.queries)
    _bench("dashboard", f"{statistics.median(samples) * 1000:.0f}", "ms")
    _bench("dashboard_queries", int(statistics.median(queries)), "queries")
    _bench("dashboard_peak_rss", f"{meter.peak_rss:.0f}", "MiB")


def _time_dunning_letters(registry, limit, letters_file):
    """The letters of the run 8 days later: the day's letters as one PDF, then the e-mails with theirs.

    The second day's decisions are applied (customers called on the first day get their first reminder
    e-mail); then ``limit`` of its letters (all when 0) are rendered as one PDF batch (what the dashboard's
    "Letters to Print" prints), and the queued e-mails of the same actions rendered with their letter
    attached and queued (what the run's e-mail calls do). The customers are written to ``letters_file`` so
    that OCA prints and e-mails its communications for the same ones.
    """
    day = date.today() + timedelta(days=8)
    with freeze_time(day), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        run = env["credit.recovery.run"]._get_or_create(env.company, day)
        with Meter() as meter:
            decisions = run._decide()
            actions = run._apply(decisions)
        meter.report("dunning_run_day8_apply")
        _bench("dunning_run_day8_actions", len(actions), "actions")
        letters = actions.filtered(lambda action: action.channel in ("email", "letter")).sorted("id")
        _bench("dunning_letters_day8", len(letters), "letters")
        if limit:
            letters = letters[:limit]
        cr.commit()
        env.invalidate_all()
        report = env.ref("account_credit_recovery.action_report_credit_recovery_letter")
        with Meter() as pdf:
            content, _format = env["ir.actions.report"]._render_qweb_pdf(report, letters.ids)
        pages = len(PdfFileReader(io.BytesIO(content)).pages)
        pdf.report("dunning_letters_pdf")
        _bench("dunning_letters_pdf_letters", len(letters), "letters")
        _bench("dunning_letters_pdf_pages", pages, "pages")
        emails = letters.filtered("send_queued")
        # The e-mails of the measured letters only: the others stay queued (the bench stops here).
        env["credit.recovery.action"].search(
            [("send_queued", "=", True), ("id", "not in", emails.ids)]
        ).write({"send_queued": False})
        cr.commit()
        env.invalidate_all()
        mails_before = env["mail.mail"].search_count([])
        with Meter() as mail:
            taken = env["credit.recovery.action"]._send_queued(batch_size=len(emails) or 1)
            env.flush_all()
        mails = env["mail.mail"].search_count([]) - mails_before
        mail.report("dunning_letters_emails")
        _bench("dunning_letters_emails_sent", mails, "e-mails")
        _bench("dunning_letters_emails_taken", taken, "actions")
        attachments = env["ir.attachment"].search_count(
            [("res_model", "=", "mail.message"), ("mimetype", "=", "application/pdf")]
        )
        _bench("dunning_letters_emails_attachments", attachments, "PDF")
        _bench("dunning_letters", f"{pdf.elapsed + mail.elapsed:.3f}", "s")
        _bench("dunning_letters_queries", pdf.queries + mail.queries, "queries")
        _bench("dunning_letters_peak_rss", f"{max(pdf.peak_rss, mail.peak_rss):.0f}", "MiB")
        if letters_file:
            with open(letters_file, "w", encoding="ascii") as output:
                output.write("\n".join(str(partner_id) for partner_id in letters.partner_id.ids))
        cr.rollback()


def _time_job_path(registry):
    """Hook for the queue_job path (the run's batches and letters as jobs): measured when it exists.

    Without OCA's ``queue_job`` installed in the measured database, nothing is printed. The job path's
    figure goes here: ``BENCH dunning_run_jobs <s>`` (enqueue, then run every job until none is left),
    with ``Meter`` for its queries and memory, on a database where the inline run has not run yet.
    """
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        installed = env["ir.module.module"].search_count(
            [("name", "=", "queue_job"), ("state", "=", "installed")]
        )
    if not installed:
        _bench("dunning_run_jobs_measured", 0, "(queue_job not installed)")
        return
    with registry.cursor() as cr:
        _section(_time_dunning_run_jobs, api.Environment(cr, SUPERUSER_ID, {}))
        cr.rollback()


def _time_aged_balance(env, rounds, wizard=True):
    """The aged balance of the whole book today: the query alone, then the wizard the user opens."""
    Wizard = env["credit.recovery.aged.balance.wizard"]
    samples, queries = [], []
    for _round in range(rounds):
        env.invalidate_all()
        before = odoo.sql_db.sql_counter
        started = time.perf_counter()
        rows = Wizard._compute_aged_balance(date.today(), env.company)
        samples.append(time.perf_counter() - started)
        queries.append(odoo.sql_db.sql_counter - before)
    _bench("aged_balance", f"{statistics.median(samples):.3f}", "s")
    _bench("aged_balance_queries", int(statistics.median(queries)), "queries")
    _bench("aged_balance_customers", len(rows), "customers")
    if not wizard:
        return
    env.invalidate_all()
    wizard = Wizard.create({"company_id": env.company.id, "date": date.today()})
    before = odoo.sql_db.sql_counter
    started = time.perf_counter()
    wizard.action_compute()
    _bench("aged_balance_wizard", f"{time.perf_counter() - started:.3f}", "s")
    _bench("aged_balance_wizard_queries", odoo.sql_db.sql_counter - before, "queries")


def _sql_floor_query(company_id):
    """Overdue residual per customer in one aggregation: the least any dunning run must read."""
    return SQL(
        """
        SELECT p.commercial_partner_id, SUM(aml.amount_residual), MIN(aml.date_maturity), COUNT(*)
          FROM account_move_line aml
          JOIN account_account a ON a.id = aml.account_id
          JOIN res_partner p ON p.id = aml.partner_id
         WHERE aml.company_id = %(company)s
           AND aml.parent_state = 'posted'
           AND a.account_type = 'asset_receivable'
           AND NOT aml.reconciled
           AND aml.amount_residual > 0
           AND aml.date_maturity < %(today)s
      GROUP BY p.commercial_partner_id
        """,
        company=company_id,
        today=date.today(),
    )


def _time_sql_floor(env, rounds):
    samples = []
    for _round in range(rounds):
        started = time.perf_counter()
        env.cr.execute(_sql_floor_query(env.company.id))
        rows = env.cr.fetchall()
        samples.append(time.perf_counter() - started)
    _bench("sql_floor", f"{statistics.median(samples):.3f}", "s")
    _bench("sql_floor_customers", len(rows), "customers")
    _bench("sql_floor_items", sum(row[3] for row in rows), "items")


# OCA's account_credit_control on a copy of the book ------------------------------------------------------


def oca_uninstall(registry):
    """Remove this module from the copy: OCA's module defines fields of the same names."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        module = env["ir.module.module"].search([("name", "=", "account_credit_recovery")])
        module.button_immediate_uninstall()


def oca_measure(registry, letters_file=None):
    """A 3-level policy at 10/30/60 days, the time of OCA's first credit-line generation, and its letters.

    Its communications are printed and e-mailed for the customers of our letters figure (``letters_file``).
    """
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
        company = env.company
        template = env.ref("account_credit_control.email_template_credit_control_base")
        accounts = env["account.account"].search(
            [("account_type", "=", "asset_receivable"), ("company_ids", "in", company.ids)]
        )
        policy = env["credit.control.policy"].create(
            {
                "name": "Bench 10/30/60 days",
                "company_id": company.id,
                "account_ids": [Command.set(accounts.ids)],
                "level_ids": [
                    Command.create(
                        {
                            "name": f"Reminder {level}",
                            "level": level,
                            "computation_mode": "net_days",
                            "delay_days": delay,
                            "channel": "letter",
                            "email_template_id": template.id,
                            "custom_text": f"Reminder {level}",
                            "custom_mail_text": f"<p>Reminder {level}</p>",
                        }
                    )
                    for level, delay in ((1, 10), (2, 30), (3, 60))
                ],
            }
        )
        company.credit_policy_id = policy
        run = env["credit.control.run"].create(
            {"date": date.today(), "policy_ids": [Command.set(policy.ids)], "company_id": company.id}
        )
        cr.commit()
        env.invalidate_all()
        with Meter() as meter:
            run.generate_credit_lines()
            env.flush_all()
        meter.report("oca_credit_control_run")
        _bench("oca_credit_control_run_lines", len(run.line_ids), "lines")
        _bench("oca_credit_control_run_customers", len(run.line_ids.commercial_partner_id), "customers")
        cr.commit()
        if letters_file and os.path.exists(letters_file) and os.path.getsize(letters_file):
            _section(_oca_communications, env, run, letters_file)
        cr.rollback()


def _oca_communications(env, run, letters_file):
    """OCA printing, then e-mailing, its communications for the customers our letters figure took.

    As its wizards do: the printer (``credit.control.printer``: one communication per customer and level,
    their summary report as one PDF) and the e-mailer (``credit.control.emailer``: the same lines as
    e-mails with the level's template and its attachment, queued, not sent to a server).
    """
    with open(letters_file, encoding="ascii") as partners_file:
        partner_ids = {int(value) for value in partners_file.read().split()}
    lines = run.line_ids.filtered(lambda line: line.commercial_partner_id.id in partner_ids)
    _bench("oca_communications_customers", len(lines.commercial_partner_id), "customers")
    lines.write({"state": "to_be_sent"})
    env.cr.commit()
    env.invalidate_all()
    report = "account_credit_control.report_credit_control_summary"
    with Meter() as printing:
        printer = env["credit.control.printer"].create({"line_ids": [Command.set(lines.ids)]})
        comms = env["credit.control.communication"]._generate_comm_from_credit_lines(printer.line_ids)
        comms._mark_credit_line_as_sent()
        pages = 0
        try:
            content, _format = env["ir.actions.report"]._render_qweb_pdf(report, comms.ids)
            pages = len(PdfFileReader(io.BytesIO(content)).pages)
        except Exception as error:
            print(f"  OCA's summary of {len(comms)} communications as one PDF failed: {error!r}", flush=True)
            _bench("oca_communications_pdf_failed", 1, "(1 = the batch PDF failed)")
            for comm in comms:  # what the user is left with: one PDF per communication
                content, _format = env["ir.actions.report"]._render_qweb_pdf(report, comm.ids)
                pages += len(PdfFileReader(io.BytesIO(content)).pages)
    printing.report("oca_communications_pdf")
    _bench("oca_communications_pdf_communications", len(comms), "communications")
    _bench("oca_communications_pdf_pages", pages, "pages")
    lines.write({"state": "to_be_sent", "channel": "email"})
    env.cr.commit()
    env.invalidate_all()
    mails_before = env["mail.mail"].search_count([])
    # Queued as ours, never sent to a mail server from the bench.
    emailer_env = env(context=dict(env.context, mail_notify_force_send=False))
    with Meter() as emailing:
        emailer = emailer_env["credit.control.emailer"].create({"line_ids": [Command.set(lines.ids)]})
        emailed = emailer._send_emails()
        env.flush_all()
    emailing.report("oca_communications_emails")
    _bench("oca_communications_emails_communications", len(emailed), "communications")
    _bench("oca_communications_emails_sent", env["mail.mail"].search_count([]) - mails_before, "e-mails")
    _bench("oca_communications", f"{printing.elapsed + emailing.elapsed:.3f}", "s")
    _bench("oca_communications_queries", printing.queries + emailing.queries, "queries")
    _bench("oca_communications_peak_rss", f"{max(printing.peak_rss, emailing.peak_rss):.0f}", "MiB")


# Figures measured at both sizes: their growth from 1x to 10x is printed.
GROWTH = [
    "dunning_run",
    "dunning_run_queries",
    "dunning_run_calls",
    "dunning_run_actions",
    "dunning_run_peak_rss",
    "dunning_dry_run",
    "sql_floor",
    "exposure_all_customers",
    "aged_balance",
    "partner_credit_page",
    "dashboard",
]
RUN_BATCH = 200  # customers applied per call of the scheduled action (credit.recovery.run._cron_run)


def ratios(results_path, scale_prefix="x10."):
    """Ratios, growth from 1x to 10x and the targets, from the BENCH lines of the runs."""
    figures = {}
    with open(results_path, encoding="utf-8") as results:
        for line in results:
            match = re.match(r"BENCH (\S+) ([0-9.]+) ", line)
            if match:
                figures[match[1]] = float(match[2])
    big = scale_prefix if f"{scale_prefix}dunning_run" in figures else ""

    def ratio(name, numerator, denominator):
        if figures.get(numerator) and figures.get(denominator):
            figures[name] = figures[numerator] / figures[denominator]
            _bench(name, f"{figures[name]:.1f}", "x")

    # Batches the run applied: its customers (actions and "reconcile first" tasks) by RUN_BATCH.
    for prefix in {"", big}:
        customers = figures.get(f"{prefix}dunning_run_actions", 0) + figures.get(
            f"{prefix}dunning_run_reconcile_first", 0
        )
        if customers and f"{prefix}dunning_run_queries" in figures:
            figures[f"{prefix}dunning_run_batches"] = math.ceil(customers / RUN_BATCH)
            _bench(f"{prefix}dunning_run_batches", figures[f"{prefix}dunning_run_batches"], "batches")
            ratio(
                f"{prefix}dunning_run_queries_per_batch",
                f"{prefix}dunning_run_queries",
                f"{prefix}dunning_run_batches",
            )
    ratio("oca_vs_dunning_run", "oca_credit_control_run", "dunning_run")
    ratio("oca_vs_dunning_letters", "oca_communications", "dunning_letters")
    ratio("dunning_dry_run_vs_sql_floor", "dunning_dry_run", "sql_floor")
    if big:
        ratio(f"{big}dunning_dry_run_vs_sql_floor", f"{big}dunning_dry_run", f"{big}sql_floor")
        for name in GROWTH:
            ratio(f"growth_{name}", f"{big}{name}", name)
        ratio("growth_customers", f"{big}book_customers", "book_customers")
        ratio(
            "growth_dunning_run_queries_per_batch",
            f"{big}dunning_run_queries_per_batch",
            "dunning_run_queries_per_batch",
        )
    targets = [
        ("whole run at least 3x faster than OCA's line generation", "oca_vs_dunning_run", ">=", 3, "x"),
        ("run queries fewer than its customers", "dunning_run_queries_per_action", "<", 1, "queries"),
        ("decision within 20x the SQL floor", f"{big}dunning_dry_run_vs_sql_floor", "<=", 20, "x"),
        ("dashboard at most 300 ms", f"{big}dashboard", "<=", 300, "ms"),
        ("exposure of all customers at most 3 s", f"{big}exposure_all_customers", "<=", 3, "s"),
        ("aged balance at most 1 s", f"{big}aged_balance", "<=", 1, "s"),
        ("credit page at most 100 ms", f"{big}partner_credit_page", "<=", 100, "ms"),
        ("run peak memory below 1 GiB", f"{big}dunning_run_peak_rss", "<", 1024, "MiB"),
    ]
    if big:
        targets += [
            (
                "run queries fewer than its customers at 10x",
                f"{big}dunning_run_queries_per_action",
                "<",
                1,
                "queries",
            ),
            (
                "run queries per batch grow at most 1.25x from 1x to 10x (with batches, not customers)",
                "growth_dunning_run_queries_per_batch",
                "<=",
                1.25,
                "x",
            ),
            ("run time grows at most 12x from 1x to 10x", "growth_dunning_run", "<=", 12, "x"),
        ]
    met = total = 0
    for label, name, operator, limit, unit in targets:
        value = figures.get(name)
        if value is None:
            print(f"BENCH target {name} not measured (target {operator} {limit} {unit}: {label})", flush=True)
            total += 1
            continue
        ok = {"<": value < limit, "<=": value <= limit, ">=": value >= limit}[operator]
        met += ok
        total += 1
        verdict = "met" if ok else "MISSED"
        print(
            f"BENCH target {name} {value:.6g} {unit} {operator} {limit} {unit}: {verdict} ({label})",
            flush=True,
        )
    print(f"BENCH targets met {met}/{total}", flush=True)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "step", choices=["build", "scale", "measure", "oca-uninstall", "oca-measure", "ratios"]
    )
    parser.add_argument("--database")
    parser.add_argument("--addons-path")
    parser.add_argument("--results", help="file of BENCH lines (ratios)")
    parser.add_argument("--rounds", type=int, default=5, help="runs of each all-customer read (median)")
    parser.add_argument("--form-rounds", type=int, default=10, help="runs of the form read (median)")
    parser.add_argument(
        "--scope", choices=["all", "scale"], default="all", help="scale: the 10x book's figures"
    )
    parser.add_argument("--prefix", default="", help="prefix of the figures' names (x10. for the 10x book)")
    parser.add_argument(
        "--letters-file", help="customers of the letters figure (written by measure, read by OCA)"
    )
    parser.add_argument(
        "--factor", type=int, default=10, help="scale: the book copied to this many times its size"
    )
    args = parser.parse_args()
    if args.step == "ratios":
        ratios(args.results, args.prefix or "x10.")
        return
    global PREFIX
    PREFIX = args.prefix
    registry = environment(args.database, args.addons_path)
    if args.step == "build":
        build(registry)
    elif args.step == "scale":
        scale(registry, args.factor)
    elif args.step == "measure":
        measure(registry, args.rounds, args.form_rounds, args.scope, LETTERS, args.letters_file)
    elif args.step == "oca-uninstall":
        oca_uninstall(registry)
    else:
        oca_measure(registry, args.letters_file)


# The job-queue path (issue 16, "Beyond one machine") ---------------------------------------------------
# Kept apart from the figures above. Called by ``measure`` on a copy of the book where queue_job is installed
# (``bench.sh`` installs it when the package is present); prints nothing more than a skip line without it.


def _time_dunning_run_jobs(env):
    """The daily run through the job queue: the scheduled action enqueues, then every job is performed.

    The jobs run one after the other in this process (what one server of the queue would do), each in a
    savepoint as its own transaction would be; the e-mail jobs that the apply jobs enqueue are performed too.
    ``dunning_run_jobs`` is the whole work, ``dunning_run_jobs_longest`` the longest job: with N servers the
    run lasts about max(whole / N, longest). Everything is rolled back by ``measure``.
    """
    if "queue.job" not in env:
        print(
            "BENCH dunning_run_jobs skipped (queue_job is not installed in the measured database)", flush=True
        )
        return
    from odoo.addons.queue_job.job import Job  # noqa: PLC0415 (queue_job is optional)

    env = env(user=SUPERUSER_ID)
    savepoint = env.cr.savepoint()  # the figures measured after this one find the book as it was
    try:
        _perform_dunning_run_jobs(env, Job)
    finally:
        savepoint.close(rollback=True)
        env.invalidate_all()


def _perform_dunning_run_jobs(env, Job):
    env["res.company"].search([]).credit_use_job_queue = True
    Stored = env["queue.job"]
    before_ids = set(Stored.search([]).ids)
    env.invalidate_all()
    queries = odoo.sql_db.sql_counter
    started = time.perf_counter()
    env["credit.recovery.run"]._cron_run()
    enqueued = time.perf_counter() - started
    performed, longest = 0, 0.0
    while True:
        todo = Stored.search([("state", "=", "pending"), ("id", "not in", list(before_ids))], order="id")
        if not todo:
            break
        for stored in todo:
            before_ids.add(stored.id)
            job = Job.load(env, stored.uuid)
            job_started = time.perf_counter()
            with env.cr.savepoint():
                job.perform()
            longest = max(longest, time.perf_counter() - job_started)
            performed += 1
    env.flush_all()
    elapsed = time.perf_counter() - started
    _bench("dunning_run_jobs", f"{elapsed:.3f}", "s")
    _bench("dunning_run_jobs_queries", odoo.sql_db.sql_counter - queries, "queries")
    _bench("dunning_run_jobs_enqueue", f"{enqueued:.3f}", "s")
    _bench("dunning_run_jobs_count", performed, "jobs")
    _bench("dunning_run_jobs_longest", f"{longest:.3f}", "s")


if __name__ == "__main__":
    main()
