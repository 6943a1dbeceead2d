from freezegun import freeze_time

from odoo.tests import tagged

from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestUnknownFigures(CreditRecoveryCommon):
    """A score never entered, financial figures never entered and a DSO without sales are unknown, not zero:
    flagged as such and sorted after the known ones."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.unknown = Partner.create({"name": "Inconnu SAS", "is_company": True})
        cls.weak = Partner.create({"name": "Fragile SARL", "is_company": True, "credit_score": 4.5})
        cls.sound = Partner.create(
            {"name": "Solide SA", "is_company": True, "credit_score": 15.0, "credit_revenue": 2_000_000.0}
        )
        cls.loss = Partner.create(
            {"name": "Perte SAS", "is_company": True, "credit_net_result": -30_000.0, "credit_score": 9.0}
        )
        cls.partners = cls.unknown | cls.weak | cls.sound | cls.loss

    def _names(self, order):
        return self.env["res.partner"].search([("id", "in", self.partners.ids)], order=order).mapped("name")

    def test_unknown_score_sorts_last(self):
        self.assertEqual(
            self._names("credit_score asc"), ["Fragile SARL", "Perte SAS", "Solide SA", "Inconnu SAS"]
        )
        self.assertEqual(
            self._names("credit_score desc"), ["Solide SA", "Perte SAS", "Fragile SARL", "Inconnu SAS"]
        )

    def test_unknown_financials(self):
        self.assertFalse(self.unknown.credit_financials_known)
        self.assertTrue(self.sound.credit_financials_known)
        # A loss is known even without revenue; an unknown revenue is not ranked as zero.
        self.assertTrue(self.loss.credit_financials_known)
        self.assertEqual(self._names("credit_revenue desc, name")[:2], ["Solide SA", "Perte SAS"])
        self.assertEqual(self._names("credit_revenue asc, name")[-2:], ["Fragile SARL", "Inconnu SAS"])
        self.assertEqual(self._names("credit_net_result asc, name")[0], "Perte SAS")
        self.unknown.credit_fiscal_year_end = "2025-12-31"
        self.assertTrue(self.unknown.credit_financials_known)

    @freeze_time("2026-03-01")
    def test_dso_without_sales_is_unknown(self):
        customer = self.customer.with_company(self.company)
        self.assertFalse(customer.credit_dso_known)
        self.assertFalse(customer.credit_payment_history_known)
        self._invoice(self.customer, 1000.0, "2026-01-15", due_date="2026-02-14")
        customer.invalidate_recordset()
        self.assertTrue(customer.credit_dso_known)
        self.assertGreater(customer.credit_dso, 0.0)
