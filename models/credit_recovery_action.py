from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_date

from .credit_recovery_level import CHANNELS


class CreditRecoveryAction(models.Model):
    """What was done to recover a customer's overdue items: one contact at one level."""

    _name = "credit.recovery.action"
    _description = "Recovery Action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="restrict", index=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, ondelete="cascade", index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    level_id = fields.Many2one(
        "credit.recovery.level", required=True, ondelete="restrict", check_company=True
    )
    channel = fields.Selection(CHANNELS, required=True, tracking=True)
    state = fields.Selection(
        [("draft", "To Do"), ("to_validate", "To Validate"), ("done", "Done"), ("cancel", "Cancelled")],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    user_id = fields.Many2one(
        "res.users", string="Credit Controller", default=lambda self: self.env.user, ondelete="set null"
    )
    run_id = fields.Many2one("credit.recovery.run", ondelete="set null", index=True)
    line_ids = fields.Many2many(
        "account.move.line",
        "credit_recovery_action_line_rel",
        "action_id",
        "line_id",
        string="Items",
        help="The receivable journal items this action covers.",
    )
    amount_due = fields.Monetary(
        currency_field="currency_id",
        help="What the covered items still owed when decided.",
    )
    amount_overdue = fields.Monetary(
        currency_field="currency_id",
        help="The part of it that was past its due date.",
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Addressed To",
        ondelete="set null",
        help="The contact the letter or e-mail goes to.",
    )
    printed = fields.Boolean(help="The letter was printed (or downloaded) for posting.")
    outcome = fields.Text(help="What came out of the contact: the customer's answer, a promise, a dispute...")
    next_call_date = fields.Date(string="Next Call", help="The call back agreed with the customer.")
    pre_due = fields.Boolean(
        related="level_id.pre_due",
        help="A call before the due date, to check the invoice is approved for payment.",
    )
    promise_ids = fields.One2many("credit.recovery.promise", "action_id", string="Promises")
    case_id = fields.Many2one(
        "credit.recovery.case",
        string="Litigation Case",
        ondelete="set null",
        index="btree_not_null",
        help="The case the litigation level proposed for review.",
    )

    @api.depends("level_id.name", "partner_id.name")
    def _compute_name(self):
        for action in self:
            action.name = f"{action.level_id.name or ''} - {action.partner_id.name or ''}"

    def init(self):
        # Two workers, or a rerun on the same day, never create a second action for a customer and level.
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS credit_recovery_action_unique_level_day
                    ON credit_recovery_action (company_id, partner_id, level_id, date)
                 WHERE state != 'cancel'
                """
            )
        )

    def action_validate(self):
        """A Credit Manager approves actions waiting for validation; they are then carried out."""
        if not self.env.user.has_group("account_credit_recovery.group_credit_manager"):
            raise AccessError(self.env._("Only a Credit Manager can validate this recovery action."))
        waiting = self.filtered(lambda action: action.state == "to_validate")
        if waiting != self:
            raise UserError(self.env._("Only actions waiting for validation can be validated."))
        waiting.write({"state": "draft"})
        waiting.message_post(body=self.env._("Validated by %(user)s.", user=self.env.user.name))
        waiting._execute()
        return True

    def action_cancel(self):
        self.filtered(lambda action: action.state != "done").write({"state": "cancel"})
        return True

    def action_done(self):
        self.filtered(lambda action: action.state == "draft").write({"state": "done"})
        return True

    def action_log_call(self):
        """Open the call log for this action's customer."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_credit_recovery.credit_recovery_call_wizard_action"
        )
        action["context"] = {
            "default_partner_id": self.partner_id.id,
            "default_action_id": self.id,
            "default_company_id": self.company_id.id,
            "default_contact_id": self.contact_id.id or self.partner_id.id,
        }
        return action

    def action_record_bon_a_payer(self):
        """Pre-due calls: record the customer's bon à payer on the invoice being called about."""
        self.ensure_one()
        moves = self.line_ids.move_id
        if len(moves) != 1:
            raise UserError(self.env._("Record the bon à payer from each invoice's form."))
        return moves.action_credit_bap()

    def action_print_call_confirmation(self):
        """The letter confirming what was agreed on the phone."""
        return self.env.ref(
            "account_credit_recovery.action_report_credit_recovery_call_confirmation"
        ).report_action(self)

    def action_mark_printed(self):
        self.write({"printed": True})
        return True

    def action_print_letter(self):
        """The letter of each action, rendered in the customer's language."""
        report = self._letter_report()
        self.write({"printed": True})
        return report.report_action(self)

    # Business logic

    def _letter_report(self):
        """The letter the actions in ``self`` print: the reminder letter."""
        return self.env.ref("account_credit_recovery.action_report_credit_recovery_letter")

    def _execute(self):
        """Carry out draft actions, channel by channel, in batches (the mail queue, one activity each)."""
        actions = self.filtered(lambda action: action.state == "draft")
        for action in actions:
            action.contact_id = action.partner_id._credit_recovery_letter_contact()
        emails = actions.filtered(lambda action: action.channel == "email")
        no_address = emails.filtered(lambda action: not action.contact_id.email)
        no_address.write({"channel": "letter"})
        for action in no_address:
            action.message_post(
                body=self.env._(
                    "No e-mail address for %(contact)s: sent as a letter.", contact=action.contact_id.name
                )
            )
        (emails - no_address)._send_emails()
        actions.filtered(lambda action: action.channel == "phone")._schedule_calls()
        actions.filtered(lambda action: action.channel == "litigation")._schedule_litigation_review()
        letters = actions.filtered(lambda action: action.channel in ("letter", "registered_letter"))
        letters.filtered(lambda action: action.channel == "letter").write({"state": "done"})
        actions._log_on_customer()
        actions._notify_salespeople()
        actions._apply_credit_hold()

    def _send_emails(self):
        for level, actions in self.grouped("level_id").items():
            template = level.mail_template_id or self.env.ref(
                "account_credit_recovery.mail_template_credit_recovery_reminder"
            )
            for lang, lang_actions in actions.grouped(lambda action: action.partner_id.lang).items():
                template.with_context(lang=lang).send_mail_batch(lang_actions.ids, force_send=False)
        self.write({"state": "done"})

    def _schedule_calls(self):
        history = self._previous_contacts()
        for action in self:
            action.activity_schedule(
                act_type_xmlid="mail.mail_activity_data_call",
                date_deadline=action.date,
                summary=self.env._(
                    "Call %(customer)s: %(level)s",
                    customer=action.partner_id.name,
                    level=action.level_id.name,
                ),
                note=action._call_brief(history.get(action.partner_id, self.browse())),
                user_id=action.user_id.id,
            )

    def _schedule_litigation_review(self):
        """Propose a draft litigation case (or point to the customer's current one) and ask for its review."""
        history = self._previous_contacts()
        # The run proposes the case whoever triggers it; only a Credit Manager opens it.
        cases = self.env["credit.recovery.case"].sudo()._propose_for_actions(self)
        for action in self:
            case = cases[action].sudo(False)
            action.case_id = case
            link = Markup(
                '<p><a href="#" data-oe-model="credit.recovery.case" data-oe-id="%s">%s</a></p>'
            ) % (
                case.id,
                self.env._("Litigation case %(case)s (%(state)s)", case=case.name, state=case._state_label()),
            )
            action.activity_schedule(
                act_type_xmlid="mail.mail_activity_data_todo",
                date_deadline=action.date,
                summary=self.env._(
                    "Litigation review of %(customer)s: case %(case)s",
                    customer=action.partner_id.name,
                    case=case.name,
                ),
                note=link + action._call_brief(history.get(action.partner_id, self.browse())),
                user_id=action.user_id.id,
            )

    def _previous_contacts(self):
        """{customer: its earlier actions, newest first}, read in one query for all of ``self``."""
        earlier = self.search(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("id", "not in", self.ids),
                ("state", "!=", "cancel"),
            ],
            order="date desc, id desc",
        )
        return earlier.grouped("partner_id")

    def _call_brief(self, previous):
        """What the controller needs on the phone: the items, the amounts, the last contacts, an opening."""
        self.ensure_one()
        previous = previous.filtered(lambda action: action.company_id == self.company_id)[:3]
        rows = Markup("").join(
            Markup("<li>%s</li>")
            % self.env._(
                "%(invoice)s of %(date)s, due %(due)s: %(residual)s",
                invoice=line.move_id.name,
                date=format_date(self.env, line.move_id.invoice_date),
                due=format_date(self.env, line.date_maturity),
                residual=self.currency_id.format(line.amount_residual),
            )
            for line in self.line_ids.sorted("date_maturity")
        )
        contacts = Markup("").join(
            Markup("<li>%s</li>")
            % self.env._(
                "%(date)s: %(level)s (%(outcome)s)",
                date=format_date(self.env, action.date),
                level=action.level_id.name,
                outcome=action.outcome
                or dict(action._fields["state"]._description_selection(self.env))[action.state],
            )
            for action in previous
        )
        return Markup("<p>%s</p><ul>%s</ul><p>%s</p><ul>%s</ul><p>%s</p>") % (
            self.env._("Items (total %(total)s):", total=self.currency_id.format(self.amount_due)),
            rows,
            self.env._("Last contacts:"),
            contacts or Markup("<li>%s</li>") % self.env._("None"),
            escape(self.level_id.call_script or ""),
        )

    def _log_on_customer(self):
        for action in self:
            action.partner_id.message_post(
                body=self.env._(
                    "Recovery: %(level)s (%(channel)s) for %(amount)s.",
                    level=action.level_id.name,
                    channel=dict(action._fields["channel"]._description_selection(self.env))[action.channel],
                    amount=action.currency_id.format(action.amount_due),
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _notify_salespeople(self):
        for action in self.filtered(
            lambda action: action.level_id.notify_salesperson and action.partner_id.user_id
        ):
            action.partner_id.activity_schedule(
                act_type_xmlid="mail.mail_activity_data_todo",
                date_deadline=action.date,
                summary=self.env._("Your customer %(customer)s is overdue", customer=action.partner_id.name),
                note=self.env._(
                    "%(customer)s owes %(amount)s past due; recovery has started (%(level)s). "
                    "A word from you may help.",
                    customer=action.partner_id.name,
                    amount=action.currency_id.format(action.amount_overdue),
                    level=action.level_id.name,
                ),
                user_id=action.partner_id.user_id.id,
            )

    def _apply_credit_hold(self):
        for action in self.filtered(lambda action: action.level_id.set_credit_hold):
            action.partner_id.with_company(action.company_id).sudo().write(  # the run may hold any customer
                {
                    "credit_on_hold": True,
                    "credit_hold_reason": self.env._(
                        "Recovery level %(level)s reached.", level=action.level_id.name
                    ),
                }
            )

    def _letter_late_amounts(self):
        """Late amounts the letters of ``self`` show, for business customers only.

        Returns ``{action id: {"penalties", "indemnity", "total"}}`` in company currency on the action's
        date: the late-payment penalties accrued on the items the letter lists and not billed yet, and the
        fixed recovery indemnity of their invoices paid late. Consumers owe neither: their actions are left
        out. One ``_credit_late_details`` call per letter date for all the invoices of those letters.
        """
        result = {}
        business = self.filtered(
            lambda action: action.partner_id.commercial_partner_id.credit_customer_type != "b2c"
        )
        for as_of, actions in business.grouped("date").items():
            details = actions.line_ids.move_id._credit_claimable_details(as_of)
            for action in actions:
                currency = action.company_id.currency_id
                penalties = indemnity = 0.0
                missing = accrued_until = False
                for move in action.line_ids.move_id:
                    detail = details.get(move)
                    if not detail:
                        continue
                    if detail.get("error"):
                        missing = missing or detail["error"]
                        until = detail.get("accrued_until")
                        accrued_until = min(accrued_until, until) if accrued_until and until else until
                    accrued = sum(
                        item["amount"]
                        for item in detail.get("penalties", [])
                        if item["line"] in action.line_ids
                    )
                    penalties += move.currency_id._convert(accrued, currency, action.company_id, as_of)
                    indemnity += move.currency_id._convert(
                        detail.get("indemnity", 0.0), currency, action.company_id, as_of
                    )
                result[action.id] = {
                    "penalties": currency.round(penalties),
                    "indemnity": currency.round(indemnity),
                    "total": currency.round(action.amount_due + penalties + indemnity),
                    "missing_rate": missing,
                    "accrued_until": accrued_until,
                    "missing_text": missing
                    and action.with_context(lang=action._letter_lang())._missing_rate_text(accrued_until),
                }
        return result

    def _letter_lang(self):
        """The language the letters of this action are printed in.

        French for a customer established in France (loi n° 94-665 "Toubon", art. 2), whatever its
        contact's preference; the contact's language otherwise.
        """
        self.ensure_one()
        if self.partner_id.commercial_partner_id.country_id.code == "FR":
            return "fr_FR"
        return (self.contact_id or self.partner_id).lang

    def _missing_rate_text(self, accrued_until):
        """The sentence of a letter whose penalties stop at ``accrued_until`` for want of an official rate."""
        self.ensure_one()
        if accrued_until:
            return self.env._(
                "The late-payment penalties above are those accrued up to %(date)s, the end of the last "
                "semester whose official rate is published; the penalties accrued since then will be claimed "
                "once the rate of the semester is published.",
                date=format_date(self.env, accrued_until),
            )
        return self.env._(
            "The late-payment penalties will be claimed once the official rate of the semester is published."
        )

    def _check_missing_rate_policy(self, late_amounts):
        """Refuse the letters of companies that block them while an official rate is missing."""
        for action in self:
            late = late_amounts.get(action.id) or {}
            if late.get("missing_rate") and action.company_id.credit_missing_rate_policy == "block":
                raise UserError(
                    self.env._(
                        "The letter %(action)s cannot be printed: %(reason)s",
                        action=action.name,
                        reason=late["missing_rate"],
                    )
                )
        return True


class ReportCreditRecoveryLetter(models.AbstractModel):
    """The reminder letters, with the late amounts of all the letters read in one batch."""

    _name = "report.account_credit_recovery.report_credit_recovery_letter"
    _description = "Reminder Letter"

    @api.model
    def _get_report_values(self, docids, data=None):
        actions = self.env["credit.recovery.action"].browse(docids)
        late_amounts = actions._letter_late_amounts()
        actions._check_missing_rate_policy(late_amounts)
        return {
            "doc_ids": docids,
            "doc_model": "credit.recovery.action",
            "docs": actions,
            "late_amounts": late_amounts,
        }
