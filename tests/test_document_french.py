"""Documents to a customer established in France are in French (loi n° 94-665 "Toubon", art. 2), with the French
terms of every module that prints them, or refused with the reason while French is not active."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestDocumentFrench(CreditRecoveryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.belgian = cls.env["res.partner"].create(
            {"name": "Brasserie Bruxelloise SA", "is_company": True, "country_id": cls.env.ref("base.be").id}
        )

    def _deactivate_french(self):
        # res.lang refuses to deactivate a language its contacts use: the precondition is set in SQL, as a
        # database restored without French would be, and put back after the test.
        self.env.flush_all()
        self.env.cr.execute("UPDATE res_lang SET active = false WHERE code = 'fr_FR'")
        self.env.invalidate_all()
        self.env.registry.clear_cache()

        def restore():
            self.env.cr.execute("UPDATE res_lang SET active = true WHERE code = 'fr_FR'")
            self.env.invalidate_all()
            self.env.registry.clear_cache()

        self.addCleanup(restore)

    def test_install_loads_french_of_every_module(self):
        # The customer's page and the invoices use other modules' templates: their French terms are loaded too
        # (the portal's header read "Sign in" to French customers when only this module's terms were).
        self.assertTrue(self.env["res.lang"]._get_code("fr_FR"))
        sign_in = self.env.ref("portal.user_sign_in").with_context(lang="fr_FR").arch_db
        self.assertIn("Se connecter", sign_in)
        self.assertNotIn("Sign in", sign_in)

    def test_french_customer_documents_need_french(self):
        self.assertEqual(self.customer._credit_document_lang(), "fr_FR")
        self._deactivate_french()
        with self.assertRaisesRegex(UserError, "activate French in Settings > Languages"):
            self.customer._credit_document_lang()
        with self.assertRaisesRegex(UserError, "loi n° 94-665"):
            self.env["res.partner"]._credit_french_lang()
        # A customer established abroad gets its own language: French is not needed for it.
        self.assertEqual(self.belgian._credit_document_lang(), self.belgian.lang)

    def test_ensure_french_activates_it_with_its_terms(self):
        self._deactivate_french()
        self.env["res.partner"]._credit_ensure_french()
        self.assertEqual(self.customer._credit_document_lang(), "fr_FR")
        self.assertIn("Se connecter", self.env.ref("portal.user_sign_in").with_context(lang="fr_FR").arch_db)

    def test_penalty_invoice_follows_the_document_rule(self):
        # A customer of La Réunion is established in France: its penalty invoice is in French (the wizard
        # checked only "FR" before).
        reunion = self.env["res.partner"].create(
            {"name": "Vanille Bourbon SARL", "is_company": True, "country_id": self.env.ref("base.re").id}
        )
        wizard = self.env["credit.recovery.penalty.invoice.wizard"]
        self.assertEqual(wizard._penalty_invoice_lang(reunion), "fr_FR")
        self.assertEqual(wizard._penalty_invoice_lang(self.belgian), self.belgian.lang)
