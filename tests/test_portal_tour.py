from odoo import http
from odoo.tests import tagged

from .portal_common import CreditPortalCase


@tagged("post_install", "-at_install")
class TestPortalTour(CreditPortalCase):
    """The customer opens the link of its reminder, goes to pay one invoice, then promises the rest."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # See CreditRecoveryTourCase: read the add-ons' manifests before the browser's first requests.
        if "account_credit_recovery" not in http.root.statics:
            raise RuntimeError("account_credit_recovery does not serve its static files")
        cls._create_provider()

    def test_customer_page_tour(self):
        self.start_tour(self._url(), "account_credit_recovery_customer_page")
        promise = self.env["credit.recovery.promise"].search([("partner_id", "=", self.customer.id)])
        self.assertRecordValues(promise, [{"amount": 600.0, "state": "open"}])
