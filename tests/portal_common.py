import json
import re
import unittest
from datetime import timedelta

from lxml import html

from odoo import fields
from odoo.tests import HttpCase

from .common import CreditRecoveryCommon

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class CreditPortalCase(CreditRecoveryCommon, HttpCase):
    """A customer with one overdue and one not yet due invoice, and its link to the credit page.

    The HTTP requests hit the real server, whose clock is not frozen: dates are relative to today.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.company.write({"credit_portal_enabled": True, "email": "credit@example.com"})
        cls.customer.write(
            {
                "email": "compta@boulangerie-martin.fr",
                "credit_controller_id": cls.credit_controller.id,
                "comment": "Internal: slow payer, watch closely",
            }
        )
        cls.overdue = cls._invoice(
            cls.customer, 1000.0, cls.today - timedelta(days=50), due_date=cls.today - timedelta(days=20)
        )
        cls.not_due = cls._invoice(
            cls.customer, 500.0, cls.today - timedelta(days=5), due_date=cls.today + timedelta(days=25)
        )
        cls.Access = cls.env["credit.recovery.portal.access"]
        cls.access = cls.Access._credit_get(cls.customer, cls.company)
        cls.token = cls.access.access_token
        cls.cron = cls.env.ref("account_credit_recovery.ir_cron_credit_recovery_run")

    def url_open(self, url, data=None, files=None, timeout=60, **kwargs):
        # The run's first page builds the portal's asset bundles: longer than the default 12 s on a busy machine.
        return super().url_open(url, data=data, files=files, timeout=timeout, **kwargs)

    def _url(self, suffix=""):
        return f"/my/credit/{self.token}{suffix}"

    def _csrf(self, token=None):
        response = self.url_open(f"/my/credit/{token or self.token}")
        self.assertEqual(response.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)

    def _post(self, suffix, data, files=None, token=None):
        data = dict(data, csrf_token=self._csrf(token))
        return self.url_open(
            f"/my/credit/{token or self.token}{suffix}", data=data, files=files, allow_redirects=False
        )

    def _json(self, url, params):
        return self.url_open(
            url,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
            headers={"Content-Type": "application/json"},
        ).json()

    def _decided_today(self):
        """The customers the dunning run would remind today (its decision, not carried out)."""
        run = self.env["credit.recovery.run"].new({"company_id": self.company.id, "date": self.today})
        return set(run._decide())

    @classmethod
    def _demo_provider(cls):
        """Odoo's demo payment provider in the test company, as the demo has it (make test installs it)."""
        provider = cls.env["credit.recovery.demo"]._credit_demo_payment_provider(cls.company)
        if not provider:
            raise unittest.SkipTest(
                "Paying online is tested with Odoo's demo provider: install payment_demo."
            )
        return provider

    def _pay_online(self, pay_url, simulated_state="done"):
        """Pay on the page at ``pay_url`` as the browser does with the demo provider's form.

        The payment form gives the transaction route, the amount and the demo payment method; the demo
        provider's form then simulates the provider's notification; the status page post-processes the
        transaction (payment, reconciliation) and sends the customer back to its page. Returns the
        transaction and the status page's answer.
        """
        page = self.url_open(pay_url)
        self.assertEqual(page.status_code, 200)
        form = html.fromstring(page.content).xpath("//form[hasclass('o_payment_form')]")[0]
        radio = form.xpath(".//input[@name='o_payment_radio'][@data-provider-code='demo']")[0]
        params = {
            "provider_id": int(radio.get("data-provider-id")),
            "payment_method_id": int(radio.get("data-payment-option-id")),
            "token_id": None,
            "amount": float(form.get("data-amount")),
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": form.get("data-landing-route"),
            "is_validation": False,
            "access_token": form.get("data-access-token"),
        }
        processing = self._json(form.get("data-transaction-route"), params)
        self.assertNotIn("error", processing)
        reference = processing["result"]["reference"]
        simulated = self._json(
            "/payment/demo/simulate_payment",
            {"reference": reference, "payment_details": "4242", "simulated_state": simulated_state},
        )
        self.assertNotIn("error", simulated)
        self.assertEqual(self.url_open("/payment/status").status_code, 200)
        status = self._json("/payment/status/poll", {})
        self.assertNotIn("error", status)
        tx = self.env["payment.transaction"].search([("reference", "=", reference)])
        return tx, status["result"]
