from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import aging
from .credit_recovery_einvoice_status import (
    EINVOICE_APPROVED_CODES,
    EINVOICE_CONTESTED_CODES,
    EINVOICE_STANDINGS,
    EINVOICE_STATUSES,
)

# Other files import the date key from here.
from .credit_recovery_report_view import AGED_DATE_KEY  # noqa: F401


class CreditRecoveryAgedBalanceReport(models.Model):
    """The aged balance as a list, pivot or graph: one line per receivable item open at the date.

    A view over the receivable book (``credit.recovery.book._aged_items_sql``), for the companies the user
    works in, at the date given in the context (``credit_aged_balance_date``, today by default).
    """

    _name = "credit.recovery.aged.balance.report"
    _inherit = ["credit.recovery.report.view"]
    _description = "Aged Receivable Balance Analysis"
    _auto = False
    _order = "partner_id, due, id"
    _rec_name = "move_id"
    _credit_report_action_xmlid = "account_credit_recovery.credit_recovery_aged_balance_report_action"

    move_id = fields.Many2one("account.move", string="Entry", readonly=True)
    date = fields.Date(string="Accounting Date", readonly=True)
    due = fields.Date(string="Due Date", readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    residual = fields.Monetary(string="Total", currency_field="currency_id", readonly=True)
    overdue = fields.Monetary(currency_field="currency_id", readonly=True)
    not_due = fields.Monetary(currency_field="currency_id", readonly=True)
    bucket_1 = fields.Monetary(string="Period 1", currency_field="currency_id", readonly=True)
    bucket_2 = fields.Monetary(string="Period 2", currency_field="currency_id", readonly=True)
    bucket_3 = fields.Monetary(string="Period 3", currency_field="currency_id", readonly=True)
    bucket_4 = fields.Monetary(string="Period 4", currency_field="currency_id", readonly=True)
    bucket_5 = fields.Monetary(string="Older", currency_field="currency_id", readonly=True)
    einvoice_status = fields.Selection(EINVOICE_STATUSES, string="Lifecycle Status", readonly=True)
    einvoice_standing = fields.Selection(
        EINVOICE_STANDINGS,
        string="Lifecycle Standing",
        readonly=True,
        help="What the buyer said through the e-invoicing platforms: approved (the strongest claims once "
        "overdue), refused or in dispute (to settle first), or nothing yet.",
    )

    @property
    def _table_query(self):
        book = self.env["credit.recovery.book"]
        book._flush()
        self.env["account.move"].flush_model(["credit_einvoice_status"])
        day = self._credit_report_date()
        items = SQL(" UNION ALL ").join(book._aged_items_sql(company, day) for company in self.env.companies)
        # The invoice's e-invoicing lifecycle status beside each item (stored on the invoice).
        return SQL(
            """
            SELECT aged.*,
                   move.credit_einvoice_status AS einvoice_status,
                   CASE WHEN move.credit_einvoice_status IN %(approved)s THEN 'approved'
                        WHEN move.credit_einvoice_status IN %(contested)s THEN 'contested'
                        ELSE 'other' END AS einvoice_standing
              FROM (%(items)s) aged
         LEFT JOIN account_move move ON move.id = aged.move_id
            """,
            approved=EINVOICE_APPROVED_CODES,
            contested=EINVOICE_CONTESTED_CODES,
            items=items,
        )

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        """The aging columns bear the days of the company's buckets ("1-30 days"...)."""
        result = super().fields_get(allfields, attributes)
        labels = self.env["credit.recovery.book"]._bucket_labels(self.env.company)
        for key, label in zip(aging.BUCKET_KEYS, labels, strict=True):
            if key in result and "string" in result[key]:
                result[key]["string"] = label
        return result

    @api.model
    def action_open(self, date=None, domain=None, context=None):
        """The aged balance at ``date`` (today by default), grouped by customer."""
        return super().action_open(date, domain, {**(context or {}), "search_default_group_by_partner": 1})

    @api.model
    def _credit_report_action_name(self, day):
        return self.env._("Aged Balance at %(date)s", date=fields.Date.to_string(day))

    def action_print_pdf(self):
        """Print the selected lines' aged balance (what the user filtered) as the PDF report."""
        return self._credit_wizard().action_print_pdf()

    def action_export_xlsx(self):
        """Export the selected lines' aged balance (what the user filtered) as an Excel workbook."""
        return self._credit_wizard().action_export_xlsx()

    def _credit_wizard(self):
        """An aged balance wizard at the lines' date restricted to their customers and entries."""
        company = self.company_id[:1] or self.env.company
        wizard = self.env["credit.recovery.aged.balance.wizard"].create(
            {
                "date": self._credit_report_date(),
                "company_id": company.id,
                "partner_ids": [fields.Command.set(self.partner_id.ids)],
                "move_ids": [fields.Command.set(self.move_id.ids)],
            }
        )
        wizard._fill()
        return wizard
