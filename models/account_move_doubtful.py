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

    credit_debt_move_id = fields.Many2one(
        "account.move",
        string="Debt Of",
        compute="_compute_credit_debt_move_id",
        help="The entry whose debt the item carries: the invoice for the 416 item of a reclassified invoice, "
        "the item's own entry otherwise.",
    )

    @api.depends("move_id")
    def _compute_credit_debt_move_id(self):
        """The invoice of a 416 item (one search for the batch); the item's own entry for the others."""
        line_ids = [line._origin.id for line in self if line._origin.id]
        invoices = self.env["account.move"].search_fetch(
            [("credit_doubtful_move_line_id", "in", line_ids)], ["credit_doubtful_move_line_id"]
        )
        debt_of = {invoice.credit_doubtful_move_line_id.id: invoice for invoice in invoices}
        for line in self:
            line.credit_debt_move_id = debt_of.get(line.id, line.move_id)

    def _credit_debt_lines(self):
        """The receivable lines whose debt the items carry: a 416 item stands for its invoice's instalments."""
        lines = self.browse()
        for line in self:
            invoice = line.credit_debt_move_id
            if invoice != line.move_id:
                lines |= invoice.line_ids.filtered(lambda item: item.display_type == "payment_term")
            else:
                lines |= line
        return lines

    def reconcile(self):
        results = super().reconcile()
        if not self.env.context.get("credit_doubtful_internal"):
            self.env["credit.recovery.doubtful.line"]._credit_settle_paid(self)
        return results
