from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


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
        compute="_compute_credit_behaviour",
        help="Over the last 12 months, weighted by the amounts paid.",
        groups="base.group_user",
    )
    credit_late_invoice_ratio = fields.Float(
        string="Invoices Paid Late (%)",
        digits=(16, 1),
        compute="_compute_credit_behaviour",
        groups="base.group_user",
    )
    credit_dso = fields.Float(
        string="DSO (countback, days)",
        digits=(16, 1),
        compute="_compute_credit_dso",
        help="Days of sales outstanding by the countback method, as in the aged balance: the receivable is "
        "matched against the customer's sales of each month, newest first, until exhausted.",
        groups="base.group_user",
    )
    credit_dso_known = fields.Boolean(
        string="DSO Known",
        compute="_compute_credit_dso",
        help="The customer bought on credit over the last 12 months: without sales there is no DSO.",
        groups="base.group_user",
    )
    credit_payment_history_known = fields.Boolean(
        string="Payment History Known",
        compute="_compute_credit_behaviour",
        help="An invoice was paid over the last 12 months: without one, days late are unknown.",
        groups="base.group_user",
    )
    credit_reminder_count = fields.Integer(
        string="Reminders (12 months)",
        compute="_compute_credit_reminder_count",
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
        """The exposure of the customers and its parts, read from the book in one batch."""
        commercial_ids = self._credit_commercial_ids()
        partner_ids = self._credit_customer_ids(commercial_ids)
        amounts = self._credit_read_amounts(partner_ids)
        today = self._credit_today()
        limits = self._credit_limits(partner_ids)
        collected = defaultdict(lambda: defaultdict(list))
        for partner, commercial_id in commercial_ids:
            values = amounts.get(commercial_id, {})
            receivable = values.get("receivable", 0.0)
            unreconciled = values.get("unreconciled_credit", 0.0)
            drafts = values.get("draft_invoices", 0.0)
            orders = values.get("orders_to_invoice", 0.0)
            exposure = receivable + drafts + orders - unreconciled
            limit = limits.get(commercial_id, 0.0)
            oldest_due = values.get("oldest_due")
            self._credit_collect(
                collected,
                partner,
                {
                    "credit_receivable_amount": receivable,
                    "credit_unreconciled_amount": unreconciled,
                    "credit_draft_invoice_amount": drafts,
                    "credit_order_amount": orders,
                    "credit_exposure": exposure,
                    "credit_overdue_amount": values.get("overdue", 0.0),
                    "credit_available": limit - exposure if limit else 0.0,
                    "credit_limit_usage": 100.0 * exposure / limit if limit else 0.0,
                    "credit_over_limit": bool(limit) and exposure > limit,
                    "credit_oldest_overdue_days": (today - oldest_due).days if oldest_due else 0,
                },
            )
        self._credit_assign(collected)

    @api.depends_context("company", "credit_recovery_date")
    @api.depends("commercial_partner_id")
    def _compute_credit_behaviour(self):
        """How the customers paid over the last 12 months, read from the book in one batch."""
        commercial_ids = self._credit_commercial_ids()
        behaviour = self._credit_read_behaviour(self._credit_customer_ids(commercial_ids))
        collected = defaultdict(lambda: defaultdict(list))
        for partner, commercial_id in commercial_ids:
            values = behaviour.get(commercial_id, {})
            paid = values.get("paid_invoices", 0)
            self._credit_collect(
                collected,
                partner,
                {
                    "credit_avg_days_late": values.get("avg_days_late", 0.0),
                    "credit_late_invoice_ratio": 100.0 * values.get("late_invoices", 0) / paid
                    if paid
                    else 0.0,
                    "credit_payment_history_known": bool(paid),
                },
            )
        self._credit_assign(collected)

    @api.depends_context("company", "credit_recovery_date")
    @api.depends("commercial_partner_id")
    def _compute_credit_dso(self):
        """The customers' DSO by the countback method, read from the book in one batch."""
        commercial_ids = self._credit_commercial_ids()
        dso = self._credit_read_dso(self._credit_customer_ids(commercial_ids))
        collected = defaultdict(lambda: defaultdict(list))
        for partner, commercial_id in commercial_ids:
            self._credit_collect(
                collected,
                partner,
                {
                    "credit_dso": dso["partners"].get(commercial_id, 0.0),
                    "credit_dso_known": commercial_id in dso["with_sales"],
                },
            )
        self._credit_assign(collected)

    @api.depends_context("company", "credit_recovery_date")
    @api.depends("commercial_partner_id")
    def _compute_credit_reminder_count(self):
        """Recovery actions carried out with the customers over the last 12 months, one grouped read."""
        commercial_ids = self._credit_commercial_ids()
        counts = self._credit_read_reminder_counts(self._credit_customer_ids(commercial_ids))
        collected = defaultdict(lambda: defaultdict(list))
        for partner, commercial_id in commercial_ids:
            self._credit_collect(collected, partner, {"credit_reminder_count": counts.get(commercial_id, 0)})
        self._credit_assign(collected)

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

    def _credit_commercial_ids(self):
        """[(partner, commercial partner id)] for the partners of ``self``, read in one query.

        The figures need nothing else of the partners: no read of all their fields, and no record rule
        evaluated again in Python on partners whose figures are being read (the reader already read them).
        """
        saved_ids = [partner_id for partner_id in self.ids if partner_id]
        commercial_of = {}
        # One partner (a form): its commercial partner is read with it; many (a list): one query.
        if len(saved_ids) > 1:
            self.browse(saved_ids).flush_recordset(["commercial_partner_id"])
            self.env.cr.execute(
                SQL("SELECT id, commercial_partner_id FROM res_partner WHERE id = ANY(%s)", saved_ids)
            )
            commercial_of = dict(self.env.cr.fetchall())
        return [
            (
                partner,
                commercial_of[partner.id]
                if partner.id in commercial_of
                else partner.commercial_partner_id.id,
            )
            for partner in self
        ]

    @api.model
    def _credit_customer_ids(self, commercial_ids):
        """Sorted ids of the commercial partners of ``commercial_ids`` (from _credit_commercial_ids)."""
        return sorted({commercial_id for _partner, commercial_id in commercial_ids if commercial_id})

    def _credit_limits(self, partner_ids):
        """{commercial partner id: credit limit} of the commercial partners ``partner_ids`` when the company
        uses credit limits (else empty), read in one query."""
        if not self.env.company.account_use_credit_limit or not partner_ids:
            return {}
        # sudo: Odoo's credit limit has groups that salespeople, who read the page, lack.
        commercials = self.browse(partner_ids).sudo()
        commercials.fetch(["credit_limit"])
        return {commercial.id: commercial.credit_limit for commercial in commercials}

    @api.model
    def _credit_collect(self, collected, partner, values):
        """Note the ``values`` ({field name: value}) of ``partner`` in ``collected`` (see _credit_assign)."""
        for field_name, value in values.items():
            collected[field_name][value].append(partner.id)

    def _credit_assign(self, collected):
        """Assign the computed values noted by _credit_collect: one assignment per field and distinct value
        (the customers with nothing open share their zeros), not one per field and partner.

        The currency of the amounts is computed first for the whole recordset: each monetary assignment
        reads it to round the amount, which would otherwise compute it again for each group of customers.
        """
        self.mapped("credit_currency_id")
        for field_name, by_value in collected.items():
            for value, partner_ids in by_value.items():
                self.browse(partner_ids)[field_name] = value

    def _credit_book(self):
        """The receivable book at the date of the figures (the context's ``credit_recovery_date``, or today)."""
        return self.env["credit.recovery.book"].with_context(
            credit_recovery_date=fields.Date.to_string(self._credit_today())
        )

    def _credit_read_amounts(self, partner_ids=None):
        """Exposure components of the commercial partners of ``self`` in the current company, from the book.

        Three queries for the whole recordset, never a query per partner. Returns {commercial_partner_id:
        {receivable, unreconciled_credit, overdue, oldest_due, draft_invoices, orders_to_invoice}}.
        """
        if partner_ids is None:
            partner_ids = self._credit_customer_ids(self._credit_commercial_ids())
        if not partner_ids:
            return {}
        return self._credit_book()._exposure(self.env.company, partner_ids)

    def _credit_read_behaviour(self, partner_ids=None):
        """{commercial_partner_id: {avg_days_late, paid_invoices, late_invoices}} over the 12 months before
        the date, from the book in one query."""
        if partner_ids is None:
            partner_ids = self._credit_customer_ids(self._credit_commercial_ids())
        if not partner_ids:
            return {}
        return self._credit_book()._days_late(self.env.company, self._credit_today(), partner_ids)["partners"]

    def _credit_read_dso(self, partner_ids=None):
        """The book's DSO answer (``_dso``) for the commercial partners of ``self``, in two queries."""
        if partner_ids is None:
            partner_ids = self._credit_customer_ids(self._credit_commercial_ids())
        if not partner_ids:
            return {"partners": {}, "with_sales": set()}
        return self._credit_book()._dso(self.env.company, self._credit_today(), partner_ids)

    def _credit_read_reminder_counts(self, partner_ids=None):
        """{commercial_partner_id: recovery actions done over the last 12 months}, in one grouped read."""
        if partner_ids is None:
            partner_ids = self._credit_customer_ids(self._credit_commercial_ids())
        if not partner_ids:
            return {}
        today = self._credit_today()
        reminders = (
            self.env["credit.recovery.action"]
            .sudo()
            ._read_group(  # counts only, for any reader
                [
                    ("company_id", "=", self.env.company.id),
                    ("partner_id", "in", partner_ids),
                    ("state", "=", "done"),
                    ("date", ">", today - timedelta(days=365)),
                    ("date", "<=", today),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        return {partner.id: count for partner, count in reminders}
