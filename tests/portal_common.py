import json
import re
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
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
    def _create_provider(cls):
        """A provider as Odoo's own payment tests use (``payment`` and ``account_payment`` tests' commons)."""
        method = cls.env.ref("payment.payment_method_unknown")
        PaymentMethod = cls.env.registry["account.payment.method"]
        original = PaymentMethod._get_payment_method_information

        def _get_payment_method_information(self):
            return dict(original(self), none={"mode": "electronic", "type": ("bank",)})

        provider = cls.env["payment.provider"].create(
            {
                "name": "Test Provider",
                "code": "none",
                "state": "test",
                "is_published": True,
                "company_id": cls.company.id,
                "payment_method_ids": [Command.set(method.ids)],
                "available_currency_ids": [Command.set(cls.currency.ids)],
            }
        )
        method.write({"active": True, "support_tokenization": False})
        with patch.object(PaymentMethod, "_get_payment_method_information", _get_payment_method_information):
            cls.env["account.payment.method"].sudo().create(
                {"name": "Test method", "code": "none", "payment_type": "inbound"}
            )
            provider.journal_id = cls.company_data["default_journal_bank"]
        return provider
