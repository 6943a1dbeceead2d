"""Issue #14: e-mails to a customer established in France are in French (loi n° 94-665, art. 2)."""

from odoo.tests import tagged

from .test_law_edges import LawEdgesCommon

REMINDER = "account_credit_recovery.mail_template_credit_recovery_reminder"
VOICEMAIL = "account_credit_recovery.mail_template_credit_recovery_voicemail"
STATEMENT = "account_credit_recovery.mail_template_credit_statement"


@tagged("post_install", "-at_install")
class TestMailLanguage(LawEdgesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.english_contact = cls.env["res.partner"].create(
            {"name": "John Smith", "parent_id": cls.customer.id, "lang": "en_US", "email": "john@example.com"}
        )
        cls.customer.lang = "en_US"
        cls.belgian = cls._new_customer("Brasserie Bruxelloise SA", country="base.be", lang="en_US")
        cls.reunion = cls._new_customer("Vanille Bourbon SARL", country="base.re", lang="en_US")

    def test_reminder_follows_the_letters_rule(self):
        french = self._action(self.customer, self._invoice(self.customer, 100.0, "2026-01-05"), "2026-03-06")
        french.contact_id = self.english_contact
        belgian = self._action(self.belgian, self._invoice(self.belgian, 100.0, "2026-01-05"), "2026-03-06")
        template = self.env.ref(REMINDER)
        langs = template._render_lang((french | belgian).ids)
        # The same rule as the letters: French in France whatever the contact's language, else the contact's.
        self.assertEqual(langs, {french.id: "fr_FR", belgian.id: "en_US"})
        self.assertEqual(langs[french.id], french._letter_lang())
        bodies = template._render_field("body_html", (french | belgian).ids, compute_lang=True)
        self.assertIn("Madame, Monsieur,", bodies[french.id])
        self.assertNotIn("Dear Sir or Madam", bodies[french.id])
        self.assertIn("Dear Sir or Madam,", bodies[belgian.id])

    def test_partner_templates_in_french_in_france_and_overseas(self):
        partners = self.customer | self.belgian | self.reunion
        for xmlid in (VOICEMAIL, STATEMENT):
            langs = self.env.ref(xmlid)._render_lang(partners.ids)
            self.assertEqual(
                langs, {self.customer.id: "fr_FR", self.belgian.id: "en_US", self.reunion.id: "fr_FR"}, xmlid
            )
        body = self.env.ref(STATEMENT)._render_field("body_html", self.reunion.ids, compute_lang=True)
        self.assertIn("Madame, Monsieur,", body[self.reunion.id])
