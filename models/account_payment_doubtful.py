from odoo import api, models


class AccountPayment(models.Model):
    _inherit = "account.payment"

    @api.model
    def _get_valid_payment_account_types(self):
        types = super()._get_valid_payment_account_types()
        if self.env.context.get("credit_doubtful_payment"):
            # A payment of a reclassified invoice settles its 416 item (a current asset in the French chart).
            types = [*types, "asset_current"]
        return types
