from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        partials._credit_einvoice_queue_received()
        return partials

    def _credit_einvoice_queue_received(self):
        """A payment matched with a customer invoice whose VAT is due on receipt (cash basis): queue its 212.

        Goods, and services taxed on the invoice, owe no 212; a credit note is not a payment.
        """
        pairs = []
        for partial in self:
            for invoice_line, payment_line in (
                (partial.debit_move_id, partial.credit_move_id),
                (partial.credit_move_id, partial.debit_move_id),
            ):
                invoice, payment = invoice_line.move_id, payment_line.move_id
                if invoice.move_type != "out_invoice" or payment.move_type != "entry":
                    continue
                if not (payment.origin_payment_id or payment.statement_line_id):
                    continue
                taxes = invoice.line_ids.tax_ids
                if not (taxes | taxes.children_tax_ids).filtered(
                    lambda tax: tax.tax_exigibility == "on_payment"
                ):
                    continue
                amount = (
                    partial.debit_amount_currency
                    if invoice_line == partial.debit_move_id
                    else partial.credit_amount_currency
                )
                pairs.append((invoice, payment, amount, partial.max_date))
        if pairs:
            # sudo: whoever reconciles (an accountant, the bank import) queues the status the company owes.
            self.env["credit.recovery.einvoice.outbound"].sudo()._credit_queue_payments(pairs)
