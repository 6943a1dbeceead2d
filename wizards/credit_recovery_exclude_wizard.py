from odoo import fields, models
from odoo.exceptions import UserError


class CreditRecoveryExcludeWizard(models.TransientModel):
    """Take invoices out of the dunning run, with the reason, or put them back."""

    _name = "credit.recovery.exclude.wizard"
    _description = "Exclude Invoices from Dunning"

    move_ids = fields.Many2many("account.move", string="Invoices", required=True)
    reason = fields.Char(required=True)

    def action_exclude(self):
        self.ensure_one()
        lines = self.move_ids.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        if not lines:
            raise UserError(self.env._("These entries have no customer receivable to exclude."))
        # One message per invoice, with the old and new values (account_move_line_audit.py).
        lines.with_context(
            credit_trail_body=self.env._(
                "Excluded from dunning by %(user)s: %(reason)s", user=self.env.user.name, reason=self.reason
            )
        ).write({"credit_recovery_excluded": True, "credit_recovery_exclusion_reason": self.reason})
        return {"type": "ir.actions.act_window_close"}
