from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

PENALTY_BASES = [
    ("legal_default", "Legal default rate (ECB rate + 10 points)"),
    ("contractual", "Contractual rate"),
    ("legal_triple", "3 times the legal interest rate"),
]


class ResPartner(models.Model):
    """A customer's own late-payment penalty terms, when its contract departs from the company's."""

    _inherit = "res.partner"

    credit_penalty_basis = fields.Selection(
        PENALTY_BASES,
        string="Customer Penalty Basis",
        company_dependent=True,
        help="The late-payment penalty basis agreed with this customer. Empty: the company's.",
    )
    credit_penalty_rate = fields.Float(
        string="Customer Contractual Penalty Rate (%)",
        digits=(6, 3),
        company_dependent=True,
        help="The contractual rate agreed with this customer, raised in each semester to 3 times the legal "
        "interest rate when below it.",
    )

    @api.constrains("credit_penalty_basis", "credit_penalty_rate")
    def _check_credit_penalty_terms(self):
        for partner in self:
            if partner.credit_penalty_basis == "contractual" and partner.credit_penalty_rate <= 0:
                raise ValidationError(
                    self.env._(
                        "Enter the contractual penalty rate agreed with %(partner)s.", partner=partner.name
                    )
                )

    def write(self, vals):
        if (
            {"credit_penalty_basis", "credit_penalty_rate"} & set(vals)
            and not self.env.su
            and not self.env.user.has_group("account_credit_recovery.group_credit_manager")
        ):
            raise AccessError(
                self.env._("Only a Credit Manager can set a customer's late-payment penalty terms.")
            )
        return super().write(vals)


class AccountMove(models.Model):
    """The penalty terms agreed for an invoice are those in force when it was issued."""

    _inherit = "account.move"

    credit_penalty_basis = fields.Selection(
        PENALTY_BASES,
        string="Penalty Basis",
        copy=False,
        readonly=True,
        help="The late-payment penalty basis in force when the invoice was posted (the customer's, else the "
        "company's); later changes of the setting do not rewrite it.",
    )
    credit_penalty_rate = fields.Float(
        string="Contractual Penalty Rate (%)",
        digits=(6, 3),
        copy=False,
        readonly=True,
        help="The contractual rate in force when the invoice was posted.",
    )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        for move in posted.filtered(
            lambda move: move.move_type == "out_invoice" and not move.credit_penalty_basis
        ):
            move.write(move._credit_current_penalty_terms())
        return posted

    def _credit_current_penalty_terms(self):
        """``{basis, rate}`` the customer's or the company's settings give today."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id.with_company(self.company_id)
        if partner.credit_penalty_basis:
            basis, rate = partner.credit_penalty_basis, partner.credit_penalty_rate
        else:
            basis, rate = self.company_id.credit_penalty_basis, self.company_id.credit_penalty_rate
        return {"credit_penalty_basis": basis, "credit_penalty_rate": rate if basis == "contractual" else 0.0}
