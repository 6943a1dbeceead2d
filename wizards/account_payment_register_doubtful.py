from odoo import api, models


class AccountPaymentRegister(models.TransientModel):
    _inherit = "account.payment.register"

    @api.model
    def default_get(self, fields_list):
        """Paying a reclassified invoice pays its 416 item: the invoice's own receivable is settled."""
        wizard = self
        context = self.env.context
        if "line_ids" in fields_list and context.get("active_model") == "account.move":
            moves = self.env["account.move"].browse(context.get("active_ids", []))
            doubtful_items = moves.credit_doubtful_move_line_id.filtered(lambda line: not line.reconciled)
            if doubtful_items:
                others = moves.filtered(lambda move: move.credit_doubtful_move_line_id not in doubtful_items)
                other_lines = others.line_ids.filtered(
                    lambda line: line.account_type == "asset_receivable" and not line.reconciled
                )
                wizard = self.with_context(
                    active_model="account.move.line",
                    active_ids=(doubtful_items | other_lines).ids,
                    credit_doubtful_payment=True,
                )
        return super(AccountPaymentRegister, wizard).default_get(fields_list)

    def _get_line_batch_key(self, line):
        key = super()._get_line_batch_key(line)
        if line.account_type == "asset_current":
            # Only a 416 item reaches the wizard with this type: it is owed by a customer.
            key["partner_type"] = "customer"
        return key

    def _reconcile_payments(self, to_process, edit_mode=False):
        wizard = self
        if any(line.account_type == "asset_current" for vals in to_process for line in vals["to_reconcile"]):
            wizard = self.with_context(credit_doubtful_payment=True)
        return super(AccountPaymentRegister, wizard)._reconcile_payments(to_process, edit_mode=edit_mode)
