from odoo import api, fields, models
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

    credit_recovery_excluded = fields.Boolean(
        string="Excluded from Dunning",
        compute="_compute_credit_recovery_excluded",
        help="At least one of the invoice's receivable items is excluded from the dunning run.",
    )

    @api.depends("line_ids.credit_recovery_excluded")
    def _compute_credit_recovery_excluded(self):
        for move in self:
            move.credit_recovery_excluded = any(move.line_ids.mapped("credit_recovery_excluded"))

    def action_credit_recovery_exclude(self):
        """Ask for the reason, then take the invoices out of the dunning run."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Exclude from Dunning"),
            "res_model": "credit.recovery.exclude.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_ids": self.ids},
        }

    def action_credit_recovery_include(self):
        """Put the invoices back in the dunning run."""
        lines = self.line_ids.filtered(lambda line: line.credit_recovery_excluded)
        # One message per invoice, with the old and new values (account_move_line_audit.py).
        lines.with_context(
            credit_trail_body=self.env._("Back in the dunning run (%(user)s).", user=self.env.user.name)
        ).write({"credit_recovery_excluded": False, "credit_recovery_exclusion_reason": False})
        return True

    @api.model
    def _credit_recovery_block_fields(self):
        """Stored boolean fields of ``account.move`` that take an invoice out of the dunning run.

        The one definition of what the run does not chase: ``_credit_recovery_blocked`` tests them on
        records, the daily run in the SQL of its open items. Extend the list to add a reason.
        """
        return ["credit_in_dispute"]

    def _credit_recovery_blocked(self):
        """The invoices among ``self`` that the dunning run must not chase today (see the fields above)."""
        fnames = self._credit_recovery_block_fields()
        self.fetch(fnames)  # those columns alone, not every field of thousands of invoices
        return self.filtered(lambda move: any(move[fname] for fname in fnames))

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
    credit_recovery_level_date = fields.Date(
        string="Dunning Level Reached On",
        copy=False,
        help="The day the item reached its dunning level: the run never contacts the customer again sooner "
        "than the policy's interval, even when the action is deleted.",
    )
    credit_recovery_excluded = fields.Boolean(string="Excluded from Dunning", copy=False)
    credit_recovery_exclusion_reason = fields.Char(string="Exclusion Reason", copy=False)
