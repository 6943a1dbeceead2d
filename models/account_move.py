from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date, formatLang

from ..tools import interest, payment_terms


class AccountMove(models.Model):
    _inherit = "account.move"

    credit_formal_notice_date = fields.Date(
        string="Formal Notice Date",
        copy=False,
        tracking=True,
        help="Date the formal notice (mise en demeure) was received: legal interest runs from it for "
        "consumers.",
    )
    credit_is_penalty_invoice = fields.Boolean(
        string="Penalty Invoice",
        copy=False,
        readonly=True,
        help="This invoice bills late-payment penalties and recovery indemnities of other invoices.",
    )
    credit_penalty_line_ids = fields.One2many(
        "credit.recovery.penalty.line",
        "invoice_id",
        string="Billed Penalties",
        readonly=True,
    )
    credit_days_overdue = fields.Integer(
        string="Days Overdue",
        compute="_compute_credit_late_amounts",
        help="Days since the oldest due date of an instalment still unpaid (as of today).",
    )
    late_penalty_amount = fields.Monetary(
        string="Late-Payment Penalties",
        currency_field="currency_id",
        compute="_compute_credit_late_amounts",
        help="Penalties accrued from the day after each due date on the amount including VAT, the base "
        "shrinking with each payment (business customers).",
    )
    recovery_indemnity_amount = fields.Monetary(
        string="Recovery Indemnity",
        currency_field="currency_id",
        compute="_compute_credit_late_amounts",
        help="Fixed indemnity for recovery costs owed once per invoice paid late by a business customer "
        "that is not in collective proceedings.",
    )
    legal_interest_amount = fields.Monetary(
        string="Legal Interest",
        currency_field="currency_id",
        compute="_compute_credit_late_amounts",
        help="Interest at the legal rate (other cases) from the formal notice (consumers).",
    )
    credit_late_amounts_error = fields.Char(
        string="Late Amounts Error",
        compute="_compute_credit_late_amounts",
        help="Why the penalties could not be computed (a missing official rate).",
    )
    credit_payment_term_warning = fields.Char(
        string="Payment Term Warning",
        compute="_compute_credit_payment_term_warning",
    )

    @api.depends_context("credit_recovery_date")
    @api.depends(
        "state",
        "move_type",
        "currency_id",
        "partner_id.commercial_partner_id.credit_customer_type",
        "partner_id.commercial_partner_id.credit_collective_proceeding",
        "credit_formal_notice_date",
        "credit_is_penalty_invoice",
        "line_ids.amount_residual_currency",
        "line_ids.date_maturity",
        "company_id.credit_penalty_basis",
        "company_id.credit_penalty_rate",
        "company_id.credit_recovery_indemnity_amount",
    )
    def _compute_credit_late_amounts(self):
        as_of = self._credit_recovery_date()
        details = self._credit_late_details(as_of)
        for move in self:
            detail = details.get(move, {})
            move.credit_days_overdue = detail.get("days_overdue", 0)
            move.late_penalty_amount = sum(item["amount"] for item in detail.get("penalties", []))
            move.recovery_indemnity_amount = detail.get("indemnity", 0.0)
            move.legal_interest_amount = detail.get("legal_interest", 0.0)
            move.credit_late_amounts_error = detail.get("error", False)

    @api.depends(
        "move_type",
        "invoice_date",
        "invoice_date_due",
        "partner_id.commercial_partner_id.credit_customer_type",
        "partner_id.commercial_partner_id.country_id",
        "company_id.credit_payment_term_cap_method",
    )
    def _compute_credit_payment_term_warning(self):
        book = self.env["credit.recovery.book"]
        for move in self:
            move.credit_payment_term_warning = False
            if not (move.invoice_date and move.invoice_date_due and book._payment_term_cap_applies(move)):
                continue
            cap = book._payment_term_cap(move.invoice_date, move.company_id)
            if move.invoice_date_due > cap:
                move.credit_payment_term_warning = self.env._(
                    "The due date %(due)s is beyond the legal cap for French business customers (%(cap)s: "
                    "60 days from the invoice date or 45 days end of month, Code de commerce L441-10). "
                    "Late payment terms expose the company to administrative fines.",
                    due=format_date(self.env, move.invoice_date_due),
                    cap=format_date(self.env, cap),
                )

    # ----------------------------------------------------------------------------------------------------
    # Actions
    # ----------------------------------------------------------------------------------------------------
    def action_credit_recovery_penalty_invoice(self):
        """Bill the late-payment penalties and indemnities of the selected invoices."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Bill Late-Payment Penalties"),
            "res_model": "credit.recovery.penalty.invoice.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_ids": self.ids},
        }

    # ----------------------------------------------------------------------------------------------------
    # Business logic
    # ----------------------------------------------------------------------------------------------------
    @api.model
    def _credit_recovery_date(self):
        """The day the late amounts are computed on: ``credit_recovery_date`` in context, or today."""
        return fields.Date.to_date(self.env.context.get("credit_recovery_date")) or fields.Date.context_today(
            self
        )

    @api.model
    def _credit_payment_term_cap(self, invoice_date, method):
        """Latest due date the law accepts for a French business customer (Code de commerce L441-10 I)."""
        return payment_terms.legal_due_date_cap(invoice_date, method)

    def _credit_is_french_company(self):
        self.ensure_one()
        return (self.company_id.account_fiscal_country_id or self.company_id.country_id).code == "FR"

    def _credit_penalty_terms(self):
        """``(interest kind, fixed rate)`` of this invoice's late-payment penalties."""
        self.ensure_one()
        company = self.company_id
        if company.credit_penalty_basis == "contractual":
            return "b2b_default", company.credit_penalty_rate
        return "b2b_default", None

    def _credit_receivable_lines(self):
        """The receivable lines (instalments) of the invoices in ``self`` that bear late amounts."""
        return self.filtered(
            lambda move: (
                move.move_type == "out_invoice"
                and move.state == "posted"
                and not move.credit_is_penalty_invoice
            )
        ).line_ids.filtered(lambda line: line.display_type == "payment_term" and line.amount_currency > 0)

    def _credit_payments(self, lines, as_of):
        """``{receivable line: [(date received, amount in the line's currency)]}`` up to ``as_of``.

        One search for all lines: a partial reconciliation pays a receivable line on the date of its
        counterpart (the payment, the credit note).
        """
        payments = defaultdict(list)
        if not lines:
            return payments
        partials = self.env["account.partial.reconcile"].search_fetch(
            [("debit_move_id", "in", lines.ids)],
            ["debit_move_id", "credit_move_id", "debit_amount_currency"],
        )
        for partial in partials:
            received_on = partial.credit_move_id.date
            if received_on and received_on <= as_of and partial.debit_amount_currency:
                payments[partial.debit_move_id].append((received_on, partial.debit_amount_currency))
        return payments

    def _credit_billed_until(self, lines):
        """``({receivable line: last day billed}, {invoice ids whose indemnity was billed})``.

        Penalty lines of cancelled penalty invoices free their days again; deleted ones are gone.
        """
        billed_until = {}
        indemnity_billed = set()
        if not lines:
            return billed_until, indemnity_billed
        # Whoever computes the penalties knows what was billed, even without access to the penalty lines.
        penalty_lines = (
            self.env["credit.recovery.penalty.line"]
            .sudo()
            .search_fetch(
                [("receivable_line_id", "in", lines.ids), ("penalty_move_id.state", "!=", "cancel")],
                ["receivable_line_id", "invoice_id", "kind", "date_to"],
            )
        )
        for penalty_line in penalty_lines:
            if penalty_line.kind == "indemnity":
                indemnity_billed.add(penalty_line.invoice_id.id)
                continue
            line = penalty_line.receivable_line_id
            if penalty_line.date_to and (
                line not in billed_until or penalty_line.date_to > billed_until[line]
            ):
                billed_until[line] = penalty_line.date_to
        return billed_until, indemnity_billed

    def _credit_late_details(self, as_of, unbilled_only=False):
        """Late amounts of the customer invoices in ``self`` on ``as_of``, read in a few batched queries.

        Returns ``{move: {"days_overdue", "penalties": [item], "indemnity", "legal_interest", "error"}}``,
        an item being ``{"line", "date_from", "date_to", "amount", "rates"}`` for the days after
        ``date_from`` up to ``date_to`` of one receivable line. Amounts are in the invoice currency.
        ``unbilled_only`` leaves out the days and indemnities already on a penalty invoice.
        """
        lines = self._credit_receivable_lines()
        details = {}
        if not lines:
            return details
        payments = self._credit_payments(lines, as_of)
        billed_until, indemnity_billed = self._credit_billed_until(lines) if unbilled_only else ({}, set())
        rate_model = self.env["credit.recovery.rate"]
        tables = rate_model._interest_tables(["b2b_default", "legal_other"], as_of)
        lines_by_move = defaultdict(list)
        for line in lines:
            lines_by_move[line.move_id].append(line)
        for move, move_lines in lines_by_move.items():
            try:
                details[move] = move._credit_late_detail(
                    as_of, move_lines, payments, tables, billed_until, move.id in indemnity_billed
                )
            except UserError as error:
                details[move] = {"days_overdue": 0, "error": error.args[0]}
        return details

    def _credit_late_detail(self, as_of, lines, payments, tables, billed_until, indemnity_billed):
        """Late amounts of one invoice (see ``_credit_late_details``)."""
        self.ensure_one()
        rate_model = self.env["credit.recovery.rate"]
        commercial = self.partner_id.commercial_partner_id
        is_business = commercial.credit_customer_type != "b2c"
        digits = self.currency_id.decimal_places
        kind, fixed_rate = self._credit_penalty_terms()
        detail = {"days_overdue": 0, "penalties": [], "indemnity": 0.0, "legal_interest": 0.0}
        late = False
        for line in lines:
            due = line.date_maturity or self.invoice_date_due
            line_payments = payments.get(line, [])
            outstanding = line.amount_currency - sum(paid for _on, paid in line_payments)
            if as_of > due and not self.currency_id.is_zero(outstanding):
                detail["days_overdue"] = max(detail["days_overdue"], (as_of - due).days)
            unpaid_at_due = line.amount_currency - sum(paid for on, paid in line_payments if on <= due)
            if as_of <= due or self.currency_id.is_zero(unpaid_at_due):
                continue
            late = True
            if is_business:
                start = max(due, billed_until.get(line, due))
                pieces = interest.base_pieces(line.amount_currency, line_payments, start, as_of)
                if not pieces:
                    continue
                amount = 0.0
                rates = []
                for piece_from, piece_to, base in pieces:
                    for segment, rate in rate_model._interest_segments(
                        tables, piece_from, piece_to, kind, fixed_rate=fixed_rate
                    ):
                        amount += interest.interest(base, rate, interest.segment_days(segment), digits)
                        if rate not in rates:
                            rates.append(rate)
                detail["penalties"].append(
                    {
                        "line": line,
                        "date_from": start,
                        "date_to": pieces[-1][1],
                        "amount": interest.round_amount(amount, digits),
                        "rates": rates,
                    }
                )
            elif self.credit_formal_notice_date and as_of > self.credit_formal_notice_date:
                # Consumers: legal interest ("other cases": the creditor is a company) from the formal notice.
                start = max(due, self.credit_formal_notice_date)
                for piece_from, piece_to, base in interest.base_pieces(
                    line.amount_currency, line_payments, start, as_of
                ):
                    detail["legal_interest"] += rate_model._interest_from_tables(
                        tables, base, piece_from, piece_to, "legal_other", digits=digits
                    )
        if (
            late
            and is_business
            and not indemnity_billed
            and commercial.credit_collective_proceeding == "none"
        ):
            company = self.company_id
            detail["indemnity"] = company.currency_id._convert(
                company.credit_recovery_indemnity_amount, self.currency_id, company, as_of
            )
        detail["legal_interest"] = interest.round_amount(detail["legal_interest"], digits)
        return detail

    def _credit_legal_mentions(self):
        """The late-payment sentences printed on the invoice, in the language of ``self.env``.

        Empty for anything but a customer invoice of a French company. The rate is the one in force on
        the invoice date.
        """
        self.ensure_one()
        if self.move_type != "out_invoice" or not self._credit_is_french_company():
            return []
        company = self.company_id
        commercial = self.partner_id.commercial_partner_id
        day = self.invoice_date or fields.Date.context_today(self)
        mentions = []
        if commercial.credit_customer_type == "b2c":
            try:
                legal_rate = self.env["credit.recovery.rate"]._rate_in_force("legal_other", day)
                rate_text = self._credit_format_rate(legal_rate)
            except UserError:
                rate_text = self.env._("legal interest rate")
            if company.credit_invoice_legal_interest_text:
                mentions.append(company.credit_invoice_legal_interest_text.replace("{rate}", rate_text))
        else:
            kind, fixed_rate = self._credit_penalty_terms()
            if fixed_rate is not None:
                rate_text = self._credit_format_rate(fixed_rate)
            else:
                try:
                    rate_text = self._credit_format_rate(
                        self.env["credit.recovery.rate"]._rate_in_force(kind, day)
                    )
                except UserError:
                    rate_text = self.env._("the ECB main refinancing rate + 10 points")
            if company.credit_invoice_penalty_text:
                mentions.append(company.credit_invoice_penalty_text.replace("{rate}", rate_text))
            if company.credit_invoice_indemnity_text:
                amount_text = formatLang(
                    self.env, company.credit_recovery_indemnity_amount, currency_obj=company.currency_id
                )
                mentions.append(company.credit_invoice_indemnity_text.replace("{amount}", amount_text))
        if company.credit_early_payment_discount_text:
            mentions.append(company.credit_early_payment_discount_text)
        return mentions

    def _credit_format_rate(self, rate):
        """``12,15 %`` in French, ``12.15 %`` in English."""
        return "%s %%" % formatLang(self.env, rate, digits=2)
