from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time
from lxml import html as lxml_html

from odoo.tests import tagged

from .common import CreditRecoveryCommon

DUE = date(2026, 3, 31)
LETTER_DAY = DUE + timedelta(days=7)


@tagged("post_install", "-at_install")
class TestLetterPenalties(CreditRecoveryCommon):
    """Reminder letters show a business customer's penalties and recovery indemnity apart, never a consumer's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.company.credit_default_policy_id
        cls.letter_level = cls.policy.level_ids.filtered(lambda level: level.delay_days == 7)
        cls.report = cls.env.ref("account_credit_recovery.action_report_credit_recovery_letter")
        cls.consumer = cls._new_customer("Jeanne Dupont", is_company=False)
        cls.other_business = cls._new_customer("Pâtisserie Durand SAS")

    def _letter(self, partner, invoices):
        lines = invoices.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        return self.env["credit.recovery.action"].create(
            {
                "partner_id": partner.id,
                "company_id": self.company.id,
                "level_id": self.letter_level.id,
                "channel": "letter",
                "date": LETTER_DAY,
                "line_ids": [(6, 0, lines.ids)],
                "amount_due": sum(lines.mapped("amount_residual")),
            }
        )

    def _render(self, letters):
        with freeze_time(LETTER_DAY):
            content = self.report._render_qweb_html(self.report.id, letters.ids)[0].decode()
        return lxml_html.fromstring(content)

    def _figure(self, tree, name):
        nodes = tree.xpath(f"//*[@name='{name}']")
        return [" ".join(node.text_content().split()) for node in nodes]

    def test_business_letter_shows_penalties_and_indemnity_apart(self):
        first = self._invoice(self.customer, 1000.0, "2026-03-01", due_date=DUE)
        second = self._invoice(self.customer, 600.0, "2026-03-02", due_date=DUE)
        letter = self._letter(self.customer, first | second)
        tree = self._render(letter)
        # 7 days at 12.15 % (ECB 2.15 % + 10 points, 2026-S1): 1 200 -> 2.80, 720 -> 1.68.
        self.assertEqual(self._figure(tree, "late_penalties_amount"), ["4,48 €"])
        # 40 EUR per invoice paid late.
        self.assertEqual(self._figure(tree, "recovery_indemnity_amount"), ["80,00 €"])
        self.assertEqual(self._figure(tree, "total_with_late_amounts_amount"), ["2 004,48 €"])
        # The items' total stays the principal alone.
        self.assertIn("1 920,00 €", " ".join(tree.xpath("//tr[@name='total']")[0].text_content().split()))
        self.assertTrue(tree.xpath("//p[@name='legal_b2b']"))
        # The same figures as the legal engine computes on the invoices.
        engine = (first | second).with_context(credit_recovery_date=LETTER_DAY)
        self.assertAlmostEqual(sum(engine.mapped("late_penalty_amount")), 4.48)
        self.assertAlmostEqual(sum(engine.mapped("recovery_indemnity_amount")), 80.0)

    def test_penalties_follow_part_payments(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-03-01", due_date=DUE)
        self._pay(invoice, amount=600.0, payment_date=DUE + timedelta(days=2))
        letter = self._letter(self.customer, invoice)
        tree = self._render(letter)
        # 1 200 for 2 days (0.80), then 600 for 5 days (1.00).
        self.assertEqual(self._figure(tree, "late_penalties_amount"), ["1,80 €"])
        self.assertEqual(self._figure(tree, "recovery_indemnity_amount"), ["40,00 €"])
        self.assertEqual(self._figure(tree, "total_with_late_amounts_amount"), ["641,80 €"])

    def test_billed_penalties_are_not_shown_twice(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-03-01", due_date=DUE)
        with freeze_time(DUE + timedelta(days=3)):
            wizard = (
                self.env["credit.recovery.penalty.invoice.wizard"]
                .with_context(default_move_ids=invoice.ids)
                .create({"date": DUE + timedelta(days=3)})
            )
            wizard.action_create_invoices()
        tree = self._render(self._letter(self.customer, invoice))
        # Days 1-3 and the indemnity are billed already: 1 200 for the 4 days after, 1.60.
        self.assertEqual(self._figure(tree, "late_penalties_amount"), ["1,60 €"])
        self.assertEqual(self._figure(tree, "recovery_indemnity_amount"), ["0,00 €"])

    def test_consumer_letter_shows_no_penalty_nor_indemnity(self):
        invoice = self._invoice(self.consumer, 1000.0, "2026-03-01", due_date=DUE)
        self.assertEqual(self.consumer.credit_customer_type, "b2c")
        tree = self._render(self._letter(self.consumer, invoice))
        self.assertFalse(tree.xpath("//*[@name='late_amounts']"))
        self.assertFalse(tree.xpath("//p[@name='legal_b2b']"))
        text = " ".join(tree.text_content().split())
        self.assertNotIn("40,00", text)
        self.assertNotIn("L441-10", text)
        self.assertIn("1 200,00 €", text)

    def test_late_amounts_read_once_for_all_letters(self):
        letters = self._letter(
            self.customer, self._invoice(self.customer, 1000.0, "2026-03-01", due_date=DUE)
        ) | self._letter(
            self.other_business, self._invoice(self.other_business, 500.0, "2026-03-01", due_date=DUE)
        )
        AccountMove = type(self.env["account.move"])
        original = AccountMove._credit_late_details
        with patch.object(AccountMove, "_credit_late_details", autospec=True, side_effect=original) as spy:
            tree = self._render(letters)
        self.assertEqual(spy.call_count, 1)
        # 1 200 and 600 incl. VAT for 7 days.
        self.assertEqual(self._figure(tree, "late_penalties_amount"), ["2,80 €", "1,40 €"])
