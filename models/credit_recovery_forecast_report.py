from odoo import api, fields, models
from odoo.tools import SQL

from .credit_recovery_report_view import FORECAST_WEEKS_KEY

SOURCE_SELECTION = [
    ("from_due_dates", "Due Items"),
    ("from_promises", "Promises"),
    ("from_plans", "Payment Plans"),
]


class CreditRecoveryForecastReport(models.Model):
    """The collection forecast as a list, pivot or graph: one line per amount expected in the coming weeks.

    From the date of the context (``credit_aged_balance_date``, today by default), over 12 weeks:
    - a customer's running payment plan replaces the due dates of the items it settles: each unpaid
      instalment is expected on its date;
    - an open promise is expected on its date, and covers the customer's oldest items first;
    - the customer's unreconciled payments and credit notes (the book's unreconciled credits) have already
      settled its oldest items: nothing more is expected for what they cover;
    - what remains of each open item is expected on its due date shifted by the customer's average days
      late (the book's, over the last 12 months).
    Whatever is expected before the date falls in the first week; after the last week, nowhere.
    """

    _name = "credit.recovery.forecast.report"
    _inherit = ["credit.recovery.report.view"]
    _description = "Collection Forecast Analysis"
    _auto = False
    _order = "week_start, partner_id, id"
    _rec_name = "partner_id"
    _credit_report_action_xmlid = "account_credit_recovery.credit_recovery_forecast_report_action"

    source = fields.Selection(SOURCE_SELECTION, readonly=True)
    expected_date = fields.Date(string="Expected On", readonly=True)
    week_start = fields.Date(string="Week of", readonly=True)
    week_end = fields.Date(string="To", readonly=True)
    amount = fields.Monetary(string="Expected", currency_field="currency_id", readonly=True)
    from_due_dates = fields.Monetary(string="Due Items", currency_field="currency_id", readonly=True)
    from_promises = fields.Monetary(string="Promises", currency_field="currency_id", readonly=True)
    from_plans = fields.Monetary(string="Payment Plans", currency_field="currency_id", readonly=True)

    @property
    def _table_query(self):
        book = self.env["credit.recovery.book"]
        book._flush()
        self.env["credit.recovery.plan"].flush_model(
            ["company_id", "state", "partner_id", "amount_total", "line_ids"]
        )
        self.env["credit.recovery.plan.instalment"].flush_model(["plan_id", "date", "amount"])
        self.env["credit.recovery.promise"].flush_model(
            ["company_id", "state", "partner_id", "date", "amount"]
        )
        return SQL(" UNION ALL ").join(self._forecast_sql(company) for company in self.env.companies)

    @api.model
    def _forecast_weeks(self):
        return int(self.env.context.get(FORECAST_WEEKS_KEY) or 12)

    @api.model
    def _forecast_sql(self, company):
        """The expected amounts of ``company`` from the report's date, one row each. Credits and promises
        cover each customer's oldest items first (due date, then id)."""
        book = self.env["credit.recovery.book"]
        start = self._credit_report_date()
        return SQL(
            """
            SELECT * FROM (
            WITH running_plan AS (%(running_plans)s), items AS (
                SELECT items.id, items.partner_id, items.due, items.residual
                  FROM (%(open_items)s) items
                 WHERE items.residual > 0
                   AND items.id NOT IN (
                       SELECT rel.line_id FROM credit_recovery_plan_line_rel rel
                         JOIN running_plan ON running_plan.id = rel.plan_id
                   )
            ), promised AS (
                SELECT partner.commercial_partner_id AS partner_id, SUM(promise.amount) AS amount
                  FROM credit_recovery_promise promise
                  JOIN res_partner partner ON partner.id = promise.partner_id
                 WHERE promise.company_id = %(company)s
                   AND promise.state = 'open'
              GROUP BY partner.commercial_partner_id
            ), after_credits AS (
                SELECT items.id, items.partner_id, items.due,
                       items.residual - LEAST(items.residual, GREATEST(
                           COALESCE(credits.amount, 0) - COALESCE(SUM(items.residual) OVER (
                               PARTITION BY items.partner_id ORDER BY items.due, items.id
                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
                           ), 0), 0
                       )) AS residual
                  FROM items
             LEFT JOIN (%(credits)s) credits ON credits.partner_id IS NOT DISTINCT FROM items.partner_id
            ), after_promises AS (
                SELECT after_credits.id, after_credits.partner_id, after_credits.due,
                       after_credits.residual - LEAST(after_credits.residual, GREATEST(
                           COALESCE(promised.amount, 0)
                           - COALESCE(SUM(after_credits.residual) OVER (
                               PARTITION BY after_credits.partner_id ORDER BY after_credits.due, after_credits.id
                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
                           ), 0), 0
                       )) AS residual
                  FROM after_credits
             LEFT JOIN promised ON promised.partner_id = after_credits.partner_id
            ), instalments AS (%(instalments)s
            ), expected AS (
                SELECT after_promises.id::bigint * 3 AS id, 'from_due_dates' AS source, after_promises.partner_id,
                       after_promises.due + ROUND(COALESCE(late.avg_days_late, 0))::integer AS expected_date,
                       after_promises.residual AS amount
                  FROM after_promises
             LEFT JOIN (%(late)s) late ON late.partner_id IS NOT DISTINCT FROM after_promises.partner_id
                 WHERE after_promises.residual > 0
                 UNION ALL
                SELECT promise.id::bigint * 3 + 1, 'from_promises', partner.commercial_partner_id,
                       promise.date, promise.amount
                  FROM credit_recovery_promise promise
                  JOIN res_partner partner ON partner.id = promise.partner_id
                 WHERE promise.company_id = %(company)s
                   AND promise.state = 'open'
                 UNION ALL
                SELECT instalments.id::bigint * 3 + 2, 'from_plans', instalments.partner_id,
                       instalments.date, instalments.amount
                  FROM instalments
                 WHERE instalments.left_after < 0
            ), slotted AS (
                SELECT expected.*,
                       %(start)s::date + 7 * GREATEST((expected.expected_date - %(start)s::date) / 7, 0) AS week_start
                  FROM expected
                 WHERE expected.expected_date < %(start)s::date + 7 * %(weeks)s
            )
            SELECT slotted.id,
                   %(company)s AS company_id,
                   slotted.partner_id,
                   %(customer_columns)s,
                   slotted.source,
                   slotted.expected_date,
                   slotted.week_start,
                   slotted.week_start + 6 AS week_end,
                   slotted.amount,
                   CASE WHEN slotted.source = 'from_due_dates' THEN slotted.amount ELSE 0 END AS from_due_dates,
                   CASE WHEN slotted.source = 'from_promises' THEN slotted.amount ELSE 0 END AS from_promises,
                   CASE WHEN slotted.source = 'from_plans' THEN slotted.amount ELSE 0 END AS from_plans
              FROM slotted
         LEFT JOIN res_partner partner ON partner.id = slotted.partner_id
            ) forecast
            """,
            company=company.id,
            customer_columns=book._customer_columns_sql(company),
            open_items=book._open_items_sql(company, start),
            credits=book._unreconciled_credits_by_partner_sql(company, start),
            late=book._days_late_by_partner_sql(company, start),
            running_plans=book._running_plans_sql(company),
            instalments=book._plan_instalments_sql(company),
            start=start,
            weeks=self._forecast_weeks(),
        )

    @api.model
    def _credit_report_title(self):
        return self.env._(
            "Collection Forecast from %(date)s",
            date=fields.Date.to_string(self._credit_report_date()),
        )

    @api.model
    def _credit_report_columns(self):
        return [
            "week_start",
            "partner_id",
            "source",
            "expected_date",
            "salesperson_id",
            "controller_id",
            "amount",
        ]

    @api.model
    def _credit_report_action_name(self, day):
        return self.env._("Collection Forecast from %(date)s", date=fields.Date.to_string(day))
