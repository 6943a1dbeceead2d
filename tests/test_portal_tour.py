import unittest
from urllib.parse import urlsplit

from lxml import html

from odoo import fields, http
from odoo.tests import HttpCase, tagged

DEMO_COMPANY = "account_credit_recovery.company_ateliers_dupont_demo"


@tagged("post_install", "-at_install")
class TestPortalTour(HttpCase):
    """On the demo data: Transports Morel, who broke its promise, gets today's reminder e-mail; it opens the
    link of that e-mail, pays its overdue invoice with Odoo's demo payment provider, then promises the rest."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # See CreditRecoveryTourCase: read the add-ons' manifests before the browser's first requests.
        if "account_credit_recovery" not in http.root.statics:
            raise RuntimeError("account_credit_recovery does not serve its static files")
        company = cls.env.ref(DEMO_COMPANY, raise_if_not_found=False)
        if not company:
            raise unittest.SkipTest("The customer's tour runs on the demo data.")
        cls.company = company
        company.credit_portal_enabled = True  # as make demo offers it
        if not cls.env["credit.recovery.demo"]._credit_demo_payment_provider(company):
            raise unittest.SkipTest("The customer pays with Odoo's demo provider: install payment_demo.")
        cls.morel = cls.env.ref("account_credit_recovery.partner_broken_promise_demo")
        cls.today = fields.Date.context_today(company)
        invoices = cls.env["account.move"].search(
            [
                ("partner_id", "=", cls.morel.id),
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("payment_state", "=", "not_paid"),
            ],
            order="invoice_date_due",
        )
        cls.late, cls.not_due = invoices
        # The promise it broke (the demo's), which the tour leaves alone.
        cls.promises = cls.env["credit.recovery.promise"].search([("partner_id", "=", cls.morel.id)])
        # Today's run reminds Morel by e-mail; the run's next call sends it.
        Run = cls.env["credit.recovery.run"].with_company(company)
        dunning_run = Run._get_or_create(company, cls.today)
        decisions = dunning_run._decide()
        actions = dunning_run._apply({cls.morel: decisions[cls.morel]})
        cls.env["credit.recovery.action"]._send_queued()
        cls.mail = cls.env["mail.mail"].search(
            [("model", "=", "credit.recovery.action"), ("res_id", "in", actions.ids)]
        )

    def test_customer_pays_then_promises(self):
        self.assertEqual(self.mail.recipient_ids, self.morel)
        self.assertEqual((self.late.amount_residual, self.not_due.amount_residual), (5760.0, 1440.0))
        link = html.fromstring(self.mail.body_html).xpath("//div[hasclass('credit-portal-link')]//a/@href")
        self.assertEqual(len(link), 1)
        # Two page loads, a payment and the status page polling it: more than the default minute under load.
        self.start_tour(urlsplit(link[0]).path, "account_credit_recovery_customer_page", timeout=180)
        # Paid with the demo provider, reconciled with the late invoice; the other one remains.
        tx = self.env["payment.transaction"].search([("partner_id", "=", self.morel.id)])
        self.assertRecordValues(
            tx, [{"provider_code": "demo", "state": "done", "amount": 5760.0, "is_post_processed": True}]
        )
        self.assertEqual(tx.invoice_ids, self.late)
        self.assertTrue(self.late.currency_id.is_zero(self.late.amount_residual))
        self.assertEqual(self.not_due.amount_residual, 1440.0)
        promise = (
            self.env["credit.recovery.promise"].search([("partner_id", "=", self.morel.id)]) - self.promises
        )
        self.assertRecordValues(promise, [{"amount": 1440.0, "company_id": self.company.id, "state": "open"}])
        # Nothing overdue and the rest promised: the next run leaves Morel alone.
        next_run = (
            self.env["credit.recovery.run"]
            .with_company(self.company)
            .new({"company_id": self.company.id, "date": self.today})
        )
        self.assertNotIn(self.morel, next_run._decide())
