import json
import subprocess
import tempfile
from datetime import date

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import CreditRecoveryCommon

DUE = date(2026, 3, 31)


@tagged("post_install", "-at_install")
class TestLettersAsOnePdf(CreditRecoveryCommon, HttpCase):
    """The day's letters print as one PDF through the report route, one section per customer, in order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # wkhtmltopdf must not fetch the assets from the test server, which serves one request at a time
        # (the report's own): a refused connection leaves the letters unstyled, their text intact.
        cls.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:9")
        policy = cls.company.credit_default_policy_id
        letter_level = policy.level_ids.filtered(lambda level: level.delay_days == 21)
        notice_level = policy.level_ids.filtered(lambda level: level.delay_days == 30)
        partners = cls.env["res.partner"].create(
            [
                {
                    "name": f"Client Lettre {index:02d}",
                    "is_company": index < 20,  # the notices go to consumers: no rate table needed
                    "lang": "fr_FR",
                    "street": f"{index} rue de la Paix",
                    "city": "Lyon",
                    "zip": "69001",
                    "country_id": cls.env.ref("base.fr").id,
                }
                for index in range(25)
            ]
        )
        values = []
        for index, partner in enumerate(partners):
            invoice = cls._invoice(partner, 100.0 + index, "2026-03-01", due_date=DUE)
            line = invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
            notice = index >= 20
            values.append(
                {
                    "partner_id": partner.id,
                    "company_id": cls.company.id,
                    "level_id": (notice_level if notice else letter_level).id,
                    "channel": "registered_letter" if notice else "letter",
                    "state": "draft" if notice else "done",
                    "date": date(2026, 4, 21),
                    "line_ids": [Command.set(line.ids)],
                    "amount_due": line.amount_residual,
                    "amount_overdue": line.amount_residual,
                }
            )
        actions = cls.env["credit.recovery.action"].create(values)
        # Printed in an order that is neither the ids' nor the names'.
        cls.letters = actions[:20].sorted(lambda action: (action.id % 3, action.id))
        cls.notices = actions[20:]

    def _print(self, report_name, actions):
        self.authenticate(self.credit_controller.login, self.credit_controller.login)
        context = json.dumps({"force_report_rendering": True})
        url = f"/report/pdf/{report_name}/{','.join(map(str, actions.ids))}?context={context}"
        # The Debian wkhtmltopdf warns that it ignores the header switches (no patched Qt).
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            response = self.url_open(url, timeout=300)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
            pdf.write(response.content)
            pdf.flush()
            return subprocess.run(
                ["pdftotext", "-layout", pdf.name, "-"], capture_output=True, check=True, text=True
            ).stdout

    def _assert_sections_in_order(self, text, actions):
        """Each customer first named in the order printed, its section holding its invoice only."""
        starts = []
        for action in actions:
            self.assertIn(action.partner_id.name, text)
            starts.append(text.index(action.partner_id.name))
        self.assertEqual(starts, sorted(starts))
        for index, action in enumerate(actions):
            section = text[starts[index] : starts[index + 1] if index + 1 < len(starts) else len(text)]
            self.assertIn(action.line_ids.move_id.name, section)
            self.assertEqual(
                [other.name for other in (actions - action).line_ids.move_id if other.name in section], []
            )

    def test_twenty_letters_and_five_notices_in_one_pdf_each(self):
        text = self._print("account_credit_recovery.report_credit_recovery_letter", self.letters)
        self._assert_sections_in_order(text, self.letters)
        self.assertEqual(text.count("Objet"), 20)
        text = self._print("account_credit_recovery.report_credit_recovery_formal_notice", self.notices)
        self._assert_sections_in_order(text, self.notices)

    def test_dashboard_prints_the_day_in_one_click_each(self):
        """ "Print the letters" and "Print the formal notices" of the dashboard: one PDF each, every customer."""
        (self.letters | self.notices).user_id = self.credit_controller
        Dashboard = self.env["credit.recovery.dashboard"].with_user(self.credit_controller)
        data = Dashboard.get_dashboard_data()
        self.assertEqual(len(data["letters"]), 25)
        Action = self.env["credit.recovery.action"].with_user(self.credit_controller)
        for formal_notice, report_name, expected in [
            (False, "account_credit_recovery.report_credit_recovery_letter", self.letters),
            (True, "account_credit_recovery.report_credit_recovery_formal_notice", self.notices),
        ]:
            # What the button sends (credit_recovery_dashboard.js printLetters): the ids of its list, in order.
            ids = [letter["id"] for letter in data["letters"] if letter["formal_notice"] == formal_notice]
            self.assertEqual(sorted(ids), sorted(expected.ids))
            report_action = Action.browse(ids).action_print_letter()
            self.assertEqual(
                (report_action["type"], report_action["report_name"], report_action["context"]["active_ids"]),
                ("ir.actions.report", report_name, ids),
            )
            # The web client downloads the report route of the action's ids: one request, one PDF.
            text = self._print(report_name, Action.browse(report_action["context"]["active_ids"]))
            self._assert_sections_in_order(text, Action.browse(ids))
        self.assertTrue(all((self.letters | self.notices).mapped("printed")))
        self.assertEqual(Dashboard.get_dashboard_data()["letters"], [])
