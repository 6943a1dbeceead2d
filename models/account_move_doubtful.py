from odoo import Command, api, fields, models


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

    def js_assign_outstanding_line(self, line_id):
        """An outstanding 411 payment offered on a reclassified invoice is carried over to its 416 item."""
        self.ensure_one()
        item = self.credit_doubtful_move_line_id
        outstanding = self.env["account.move.line"].browse(line_id)
        if (
            not item
            or item.reconciled
            or item.parent_state != "posted"
            or self._credit_open_receivables()
            or outstanding.account_type != "asset_receivable"
        ):
            return super().js_assign_outstanding_line(line_id)
        return self._credit_apply_to_doubtful_item(outstanding)

    def _credit_apply_to_doubtful_item(self, outstanding):
        """Post 411 debit / 416 credit for what ``outstanding`` can pay, and reconcile both sides."""
        self.ensure_one()
        item = self.credit_doubtful_move_line_id
        amount = min(-outstanding.amount_residual, item.amount_residual)
        if self.company_currency_id.compare_amounts(amount, 0.0) <= 0:
            return False
        company = self.company_id
        # The label in the company's language, like the other doubtful receivable entries.
        env = self.with_context(lang=company.partner_id.lang or self.env.lang).env
        label = env._("Payment of doubtful receivable - %(invoice)s", invoice=self.name)
        transfer = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": company._credit_doubtful_journal().id,
                    "date": fields.Date.context_today(self),
                    "ref": label,
                    "line_ids": [
                        Command.create(
                            {
                                "name": label,
                                "account_id": outstanding.account_id.id,
                                "partner_id": outstanding.partner_id.id,
                                "balance": amount,
                            }
                        ),
                        Command.create(
                            {
                                "name": label,
                                "account_id": item.account_id.id,
                                "partner_id": item.partner_id.id,
                                "balance": -amount,
                            }
                        ),
                    ],
                }
            )
        )
        transfer.action_post()
        debit, credit = transfer.line_ids.sorted("id")
        (outstanding | debit).reconcile()
        return (item | credit).reconcile()

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
