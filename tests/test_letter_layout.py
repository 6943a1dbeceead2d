from lxml import html as lxml_html

from odoo.tests import tagged

from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestLetterLayout(CreditRecoveryCommon):
    """Letters carry their letterhead and the legal mentions in the page itself (Debian's wkhtmltopdf prints
    no report header or footer), and the recipient in the envelope window."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "name": "Menuiserie Leroy SAS",
                "street": "12 rue des Artisans",
                "zip": "75011",
                "city": "Paris",
                "phone": "+33 1 43 55 00 00",
                "email": "recouvrement@ateliers-dupont.example.com",
                "vat": "FR83526018155",
                "company_registry": "526018155",
                "credit_legal_form": "SAS",
                "credit_share_capital": 50000.0,
                "credit_rcs_city": "Paris",
            }
        )
        cls.customer.write({"street": "3 place du Marché", "zip": "44000", "city": "Nantes"})
        cls.level = cls.company.credit_default_policy_id.level_ids.filtered(
            lambda level: level.delay_days == 21
        )
        invoice = cls._invoice(cls.customer, 1000.0, "2026-01-02", due_date="2026-02-01")
        lines = invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        values = {
            "partner_id": cls.customer.id,
            "company_id": cls.company.id,
            "level_id": cls.level.id,
            "date": "2026-03-01",
            "line_ids": [(6, 0, lines.ids)],
            "amount_due": 1200.0,
            "amount_overdue": 1200.0,
        }
        cls.letter = cls.env["credit.recovery.action"].create({**values, "channel": "letter"})

    def _render(self, xmlid, actions):
        report = self.env.ref(xmlid)
        content = report._render_qweb_html(report.id, actions.ids)[0].decode()
        return lxml_html.fromstring(content)

    def _text(self, node):
        return " ".join(node.text_content().split())

    def test_reminder_letter_layout(self):
        report = self.env.ref("account_credit_recovery.action_report_credit_recovery_letter")
        self.assertEqual(report.paperformat_id.margin_top, 12)
        root = self._render(report.xml_id, self.letter)
        [letter] = root.xpath("//div[hasclass('o_acr_letter')]")
        self.assertEqual(letter.get("data-oe-id"), str(self.letter.id))
        # No header or footer left for wkhtmltopdf to drop: everything is in the page.
        self.assertFalse(root.xpath("//div[hasclass('header') or hasclass('footer')]"))
        sender = self._text(letter.xpath(".//div[@name='sender']")[0])
        for expected in ("Menuiserie Leroy SAS", "12 rue des Artisans", "75011 Paris", "+33 1 43 55 00 00"):
            self.assertIn(expected, sender)
        self.assertIn("recouvrement@ateliers-dupont.example.com", sender)
        recipient = self._text(letter.xpath(".//div[@name='recipient']")[0])
        self.assertIn("Boulangerie Martin SARL", recipient)
        self.assertIn("44000 Nantes", recipient)
        # The customer reads French: so do the mentions of Code de commerce R123-237.
        foot = self._text(letter.xpath(".//div[@name='legal_mentions']")[0])
        self.assertIn("SAS au capital de 50", foot)
        self.assertIn("RCS Paris 526 018 155", foot)
        self.assertIn("TVA intracommunautaire FR83526018155", foot)

    def test_formal_notice_layout_and_mentions(self):
        notice = self.letter.copy(
            {"channel": "registered_letter", "level_id": self.level.id, "date": "2026-03-02"}
        )
        root = self._render("account_credit_recovery.action_report_credit_recovery_formal_notice", notice)
        [letter] = root.xpath("//div[hasclass('o_acr_letter')]")
        self.assertIn("RCS Paris 526 018 155", self._text(letter.xpath(".//div[@name='legal_mentions']")[0]))
        self.assertIn("Boulangerie Martin SARL", self._text(letter.xpath(".//div[@name='recipient']")[0]))
        # What is not filled in is left out, never printed empty.
        self.company.write({"credit_share_capital": 0.0, "credit_rcs_city": False, "vat": False})
        mentions = self.company.with_context(lang="en_US")._credit_letter_legal_mentions()
        self.assertEqual(mentions, "Menuiserie Leroy SAS - SAS - SIREN 526 018 155")
