from odoo import api, fields, models
from odoo.exceptions import UserError


class CreditRecoveryPenaltyLine(models.Model):
    """What a penalty invoice billed: the days of one receivable line, or the invoice's indemnity.

    Computing the penalties again skips the days and indemnities recorded here, so that no day and no
    indemnity is billed twice; cancelling or deleting the penalty invoice frees them again.
    """

    _name = "credit.recovery.penalty.line"
    _description = "Billed Late-Payment Penalty"
    _order = "invoice_id, date_from, id"

    penalty_move_line_id = fields.Many2one(
        "account.move.line",
        string="Penalty Invoice Line",
        required=True,
        index=True,
        ondelete="cascade",
    )
    penalty_move_id = fields.Many2one(
        related="penalty_move_line_id.move_id",
        string="Penalty Invoice",
        store=True,
        index=True,
    )
    receivable_line_id = fields.Many2one(
        "account.move.line",
        string="Late Instalment",
        required=True,
        index=True,
        ondelete="cascade",
    )
    invoice_id = fields.Many2one(
        related="receivable_line_id.move_id",
        string="Late Invoice",
        store=True,
        index=True,
    )
    company_id = fields.Many2one(related="invoice_id.company_id", store=True, index=True)
    kind = fields.Selection(
        [("penalty", "Late-payment penalties"), ("indemnity", "Recovery indemnity")],
        required=True,
        default="penalty",
    )
    date_from = fields.Date(string="From", help="First day billed.")
    date_to = fields.Date(string="To", help="Last day billed.")
    currency_id = fields.Many2one(related="penalty_move_line_id.currency_id", store=True)
    amount = fields.Monetary(currency_field="currency_id")
    state = fields.Selection(related="penalty_move_id.state", string="Penalty Invoice Status")

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if any(line.penalty_move_id.state == "posted" for line in self):
            raise UserError(
                self.env._(
                    "These penalties were billed on a posted invoice: they are freed only by cancelling or "
                    "crediting that invoice, never by deleting what it billed."
                )
            )
