"""Run the module's scheduled actions once on the demo database, summarise them, export the letters."""

import argparse
import os

import odoo
from odoo import SUPERUSER_ID, api, fields


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument(
        "--base-url", required=True, help="Where the running server serves the report styles."
    )
    args = parser.parse_args()
    odoo.tools.config.parse_config(
        ["-d", args.database, f"--addons-path={args.addons_path}", "--log-level=error"]
    )
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["ir.config_parameter"].set_param("report.url", args.base_url)
        run_jobs(env)
        summarise(env, args.output)
        cr.commit()


def run_jobs(env):
    crons = env["ir.cron"].browse(
        env["ir.model.data"]
        .search([("module", "=", "account_credit_recovery"), ("model", "=", "ir.cron")])
        .mapped("res_id")
    )
    for cron in crons.sorted("id"):
        print(f"  - {cron.name}")
        cron.method_direct_trigger()


def summarise(env, output):
    company = env.ref("account_credit_recovery.company_ateliers_dupont_demo")
    env = env(context=dict(env.context, allowed_company_ids=[company.id], lang="en_US"))
    today = fields.Date.context_today(env.user)
    customers = (
        env["res.partner"]
        .with_company(company)
        .browse(
            env["ir.model.data"]
            .search(
                [
                    ("module", "=", "account_credit_recovery"),
                    ("model", "=", "res.partner"),
                    ("name", "=like", "partner_%_demo"),
                ]
            )
            .mapped("res_id")
        )
        .sorted("name")
    )
    actions = env["credit.recovery.action"].search([("company_id", "=", company.id), ("date", "=", today)])
    run = env["credit.recovery.run"].search([("company_id", "=", company.id), ("date", "=", today)], limit=1)
    currency = company.currency_id
    print(f"\n== What the daily run did on {today} for {company.name}")
    for partner in customers:
        print(
            f"\n{partner.name}\n"
            f"    risk {partner.credit_risk_level:<8} exposure {currency.format(partner.credit_exposure):>14}"
            f"  overdue {currency.format(partner.credit_overdue_amount):>14}"
            f"  oldest {partner.credit_oldest_overdue_days:>3} days"
        )
        done = actions.filtered(lambda action, partner=partner: action.partner_id == partner)
        for action in done:
            state = dict(action._fields["state"]._description_selection(env))[action.state]
            channel = dict(action._fields["channel"]._description_selection(env))[action.channel]
            print(
                f"    -> {action.level_id.name} ({channel}, {state}) for {currency.format(action.amount_due)}"
            )
        notes = []
        if partner in run.reconcile_partner_ids:
            notes.append("reconcile first: unmatched payments")
        if partner.credit_collective_proceeding != "none":
            notes.append("in collective proceedings: no reminder")
        if partner._credit_recovery_in_plan():
            notes.append("payment plan running: no reminder")
        if partner.invoice_ids.filtered("credit_in_dispute"):
            notes.append("invoice in dispute: not reminded")
        broken = env["credit.recovery.promise"].search(
            [("partner_id", "=", partner.id), ("state", "=", "broken"), ("write_date", ">=", str(today))]
        )
        if broken:
            notes.append("promise broken: recovery resumes")
        if not done and not notes:
            notes.append("nothing to do today")
        for note in notes:
            print(f"    -> {note}")
    if run.failed_partner_ids:
        print(f"\nFailed: {', '.join(run.failed_partner_ids.mapped('name'))}\n{run.log}")
    letters = actions.filtered(lambda action: action.channel in ("email", "letter", "registered_letter"))
    report = env.ref("account_credit_recovery.action_report_credit_recovery_letter")
    for action in letters:
        pdf, _kind = report._render_qweb_pdf(report.id, action.ids)
        name = f"{action.date}-{action.level_id.name}-{action.partner_id.name}".replace("/", "-").replace(
            " ", "_"
        )
        path = os.path.join(output, f"{name}.pdf")
        with open(path, "wb") as handle:
            handle.write(pdf)
        print(f"\nLetter written: {path}")
    print(
        f"\n{len(actions)} actions decided, {len(letters)} letters written to {output}, "
        f"{len(actions.filtered(lambda action: action.state == 'to_validate'))} to validate by a Credit Manager."
    )


if __name__ == "__main__":
    main()
