import re
import subprocess
import tempfile
from datetime import date

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CreditRecoveryCommon

PAGE_NUMBER = re.compile(r"Page (\d+) / (\d+)")


@tagged("post_install", "-at_install")
class TestLetterPageNumbers(CreditRecoveryCommon):
    """Letters printed together as one PDF carry "Page X / Y", each letter counted from its first page."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # wkhtmltopdf reads no assets from a test server: the letters print unstyled, their text intact.
        cls.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:9")
        policy = cls.company.credit_default_policy_id
        cls.letter_level = policy.level_ids.filtered(lambda level: level.delay_days == 21)
        cls.notice_level = policy.level_ids.filtered(lambda level: level.delay_days == 30)
        # Consumers: their letters need no table of official rates.
        names = ("Claire Petit", "Marc Durand", "Louise Bernard")
        cls.short_a, cls.short_b, cls.long_customer = cls.env["res.partner"].create(
            [
                {
                    "name": name,
                    "lang": "fr_FR",
                    "street": "4 rue de la Paix",
                    "zip": "69001",
                    "city": "Lyon",
                    "country_id": cls.env.ref("base.fr").id,
                }
                for name in names
            ]
        )
        receivable = cls.company_data["default_account_receivable"]
        # Seventy open items on one entry: a letter longer than one page.
        entry = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "date": date(2026, 3, 1),
                "line_ids": [
                    Command.create(
                        {
                            "name": f"Échéance {index}",
                            "account_id": receivable.id,
                            "partner_id": cls.long_customer.id,
                            "debit": 10.0,
                            "date_maturity": date(2026, 3, 1),
                        }
                    )
                    for index in range(70)
                ]
                + [
                    Command.create(
                        {
                            "name": "Ventes",
                            "account_id": cls.company_data["default_account_revenue"].id,
                            "credit": 700.0,
                        }
                    )
                ],
            }
        )
        entry.action_post()
        cls.long_letter = cls._letter(cls.long_customer, entry.line_ids.filtered("date_maturity"))
        cls.letter_a = cls._letter(cls.short_a)
        cls.letter_b = cls._letter(cls.short_b)

    @classmethod
    def _letter(cls, partner, lines=None, level=None):
        if lines is None:
            invoice = cls._invoice(partner, 100.0, date(2026, 3, 1), due_date=date(2026, 3, 31))
            lines = invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        level = level or cls.letter_level
        return cls.env["credit.recovery.action"].create(
            {
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "level_id": level.id,
                "channel": level.channel,
                "state": "done",
                "date": date(2026, 4, 21),
                "line_ids": [Command.set(lines.ids)],
                "amount_due": sum(lines.mapped("amount_residual")),
                "amount_overdue": sum(lines.mapped("amount_residual")),
            }
        )

    def _pdf_text(self, report, res_ids, data=None):
        """The text of the one PDF of ``res_ids``, as pdftotext reads it (a form feed ends each page)."""
        # The Debian wkhtmltopdf warns that it ignores the header switches (no patched Qt).
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            content, kind = (
                self.env["ir.actions.report"]
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf(report, res_ids, data=data)
            )
        self.assertEqual(kind, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
            pdf.write(content)
            pdf.flush()
            return subprocess.run(
                ["pdftotext", "-layout", pdf.name, "-"], capture_output=True, check=True, text=True
            ).stdout

    def _pages(self, report, actions):
        return self._pdf_text(report, actions.ids).split("\f")[:-1]

    def _numbers(self, pages):
        return [tuple(map(int, PAGE_NUMBER.findall(page)[0])) for page in pages]

    def test_two_letters_as_one_pdf(self):
        pages = self._pages(
            "account_credit_recovery.report_credit_recovery_letter", self.letter_a | self.letter_b
        )
        self.assertEqual(self._numbers(pages), [(1, 1), (1, 1)])
        self.assertIn("Claire Petit", pages[0])
        self.assertIn("Marc Durand", pages[1])

    def test_a_long_letter_then_a_short_one(self):
        pages = self._pages(
            "account_credit_recovery.report_credit_recovery_letter",
            self.long_letter | self.letter_a | self.letter_b,
        )
        numbers = self._numbers(pages)
        count = len(pages) - 2
        self.assertGreaterEqual(count, 2)
        # The long letter counts its own pages; each next letter starts again at page 1.
        self.assertEqual(numbers, [(page, count) for page in range(1, count + 1)] + [(1, 1), (1, 1)])
        self.assertIn("Louise Bernard", pages[0])
        self.assertNotIn("Claire Petit", "".join(pages[:count]))
        self.assertIn("Claire Petit", pages[count])
        self.assertIn("Marc Durand", pages[count + 1])
        # Each number once per page.
        self.assertEqual([len(PAGE_NUMBER.findall(page)) for page in pages], [1] * len(pages))

    def test_formal_notices_numbered(self):
        notices = self._letter(self.short_a, level=self.notice_level) | self._letter(
            self.short_b, level=self.notice_level
        )
        pages = self._pages("account_credit_recovery.report_credit_recovery_formal_notice", notices)
        self.assertEqual(self._numbers(pages), [(1, 1), (1, 1)])
        self.assertIn("Claire Petit", pages[0])
        self.assertIn("Marc Durand", pages[1])

    def test_other_reports_not_numbered(self):
        text = self._pdf_text(
            "account_credit_recovery.action_report_credit_statement",
            self.short_a.ids,
            data={"company_id": self.company.id, "date": "2026-04-21"},
        )
        self.assertIn("Claire Petit", text)
        self.assertFalse(PAGE_NUMBER.search(text))
