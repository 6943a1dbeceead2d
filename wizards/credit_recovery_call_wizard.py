from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

CALL_OUTCOMES = [
    ("reached", "Reached"),
    ("voicemail", "Voicemail"),
    ("wrong_number", "Wrong Number"),
]
DELAY_REASONS = [
    ("cash_flow", "Cash-flow difficulties"),
    ("dispute", "Dispute"),
    ("missing_document", "Missing document"),
    ("not_received", "Invoice not received"),
    ("awaiting_approval", "Awaiting approval"),
    ("forgot", "Forgot"),
    ("refuses", "Refuses to pay"),
    ("other", "Other"),
]


class CreditRecoveryCallWizard(models.TransientModel):
    """Log a recovery call: who was reached, why the customer is late, what it promised, when to call back."""

    _name = "credit.recovery.call.wizard"
    _description = "Log a Recovery Call"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, ondelete="cascade")
    action_id = fields.Many2one("credit.recovery.action", string="Recovery Action", ondelete="cascade")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, ondelete="cascade"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    contact_id = fields.Many2one(
        "res.partner",
        ondelete="cascade",
        domain="['|', ('id', '=', partner_id), ('parent_id', '=', partner_id)]",
    )
    outcome = fields.Selection(CALL_OUTCOMES, required=True, default="reached")
    delay_reason = fields.Selection(DELAY_REASONS, string="Reason for the Delay")
    promise_amount = fields.Monetary(string="Promised Amount", currency_field="currency_id")
    promise_date = fields.Date(string="Promised For")
    notes = fields.Text()
    next_call_date = fields.Date(
        string="Next Call",
        required=True,
        help="Never hang up without agreeing on the next call.",
    )
    send_confirmation = fields.Boolean(
        string="Confirm in Writing", help="Send the customer an e-mail confirming what was agreed."
    )

    @api.onchange("outcome")
    def _onchange_outcome(self):
        if self.outcome != "reached":
            self.delay_reason = False
            self.promise_amount = 0.0
            self.promise_date = False

    def action_log_call(self):
        self.ensure_one()
        today = fields.Date.context_today(self)
        if self.next_call_date < today:
            raise UserError(self.env._("The next call cannot be in the past."))
        if bool(self.promise_amount) != bool(self.promise_date):
            raise UserError(self.env._("A promise needs both an amount and a date."))
        if self.promise_date and self.promise_date < today:
            raise UserError(self.env._("A promise is for a date to come."))
        customer = self.partner_id.commercial_partner_id.with_company(self.company_id)
        promise = self.env["credit.recovery.promise"]
        if self.promise_amount:
            promise = promise.create(
                {
                    "partner_id": customer.id,
                    "company_id": self.company_id.id,
                    "amount": self.promise_amount,
                    "date": self.promise_date,
                    "action_id": self.action_id.id,
                    "note": self.notes,
                }
            )
        summary = self._summary(promise)
        # The call, its promise and the call-back are the company's: on its credit trail of the customer, which
        # only its users read (the customer's chatter is shared by every company).
        trail = self.env["credit.recovery.partner.log"]._credit_log_of(customer, self.company_id)
        trail.message_post(body=summary, subtype_xmlid="mail.mt_note")
        if self.action_id:
            self.action_id.write(
                {"outcome": summary.striptags(), "state": "done", "next_call_date": self.next_call_date}
            )
            self.action_id.activity_ids.filtered(
                lambda activity: activity.activity_type_id == self.env.ref("mail.mail_activity_data_call")
            ).action_feedback(feedback=summary.striptags())
        trail.activity_schedule(
            act_type_xmlid="mail.mail_activity_data_call",
            date_deadline=self.next_call_date,
            summary=self.env._("Call %(customer)s back", customer=customer.name),
            note=summary,
            user_id=self.env.user.id,
        )
        if self.outcome == "voicemail" or self.send_confirmation:
            sent = self._send_written_follow_up(customer, trail)
            if not sent and self.action_id and self.outcome == "reached":
                # No e-mail address: the confirmation goes by letter.
                return self.action_id.action_print_call_confirmation()
        return {"type": "ir.actions.act_window_close"}

    def _summary(self, promise):
        selection = dict(self._fields["outcome"]._description_selection(self.env))
        reasons = dict(self._fields["delay_reason"]._description_selection(self.env))
        parts = [
            self.env._(
                "Call with %(contact)s: %(outcome)s.",
                contact=(self.contact_id or self.partner_id).name,
                outcome=selection[self.outcome],
            )
        ]
        if self.delay_reason:
            parts.append(self.env._("Reason for the delay: %(reason)s.", reason=reasons[self.delay_reason]))
        if promise:
            parts.append(
                self.env._(
                    "Promise to pay %(amount)s by %(date)s.",
                    amount=self.currency_id.format(promise.amount),
                    date=fields.Date.to_string(promise.date),
                )
            )
        if self.notes:
            parts.append(self.notes)
        parts.append(self.env._("Next call on %(date)s.", date=fields.Date.to_string(self.next_call_date)))
        return Markup("<br/>").join(parts)

    def _send_written_follow_up(self, customer, trail):
        """The factual message after a voicemail, or the written confirmation of what was agreed, sent from the
        company's credit ``trail`` of the customer (its replies come back there)."""
        template = self.env.ref(
            "account_credit_recovery.mail_template_credit_recovery_voicemail"
            if self.outcome == "voicemail"
            else "account_credit_recovery.mail_template_credit_recovery_call_confirmation"
        )
        contact = self.contact_id if self.contact_id.email else customer._credit_recovery_letter_contact()
        if not contact.email:
            trail.message_post(
                body=self.env._(
                    "No e-mail address for %(contact)s: confirm by letter.", contact=contact.name
                ),
                subtype_xmlid="mail.mt_note",
            )
            return False
        # French to a customer established in France (loi Toubon), the contact's language otherwise.
        lang = customer._credit_document_lang(contact)

        currency = self.currency_id.with_context(lang=lang)
        values = {
            "promise_amount": currency.format(self.promise_amount) if self.promise_amount else "",
            "promise_date": self.promise_date,
            "next_call_date": self.next_call_date,
            "contact": contact,
            "caller": self.env.user,
        }
        template = template.with_context(lang=lang)
        body = template._render_field("body_html", customer.ids, add_context=values)[customer.id]
        subject = template._render_field("subject", customer.ids, add_context=values)[customer.id]
        trail.message_post(
            body=body,
            subject=subject,
            partner_ids=contact.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return True
