from odoo import api, fields, models


class CreditRecoveryHoldApprovalWizard(models.TransientModel):
    _name = "credit.recovery.hold.approval.wizard"
    _description = "Approve a Credit Hold"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer")
    currency_id = fields.Many2one(related="order_id.currency_id")
    amount_total = fields.Monetary(related="order_id.amount_total", currency_field="currency_id")
    hold_message = fields.Text(string="Credit Hold", compute="_compute_hold_message")
    reason = fields.Text(
        required=True, help="Why the order may be confirmed on credit; logged in the chatter."
    )

    @api.depends("order_id")
    def _compute_hold_message(self):
        for wizard in self:
            wizard.hold_message = wizard.order_id.credit_hold_message

    def action_approve(self):
        self.ensure_one()
        self.order_id._credit_approve_hold(self.reason)
        return {"type": "ir.actions.act_window_close"}
