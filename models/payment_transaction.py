from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _check_amount_and_confirm_order(self):
        confirmed = super()._check_amount_and_confirm_order()
        # A quotation held on credit stays a quotation (see sale.order.action_confirm): no confirmation
        # e-mail is sent for it; the customer was told the accounts department confirms it.
        return confirmed.filtered(lambda order: order.state == "sale")
