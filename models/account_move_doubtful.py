from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    credit_doubtful_move_line_id = fields.Many2one(
        "account.move.line",
        string="Doubtful Receivable Item",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        help="The 416 item the invoice was reclassified to: what remains due is read on it.",
    )

    @api.depends(
        "credit_doubtful_move_line_id.amount_residual",
        "credit_doubtful_move_line_id.amount_residual_currency",
        "credit_doubtful_move_line_id.parent_state",
    )
    def _compute_amount(self):
        """A reclassified invoice's own receivable is settled by the 416 entry: it stays due through 416."""
        result = super()._compute_amount()
        for move in self:
            line = move.credit_doubtful_move_line_id
            if line and move.state == "posted" and line.parent_state == "posted":
                move.amount_residual += -move.direction_sign * line.amount_residual_currency
                move.amount_residual_signed += line.amount_residual
        return result

    def _credit_open_receivables(self):
        """The receivable items of the invoices still open (what a reclassification moves to 416)."""
        return self.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable" and not line.reconciled
        )


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def reconcile(self):
        results = super().reconcile()
        if not self.env.context.get("credit_doubtful_internal"):
            self.env["credit.recovery.doubtful.line"]._credit_settle_paid(self)
        return results
