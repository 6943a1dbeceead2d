import re
import secrets
from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .portal_common import CreditPortalCase


@tagged("post_install", "-at_install")
class TestPortalSecurity(CreditPortalCase):
    """What the link must refuse, writing nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.setup_other_company()["company"]
        cls.other_company.credit_portal_enabled = True
        cls.other_invoice = (
            cls.env["account.move"]
            .with_company(cls.other_company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": cls.customer.id,
                    "company_id": cls.other_company.id,
                    "invoice_date": cls.today,
                    "invoice_line_ids": [
                        (0, 0, {"name": "Service", "quantity": 1, "price_unit": 700.0, "tax_ids": []})
                    ],
                }
            )
        )
        cls.other_invoice.action_post()
        cls.stranger = cls.env["res.partner"].create({"name": "Autre Client SAS", "is_company": True})
        cls.stranger_invoice = cls._invoice(cls.stranger, 100.0, cls.today)

    def _nothing_written(self):
        self.assertFalse(self.env["credit.recovery.promise"].search([("partner_id", "=", self.customer.id)]))
        self.assertFalse(
            self.env["credit.recovery.dispute"].search(
                [("partner_id", "in", (self.customer | self.stranger).ids)]
            )
        )
        self.assertFalse(
            self.env["payment.transaction"].search(
                [("partner_id", "in", (self.customer | self.stranger).ids)]
            )
        )

    def _act_with(self, token):
        """Every action of the page with ``token``: the HTTP status of each answer, and the transaction's."""
        # A valid CSRF token of the visitor's session: the link, not the form, is what is refused.
        login = self.url_open("/web/login").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', login).group(1)
        future = str(self.today + timedelta(days=5))
        statuses = [
            self.url_open(f"/my/credit/{token}").status_code,
            self.url_open(f"/my/credit/{token}/statement.pdf").status_code,
            self.url_open(f"/my/credit/{token}/pay?scope=all").status_code,
        ]
        for suffix, data in (
            ("/promise", {"amount": "100", "date": future}),
            ("/plan", {"instalment_count": "2", "interval_days": "10", "first_percent": "50"}),
            (
                "/dispute",
                {"invoice_id": str(self.overdue.id), "reason": "price", "amount": "10", "message": "x"},
            ),
        ):
            response = self.url_open(
                f"/my/credit/{token}{suffix}", data=dict(data, csrf_token=csrf), allow_redirects=False
            )
            statuses.append(response.status_code)
        provider = self._demo_provider()
        with mute_logger("odoo.http"):
            result = self._json(
                f"/my/credit/{token}/transaction/all",
                {
                    "provider_id": provider.id,
                    "payment_method_id": provider.payment_method_ids.id,
                    "token_id": None,
                    "amount": 1800.0,
                    "flow": "direct",
                    "tokenization_requested": False,
                    "landing_route": "/",
                    "is_validation": False,
                },
            )
        return statuses, result

    def _nothing_written_at_all(self):
        self._nothing_written()
        self.assertFalse(self.env["credit.recovery.plan"].search([("partner_id", "=", self.customer.id)]))
        self.assertFalse(
            self.env["mail.mail"].search(
                [("model", "=", "credit.recovery.portal.access"), ("res_id", "=", self.access.id)]
            )
        )

    def test_foreign_token(self):
        for token in (secrets.token_urlsafe(32), self.token[:-1], "x" * 200):
            statuses, result = self._act_with(token)
            self.assertEqual(statuses, [404] * 6, token)
            self.assertIn("error", result)
        self._nothing_written_at_all()

    def test_revoked_token(self):
        self.access.with_user(self.credit_controller).action_revoke()
        self.assertEqual(self.url_open(self._url()).status_code, 404)
        # The next reminder carries a new link.
        new = self.Access._credit_get(self.customer, self.company)
        self.assertNotEqual(new.access_token, self.token)
        self.assertEqual(self.url_open(f"/my/credit/{new.access_token}").status_code, 200)

    def test_revoke_needs_a_credit_controller(self):
        with self.assertRaises(AccessError):
            self.access.with_user(self.invoicing_user).action_revoke()
        with self.assertRaises(AccessError):
            self.access.with_user(self.salesman).read(["access_token"])

    def test_expired_when_nothing_is_open(self):
        self._pay(self.overdue | self.not_due)
        payments = self.env["account.payment"].search_count([("partner_id", "=", self.customer.id)])
        statuses, result = self._act_with(self.token)
        self.assertEqual(statuses, [404] * 6)
        self.assertIn("error", result)
        self._nothing_written_at_all()
        self.assertEqual(
            self.env["account.payment"].search_count([("partner_id", "=", self.customer.id)]), payments
        )

    def test_page_offered_by_the_company_only(self):
        self.company.credit_portal_enabled = False
        self.assertEqual(self.url_open(self._url()).status_code, 404)

    def test_other_company_and_other_customer_invoices(self):
        page = self.url_open(self._url()).text
        for invoice in (self.other_invoice, self.stranger_invoice):
            self.assertNotIn(f'value="{invoice.id}"', page)
        self.assertNotIn("700,00", page)
        for invoice in (self.other_invoice, self.stranger_invoice):
            response = self._post(
                "/dispute", {"invoice_id": str(invoice.id), "reason": "price", "amount": "10", "message": "x"}
            )
            self.assertEqual(response.status_code, 400)
            self.assertEqual(
                self.url_open(self._url(f"/pay?scope=invoices&invoice_ids={invoice.id}")).status_code, 400
            )
        self._nothing_written()

    def test_tampered_amount(self):
        provider = self._demo_provider()
        params = {
            "provider_id": provider.id,
            "payment_method_id": provider.payment_method_ids.id,
            "token_id": None,
            "amount": 1.0,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": self._url(),
            "is_validation": False,
        }
        with mute_logger("odoo.http"):
            result = self._json(self._url(f"/transaction/invoices-{self.overdue.id}"), params)
            self.assertIn("error", result)
            params["amount"] = 700.0
            result = self._json(self._url(f"/transaction/invoices-{self.other_invoice.id}"), params)
            self.assertIn("error", result)
            params["partner_id"] = self.stranger.id
            params["amount"] = 1200.0
            result = self._json(self._url(f"/transaction/invoices-{self.overdue.id}"), params)
            self.assertIn("error", result)
        self._nothing_written()

    def test_form_without_csrf_token(self):
        with mute_logger("odoo.http"):
            response = self.url_open(
                self._url("/promise"),
                data={"amount": "100", "date": str(self.today)},
                allow_redirects=False,
            )
        self.assertIn(response.status_code, (400, 403))
        self._nothing_written()
