from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date, formatLang

from ..tools import interest, payment_terms


class AccountMove(models.Model):
    _inherit = "account.move"

    # Indexed: the receivable book reads a customer's sales and drafts by their commercial partner (a
    # customer's form would otherwise read every customer invoice of the company).
    commercial_partner_id = fields.Many2one(index=True)

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
        "partner_id.commercial_partner_id.credit_opening_judgment_date",
        "partner_id.commercial_partner_id.credit_public_buyer_kind",
        "invoice_date",
        "credit_formal_notice_date",
        "credit_is_penalty_invoice",
        "line_ids.amount_residual_currency",
        "line_ids.date_maturity",
        "company_id.credit_penalty_basis",
        "company_id.credit_penalty_rate",
        "credit_penalty_basis",
        "credit_penalty_rate",
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
        "partner_id.commercial_partner_id.credit_public_buyer_kind",
        "company_id.credit_payment_term_cap_method",
    )
    def _compute_credit_payment_term_warning(self):
        book = self.env["credit.recovery.book"]
        for move in self:
            move.credit_payment_term_warning = False
            if not (move.invoice_date and move.invoice_date_due):
                continue
            cap, rule = book._payment_term_legal_limit(move)
            if not cap or move.invoice_date_due <= cap:
                continue
            if rule == "public":
                move.credit_payment_term_warning = self.env._(
                    "The due date %(due)s is beyond the legal payment period of this public buyer (%(days)s "
                    "days from the receipt of the invoice: %(cap)s, Code de la commande publique R2192-10 and "
                    "R2192-11). Moratory interest and the 40 EUR indemnity run from %(cap)s whatever the "
                    "agreed term.",
                    due=format_date(self.env, move.invoice_date_due),
                    days=move.commercial_partner_id.credit_public_payment_days,
                    cap=format_date(self.env, cap),
                )
            else:
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
        """``(interest kind, fixed rate)`` of this invoice's late-payment penalties.

        The terms stored on the invoice when it was posted; the current settings for an invoice posted
        before they were stored. A contractual rate is floored per semester by the rate engine.
        """
        self.ensure_one()
        if self.credit_penalty_basis:
            basis, rate = self.credit_penalty_basis, self.credit_penalty_rate
        else:
            terms = self._credit_current_penalty_terms()
            basis, rate = terms["credit_penalty_basis"], terms["credit_penalty_rate"]
        if basis == "contractual":
            return "contractual", rate
        if basis == "legal_triple":
            return "legal_triple", None
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

        A partial reconciliation pays a receivable line on the date of its counterpart (the payment), a
        credit note on the due date of the line it corrects. The debt follows its reclassification to 416
        (see ``_credit_settlements``).
        """
        payments = defaultdict(list)
        for line, settlements in self._credit_settlements(lines).items():
            for received_on, amount, is_refund, _reconciled_on in settlements:
                if received_on > as_of:
                    continue
                if is_refund:
                    # A credit note corrects the invoice: the sum it cancels was never owed, so it leaves
                    # the penalty base from the due date of the instalment it settles, not from its own date.
                    received_on = min(received_on, line.date_maturity or line.move_id.invoice_date_due)
                payments[line].append((received_on, amount))
        return payments

    def _credit_settlements(self, lines):
        """``{receivable line: [(date, amount in the line's currency, is credit note, reconciled on)]}``.

        Read in two searches for all lines. Reclassifying an invoice to 416 (doubtful receivables) is not a
        payment nor an acknowledgement of the debt: its reconciliation with the 411 item is left out, and
        what settles the 416 item later (payments, credit notes, the write-off) settles the invoice's
        receivable lines instead, by due date, up to what each line moved to 416.
        """
        settlements = defaultdict(list)
        if not lines:
            return settlements
        items_416 = lines.move_id.credit_doubtful_move_line_id
        # Whoever computes late amounts or prescription knows how the debt was settled.
        partials = (
            self.env["account.partial.reconcile"]
            .sudo()
            .search_fetch(
                [("debit_move_id", "in", (lines | items_416).ids)],
                ["debit_move_id", "credit_move_id", "debit_amount_currency", "max_date"],
                order="max_date, id",
            )
        )
        reclassified = defaultdict(float)
        on_416 = defaultdict(list)
        for partial in partials:
            debit, credit = partial.debit_move_id.with_env(self.env), partial.credit_move_id.sudo()
            if not partial.debit_amount_currency:
                continue
            if debit in items_416:
                on_416[debit].append(
                    (
                        credit.date,
                        partial.debit_amount_currency,
                        credit.move_id.move_type == "out_refund",
                        partial.max_date,
                    )
                )
                continue
            item_416 = debit.move_id.credit_doubtful_move_line_id
            if item_416 and credit.move_id == item_416.move_id:
                reclassified[debit] += partial.debit_amount_currency
                continue
            settlements[debit].append(
                (
                    credit.date,
                    partial.debit_amount_currency,
                    credit.move_id.move_type == "out_refund",
                    partial.max_date,
                )
            )
        for item_416, received in on_416.items():
            targets = sorted(
                (line for line in lines if line.move_id.credit_doubtful_move_line_id == item_416),
                key=lambda line: (line.date_maturity or line.move_id.invoice_date_due, line.id),
            )
            room = {line: reclassified[line] for line in targets}
            for received_on, amount, is_refund, reconciled_on in received:
                for line in targets:
                    share = min(amount, room[line])
                    if share <= 0:
                        continue
                    settlements[line].append((received_on, share, is_refund, reconciled_on))
                    room[line] -= share
                    amount -= share
        return settlements

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
        limits = {}
        majorations = self._credit_interest_majorations()
        lines_by_move = defaultdict(list)
        for line in lines:
            lines_by_move[line.move_id].append(line)
        for move, move_lines in lines_by_move.items():
            details[move] = move._credit_late_detail(
                as_of,
                move_lines,
                payments,
                tables,
                billed_until,
                move.id in indemnity_billed,
                limits,
                majorations.get(move.id),
            )
        return details

    def _credit_interest_majorations(self):
        """``{invoice id: first day of the legal rate + 5 points}`` from the judgments of their cases (L313-3)."""
        majorations = {}
        # Whoever computes the interest knows the judgment obtained, even without access to the cases.
        cases = (
            self.env["credit.recovery.case"]
            .sudo()
            .search_fetch(
                [("move_ids", "in", self.ids), ("interest_majoration_date", "!=", False)],
                ["move_ids", "interest_majoration_date"],
            )
        )
        for case in cases:
            for move_id in case.move_ids.ids:
                if move_id in self.ids:
                    day = case.interest_majoration_date
                    majorations[move_id] = min(majorations.get(move_id, day), day)
        return majorations

    def _credit_claimable_details(self, as_of):
        """What is still claimable on the invoices of ``self`` on ``as_of``, for every document that claims.

        The one definition that reminder letters, formal notices, litigation cases and penalty invoices
        use, so that no penalty is claimed twice. An ordinary invoice: its late amounts not billed yet
        (``_credit_late_details`` with ``unbilled_only``), its residual being principal. A penalty invoice
        is not principal and bears no penalty of its own: its residual is what remains claimable of the
        penalties (``billed_penalties``) and indemnities (``billed_indemnity``) it billed, split by what it
        billed. Amounts in each invoice's currency.
        """
        penalty_invoices = self.filtered(
            lambda move: move.credit_is_penalty_invoice and move.state == "posted"
        )
        details = (self - penalty_invoices)._credit_late_details(as_of, unbilled_only=True)
        for detail in details.values():
            detail.update(billed_penalties=0.0, billed_indemnity=0.0)
        if not penalty_invoices:
            return details
        billed = defaultdict(lambda: {"penalty": 0.0, "indemnity": 0.0})
        # Whoever claims knows what the penalty invoice billed, even without access to its lines.
        for penalty_line in (
            self.env["credit.recovery.penalty.line"]
            .sudo()
            .search_fetch(
                [("penalty_move_id", "in", penalty_invoices.ids)], ["penalty_move_id", "kind", "amount"]
            )
        ):
            billed[penalty_line.penalty_move_id.id][penalty_line.kind] += penalty_line.amount
        for move in penalty_invoices:
            kinds = billed[move.id]
            billed_total = kinds["penalty"] + kinds["indemnity"]
            residual = move.amount_residual
            indemnity = (
                move.currency_id.round(residual * kinds["indemnity"] / billed_total) if billed_total else 0.0
            )
            details[move] = {
                "days_overdue": 0,
                "penalties": [],
                "indemnity": 0.0,
                "legal_interest": 0.0,
                "billed_penalties": move.currency_id.round(residual - indemnity),
                "billed_indemnity": indemnity,
            }
        return details

    def _credit_late_detail(
        self, as_of, lines, payments, tables, billed_until, indemnity_billed, limits=None, majored_from=None
    ):
        """Late amounts of one invoice (see ``_credit_late_details``).

        A missing official rate never hides the indemnity, which depends on no rate: penalties and
        interest are computed up to the last day of the last semester whose rate is known, that day is
        ``accrued_until`` and ``error`` says which rate is missing (the rest is claimed once it is entered).
        """
        self.ensure_one()
        rate_model = self.env["credit.recovery.rate"]
        commercial = self.partner_id.commercial_partner_id
        is_business = commercial.credit_customer_type != "b2c"
        digits = self.currency_id.decimal_places
        kind, fixed_rate = self._credit_penalty_terms()
        limits = {} if limits is None else limits
        limit_key = (kind, fixed_rate) if is_business else ("legal_other", None)
        if limit_key not in limits:
            limits[limit_key] = rate_model._computable_until(
                tables, limit_key[0], as_of, fixed_rate=limit_key[1]
            )
        computable_until, missing = limits[limit_key]
        detail = {
            "days_overdue": 0,
            "penalties": [],
            "indemnity": 0.0,
            "indemnity_company": 0.0,
            "legal_interest": 0.0,
        }
        accrue_to = min(as_of, computable_until) if computable_until else None
        # Collective proceedings (C. com. L622-28, L631-14, L641-3): the opening judgment stops penalties
        # and interest on the claims born before it, from the day of the judgment.
        opening = (
            commercial.credit_collective_proceeding != "none" and commercial.credit_opening_judgment_date
        )
        pre_opening = bool(opening) and (self.invoice_date or self.date) < opening
        if pre_opening and accrue_to:
            accrue_to = min(accrue_to, opening - timedelta(days=1))
        late_before_opening = False
        late = False
        for line in lines:
            due = self._credit_penalty_due(line)
            line_payments = payments.get(line, [])
            outstanding = line.amount_currency - sum(paid for _on, paid in line_payments)
            if as_of > due and not self.currency_id.is_zero(outstanding):
                detail["days_overdue"] = max(detail["days_overdue"], (as_of - due).days)
            unpaid_at_due = line.amount_currency - sum(paid for on, paid in line_payments if on <= due)
            if as_of <= due or self.currency_id.is_zero(unpaid_at_due):
                continue
            late = True
            late_before_opening = late_before_opening or (bool(opening) and due < opening)
            try:
                self._credit_accrue_line(
                    detail, line, due, line_payments, tables, billed_until, accrue_to, majored_from
                )
            except UserError as error:
                # A semester inside the period has no rate (a gap in the table): claim no computed amount.
                missing, computable_until, accrue_to = error.args[0], None, None
                detail.update(penalties=[], legal_interest=0.0)
        if missing and late and (is_business or self.credit_formal_notice_date):
            detail["error"] = missing
            detail["accrued_until"] = computable_until
        # The 40 EUR (D441-5, L441-10 II last sentence) is not owed for a claim born before the opening
        # that falls due after it; an invoice already late before the opening keeps it, to be declared, and
        # a claim born after the opening keeps it. Without the judgment date, proceedings suppress it.
        if opening:
            indemnity_owed = not pre_opening or late_before_opening
        else:
            indemnity_owed = commercial.credit_collective_proceeding == "none"
        if late and is_business and not indemnity_billed and indemnity_owed:
            company = self.company_id
            # A fixed amount in euros (D441-5): ``indemnity_company`` is claimed as such, ``indemnity`` is its
            # equivalent in the invoice's currency (a penalty invoice in that currency bills it).
            detail["indemnity_company"] = company.credit_recovery_indemnity_amount
            detail["indemnity"] = company.currency_id._convert(
                company.credit_recovery_indemnity_amount, self.currency_id, company, as_of
            )
        detail["legal_interest"] = interest.round_amount(detail["legal_interest"], digits)
        return detail

    def _credit_penalty_due(self, line):
        """The day after which the instalment ``line`` is late: its due date; for a public buyer, no later
        than the end of the legal payment period (``credit.recovery.book._payment_term_public_cap``)."""
        self.ensure_one()
        due = line.date_maturity or self.invoice_date_due
        cap = self.env["credit.recovery.book"]._payment_term_public_cap(self)
        return min(due, cap) if cap else due

    def _credit_accrue_line(
        self, detail, line, due, line_payments, tables, billed_until, accrue_to, majored_from=None
    ):
        """Add to ``detail`` the penalties (business) or legal interest (consumer) of one late line."""
        self.ensure_one()
        if not accrue_to:
            return
        rate_model = self.env["credit.recovery.rate"]
        is_business = self.partner_id.commercial_partner_id.credit_customer_type != "b2c"
        digits = self.currency_id.decimal_places
        kind, fixed_rate = self._credit_penalty_terms()
        if kind == "public_moratory":
            # A public buyer: the rate of the semester the delay started in, for the whole delay (R2192-31).
            fixed_rate = rate_model._public_moratory_rate(tables, due)
        if is_business:
            start = max(due, billed_until.get(line, due))
            pieces = interest.base_pieces(line.amount_currency, line_payments, start, accrue_to)
            if not pieces:
                return
            amount = 0.0
            rates = []
            semesters = []
            for piece_from, piece_to, base in pieces:
                for segment, rate in rate_model._interest_segments(
                    tables, piece_from, piece_to, kind, fixed_rate=fixed_rate
                ):
                    amount += interest.interest(base, rate, interest.segment_days(segment), digits)
                    if rate not in rates:
                        rates.append(rate)
                    if (interest.semester_name(segment[0]), rate) not in semesters:
                        semesters.append((interest.semester_name(segment[0]), rate))
            detail["penalties"].append(
                {
                    "line": line,
                    "date_from": start,
                    "date_to": pieces[-1][1],
                    "amount": interest.round_amount(amount, digits),
                    "rates": rates,
                    "semesters": semesters,
                }
            )
        elif self.credit_formal_notice_date and accrue_to > self.credit_formal_notice_date:
            # Consumers: legal interest ("other cases": the creditor is a company) from the formal notice.
            start = max(due, self.credit_formal_notice_date)
            for piece_from, piece_to, base in interest.base_pieces(
                line.amount_currency, line_payments, start, accrue_to
            ):
                # Two months after the judgment became enforceable, the rate rises by 5 points (L313-3).
                cut = majored_from - timedelta(days=1) if majored_from else piece_to
                periods = [(piece_from, min(piece_to, cut), 0.0), (max(piece_from, cut), piece_to, 5.0)]
                for period_from, period_to, points in periods:
                    if period_to > period_from:
                        detail["legal_interest"] += rate_model._interest_from_tables(
                            tables, base, period_from, period_to, "legal_other", points, digits=digits
                        )

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
            if kind == "legal_triple":
                try:
                    rate_text = self.env._(
                        "3 times the legal interest rate (%(rate)s)",
                        rate=self._credit_format_rate(
                            self.env["credit.recovery.rate"]._rate_in_force(kind, day)
                        ),
                    )
                except UserError:
                    rate_text = self.env._("3 times the legal interest rate")
            elif fixed_rate is not None:
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
