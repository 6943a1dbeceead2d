from odoo import api, fields, models
from odoo.exceptions import AccessError


class ResPartner(models.Model):
    """Who is a consumer: an individual with a SIREN is a professional (C. com. L110-4, C. conso. liminaire)."""

    _inherit = "res.partner"

    credit_customer_type = fields.Selection(
        [("b2b", "Business (B2B)"), ("b2c", "Consumer (B2C)")],
        string="Customer Type",
        compute="_compute_credit_customer_type",
        store=True,
        readonly=False,
        recursive=True,
        help="Business customers owe late-payment penalties and the fixed recovery indemnity; consumers owe "
        "legal interest from the formal notice. Derived from the SIREN / SIRET: a company or an individual "
        "registered as a sole trader or liberal profession is a business; a Credit Manager may correct it. "
        "Contacts follow their company.",
    )

    @api.depends("is_company", "company_registry", "siret", "parent_id.credit_customer_type")
    def _compute_credit_customer_type(self):
        for partner in self:
            if partner.parent_id and not partner.is_company:
                partner.credit_customer_type = partner.parent_id.credit_customer_type
            else:
                partner.credit_customer_type = partner._credit_derived_customer_type()

    def _credit_derived_customer_type(self):
        """``b2b`` for a company or an individual registered with a SIREN or SIRET, ``b2c`` otherwise."""
        self.ensure_one()
        registered = any(
            (number or "").replace(" ", "").isdigit() for number in (self.company_registry, self.siret)
        )
        return "b2b" if self.is_company or registered else "b2c"

    def write(self, vals):
        # Anyone may change what the type derives from; only a Credit Manager may set it otherwise.
        result = super().write(vals)
        if (
            "credit_customer_type" in vals
            and not self.env.su
            and not self.env.user.has_group("account_credit_recovery.group_credit_manager")
            and any(
                partner.credit_customer_type != partner._credit_derived_customer_type()
                for partner in self
                if not (partner.parent_id and not partner.is_company)
            )
        ):
            raise AccessError(
                self.env._("Only a Credit Manager can set a customer's type against its SIREN.")
            )
        return result
