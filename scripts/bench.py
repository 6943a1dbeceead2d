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
import os
import random
import re
import statistics
import time
from collections import Counter
from datetime import date, timedelta

from lxml import etree

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.tools import SQL

CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", 2000))
INVOICES = int(os.environ.get("BENCH_INVOICES", 20000))
BATCH = 500
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


# Measure ----------------------------------------------------------------------------------------------


def _bench(name, value, unit):
    print(f"BENCH {name} {value} {unit}", flush=True)


def measure(registry, rounds, form_rounds):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        user = env["res.users"].search([("login", "=", MANAGER_LOGIN)], limit=1)
        if not user:
            raise SystemExit(f"No user {MANAGER_LOGIN}: rebuild the book (BENCH_REBUILD=1 make bench).")
        env = api.Environment(cr, user.id, {})
        partner_ids = (
            env["res.partner"].search([("name", "=like", "Bench Customer %"), ("is_company", "=", True)]).ids
        )
        _book_size(env, partner_ids)
        _time_read(env, partner_ids, CREDIT_FIGURES, "exposure_all_customers", rounds)
        _time_read(env, partner_ids, ["credit_risk_level"], "risk_level_all_customers", rounds)
        _time_form(env, partner_ids, form_rounds)
        _time_aged_balance(env, rounds)
        _time_sql_floor(env, rounds)
        _time_dunning(env)
        _time_dunning_run_jobs(env)
        cr.rollback()


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


def _time_dunning(env):
    """The daily run's decisions for the whole book (nothing is written: the transaction is rolled back)."""
    env = env(user=SUPERUSER_ID)
    run = env["credit.recovery.run"]._get_or_create(env.company, date.today())
    env.invalidate_all()
    before = odoo.sql_db.sql_counter
    started = time.perf_counter()
    decisions = run._decide()
    elapsed = time.perf_counter() - started
    _bench("dunning_decide", f"{elapsed:.3f}", "s")
    _bench("dunning_decide_queries", odoo.sql_db.sql_counter - before, "queries")
    _bench("dunning_decide_customers", len(decisions), "customers")


def _time_aged_balance(env, rounds):
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


def oca_measure(registry):
    """A 3-level policy at 10/30/60 days, then the time of OCA's first credit-line generation."""
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
        before = odoo.sql_db.sql_counter
        started = time.perf_counter()
        run.generate_credit_lines()
        elapsed = time.perf_counter() - started
        _bench("oca_credit_control_run", f"{elapsed:.3f}", "s")
        _bench("oca_credit_control_run_queries", odoo.sql_db.sql_counter - before, "queries")
        _bench("oca_credit_control_run_lines", len(run.line_ids), "lines")
        _bench("oca_credit_control_run_customers", len(run.line_ids.commercial_partner_id), "customers")
        cr.rollback()


def ratios(results_path):
    """Ours against OCA's run and against the SQL floor, from the BENCH lines of the runs."""
    figures = {}
    with open(results_path, encoding="utf-8") as results:
        for line in results:
            match = re.match(r"BENCH (\S+) ([0-9.]+) ", line)
            if match:
                figures[match[1]] = float(match[2])
    ours = figures.get("dunning_decide")
    if not ours:
        return
    if figures.get("oca_credit_control_run"):
        _bench("oca_vs_dunning_decide", f"{figures['oca_credit_control_run'] / ours:.1f}", "x")
    if figures.get("sql_floor"):
        _bench("dunning_decide_vs_sql_floor", f"{ours / figures['sql_floor']:.1f}", "x")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("step", choices=["build", "measure", "oca-uninstall", "oca-measure", "ratios"])
    parser.add_argument("--database")
    parser.add_argument("--addons-path")
    parser.add_argument("--results", help="file of BENCH lines (ratios)")
    parser.add_argument("--rounds", type=int, default=5, help="runs of each all-customer read (median)")
    parser.add_argument("--form-rounds", type=int, default=10, help="runs of the form read (median)")
    args = parser.parse_args()
    if args.step == "ratios":
        ratios(args.results)
        return
    registry = environment(args.database, args.addons_path)
    if args.step == "build":
        build(registry)
    elif args.step == "measure":
        measure(registry, args.rounds, args.form_rounds)
    elif args.step == "oca-uninstall":
        oca_uninstall(registry)
    else:
        oca_measure(registry)


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
