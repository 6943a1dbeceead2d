"""`make demo`, second half: run the module's scheduled actions once on the demo database, print what they
did for each demo customer, and write the PDF letters they produced.

The summary is data-driven: the customer fields of PARTNER_FIELDS, and every model of the module that has a
``partner_id``, show up as soon as they exist; activities, messages and PDF attachments are those created
during the run, whichever code created them.
"""

import argparse
import os
import re
from collections import Counter, defaultdict

import odoo
from odoo import SUPERUSER_ID, Command, api, fields
from odoo.tools import html2plaintext

MODULE = "account_credit_recovery"
COMPANY_XMLID = f"{MODULE}.company_ateliers_dupont_demo"
LETTER_REPORT_XMLID = f"{MODULE}.action_report_credit_recovery_letter"
# The demo customer whose page the README shows (scripts/screenshots.py).
PORTAL_CUSTOMER = "Électricité Bernard SAS"
# Customer fields printed when res.partner has them, in this order.
PARTNER_FIELDS = [
    "credit_risk_level",
    "credit_exposure",
    "credit_limit",
    "credit_available",
    "credit_score",
    "credit_avg_days_late",
    "credit_on_hold",
    "credit_collective_proceeding",
]
# Models of other modules also counted per customer (the module's own are found by themselves).
EXTRA_MODELS = ["sale.order"]
# Float fields holding an amount in the company's currency.
AMOUNT_FLOATS = {"credit_limit"}
LETTER_CHANNELS = ("email", "letter", "registered_letter")
MAX_CRON_BATCHES = 50
MAX_MESSAGE_LINES = 4


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--output", required=True, help="Folder where the PDF letters are written.")
    parser.add_argument(
        "--base-url",
        required=True,
        help="A running Odoo server of this database: wkhtmltopdf reads styles there.",
    )
    args = parser.parse_args()
    odoo.tools.config.parse_config(
        [
            "-d",
            args.database,
            f"--addons-path={args.addons_path}",
            "--log-level=warn",
            # wkhtmltopdf without patched Qt warns about headers on every letter: not the demo's concern.
            "--log-handler=odoo.addons.base.models.ir_actions_report:ERROR",
        ]
    )
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:  # committed when the block ends without error
        env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
        company = env.ref(COMPANY_XMLID)
        params = env["ir.config_parameter"]
        report_url = params.get_param("report.url")
        params.set_param("report.url", args.base_url)
        prepare_login(env, company)
        prepare_customer_page(env, company)
        start = cr.now()  # everything created from here on has this create_date or a later one
        run_crons(env)
        env = env(context=dict(env.context, allowed_company_ids=[company.id]))
        customers = demo_customers(env, company)
        summarise(env, company, customers, start)
        write_letters(env, start, args.output)
        params.set_param("report.url", report_url)


def prepare_login(env, company):
    """admin / admin, opening on the demo company, in French as the demo's credit users."""
    env.ref("base.user_admin").write(
        {
            "password": "admin",
            "company_ids": [Command.link(company.id)],
            "company_id": company.id,
            "lang": "fr_FR",
        }
    )


def prepare_customer_page(env, company):
    """Offer the customer's page: the reminders carry its link; one demo customer has its link already."""
    company.credit_portal_enabled = True
    # Its customers pay there with Odoo's demo provider (payment_demo, which make demo installs).
    env["credit.recovery.demo"]._credit_demo_payment_provider(company)
    customer = env["res.partner"].search([("name", "=", PORTAL_CUSTOMER)], limit=1)
    if customer:
        env["credit.recovery.portal.access"]._credit_get(customer, company)


def run_crons(env):
    """Run every scheduled action of the module once, or until it reports no remaining work."""
    data = env["ir.model.data"].search([("module", "=", MODULE), ("model", "=", "ir.cron")])
    crons = (
        env["ir.cron"].browse(data.mapped("res_id")).exists().sorted(lambda cron: (cron.priority, cron.id))
    )
    if not crons:
        print("  (the module has no scheduled action)")
    for cron in crons:
        batches = 0
        while batches < MAX_CRON_BATCHES:
            cron.method_direct_trigger()
            batches += 1
            progress = env["ir.cron.progress"].search([("cron_id", "=", cron.id)], order="id desc", limit=1)
            if not progress.remaining:
                break
        print(f"  - {cron.name}" + (f" ({batches} batches)" if batches > 1 else ""))


def demo_customers(env, company):
    data = env["ir.model.data"].search(
        [("module", "=", MODULE), ("model", "=", "res.partner"), ("name", "=like", "partner_%_demo")]
    )
    return env["res.partner"].with_company(company).browse(data.mapped("res_id")).exists().sorted("name")


def summarise(env, company, customers, start):
    today = fields.Date.context_today(env.user)
    currency = company.currency_id
    invoices = open_invoices(env, company, customers)
    records = related_records(env, customers)
    run_actions = []
    if "credit.recovery.action" in env:
        run_actions = env["credit.recovery.action"].search([("create_date", ">=", start)])
    activities, other_activities = by_customer(
        env, env["mail.activity"].search([("create_date", ">=", start)]), "res_model", customers
    )
    messages, other_messages = by_customer(
        env,
        env["mail.message"].search(
            [("create_date", ">=", start), ("message_type", "!=", "user_notification")]
        ),
        "model",
        customers,
    )
    print(f"\n== {company.name} on {today}: what the scheduled actions did for each demo customer")
    for customer in customers:
        kind = "company" if customer.is_company else "consumer"
        print(f"\n{customer.name} ({kind})")
        moves = invoices[customer.id]
        overdue = moves.filtered(lambda move: move.invoice_date_due and move.invoice_date_due < today)
        oldest = max(((today - move.invoice_date_due).days for move in overdue), default=0)
        print(
            f"    open invoices {len(moves)} for {currency.format(sum(moves.mapped('amount_residual_signed')))}"
            f"  overdue {currency.format(sum(overdue.mapped('amount_residual_signed')))}"
            f"  oldest {oldest} days overdue"
        )
        values = [describe(customer, name, currency) for name in PARTNER_FIELDS if name in customer._fields]
        for index in range(0, len(values), 4):
            print("    " + "  |  ".join(values[index : index + 4]))
        if records[customer.id]:
            print("    records: " + "; ".join(records[customer.id]))
        for action in [action for action in run_actions if action.partner_id == customer]:
            print(
                f"    -> action {action.level_id.name} ({label(action, 'channel')}, {label(action, 'state')})"
                f" for {currency.format(action.amount_due)}"
            )
        for activity in activities[customer.id]:
            print(
                f"    -> activity {activity.activity_type_id.name}: {activity.summary or ''}"
                f" (due {activity.date_deadline}, {activity.user_id.name})"
            )
        print_messages(messages[customer.id])
    print(
        f"\nOutside the demo customers, the run created {plural(len(other_activities), 'activity')} and "
        f"posted {plural(len(other_messages), 'message')} (customers of the other companies, internal records)."
    )
    if "credit.recovery.run" in env:
        for run in env["credit.recovery.run"].search([("create_date", ">=", start)]):
            if run.failed_partner_ids:
                print(
                    f"\nRun {run.display_name} failed for: {', '.join(run.failed_partner_ids.mapped('name'))}"
                )
                print(run.log or "")
    if run_actions:
        counts = Counter(label(action, "state") for action in run_actions)
        print(
            f"\n{len(run_actions)} recovery actions decided: "
            + ", ".join(f"{count} {state}" for state, count in sorted(counts.items()))
        )


def open_invoices(env, company, customers):
    """{customer id: posted customer invoices and credit notes with something left to pay}"""
    moves = env["account.move"].search(
        [
            ("company_id", "=", company.id),
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("state", "=", "posted"),
            ("amount_residual", "!=", 0),
            ("commercial_partner_id", "in", customers.ids),
        ],
        order="invoice_date_due, id",
    )
    result = defaultdict(lambda: env["account.move"])
    for move in moves:
        result[move.commercial_partner_id.id] |= move
    return result


def related_records(env, customers):
    """{customer id: ["Payment Promise: 1 broken", ...]} over the module's models that have a partner_id."""
    data = env["ir.model.data"].search([("module", "=", MODULE), ("model", "=", "ir.model")])
    names = sorted(set(env["ir.model"].browse(data.mapped("res_id")).mapped("model")) | set(EXTRA_MODELS))
    result = defaultdict(list)
    for name in names:
        if name not in env:
            continue
        model = env[name]
        partner = model._fields.get("partner_id")
        if name not in EXTRA_MODELS and model._original_module != MODULE:
            continue  # a model the module only extends (invoices, journal items...)
        if model._abstract or model._transient or not partner or partner.comodel_name != "res.partner":
            continue
        state = model._fields.get("state")
        groupby = ["partner_id", "state"] if state and state.type == "selection" else ["partner_id"]
        counts = defaultdict(Counter)
        for group in model._read_group([("partner_id", "in", customers.ids)], groupby, ["__count"]):
            partner_record, count = group[0], group[-1]
            key = dict(state._description_selection(env)).get(group[1], group[1]) if len(group) == 3 else ""
            counts[partner_record.commercial_partner_id.id][key] += count
        for customer_id, by_state in counts.items():
            detail = ", ".join(f"{count} {key}".strip() for key, count in sorted(by_state.items()))
            result[customer_id].append(f"{model._description}: {detail}")
    return result


def by_customer(env, records, model_field, customers):
    """Split mail activities or messages by the customer of the document they are on: ({customer id:
    records}, the records of no demo customer)."""
    mine = defaultdict(lambda: records.browse())
    others = records.browse()
    for model, group in records.grouped(model_field).items():
        owners = {}
        if model and model in env:
            documents = env[model].browse(set(group.mapped("res_id"))).exists()
            if model == "res.partner":
                owners = {document.id: document.commercial_partner_id.id for document in documents}
            elif (
                "partner_id" in documents._fields
                and documents._fields["partner_id"].comodel_name == "res.partner"
            ):
                owners = {document.id: document.partner_id.commercial_partner_id.id for document in documents}
        for record in group:
            customer_id = owners.get(record.res_id)
            if customer_id in customers.ids:
                mine[customer_id] |= record
            else:
                others |= record
    return mine, others


def print_messages(messages):
    if not messages:
        return
    on_customer = messages.filtered(lambda message: message.model == "res.partner")
    emails = messages.filtered(lambda message: message.message_type in ("email", "email_outgoing"))
    print(
        f"    -> {plural(len(messages), 'message')} posted: {len(on_customer)} on the customer, "
        f"{plural(len(emails), 'e-mail')}, {len(messages - on_customer - emails)} on its documents"
    )
    for message in (on_customer | emails)[:MAX_MESSAGE_LINES]:
        kind = "e-mail" if message in emails else "note"
        print(f"       {kind}: {shorten(message_text(message))}")


def message_text(message):
    if message.subject:
        return message.subject
    lines = html2plaintext(message.body or "").strip().splitlines()
    return lines[0] if lines else ""


def describe(record, name, currency):
    field = record._fields[name]
    value = record[name]
    if field.type == "selection":
        shown = label(record, name) or "-"
    elif field.type == "monetary" or name in AMOUNT_FLOATS:
        shown = currency.format(value)
    elif field.type == "boolean":
        shown = "yes" if value else "no"
    elif field.type == "many2one":
        shown = value.display_name or "-"
    elif field.type == "float":
        shown = f"{value:g}" if value else "-"
    else:
        shown = str(value) if value else "-"
    return f"{field.string}: {shown}"


def label(record, name):
    return dict(record._fields[name]._description_selection(record.env)).get(record[name], record[name])


def plural(count, word):
    if count == 1:
        return f"1 {word}"
    return f"{count} {word[:-1] + 'ies' if word.endswith('y') else word + 's'}"


def shorten(text, width=100):
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def write_letters(env, start, output):
    """Write the PDFs created during the run, and the letter of each action of the run that has none."""
    attachments = env["ir.attachment"].search(
        [("create_date", ">=", start), ("mimetype", "=", "application/pdf")], order="id"
    )
    documents = []
    for attachment in attachments:
        model, res_id = attachment.res_model, attachment.res_id
        if model == "mail.message" and res_id:
            message = env["mail.message"].browse(res_id)
            model, res_id = message.model, message.res_id
        documents.append((model, res_id))
    files = [
        (attachment.name, attachment.raw, model, res_id)
        for attachment, (model, res_id) in zip(attachments, documents, strict=True)
    ]
    if "credit.recovery.action" in env:
        default_report = env.ref(LETTER_REPORT_XMLID, raise_if_not_found=False)
        actions = env["credit.recovery.action"].search(
            [("create_date", ">=", start), ("channel", "in", LETTER_CHANNELS)], order="id"
        )
        for action in actions:
            if ("credit.recovery.action", action.id) in documents:
                continue
            report = getattr(action.level_id, "report_id", None) or default_report
            if not report:
                continue
            pdf, _kind = report._render_qweb_pdf(report.id, action.ids)
            files.append((f"{action.level_id.name}.pdf", pdf, "credit.recovery.action", action.id))
    written = Counter()
    for name, content, model, res_id in files:
        customer = document_customer(env, model, res_id)
        stem = os.path.splitext(name)[0]
        stem = safe_name(f"{customer.name}-{stem}" if customer and customer.name not in stem else stem)
        written[stem] += 1
        path = os.path.join(output, f"{stem}{'-' + str(written[stem]) if written[stem] > 1 else ''}.pdf")
        with open(path, "wb") as handle:
            handle.write(content)
        print(f"Letter written: {os.path.relpath(path)}")
    print(f"\n{len(files)} PDF letters written to {output}")


def document_customer(env, model, res_id):
    """The customer (commercial partner) of a document, or an empty recordset."""
    if not (model and res_id and model in env):
        return env["res.partner"]
    document = env[model].browse(res_id).exists()
    if model == "res.partner":
        return document.commercial_partner_id
    field = document._fields.get("partner_id")
    if field and field.comodel_name == "res.partner":
        return document.partner_id.commercial_partner_id
    return env["res.partner"]


def safe_name(text):
    return re.sub(r"[^\w.-]+", "_", text, flags=re.UNICODE).strip("_")


if __name__ == "__main__":
    main()
