from odoo import models


class AccountMove(models.Model):
    """A public buyer's late payment bears moratory interest, whatever the terms of sale (R2192-31)."""

    _inherit = "account.move"

    def _credit_penalty_terms(self):
        if self.partner_id.commercial_partner_id.credit_public_buyer_kind:
            return "public_moratory", None
        return super()._credit_penalty_terms()
