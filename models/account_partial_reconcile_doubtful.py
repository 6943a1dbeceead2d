from odoo import api, models

RECEIVABLE_TYPES = ("asset_receivable", "liability_payable")


class AccountPartialReconcile(models.Model):
    """The VAT due on receipt follows the debt to its 416 item (CGI 269-2-c).

    The 411 -> 416 reclassification is reconciled without any cash-basis entry (it is no receipt); what later
    settles the 416 item (a payment, a credit note) pays the invoice, so the invoice's pending VAT becomes due
    on it, as if it had been matched with the invoice itself. The write-off reverses what is still pending.
    """

    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        if not self.env.context.get("no_cash_basis") and not self.env.context.get("move_reverse_cancel"):
            partials._credit_doubtful_cash_basis()
        return partials

    def _credit_doubtful_cash_basis(self):
        """Make the cash-basis entries of what settles a 416 item: Odoo makes them only for receivable
        accounts, and 416 "Clients douteux" is a current asset on the French chart."""
        on_416 = self.filtered(
            lambda partial: (
                partial.company_id.tax_exigibility
                and any(
                    line.credit_debt_move_id != line.move_id
                    and line.account_id.account_type not in RECEIVABLE_TYPES
                    for line in partial.debit_move_id | partial.credit_move_id
                )
            )
        )
        if on_416:
            on_416._create_tax_cash_basis_moves()

    def _collect_tax_cash_basis_values(self):
        values = super()._collect_tax_cash_basis_values()
        for partial in self:
            for item, counterpart in (
                (partial.debit_move_id, partial.credit_move_id),
                (partial.credit_move_id, partial.debit_move_id),
            ):
                invoice = item.credit_debt_move_id
                if invoice == item.move_id or counterpart.move_id in (invoice, item.move_id):
                    continue
                move_values = values.get(invoice.id) or invoice._collect_tax_cash_basis_values()
                if not move_values:
                    continue
                if move_values["currency"] == invoice.company_id.currency_id:
                    if invoice.company_currency_id.is_zero(partial.amount):
                        continue
                    percentage = partial.amount / move_values["total_balance"]
                else:
                    amount_currency = (
                        partial.debit_amount_currency
                        if item == partial.debit_move_id
                        else partial.credit_amount_currency
                    )
                    if invoice.currency_id.is_zero(amount_currency):
                        continue
                    percentage = amount_currency / move_values["total_amount_currency"]
                values[invoice.id] = move_values
                move_values.setdefault("partials", []).append(
                    {
                        "partial": partial,
                        "percentage": percentage,
                        "payment_rate": self._credit_caba_payment_rate(move_values, item, counterpart),
                    }
                )
        return values

    def _credit_caba_payment_rate(self, move_values, item, counterpart):
        """The rate of a receipt on a 416 item, as Odoo computes it for a receipt on the invoice itself."""
        if counterpart.move_id.is_invoice(include_receipts=True):
            # A credit note: the invoice's own rate.
            total = move_values["total_balance"]
            return move_values["total_amount_currency"] / total if total else 0.0
        if item.currency_id != counterpart.currency_id:
            return self.env["res.currency"]._get_conversion_rate(
                counterpart.company_currency_id, item.currency_id, counterpart.company_id, counterpart.date
            )
        return counterpart.amount_currency / counterpart.balance if counterpart.balance else 0.0
