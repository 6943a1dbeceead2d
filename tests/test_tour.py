from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCreditRecoveryTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Python 3.11.7's parser is not thread-safe (CPython gh-106905): read the add-ons' manifests
        # once here, before the browser's concurrent first requests make the server threads do it.
        if "account_credit_recovery" not in http.root.statics:
            raise RuntimeError("account_credit_recovery does not serve its static files")
        company = cls.env.company
        cls.controller = new_test_user(
            cls.env,
            login="tour_credit_controller",
            name="Tour Controller",
            groups="base.group_user,account_credit_recovery.group_credit_controller",
            company_id=company.id,
            company_ids=[company.id],
        )
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
