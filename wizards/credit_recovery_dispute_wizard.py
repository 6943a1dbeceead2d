from datetime import timedelta

from odoo import api, fields, models

from ..models.credit_recovery_dispute import DISPUTE_REASONS


class CreditRecoveryDisputeWizard(models.TransientModel):
    _name = "credit.recovery.dispute.wizard"
    _description = "Open a Dispute on an Invoice"

    move_id = fields.Many2one("account.move", string="Invoice", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="move_id.currency_id")
    line_ids = fields.Many2many(
        "account.move.line",
        string="Disputed Lines",
        domain="[('move_id', '=', move_id), ('display_type', '=', 'product')]",
        help="Leave empty when the whole invoice, or an amount only, is disputed.",
    )
    reason = fields.Selection(DISPUTE_REASONS, required=True)
    description = fields.Text(string="Customer's Complaint")
    amount_disputed = fields.Monetary(
        currency_field="currency_id",
        compute="_compute_amount_disputed",
        store=True,
        readonly=False,
        help="Taxes included.",
    )
    owner_id = fields.Many2one(
        "res.users", required=True, default=lambda self: self.env.user, ondelete="cascade"
    )
    expected_date = fields.Date(
        string="Expected Resolution",
        default=lambda self: fields.Date.context_today(self) + timedelta(days=30),
    )

    @api.depends("move_id", "line_ids")
    def _compute_amount_disputed(self):
        for wizard in self:
            wizard.amount_disputed = self.env["credit.recovery.dispute"]._amount_disputed_of(
                wizard.move_id, wizard.line_ids
            )

    def action_open_dispute(self):
        """Create the dispute: the invoice is in dispute, and out of the dunning, until it is closed."""
        self.ensure_one()
        dispute = self.env["credit.recovery.dispute"].create(
            {
                "move_id": self.move_id.id,
                "line_ids": [fields.Command.set(self.line_ids.ids)],
                "reason": self.reason,
                "description": self.description,
                "amount_disputed": self.amount_disputed,
                "owner_id": self.owner_id.id,
                "expected_date": self.expected_date,
            }
        )
        return dispute._get_records_action(name=self.env._("Dispute"))
