from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_date

# Written by Credit Managers only: the override of the certainty check and the signatory of the notice.
MANAGER_FIELDS = frozenset(
    {
        "validated_by_id",
        "certainty_override",
        "certainty_override_reason",
        "certainty_override_user_id",
        "certainty_override_date",
    }
)


class CreditRecoveryAction(models.Model):
    """The formal notice (mise en demeure): the registered letter of the dunning policy."""

    _inherit = "credit.recovery.action"

    registered_mail_number = fields.Char(tracking=True, copy=False)
    registered_mail_date = fields.Date(
        string="Posted On", tracking=True, copy=False, help="The day the registered letter was posted."
    )
    registered_mail_ack_date = fields.Date(
        string="Acknowledged On",
        tracking=True,
        copy=False,
        help="The date on the acknowledgement of receipt returned by the post.",
    )
    formal_notice_deadline = fields.Date(
        string="Payment Deadline",
        copy=False,
        readonly=True,
        help="The date the formal notice gives the customer to pay, fixed when the letter is posted.",
    )
    validated_by_id = fields.Many2one(
        "res.users",
        copy=False,
        readonly=True,
        ondelete="set null",
        help="The Credit Manager who validated the formal notice; the letter is signed in their name.",
    )
    certainty_issues = fields.Text(
        string="Certainty Check",
        compute="_compute_certainty_issues",
        help="What keeps the covered invoices from being certain, liquid, due and unprescribed claims.",
    )
    certainty_override = fields.Boolean(
        string="Certainty Check Overridden", copy=False, readonly=True, tracking=True
    )
    certainty_override_reason = fields.Text(string="Override Reason", copy=False, readonly=True)
    certainty_override_user_id = fields.Many2one(
        "res.users", string="Overridden By", copy=False, readonly=True, ondelete="set null"
    )
    certainty_override_date = fields.Datetime(string="Overridden On", copy=False, readonly=True)

    @api.depends("channel", "line_ids")
    def _compute_certainty_issues(self):
        notices = self.filtered(lambda action: action.channel == "registered_letter")
        issues = notices.line_ids.credit_debt_move_id._credit_certainty_issues()
        for action in self:
            action_issues = {
                move: issues[move] for move in action.line_ids.credit_debt_move_id if move in issues
            }
            action.certainty_issues = (
                action.line_ids.credit_debt_move_id._credit_certainty_message(action_issues)
                if action_issues
                else False
            )

    def write(self, vals):
        if (
            MANAGER_FIELDS & set(vals)
            and not self.env.su
            and not self.env.user.has_group("account_credit_recovery.group_credit_manager")
        ):
            raise AccessError(
                self.env._(
                    "Only a Credit Manager can validate a formal notice or override its certainty check."
                )
            )
        return super().write(vals)

    def action_validate(self):
        """Formal notices are only validated for sound claims, unless a Credit Manager overrode the check."""
        if not self.env.user.has_group("account_credit_recovery.group_credit_manager"):
            raise AccessError(self.env._("Only a Credit Manager can validate this recovery action."))
        notices = self.filtered(lambda action: action.channel == "registered_letter")
        notices._check_certainty()
        result = super().action_validate()
        notices.write({"validated_by_id": self.env.user.id})
        return result

    def action_certainty_override(self):
        """Open the override of the certainty check (Credit Managers)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override the Certainty Check"),
            "res_model": "credit.recovery.certainty.override.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_action_ids": self.ids, "default_company_id": self.company_id[:1].id},
        }

    def action_print_letter(self):
        """Formal notices print once validated, and only when every figure of the letter can be computed."""
        notices = self.filtered(lambda action: action.channel == "registered_letter")
        if any(action.state in ("to_validate", "cancel") for action in notices):
            raise UserError(self.env._("A formal notice is printed once a Credit Manager has validated it."))
        for action in notices:
            action._formal_notice_values()
        return super().action_print_letter()

    def action_record_registered_mail(self):
        """The formal notice was posted: record it, fix the deadline and start the legal interest.

        Needs the registered-mail number; the posting date is today unless entered. The covered invoices
        get the formal notice date (kept when an earlier notice already set one).
        """
        for action in self:
            if action.channel != "registered_letter" or action.state != "draft":
                raise UserError(
                    self.env._(
                        "%(action)s is not a validated registered letter waiting to be posted.",
                        action=action.name,
                    )
                )
            if not action.registered_mail_number:
                raise UserError(
                    self.env._("Enter the registered-mail number of %(action)s first.", action=action.name)
                )
        self._check_certainty()
        self._check_no_payment_signal()  # days can pass between validating and posting the notice
        today = fields.Date.context_today(self)
        for action in self:
            posted_on = action.registered_mail_date or today
            action.write(
                {
                    "state": "done",
                    "registered_mail_date": posted_on,
                    "formal_notice_deadline": action._formal_notice_deadline(posted_on),
                }
            )
            # The formal notice takes effect on its receipt (C. civ. 1231-6, 1344; CPC 668): the invoices get
            # their formal notice date from the acknowledgement of receipt, not from the posting.
            invoices = action.line_ids.credit_debt_move_id
            body = self.env._(
                "Formal notice posted on %(date)s by registered mail %(number)s; payment is due by %(deadline)s.",
                date=format_date(self.env, posted_on),
                number=action.registered_mail_number,
                deadline=format_date(self.env, action.formal_notice_deadline),
            )
            action.message_post(body=body, subtype_xmlid="mail.mt_note")
            for move in invoices:
                move.message_post(body=body, subtype_xmlid="mail.mt_note")
        return True

    # Business logic

    def _credit_apply_ack_date(self):
        """Date the covered invoices' formal notice on the acknowledgement of receipt (an earlier one stays)."""
        for action in self.filtered(
            lambda action: action.channel == "registered_letter" and action.registered_mail_ack_date
        ):
            ack = action.registered_mail_ack_date
            # The payment deadline runs from the receipt of the letter.
            action.sudo().formal_notice_deadline = action._formal_notice_deadline(ack)
            action.line_ids.credit_debt_move_id.filtered(
                lambda move, ack=ack: (
                    not move.credit_formal_notice_date or move.credit_formal_notice_date > ack
                )
            ).sudo().write({"credit_formal_notice_date": ack})  # the controller records the receipt
        return True

    def _letter_report(self):
        """Registered letters print the formal notice, the others the reminder letter."""
        if self and all(action.channel == "registered_letter" for action in self):
            return self.env.ref("account_credit_recovery.action_report_credit_recovery_formal_notice")
        if any(action.channel == "registered_letter" for action in self):
            raise UserError(self.env._("Print the formal notices apart from the other letters."))
        return super()._letter_report()

    def _check_certainty(self):
        """Refuse formal notices whose invoices are not sound claims, unless the check was overridden."""
        actions = self.filtered(lambda action: not action.certainty_override)
        issues = actions.line_ids.credit_debt_move_id._credit_certainty_issues()
        blocked = []
        for action in actions:
            action_issues = {
                move: issues[move] for move in action.line_ids.credit_debt_move_id if move in issues
            }
            if action_issues:
                blocked.append(
                    self.env._(
                        "%(action)s:\n%(issues)s",
                        action=action.name,
                        issues=action.line_ids.credit_debt_move_id._credit_certainty_message(action_issues),
                    )
                )
        if blocked:
            raise UserError(
                self.env._(
                    "The formal notice cannot go ahead: its invoices are not certain, liquid, due and "
                    "unprescribed claims.\n%(issues)s\nAdd the missing proofs, settle the disputes, or have a "
                    "Credit Manager override the check with a reason.",
                    issues="\n".join(blocked),
                )
            )
        return True

    def _formal_notice_rate_text(self, invoices, semesters):
        """The penalty rule as the letter states it: its basis, then the rate of each semester covered."""
        self.ensure_one()
        if not semesters:
            return False
        move = invoices[:1]
        kind, fixed_rate = move._credit_penalty_terms()
        per_semester = ", ".join(
            self.env._("%(rate)s for %(semester)s", rate=move._credit_format_rate(rate), semester=semester)
            for semester, rate in sorted(semesters)
        )
        if kind == "b2b_default":
            return self.env._("the ECB rate + 10 points, that is %(rates)s", rates=per_semester)
        if kind == "legal_triple":
            return self.env._("3 times the legal interest rate, that is %(rates)s", rates=per_semester)
        return self.env._(
            "%(rate)s agreed in our terms of sale, never less than 3 times the legal interest rate, that is "
            "%(rates)s",
            rate=move._credit_format_rate(fixed_rate),
            rates=per_semester,
        )

    def _formal_notice_deadline(self, letter_date):
        self.ensure_one()
        return letter_date + timedelta(days=self.company_id.credit_formal_notice_days)

    def _formal_notice_values(self, strict=True):
        """What the formal notice letter states, amounts in the company currency.

        Penalties and indemnities come from the legal engine on the date of the letter (the posting date
        once posted, else today), for the covered items only. A missing official rate is never guessed: it
        raises, or with ``strict=False`` (a preview) the values carry the ``error`` and no penalties.
        """
        self.ensure_one()
        company = self.company_id
        currency = self.currency_id
        letter_date = self.registered_mail_date or fields.Date.context_today(self)
        invoices = self.line_ids.credit_debt_move_id
        # What is still claimable: days and indemnities already on a penalty invoice are left out.
        details = invoices._credit_claimable_details(letter_date)
        is_business = self.partner_id.commercial_partner_id.credit_customer_type != "b2c"
        rows = []
        rates = []
        # Consumers' letters state no computed figure beyond the principal: only penalties need the rates.
        missing = is_business and next(
            (detail["error"] for detail in details.values() if detail.get("error")), False
        )
        accrued_until = min(
            (
                detail.get("accrued_until") or letter_date
                for detail in details.values()
                if detail.get("error")
            ),
            default=letter_date,
        )
        error = missing if company.credit_missing_rate_policy == "block" else False
        if error:
            error = self.env._(
                "The formal notice of %(action)s cannot be printed: %(error)s", action=self.name, error=error
            )
            if strict:
                raise UserError(error)
        # What is still due, from the book, in company currency and in the invoice's own currency.
        open_items = self._letter_items()
        for move in invoices.sorted(lambda move: (move.invoice_date_due or move.date, move.id)):
            lines = self.line_ids.filtered(lambda line, move=move: line.credit_debt_move_id == move)
            line_items = [open_items[line.id] for line in lines if line.id in open_items]
            detail = {} if error else details.get(move, {})
            items = [
                item for item in detail.get("penalties", []) if item["line"] in lines._credit_debt_lines()
            ]
            rates += [
                semester for item in items for semester in item.get("semesters", []) if semester not in rates
            ]
            # Penalties accrue on the debt in its currency (equivalent in company currency beside); the
            # indemnity is a fixed amount in euros (D441-5), its equivalent in the invoice's currency beside.
            penalties_currency = move.currency_id.round(sum(item["amount"] for item in items))
            penalties = move.currency_id._convert(penalties_currency, currency, company, letter_date)
            indemnity = detail.get("indemnity_company", 0.0)
            rows.append(
                {
                    "move": move,
                    "due": min(lines.mapped("date_maturity")),
                    "amount": abs(move.amount_total_signed),
                    "residual": sum(item["residual"] for item in line_items),
                    "currency": move.currency_id,
                    "amount_currency": move.amount_total,
                    "residual_currency": move.currency_id.round(
                        sum(item["residual_currency"] for item in line_items)
                    ),
                    "is_penalty_invoice": move.credit_is_penalty_invoice,
                    "penalties": penalties if is_business else 0.0,
                    "indemnity": indemnity if is_business else 0.0,
                    "penalties_currency": penalties_currency if is_business else 0.0,
                    "indemnity_currency": detail.get("indemnity", 0.0) if is_business else 0.0,
                }
            )
        # A penalty invoice is claimed once, as what it is: penalties and indemnities already invoiced.
        principal = currency.round(sum(row["residual"] for row in rows if not row["is_penalty_invoice"]))
        invoiced = currency.round(sum(row["residual"] for row in rows if row["is_penalty_invoice"]))
        penalties = currency.round(sum(row["penalties"] for row in rows))
        indemnity = currency.round(sum(row["indemnity"] for row in rows))
        total = currency.round(principal + invoiced + penalties + indemnity)
        foreign_penalties = {}
        for row in rows:
            if row["currency"] != currency and row["penalties_currency"]:
                in_currency, in_company = foreign_penalties.get(row["currency"], (0.0, 0.0))
                foreign_penalties[row["currency"]] = (
                    in_currency + row["penalties_currency"],
                    in_company + row["penalties"],
                )
        foreign_totals = {}
        for row in rows:
            if row["currency"] != currency and not row["is_penalty_invoice"]:
                in_currency, in_company = foreign_totals.get(row["currency"], (0.0, 0.0))
                foreign_totals[row["currency"]] = (
                    in_currency + row["residual_currency"],
                    in_company + row["residual"],
                )
        deadline = self.formal_notice_deadline or self._formal_notice_deadline(letter_date)
        rate_text = self._formal_notice_rate_text(invoices, rates)
        return {
            "error": error,
            "missing_text": missing
            and not error
            and self._missing_rate_text(accrued_until if penalties else None),
            "accrued_until": accrued_until if missing else letter_date,
            "letter_date": letter_date,
            "deadline": deadline,
            "is_business": is_business,
            "rows": rows,
            "principal": principal,
            # The principal due in each foreign currency, with its company-currency equivalent.
            "foreign_totals": [
                (foreign, foreign.round(in_currency), currency.round(in_company))
                for foreign, (in_currency, in_company) in sorted(
                    foreign_totals.items(), key=lambda total: total[0].name
                )
            ],
            "invoiced": invoiced,
            # The penalties accrued in each foreign currency, with their company-currency equivalent.
            "foreign_penalties": [
                (foreign, foreign.round(in_currency), currency.round(in_company))
                for foreign, (in_currency, in_company) in sorted(
                    foreign_penalties.items(), key=lambda total: total[0].name
                )
            ],
            "penalties": penalties,
            "indemnity": indemnity,
            "total": total,
            "bank": company.partner_id.bank_ids[:1],
            "signatory": self.validated_by_id or self.user_id,
            "texts": {
                "penalties": self.env._(
                    "Under article L441-10 of the French Commercial Code, late-payment penalties have been due "
                    "without any reminder since the day after each due date, at the annual rate of %(rates)s, on "
                    "the amounts including VAT, on a 365-day basis; they are computed above up to %(date)s and "
                    "keep running until payment in full. A fixed indemnity for recovery costs of %(indemnity)s is "
                    "also due for each invoice paid late (article D441-5 of the same code).",
                    rates=rate_text or self.env._("our terms of sale"),
                    date=format_date(self.env, accrued_until if missing else letter_date),
                    indemnity=currency.format(company.credit_recovery_indemnity_amount),
                ),
                # The deadline runs from the receipt of the letter, the only date the debtor knows.
                "notice": self.env._(
                    "We therefore give you formal notice to pay us the sum of %(total)s within %(days)s days of "
                    "receipt of this letter.",
                    total=currency.format(total),
                    days=company.credit_formal_notice_days,
                ),
                "cheque": self.env._(
                    "You may also pay by cheque made out to %(company)s, sent to the address above.",
                    company=company.name,
                ),
            },
        }
