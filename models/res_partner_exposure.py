from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

# Amounts read by one query each for a whole recordset (see _credit_read_amounts).
CREDIT_AMOUNT_KEYS = (
    "receivable",
    "unreconciled_credit",
    "overdue",
    "oldest_due",
    "draft_invoices",
    "orders_to_invoice",
    "avg_days_late",
    "paid_invoices",
    "late_invoices",
    "dso",
    "dso_known",
    "reminders_12m",
)


class ResPartner(models.Model):
    """The customer's exposure and payment behaviour in the current company, read from the receivable book
    (``credit.recovery.book``) for a whole recordset at once; never stored on the partner."""

    _inherit = "res.partner"

    credit_currency_id = fields.Many2one("res.currency", compute="_compute_credit_currency_id")
    credit_exposure = fields.Monetary(
        string="Exposure",
        currency_field="credit_currency_id",
        compute="_compute_credit_amounts",
        help="Open posted receivables + draft invoices + confirmed orders not yet invoiced - "
        "unreconciled payments and credit notes, in the company currency.",
        groups="base.group_user",
    )
    credit_receivable_amount = fields.Monetary(
        string="Open Receivables",
        currency_field="credit_currency_id",
        compute="_compute_credit_amounts",
        groups="base.group_user",
    )
    credit_unreconciled_amount = fields.Monetary(
        string="Unreconciled Payments and Credit Notes",
        currency_field="credit_currency_id",
        compute="_compute_credit_amounts",
        groups="base.group_user",
    )
    credit_draft_invoice_amount = fields.Monetary(
        string="Draft Invoices",
        currency_field="credit_currency_id",
        compute="_compute_credit_amounts",
        groups="base.group_user",
    )
    credit_order_amount = fields.Monetary(
        string="Orders Not Yet Invoiced",
        currency_field="credit_currency_id",
        compute="_compute_credit_amounts",
        groups="base.group_user",
    )
    credit_overdue_amount = fields.Monetary(
        string="Overdue",
        currency_field="credit_currency_id",
        compute="_compute_credit_amounts",
        search="_search_credit_overdue_amount",
        groups="base.group_user",
    )
    credit_available = fields.Monetary(
        string="Available Credit",
        currency_field="credit_currency_id",
        compute="_compute_credit_amounts",
        help="Credit limit minus exposure (only when credit limits are used).",
        groups="base.group_user",
    )
    credit_limit_usage = fields.Float(
        string="Limit Used (%)",
        compute="_compute_credit_amounts",
        help="Exposure as a percentage of the limit.",
        groups="base.group_user",
    )
    credit_over_limit = fields.Boolean(
        string="Over Credit Limit",
        compute="_compute_credit_amounts",
        search="_search_credit_over_limit",
        groups="base.group_user",
    )
    credit_oldest_overdue_days = fields.Integer(
        string="Oldest Overdue (days)", compute="_compute_credit_amounts", groups="base.group_user"
    )
    credit_avg_days_late = fields.Float(
        string="Average Days Late",
        digits=(16, 1),
        compute="_compute_credit_amounts",
        help="Over the last 12 months, weighted by the amounts paid.",
        groups="base.group_user",
    )
    credit_late_invoice_ratio = fields.Float(
        string="Invoices Paid Late (%)",
        digits=(16, 1),
        compute="_compute_credit_amounts",
        groups="base.group_user",
    )
    credit_dso = fields.Float(
        string="DSO (countback, days)",
        digits=(16, 1),
        compute="_compute_credit_amounts",
        help="Days of sales outstanding by the countback method, as in the aged balance: the receivable is "
        "matched against the customer's sales of each month, newest first, until exhausted.",
        groups="base.group_user",
    )
    credit_dso_known = fields.Boolean(
        string="DSO Known",
        compute="_compute_credit_amounts",
        help="The customer bought on credit over the last 12 months: without sales there is no DSO.",
        groups="base.group_user",
    )
    credit_payment_history_known = fields.Boolean(
        string="Payment History Known",
        compute="_compute_credit_amounts",
        help="An invoice was paid over the last 12 months: without one, days late are unknown.",
        groups="base.group_user",
    )
    credit_reminder_count = fields.Integer(
        string="Reminders (12 months)",
        compute="_compute_credit_amounts",
        help="Recovery actions carried out with the customer over the last 12 months.",
        groups="base.group_user",
    )
    credit_limits_enabled = fields.Boolean(
        string="Credit Limits Used",
        compute="_compute_credit_limits_enabled",
        help="The company's Invoicing setting Customer Credit Limits: when off, credit limits are ignored.",
    )

    @api.depends_context("company")
    def _compute_credit_limits_enabled(self):
        self.credit_limits_enabled = self.env.company.account_use_credit_limit

    @api.depends_context("company")
    def _compute_credit_currency_id(self):
        self.credit_currency_id = self.env.company.currency_id

    @api.depends_context("company", "credit_recovery_date")
    @api.depends("commercial_partner_id", "commercial_partner_id.credit_limit")
    def _compute_credit_amounts(self):
        """The exposure and payment behaviour of the customers, read from the book in one batch."""
        amounts = self._credit_read_amounts()
        today = self._credit_today()
        use_limit = self.env.company.account_use_credit_limit
        for partner in self:
            commercial = partner.commercial_partner_id
            values = amounts.get(commercial.id, {})
            receivable = values.get("receivable", 0.0)
            unreconciled = values.get("unreconciled_credit", 0.0)
            exposure = receivable + values.get("draft_invoices", 0.0) + values.get("orders_to_invoice", 0.0)
            exposure -= unreconciled
            # sudo: Odoo's credit limit has groups that salespeople, who read the page, lack.
            limit = commercial.sudo().credit_limit if use_limit else 0.0
            oldest_due = values.get("oldest_due")
            paid = values.get("paid_invoices", 0)
            partner.credit_receivable_amount = receivable
            partner.credit_unreconciled_amount = unreconciled
            partner.credit_draft_invoice_amount = values.get("draft_invoices", 0.0)
            partner.credit_order_amount = values.get("orders_to_invoice", 0.0)
            partner.credit_exposure = exposure
            partner.credit_overdue_amount = values.get("overdue", 0.0)
            partner.credit_available = limit - exposure if limit else 0.0
            partner.credit_limit_usage = 100.0 * exposure / limit if limit else 0.0
            partner.credit_over_limit = bool(limit) and exposure > limit
            partner.credit_oldest_overdue_days = (today - oldest_due).days if oldest_due else 0
            partner.credit_avg_days_late = values.get("avg_days_late", 0.0)
            partner.credit_late_invoice_ratio = 100.0 * values.get("late_invoices", 0) / paid if paid else 0.0
            partner.credit_dso = values.get("dso", 0.0)
            partner.credit_dso_known = bool(values.get("dso_known"))
            partner.credit_payment_history_known = bool(paid)
            partner.credit_reminder_count = values.get("reminders_12m", 0)

    def _search_credit_overdue_amount(self, operator, value):
        return self._credit_search_by("credit_overdue_amount", operator, value, blank=0.0)

    def _search_credit_over_limit(self, operator, value):
        return self._credit_search_by("credit_over_limit", operator, value, blank=False)

    def action_credit_open_receivables(self):
        """The customer's open receivable journal items in the current company (the book's open items)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_account_moves_all")
        action.update(
            {
                "domain": self.env["credit.recovery.book"]._open_items_domain(self.env.company, self),
                "context": {"search_default_group_by_move": 0},
                "name": self.env._("Open Items of %(customer)s", customer=self.commercial_partner_id.name),
            }
        )
        return action

    def _credit_today(self):
        return fields.Date.to_date(self.env.context.get("credit_recovery_date")) or fields.Date.context_today(
            self
        )

    def _credit_format(self, amount):
        return self.env.company.currency_id.format(amount)

    def _credit_search_by(self, field_name, operator, value, blank):
        """Domain for a computed credit figure, evaluated once over every customer that can have one.

        Customers with no activity and no risk profile all share the ``blank`` value.
        """
        profiled = self.search(
            [
                ("parent_id", "=", False),
                "|",
                "|",
                "|",
                ("credit_collective_proceeding", "!=", "none"),
                ("credit_score", ">", 0),
                ("credit_risk_override", "!=", False),
                ("credit_warning_sign_count", ">", 0),
            ]
        )
        candidates = self.browse(self._credit_active_customer_ids()) | profiled
        candidates.fetch(["commercial_partner_id"])
        matching = [
            partner.id for partner in candidates if self._credit_compare(partner[field_name], operator, value)
        ]
        if self._credit_compare(blank, operator, value):
            others = set(candidates.ids) - set(matching)
            return [("commercial_partner_id", "not in", list(others))]
        return [("commercial_partner_id", "in", matching)]

    def _credit_compare(self, left, operator, right):
        """Evaluate ``left <operator> right`` as a search domain leaf would."""
        if operator in ("in", "not in"):
            found = left in (right or [])
            return found if operator == "in" else not found
        if operator in ("=", "!="):
            equal = left == right or (not left and not right)
            return equal if operator == "=" else not equal
        comparisons = {
            ">": lambda: left > right,
            ">=": lambda: left >= right,
            "<": lambda: left < right,
            "<=": lambda: left <= right,
        }
        if operator not in comparisons:
            raise UserError(
                self.env._("Operator %(operator)s is not supported on this credit field.", operator=operator)
            )
        return comparisons[operator]()

    def _credit_active_customer_ids(self):
        """Commercial partners with receivables, draft invoices or open orders in the current company."""
        return self.env["credit.recovery.book"]._active_customer_ids(self.env.company)

    def _credit_read_amounts(self):
        """Credit figures of the commercial partners of ``self`` in the current company, from the book.

        A few queries for the whole recordset, never a query per partner.
        Returns {commercial_partner_id: {key: value}} with the keys of CREDIT_AMOUNT_KEYS.
        """
        partner_ids = sorted({partner_id for partner_id in self.commercial_partner_id.ids if partner_id})
        result = defaultdict(dict)
        if not partner_ids:
            return result
        company = self.env.company
        today = self._credit_today()
        book = self.env["credit.recovery.book"].with_context(
            credit_recovery_date=fields.Date.to_string(today)
        )
        for partner_id, values in book._exposure(company, partner_ids).items():
            result[partner_id].update(values)
        for partner_id, values in book._days_late(company, today, partner_ids)["partners"].items():
            result[partner_id].update(values)
        dso = book._dso(company, today, partner_ids)
        for partner_id, days in dso["partners"].items():
            result[partner_id]["dso"] = days
        for partner_id in dso["with_sales"]:
            result[partner_id]["dso_known"] = True
        # Reminders carried out over the last 12 months.
        reminders = (
            self.env["credit.recovery.action"]
            .sudo()
            ._read_group(  # counts only, for any reader
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", partner_ids),
                    ("state", "=", "done"),
                    ("date", ">", today - timedelta(days=365)),
                    ("date", "<=", today),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner, count in reminders:
            result[partner.id]["reminders_12m"] = count
        return result
