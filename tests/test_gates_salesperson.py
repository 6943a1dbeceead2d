from freezegun import freeze_time

from odoo.tests import tagged

from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestGatesSalesperson(CreditRecoveryCommon):
    """A salesperson opens customers, quotations and invoices with credit limits on, without AccessError."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.account_use_credit_limit = True
        cls.customer.user_id = cls.salesman
        cls.customer.with_user(cls.credit_manager).write(
            {
                "credit_limit": 1000.0,
                "credit_on_hold": True,
                "credit_hold_reason": "Cheque refused.",
                "credit_risk_override": "high",
                "credit_risk_override_reason": "Late payer.",
            }
        )
        cls.invoice = cls._invoice(
            cls.customer, 1000.0, "2026-03-01", due_date="2026-03-31", invoice_user_id=cls.salesman.id
        )
        cls.order = cls._quotation(cls.customer, 500.0)

    def _open(self, record, view_type="form"):
        """Load the default view as the salesperson and read every field it shows, as the web client does."""
        model = record.with_user(self.salesman)
        views = model.get_views([(False, view_type)])
        fields_spec = {fname: {} for fname in views["models"][record._name]["fields"]}
        return model.web_read(fields_spec)[0]

    @freeze_time("2026-04-15")
    def test_salesperson_opens_every_form(self):
        self.assertTrue(self.company.account_use_credit_limit)
        customer = self._open(self.customer)
        self.assertEqual(customer["credit_risk_level"], "high")
        self.assertIn("credit_warning_message", customer)
        self.assertNotIn("credit_limit", customer)  # Odoo's limit is for invoicing users
        self.assertTrue(self._open(self.customer, "list"))
        order = self._open(self.order)
        self.assertIn("is on credit hold: Cheque refused.", order["credit_hold_message"])
        self.assertIn("partner_credit_warning", order)
        self.assertTrue(self._open(self.order, "list"))
        invoice = self._open(self.invoice)
        self.assertEqual(invoice["name"], self.invoice.name)
        self.assertTrue(self._open(self.invoice, "list"))
        # The customer's credit trail of the company: its form and chatter.
        action = self.customer.with_user(self.salesman).action_credit_open_trail()
        trail = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(self._open(trail)["partner_id"], self.customer.id)
        messages = trail.with_user(self.salesman).message_ids
        self.assertIn("Late payer.", " ".join(messages.mapped("body")))
