from odoo.tests import tagged

from .common import CreditRecoveryTourCase


@tagged("post_install", "-at_install")
class TestCreditRecoveryTour(CreditRecoveryTourCase):
    tour_login = "tour_credit_controller"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Named to sort first in the customers list, whatever else the database holds.
        customer = cls.env["res.partner"].create({"name": "AAA Tour Customer SAS", "is_company": True})
        product = cls.env["product.product"].create(
            {"name": "Audit", "type": "service", "list_price": 1000.0}
        )
        tax = cls.env["account.tax"].create({"name": "Tour VAT 20", "amount": 20.0, "type_tax_use": "sale"})
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": "2020-01-01",
                "invoice_date_due": "2020-01-31",
                "invoice_line_ids": [
                    (0, 0, {"product_id": product.id, "price_unit": 1000.0, "tax_ids": [(6, 0, tax.ids)]})
                ],
            }
        )
        invoice.action_post()

    def test_customer_credit_page(self):
        self.start_tour("/odoo", "account_credit_recovery_customer_credit_page", login=self.controller.login)
