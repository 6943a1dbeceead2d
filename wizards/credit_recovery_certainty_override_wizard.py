from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class CreditRecoveryCertaintyOverrideWizard(models.TransientModel):
    _name = "credit.recovery.certainty.override.wizard"
    _description = "Override the Certainty Check of a Formal Notice"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, ondelete="cascade"
    )
    action_ids = fields.Many2many(
        "credit.recovery.action",
        "credit_recovery_certainty_override_action_rel",
        "wizard_id",
        "action_id",
        string="Formal Notices",
        required=True,
        check_company=True,
    )
    issues = fields.Text(compute="_compute_issues")
    reason = fields.Text(required=True)

    @api.depends("action_ids")
    def _compute_issues(self):
        for wizard in self:
            wizard.issues = "\n".join(
                f"{action.name}:\n{action.certainty_issues}"
                for action in wizard.action_ids
                if action.certainty_issues
            )

    def action_override(self):
        """Let the formal notices go ahead despite the certainty check; the reason is kept and logged."""
        self.ensure_one()
        if not self.env.user.has_group("account_credit_recovery.group_credit_manager"):
            raise AccessError(self.env._("Only a Credit Manager can override the certainty check."))
        if not (self.reason or "").strip():
            raise UserError(self.env._("Give the reason for overriding the certainty check."))
        actions = self.action_ids.filtered(lambda action: action.state in ("to_validate", "draft"))
        if actions != self.action_ids:
            raise UserError(self.env._("Only formal notices not yet posted can be overridden."))
        issues = {action: action.certainty_issues for action in actions}
        actions.write(
            {
                "certainty_override": True,
                "certainty_override_reason": self.reason,
                "certainty_override_user_id": self.env.user.id,
                "certainty_override_date": fields.Datetime.now(),
            }
        )
        for action in actions:
            body = self.env._(
                "Certainty check overridden by %(user)s: %(reason)s\nIssues at that time:\n%(issues)s",
                user=self.env.user.name,
                reason=self.reason,
                issues=issues[action] or "-",
            )
            action.message_post(body=body, subtype_xmlid="mail.mt_note")
            for move in action.line_ids.move_id:
                move.message_post(body=body, subtype_xmlid="mail.mt_note")
        return {"type": "ir.actions.act_window_close"}
