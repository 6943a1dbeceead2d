from datetime import timedelta

from odoo import api, fields, models

from .credit_recovery_report_view import AGED_DATE_KEY, FORECAST_WEEKS_KEY

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

    def _fill(self):
        self.ensure_one()
        rows = self._compute_forecast(self.date, self.company_id)
        self.line_ids.unlink()
        self.env["credit.recovery.forecast.line"].create([{"wizard_id": self.id, **row} for row in rows])
        self.computed = True

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
        # The figures are the forecast report's (credit.recovery.forecast.report), week by week.
        report = self.env["credit.recovery.forecast.report"].with_context(
            allowed_company_ids=[company.id],
            **{AGED_DATE_KEY: fields.Date.to_string(date), FORECAST_WEEKS_KEY: weeks},
        )
        groups = report._read_group(
            [("company_id", "=", company.id)], ["week_start:day", "source"], ["amount:sum"]
        )
        rows = [
            {
                "week_start": date + timedelta(days=7 * index),
                "week_end": date + timedelta(days=7 * index + 6),
                **dict.fromkeys(SOURCES, 0.0),
            }
            for index in range(weeks)
        ]
        for week_start, source, amount in groups:
            rows[(week_start - date).days // 7][source] += amount
        round_amount = company.currency_id.round
        for row in rows:
            for source in SOURCES:
                row[source] = round_amount(row[source])
            row["total"] = round_amount(sum(row[source] for source in SOURCES))
        return rows

    def action_open_report(self):
        """The forecast from the wizard's date as a list, pivot or graph."""
        self.ensure_one()
        return (
            self.env["credit.recovery.forecast.report"].with_company(self.company_id).action_open(self.date)
        )


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
