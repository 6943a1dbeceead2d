from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CreditRecoveryCommon

# What reveals the internal assessment of a customer, per model.
PARTNER_FILE = (
    "credit_score",
    "credit_score_source",
    "credit_risk_level",
    "credit_risk_level_computed",
    "credit_risk_reasons",
    "credit_exposure",
    "credit_receivable_amount",
    "credit_overdue_amount",
    "credit_available",
    "credit_limit_usage",
    "credit_warning_message",
    "credit_warning_notes",
    "credit_warning_sign_count",
    "credit_ws_late_payer",
    "credit_risk_override",
    "credit_risk_override_reason",
    "credit_on_hold",
    "credit_hold_reason",
)
ORDER_FILE = (
    "credit_warning_message",
    "credit_hold_message",
    "credit_hold_approval_reason",
    "credit_deposit_reason",
    "credit_deposit_lift_reason",
)
INVOICE_FILE = ("credit_presend_issues", "credit_presend_override", "credit_presend_override_reason")


@tagged("post_install", "-at_install")
class TestGatesCreditFile(CreditRecoveryCommon):
    """The credit file is internal: a portal customer reads none of it, every internal user opens its views."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.account_use_credit_limit = True
        cls.customer.with_user(cls.credit_controller).write(
            {
                "credit_score": 3.5,
                "credit_ws_late_payer": True,
                "credit_warning_notes": "Bank refused the last cheque.",
                "credit_collective_proceeding": "liquidation",
                "credit_collective_proceeding_date": "2026-03-01",
            }
        )
        cls.customer.with_user(cls.credit_manager).write(
            {"credit_limit": 500.0, "credit_on_hold": True, "credit_hold_reason": "Cheque refused."}
        )
        cls.portal = cls._company_user(
            "portal_customer", "base.group_portal", name=cls.customer.name, partner_id=cls.customer.id
        )
        cls.invoice = cls._invoice(cls.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        cls.order = cls._quotation(cls.customer, 800.0)

    def _open_form(self, record, user, view_type="form", view=None):
        """Load the view as ``user`` and read every field it shows, as the web client does."""
        model = record.with_user(user)
        views = model.get_views([(view.id if view else False, view_type)])
        fields_spec = {fname: {} for fname in views["models"][record._name]["fields"]}
        return model.web_read(fields_spec)[0]

    @freeze_time("2026-04-15")
    def test_portal_customer_reads_none_of_its_file(self):
        customer = self.customer.with_user(self.portal)
        self.assertEqual(customer.read(["name"])[0]["name"], "Boulangerie Martin SARL")
        for fname in PARTNER_FILE:
            with self.subTest(field=fname), self.assertRaises(AccessError):
                customer.read([fname])
        with self.assertRaises(AccessError):
            customer.search_read([("id", "=", self.customer.id)], ["credit_score"])
        order = self.order.with_user(self.portal)
        for fname in ORDER_FILE:
            with self.subTest(field=fname), self.assertRaises(AccessError):
                order.read([fname])
        invoice = self.invoice.with_user(self.portal)
        for fname in INVOICE_FILE:
            with self.subTest(field=fname), self.assertRaises(AccessError):
                invoice.read([fname])
        # The internal users still read it.
        self.assertEqual(self.customer.with_user(self.salesman).credit_risk_level, "critical")
        self.assertIn("collective proceedings", self.order.with_user(self.salesman).credit_hold_message)

    @freeze_time("2026-04-15")
    def test_internal_users_open_their_views_with_credit_limits_on(self):
        self.assertTrue(self.company.account_use_credit_limit)
        customer = self._open_form(self.customer, self.salesman)
        self.assertEqual(customer["credit_risk_level"], "critical")
        self.assertNotIn("credit_limit", customer)  # Odoo's limit is for invoicing users
        order = self._open_form(self.order, self.salesman)
        self.assertIn("would exceed its credit limit", order["credit_hold_message"])
        invoice = self._open_form(self.invoice, self.invoicing_user)
        self.assertEqual(invoice["name"], self.invoice.name)
        self.assertIn("credit_presend_status", invoice)
        credit_list = self.env.ref("account_credit_recovery.res_partner_view_list_credit")
        for user in (self.credit_controller, self.invoicing_user, self.salesman):
            with self.subTest(user=user.login):
                row = self._open_form(self.customer, user, view_type="list", view=credit_list)
                self.assertEqual(row["credit_risk_level"], "critical")
        controller = self._open_form(self.customer, self.credit_controller)
        self.assertEqual(controller["credit_score"], 3.5)
        self.assertEqual(controller["credit_limit"], 500.0)
        self.assertEqual(controller["credit_available"], -700.0)
