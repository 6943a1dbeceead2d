from odoo import fields, models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    credit_portal_access_id = fields.Many2one(
        "credit.recovery.portal.access",
        string="Paid From the Customer's Page",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
    )

    def _create_payment(self, **extra_create_values):
        """A payment made on the customer's credit page is logged and acknowledged as its other actions."""
        payment = super()._create_payment(**extra_create_values)
        access = self.credit_portal_access_id
        if access:
            # Logged in the customer's language, as its other actions on its page.
            access = access.with_context(lang=access.partner_id.lang)
            env = access.env
            currency = self.currency_id
            invoices = ", ".join(self.invoice_ids.mapped("name"))
            access._credit_portal_log(
                env._(
                    "Online payment of %(amount)s made on the customer's page for %(invoices)s (%(reference)s).",
                    amount=currency.format(self.amount),
                    invoices=invoices,
                    reference=self.reference,
                ),
                env._(
                    "We have received your payment of %(amount)s for %(invoices)s. Thank you.",
                    amount=currency.format(self.amount),
                    invoices=invoices,
                ),
            )
        return payment
