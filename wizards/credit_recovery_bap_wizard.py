from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from ..models.credit_recovery_dispute import DISPUTE_REASONS

BAP_ANSWERS = [
    ("not_received", "Not Received"),
    ("received", "Received, Not Yet Approved"),
    ("approved", "Approved for Payment"),
    ("disputed", "Disputed"),
]


class CreditRecoveryBapWizard(models.TransientModel):
    _name = "credit.recovery.bap.wizard"
    _description = "Record the Customer's Bon à Payer"

    move_id = fields.Many2one("account.move", string="Invoice", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="move_id.currency_id")
    contact_id = fields.Many2one(
        "res.partner",
        string="Customer Contact",
        compute="_compute_contact_id",
        store=True,
        readonly=False,
        ondelete="cascade",
    )
    answer = fields.Selection(BAP_ANSWERS, required=True, default="approved")
    date = fields.Date(required=True, default=fields.Date.context_today)
    note = fields.Text(string="Notes")
    dispute_reason = fields.Selection(DISPUTE_REASONS)
    dispute_amount = fields.Monetary(string="Amount Disputed", currency_field="currency_id")

    @api.depends("move_id")
    def _compute_contact_id(self):
        for wizard in self:
            partner = wizard.move_id.commercial_partner_id
            wizard.contact_id = partner._credit_recovery_contact("invoice_approver") if partner else False

    def action_confirm(self):
        """Store the answer on the invoice; a disputed invoice gets a dispute."""
        self.ensure_one()
        move = self.move_id
        if move.move_type != "out_invoice" or move.state != "posted":
            raise UserError(self.env._("Only posted customer invoices have a bon à payer."))
        if self.answer == "disputed" and not self.dispute_reason:
            raise UserError(self.env._("Give the reason of the customer's dispute."))
        state = {"not_received": "pending"}.get(self.answer, self.answer)
        move.write(
            {
                "credit_bap_state": state,
                "credit_bap_date": self.date,
                "credit_bap_contact_id": self.contact_id.id,
            }
        )
        answer_label = dict(self._fields["answer"]._description_selection(self.env))[self.answer]
        move.message_post(
            body=self.env._(
                "Bon à payer: %(answer)s (%(contact)s, %(date)s). %(note)s",
                answer=answer_label,
                contact=self.contact_id.display_name or "-",
                date=format_date(self.env, self.date),
                note=self.note or "",
            ),
            subtype_xmlid="mail.mt_note",
        )
        if self.answer != "not_received":
            move.activity_feedback(["account_credit_recovery.mail_activity_type_credit_bap"])
        if self.answer != "disputed":
            return {"type": "ir.actions.act_window_close"}
        Dispute = self.env["credit.recovery.dispute"]
        dispute = Dispute.create(
            {
                "move_id": move.id,
                "reason": self.dispute_reason,
                "amount_disputed": self.dispute_amount
                or Dispute._amount_disputed_of(move, self.env["account.move.line"]),
                "description": self.note,
            }
        )
        return dispute._get_records_action(name=self.env._("Dispute"))
