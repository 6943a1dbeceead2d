from odoo import api, fields, models
from odoo.exceptions import AccessError

# Public buyers and their maximum payment periods, from the receipt of the invoice (Code de la commande
# publique R2192-10 and R2192-11).
PUBLIC_BUYER_KINDS = [
    ("state_local", "State, Local Authority or Other Public Body (30 days)"),
    ("health", "Public Health Establishment (50 days)"),
    ("public_undertaking", "Public Undertaking (60 days)"),
]
PUBLIC_PAYMENT_DAYS = {"state_local": 30, "health": 50, "public_undertaking": 60}


class ResPartner(models.Model):
    """A public buyer: moratory interest at the ECB rate + 8 points and the 40 EUR, due without a claim."""

    _inherit = "res.partner"

    credit_public_buyer_kind = fields.Selection(
        PUBLIC_BUYER_KINDS,
        string="Public Buyer",
        tracking=True,
        help="A public buyer under the Code de la commande publique: it pays within 30 days of receiving the "
        "invoice (50 days for a public health establishment, 60 days for a public undertaking); late, it owes "
        "by right moratory interest at the ECB rate in force on the first day of the semester the delay "
        "started in + 8 points, and the 40 EUR fixed indemnity (L2192-13, R2192-10 to R2192-36). Empty for "
        "any other customer. Set by a Credit Manager.",
    )
    credit_public_payment_days = fields.Integer(
        string="Legal Payment Period (Days)",
        compute="_compute_credit_public_payment_days",
        help="The maximum payment period of this public buyer, from the receipt of the invoice.",
    )

    @api.depends("credit_public_buyer_kind", "parent_id.credit_public_buyer_kind")
    def _compute_credit_public_payment_days(self):
        for partner in self:
            kind = partner.commercial_partner_id.credit_public_buyer_kind
            partner.credit_public_payment_days = PUBLIC_PAYMENT_DAYS.get(kind, 0)

    def _credit_derived_trade_status(self):
        # A public person is no trader (and is sued before the administrative court).
        if self.credit_public_buyer_kind:
            return "non_trader"
        return super()._credit_derived_trade_status()

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("credit_public_buyer_kind") for vals in vals_list):
            self._credit_check_public_buyer_rights()
        return super().create(vals_list)

    def write(self, vals):
        if "credit_public_buyer_kind" in vals:
            self._credit_check_public_buyer_rights()
        return super().write(vals)

    @api.model
    def _credit_check_public_buyer_rights(self):
        if not self.env.su and not self.env.user.has_group("account_credit_recovery.group_credit_manager"):
            raise AccessError(self.env._("Only a Credit Manager can mark a customer as a public buyer."))
