import re
from datetime import date

from freezegun import freeze_time
from lxml import html

from odoo import Command
from odoo.tests import tagged

from .common import CreditRecoveryCommon


class ForeignCurrencyCommon(CreditRecoveryCommon):
    """The letter and notice levels of the policy, and the rendered documents' named texts."""

    LETTER = "account_credit_recovery.action_report_credit_recovery_letter"
    NOTICE = "account_credit_recovery.action_report_credit_recovery_formal_notice"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        levels = cls.company.credit_default_policy_id.level_ids
        cls.letter_level = levels.filtered(lambda level: level.channel == "letter")[:1]
        cls.notice_level = levels.filtered(lambda level: level.channel == "registered_letter")[:1]

    def _render(self, xmlid, records):
        report = self.env.ref(xmlid).with_user(self.credit_controller)
        return html.fromstring(report._render_qweb_html(report.id, records.ids)[0].decode())

    def _texts(self, tree, name):
        return [
            re.sub(r"\s+", " ", node.text_content()).strip().replace("\N{NO-BREAK SPACE}", " ")
            for node in tree.xpath(f"//*[@name='{name}']")
        ]


@tagged("post_install", "-at_install")
class TestGatesForeignCurrency(ForeignCurrencyCommon):
    """A debt in US dollars of a euro company is claimed in dollars, its euro equivalent beside it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.usd = cls.setup_other_currency("USD", rates=[("2026-01-01", 2.0)])  # 1 EUR = 2 USD
        # 1 000 USD + 20 % VAT = 1 200 USD (600 EUR), 240 USD (120 EUR) paid: 960 USD (480 EUR) due.
        cls.invoice = cls._invoice(
            cls.customer, 1000.0, "2026-03-01", due_date="2026-03-31", currency_id=cls.usd.id
        )
        cls._pay(cls.invoice, amount=240.0, payment_date="2026-04-02")
        cls.euro_invoice = cls._invoice(cls.customer, 100.0, "2026-03-05", due_date="2026-04-04")

    def _action(self, channel, level):
        lines = (self.invoice | self.euro_invoice).line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        )
        return self.env["credit.recovery.action"].create(
            {
                "partner_id": self.customer.id,
                "level_id": level.id,
                "channel": channel,
                "date": "2026-04-20",
                "user_id": self.credit_controller.id,
                "line_ids": [Command.set(lines.ids)],
                "amount_due": 600.0,
                "amount_overdue": 600.0,
            }
        )

    def test_book_residual_in_currency(self):
        line = self.invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        book = self.env["credit.recovery.book"]
        item = book._open_items_in_currency(self.company, line.ids)[line.id]
        self.assertEqual(item["currency"], self.usd)
        self.assertEqual(
            (item["amount_currency"], item["residual_currency"], item["residual"]), (1200.0, 960.0, 480.0)
        )
        # Before the payment, the whole invoice was due.
        before = book._open_items_in_currency(self.company, line.ids, date="2026-04-01")[line.id]
        self.assertEqual((before["residual_currency"], before["residual"]), (1200.0, 600.0))

    @freeze_time("2026-04-20")
    def test_reminder_letter_in_the_currency_of_the_debt(self):
        tree = self._render(self.LETTER, self._action("letter", self.letter_level))
        self.assertEqual(self._texts(tree, "amount_currency"), ["$ 1 200,00"])
        self.assertEqual(self._texts(tree, "amount_company"), ["(600,00 €)"])
        self.assertEqual(self._texts(tree, "residual_currency"), ["$ 960,00"])
        self.assertEqual(self._texts(tree, "residual_company"), ["(480,00 €)"])
        self.assertEqual(self._texts(tree, "total_currency_amount"), ["$ 960,00"])
        self.assertEqual(self._texts(tree, "total_currency_company"), ["(480,00 €)"])
        # The euro invoice stays in euros; the total due is their sum in euros: 480 + 120.
        self.assertIn("120,00 €", " ".join(self._texts(tree, "item_residual")))
        self.assertEqual(self._texts(tree, "total_due_amount"), ["600,00 €"])

    @freeze_time("2026-04-20")
    def test_formal_notice_in_the_currency_of_the_debt(self):
        notice = self._action("registered_letter", self.notice_level)
        values = notice._formal_notice_values()
        usd_row = next(row for row in values["rows"] if row["move"] == self.invoice)
        self.assertEqual((usd_row["residual_currency"], usd_row["residual"]), (960.0, 480.0))
        self.assertEqual(values["foreign_totals"], [(self.usd, 960.0, 480.0)])
        self.assertEqual(values["principal"], 600.0)
        tree = self._render(self.NOTICE, notice)
        self.assertEqual(self._texts(tree, "residual_currency"), ["$ 960,00"])
        self.assertEqual(self._texts(tree, "residual_company"), ["(480,00 €)"])
        self.assertEqual(self._texts(tree, "principal_currency_amount"), ["$ 960,00"])
        self.assertEqual(self._texts(tree, "principal_currency_company"), ["(480,00 €)"])

    def test_statement_shows_the_currency_of_the_debt(self):
        data = self.customer._credit_statement_data(self.company, date(2026, 4, 20))
        usd_row = next(row for row in data["rows"] if row["line"].move_id == self.invoice)
        self.assertEqual(
            (usd_row["currency"], usd_row["residual_currency"], usd_row["residual"]), (self.usd, 960.0, 480.0)
        )
        report = self.env.ref("account_credit_recovery.action_report_credit_statement")
        content, _type = (
            self.env["ir.actions.report"]
            .with_user(self.credit_controller)
            ._render_qweb_html(
                report.report_name,
                self.customer.ids,
                data={"company_id": self.company.id, "date": "2026-04-20"},
            )
        )
        self.assertEqual(self._texts(html.fromstring(content), "residual_currency"), ["($ 960,00)"])
