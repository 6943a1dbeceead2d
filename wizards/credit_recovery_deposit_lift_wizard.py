from odoo import fields, models


class CreditRecoveryDepositLiftWizard(models.TransientModel):
    _name = "credit.recovery.deposit.lift.wizard"
    _description = "Lift a Deposit"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="order_id.currency_id")
    deposit_invoice_id = fields.Many2one(
        related="order_id.credit_deposit_invoice_id", string="Deposit Invoice"
    )
    deposit_amount = fields.Monetary(
        related="order_id.credit_deposit_amount", currency_field="currency_id", string="Deposit"
    )
    reason = fields.Text(
        required=True, help="Why the work may go ahead before the deposit is paid; logged in the chatter."
    )

    def action_lift(self):
        self.ensure_one()
        self.order_id._credit_lift_deposit(self.reason)
        return {"type": "ir.actions.act_window_close"}
