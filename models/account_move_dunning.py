from odoo import fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    credit_factored = fields.Boolean(
        string="Assigned to a Factor",
        copy=False,
        tracking=True,
        help="The invoice was assigned to a factoring company, which collects it: the dunning run leaves it alone.",
    )
    credit_factor_id = fields.Many2one("res.partner", string="Factor", copy=False, ondelete="restrict")
    credit_factoring_date = fields.Date(string="Assigned On", copy=False)

    def _credit_recovery_blocked(self):
        """The invoices among ``self`` that the dunning run must not chase today."""
        return self.browse()

    def action_credit_recovery_assign_factor(self):
        for move in self:
            if not move.credit_factor_id:
                raise UserError(
                    self.env._("Choose the factoring company of %(invoice)s first.", invoice=move.name)
                )
        self.write({"credit_factored": True, "credit_factoring_date": fields.Date.context_today(self)})
        return True


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    credit_recovery_level_id = fields.Many2one(
        "credit.recovery.level",
        string="Dunning Level",
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        help="The last dunning level this receivable item reached.",
    )
    credit_recovery_excluded = fields.Boolean(string="Excluded from Dunning", copy=False)
    credit_recovery_exclusion_reason = fields.Char(string="Exclusion Reason", copy=False)
