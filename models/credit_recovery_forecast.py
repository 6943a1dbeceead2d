from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

from ..tools import aging

FORECAST_WEEKS = 12
SOURCES = ("from_due_dates", "from_promises", "from_plans")


class CreditRecoveryForecastWizard(models.TransientModel):
    """Expected cash in per week: due dates shifted by each customer's delay, promises and plan instalments."""

    _name = "credit.recovery.forecast.wizard"
    _inherit = ["credit.recovery.report.mixin"]
    _description = "Collection Forecast"

    date = fields.Date(string="From")
    line_ids = fields.One2many("credit.recovery.forecast.line", "wizard_id", string="Weeks")
    total = fields.Monetary(compute="_compute_total")

    @api.depends("line_ids.total")
    def _compute_total(self):
        for wizard in self:
            wizard.total = sum(wizard.line_ids.mapped("total"))

    def action_compute(self):
        for wizard in self:
            rows = self._compute_forecast(wizard.date, wizard.company_id)
            wizard.line_ids.unlink()
            self.env["credit.recovery.forecast.line"].create(
                [{"wizard_id": wizard.id, **row} for row in rows]
            )
        return False

    @api.model
    def _compute_forecast(self, date, company, weeks=FORECAST_WEEKS):
        """Expected cash in for each of ``weeks`` weeks from ``date``.

        - a customer's running payment plan replaces the due dates of the items it settles: each unpaid
          instalment is expected on its date;
        - an open promise is expected on its date, and covers the customer's oldest items first;
        - the customer's unreconciled payments and credit notes have already settled its oldest items:
          nothing more is expected for what they cover;
        - what remains is expected on its due date shifted by the customer's average days late (last 12
          months). Whatever is expected before ``date`` falls in the first week; after the last, nowhere.
        Returns one dict per week: week_start, week_end, from_due_dates, from_promises, from_plans, total.
        """
        book = self.env["credit.recovery.book"]
        late = book._days_late(company, date)["partners"]
        items = [item for item in book._open_items(company, date) if item[3] > 0]
        rows = [
            {
                "week_start": date + timedelta(days=7 * index),
                "week_end": date + timedelta(days=7 * index + 6),
                **dict.fromkeys(SOURCES, 0.0),
            }
            for index in range(weeks)
        ]

        def expect(day, source, amount):
            index = aging.week_index(date, day, weeks)
            if index is not None:
                rows[index][source] += amount

        # Accountants forecast the cash without access to the recovery records: only the dates and
        # amounts of the company's running plans and open promises are read, and only totals are shown.
        plans = (
            self.env["credit.recovery.plan"]
            .sudo()
            .search([("company_id", "=", company.id), ("state", "=", "running")])
        )
        instalments = plans.instalment_ids.with_context(credit_recovery_date=fields.Date.to_string(date))
        for instalment in instalments.filtered(lambda instalment: instalment.state != "paid"):
            expect(instalment.date, "from_plans", instalment.amount)
        in_plan = set(plans.line_ids.ids)
        promised = defaultdict(float)
        promises = (
            self.env["credit.recovery.promise"]
            .sudo()
            .search([("company_id", "=", company.id), ("state", "=", "open")])
        )
        for promise in promises:
            expect(promise.date, "from_promises", promise.amount)
            promised[promise.partner_id.commercial_partner_id.id] += promise.amount
        credits = defaultdict(float, book._unreconciled_credits(company, date))
        for item_id, partner_id, days, residual in items:
            if item_id in in_plan:
                continue
            residual = float(residual)
            settled = min(credits[partner_id], residual)
            credits[partner_id] -= settled
            residual -= settled
            covered = min(promised[partner_id], residual)
            promised[partner_id] -= covered
            residual -= covered
            if residual <= 0:
                continue
            shift = round(late.get(partner_id, {}).get("avg_days_late", 0.0))
            expect(date - timedelta(days=days) + timedelta(days=shift), "from_due_dates", residual)
        round_amount = company.currency_id.round
        for row in rows:
            for source in SOURCES:
                row[source] = round_amount(row[source])
            row["total"] = round_amount(sum(row[source] for source in SOURCES))
        return rows


class CreditRecoveryForecastLine(models.TransientModel):
    """One week of the collection forecast."""

    _name = "credit.recovery.forecast.line"
    _description = "Collection Forecast Week"
    _order = "week_start"

    wizard_id = fields.Many2one(
        "credit.recovery.forecast.wizard", required=True, ondelete="cascade", index=True
    )
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    week_start = fields.Date(string="Week of", required=True)
    week_end = fields.Date(string="To", required=True)
    from_due_dates = fields.Monetary(string="Due Items", currency_field="currency_id")
    from_promises = fields.Monetary(string="Promises", currency_field="currency_id")
    from_plans = fields.Monetary(string="Payment Plans", currency_field="currency_id")
    total = fields.Monetary(string="Expected", currency_field="currency_id")
