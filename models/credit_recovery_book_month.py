from odoo import api, fields, models


class CreditRecoveryBookMonth(models.Model):
    """The receivable book of a company at a past month end, as the daily run last computed it.

    The book's overdue amount at a past day reads every receivable item and partial reconciliation of the company:
    the dashboard's 12-month trend would read the whole book at each opening. The daily run computes the
    past month ends once a day (``credit.recovery.book._record_month_ends``) and the dashboard reads them
    here, today's figures being read live. Recomputed every day, a month end takes in an entry dated in
    that month but posted later by the next run. Read by the dashboard's users, written by the run only;
    never shown to the customer.
    """

    _name = "credit.recovery.book.month"
    _description = "Receivable Book at a Month End"
    _order = "company_id, date desc"
    _rec_name = "date"

    company_id = fields.Many2one("res.company", required=True, ondelete="cascade", index=True)
    date = fields.Date(string="Month End", required=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    overdue_amount = fields.Monetary(
        string="Overdue",
        currency_field="currency_id",
        help="The aged balance's overdue amount at the month end: what the items due before it still owed.",
    )
    computed_on = fields.Date(
        required=True,
        help="Day of the daily run that computed the figures, always after the month end.",
    )

    _sql_constraints = [
        (
            "company_date_unique",
            "UNIQUE(company_id, date)",
            "A company's receivable book is recorded once per month end.",
        ),
        (
            "computed_after_month_end",
            "CHECK(computed_on > date)",
            "A month end's figures are computed after the month end.",
        ),
    ]

    @api.model
    def _recorded_overdue(self, company, days):
        """{day: overdue amount} of the month ends among ``days`` recorded for ``company``."""
        records = self.search_fetch(
            [("company_id", "=", company.id), ("date", "in", list(days))], ["date", "overdue_amount"]
        )
        return {record.date: record.overdue_amount for record in records}
