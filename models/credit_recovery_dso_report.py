from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from .credit_recovery_report_view import AGED_DATE_KEY

# Partner ids are multiplied by this to make room for the company in a line's id.
COMPANY_SLOTS = 100000


class CreditRecoveryDsoReport(models.Model):
    """The DSO per customer at a date, as a list, pivot or graph: one line per customer who owes something
    or bought in the last 12 months.

    A view over the receivable book (``credit.recovery.book._customer_book_sql``), for the companies the
    user works in, at the date of the context (``credit_aged_balance_date``, today by default). The DSO of
    a group of lines (a salesperson's customers, a controller's, the total) is the group's own DSO, read
    from the book as for one customer (``_dso_of_groups``), not an average of its customers' DSOs.
    """

    _name = "credit.recovery.dso.report"
    _inherit = ["credit.recovery.report.view"]
    _description = "DSO per Customer"
    _auto = False
    _order = "receivable desc, id"
    _rec_name = "partner_id"
    _credit_report_action_xmlid = "account_credit_recovery.credit_recovery_dso_report_action"

    receivable = fields.Monetary(currency_field="currency_id", readonly=True)
    overdue = fields.Monetary(currency_field="currency_id", readonly=True)
    sales = fields.Monetary(
        string="Sales of 12 Months",
        currency_field="currency_id",
        readonly=True,
        help="Invoices less credit notes of the last 12 months, taxes included.",
    )
    late_weighted = fields.Float(string="Amount Settled x Days Late", readonly=True)
    settled = fields.Monetary(
        string="Settled by Receipts (12 Months)", currency_field="currency_id", readonly=True
    )
    avg_days_late = fields.Float(
        string="Average Days Late",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Days between due date and payment over the 12 months before the date, weighted by the amount paid.",
    )
    dso_countback = fields.Float(
        string="DSO (countback)",
        digits=(16, 1),
        compute="_compute_dso",
        aggregator="avg",
        help="Days of sales outstanding by the countback method: the receivable is matched against the "
        "sales of each month, newest first, until exhausted. For a group, the group's own DSO.",
    )
    dso_simple = fields.Float(
        string="DSO (simple, 12 months)",
        digits=(16, 1),
        compute="_compute_dso",
        aggregator="avg",
        help="Receivable at the date / sales (taxes included) of the last 12 months x days of these 12 months.",
    )

    @property
    def _table_query(self):
        self.env["credit.recovery.book"]._flush()
        day = self._credit_report_date()
        books = SQL(" UNION ALL ").join(
            self.env["credit.recovery.book"]._customer_book_sql(company, day)
            for company in self.env.companies
        )
        return SQL(
            "SELECT COALESCE(book.partner_id, 0)::bigint * %(slots)s + book.company_id AS id, book.* FROM (%(books)s) book",
            slots=COMPANY_SLOTS,
            books=books,
        )

    @api.depends("partner_id", "company_id")
    @api.depends_context(AGED_DATE_KEY)
    def _compute_dso(self):
        figures = self._dso_of_lines({line.id: line for line in self})
        for line in self:
            line.dso_countback = figures[line.id]["countback"]
            line.dso_simple = figures[line.id]["simple"]

    def _dso_of_lines(self, groups):
        """{key: {"countback", "simple"}} for ``groups`` {key: lines}: each group's DSO, read company by
        company (a group spanning companies, in several currencies, gets the DSO of its company that is
        owed the most)."""
        day = self._credit_report_date()
        book = self.env["credit.recovery.book"]
        per_company = defaultdict(dict)
        owed = defaultdict(dict)
        for key, lines in groups.items():
            for company, company_lines in lines.grouped("company_id").items():
                per_company[company][key] = {line.partner_id.id or None for line in company_lines}
                owed[key][company] = abs(sum(company_lines.mapped("receivable")))
        figures = {company: book._dso_of_groups(company, day, keys) for company, keys in per_company.items()}
        result = {}
        for key in groups:
            if not owed[key]:
                result[key] = {"countback": 0.0, "simple": 0.0}
                continue
            company = max(owed[key], key=lambda company, key=key: (owed[key][company], -company.id))
            result[key] = figures[company][key]
        return result

    def _read_group_select(self, aggregate_spec, query):
        # The DSO of a group is computed from its lines (see _read_group_postprocess_aggregate).
        if aggregate_spec in ("dso_countback:avg", "dso_simple:avg"):
            return super()._read_group_select("id:recordset", query)
        if aggregate_spec == "avg_days_late:avg":
            # Weighted by the amounts settled, as for one customer.
            return SQL(
                "COALESCE(SUM(%s) / NULLIF(SUM(%s), 0), 0)",
                self._field_to_sql(self._table, "late_weighted", query),
                self._field_to_sql(self._table, "settled", query),
            )
        return super()._read_group_select(aggregate_spec, query)

    def _read_group_postprocess_aggregate(self, aggregate_spec, raw_values):
        if aggregate_spec in ("dso_countback:avg", "dso_simple:avg"):
            groups = list(super()._read_group_postprocess_aggregate("id:recordset", raw_values))
            figures = self._dso_of_lines(dict(enumerate(groups)))
            method = aggregate_spec.split(":")[0].removeprefix("dso_")
            return (figures[index][method] for index in range(len(groups)))
        return super()._read_group_postprocess_aggregate(aggregate_spec, raw_values)

    @api.model
    def _credit_report_columns(self):
        return [
            "partner_id",
            "salesperson_id",
            "controller_id",
            "receivable",
            "overdue",
            "sales",
            "dso_countback",
            "dso_simple",
            "avg_days_late",
        ]

    @api.model
    def _credit_report_action_name(self, day):
        return self.env._("DSO at %(date)s", date=fields.Date.to_string(day))


class CreditRecoveryAgedBalanceWizard(models.TransientModel):
    _inherit = "credit.recovery.aged.balance.wizard"

    def action_open_dso_report(self):
        """The DSO per customer at the wizard's date, as a list, pivot or graph."""
        self.ensure_one()
        return self.env["credit.recovery.dso.report"].with_company(self.company_id).action_open(self.date)
