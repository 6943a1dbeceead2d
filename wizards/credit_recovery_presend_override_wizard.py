from odoo import fields, models
from odoo.exceptions import AccessError


class CreditRecoveryPresendOverrideWizard(models.TransientModel):
    _name = "credit.recovery.presend.override.wizard"
    _description = "Override the Pre-send Check of Invoices"

    move_ids = fields.Many2many("account.move", string="Invoices", required=True)
    issues = fields.Text(compute="_compute_issues")
    reason = fields.Char(required=True)

    def _compute_issues(self):
        for wizard in self:
            wizard.issues = "\n".join(
                f"{move.name}: {move.credit_presend_issues}"
                for move in wizard.move_ids
                if move.credit_presend_issues
            )

    def action_override(self):
        """Let the invoices be sent despite the pre-send check; the reason goes to their chatter."""
        self.ensure_one()
        if not self.env.user.has_group("account_credit_recovery.group_credit_controller"):
            raise AccessError(
                self.env._("Only a Credit Controller can override the pre-send check of an invoice.")
            )
        self.move_ids.write(
            {
                "credit_presend_override": True,
                "credit_presend_override_reason": self.reason,
                "credit_presend_override_user_id": self.env.user.id,
                "credit_presend_override_date": fields.Datetime.now(),
            }
        )
        for move in self.move_ids:
            move.message_post(
                body=self.env._(
                    "Pre-send check overridden by %(user)s: %(reason)s\nIssues at that time:\n%(issues)s",
                    user=self.env.user.name,
                    reason=self.reason,
                    issues=move.credit_presend_issues or "-",
                ),
                subtype_xmlid="mail.mt_note",
            )
        return {"type": "ir.actions.act_window_close"}
