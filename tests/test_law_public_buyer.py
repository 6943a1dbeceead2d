"""Issue #14: public buyers owe moratory interest at the ECB rate + 8 points and the 40 EUR (CCP R2192-10 to -36)."""

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_law_edges import LawEdgesCommon


@tagged("post_install", "-at_install")
class TestPublicBuyer(LawEdgesCommon):
    LETTER = "account_credit_recovery.action_report_credit_recovery_letter"
    NOTICE = "account_credit_recovery.action_report_credit_recovery_formal_notice"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.town_hall = cls.env["res.partner"].create(
            {
                "name": "Commune de Villeurbanne",
                "is_company": True,
                "zip": "69100",
                "city": "Villeurbanne",
                "country_id": cls.env.ref("base.fr").id,
                "lang": "fr_FR",
                "credit_public_buyer_kind": "state_local",
            }
        )

    def _late(self, invoice, day):
        detail = invoice._credit_claimable_details(fields.Date.to_date(day))[invoice]
        return round(sum(item["amount"] for item in detail["penalties"]), 2), detail["indemnity"], detail

    def test_payment_periods(self):
        self.assertEqual(self.town_hall.credit_public_payment_days, 30)
        hospital = self.env["res.partner"].create(
            {"name": "CHU de Lyon", "is_company": True, "credit_public_buyer_kind": "health"}
        )
        self.assertEqual(hospital.credit_public_payment_days, 50)
        hospital.credit_public_buyer_kind = "public_undertaking"
        self.assertEqual(hospital.credit_public_payment_days, 60)
        self.assertEqual(self.customer.credit_public_payment_days, 0)
        # A public person is no trader.
        self.assertEqual(self.town_hall.credit_trade_status, "non_trader")
        # Only a Credit Manager marks a customer as a public buyer.
        with self.assertRaises(AccessError):
            self.customer.with_user(self.credit_controller).write({"credit_public_buyer_kind": "state_local"})
        self.customer.with_user(self.credit_manager).write({"credit_public_buyer_kind": "state_local"})
        self.assertEqual(self.customer.credit_public_buyer_kind, "state_local")

    def test_moratory_interest_ecb_plus_eight(self):
        # 1,000.00 + 20 % VAT = 1,200.00 due 4 February 2026, 30 days late on 6 March 2026, at the ECB rate of
        # 1 January 2026 (2.15 %) + 8 points = 10.15 %: 1,200.00 x 10.15 % x 30 / 365 = 10.01; and the 40 EUR.
        invoice = self._invoice(self.town_hall, 1000.0, "2026-01-05", due_date="2026-02-04")
        self.assertEqual(self._late(invoice, "2026-03-06")[:2], (10.01, 40.0))
        # The same invoice to a business: ECB + 10 = 12.15 %: 1,200.00 x 12.15 % x 30 / 365 = 11.98.
        business = self._invoice(self.customer, 1000.0, "2026-01-05", due_date="2026-02-04")
        self.assertEqual(self._late(business, "2026-03-06")[:2], (11.98, 40.0))

    def test_rate_of_the_semester_the_delay_started_in(self):
        # Due 20 December 2024, computed on 19 January 2025: 11 days in 2024-S2, 19 in 2025-S1. The rate is the
        # ECB rate of 1 July 2024 (4.25 %) + 8 = 12.25 % for the whole delay (R2192-31), not the 3.15 % of
        # 1 January 2025: 1,200.00 x 12.25 % x 11 / 365 = 4.43, x 19 / 365 = 7.65; 4.43 + 7.65 = 12.08
        # (read per semester it would be 4.43 + 1,200.00 x 11.15 % x 19 / 365 = 4.43 + 6.96 = 11.39).
        invoice = self._invoice(self.town_hall, 1000.0, "2024-11-20", due_date="2024-12-20")
        self.assertEqual(self._late(invoice, "2025-01-19")[0], 12.08)
        # A missing rate of a later semester (2026-S2 is not shipped) does not stop it: due 10 June 2026,
        # 30 days on 10 July 2026 at 10.15 %: 1,200.00 x 10.15 % x 20 / 365 = 6.67, x 10 / 365 = 3.34: 10.01.
        late_invoice = self._invoice(self.town_hall, 1000.0, "2026-05-11", due_date="2026-06-10")
        penalties, indemnity, detail = self._late(late_invoice, "2026-07-10")
        self.assertEqual((penalties, indemnity), (10.01, 40.0))
        self.assertFalse(detail.get("error"))

    def test_letters_state_the_public_procurement_rule(self):
        invoice = self._invoice(self.town_hall, 1000.0, "2026-01-05", due_date="2026-02-04")
        letter = self._action(self.town_hall, invoice, "2026-03-06")
        with freeze_time("2026-03-06"):
            tree = self._render(self.LETTER, letter)
        self.assertFalse(tree.xpath("//p[@name='legal_b2b']"))
        public = self._texts(tree, "//p[@name='legal_public_buyer']")[0]
        self.assertIn("R2192-31", public)
        self.assertIn("8 points", public)
        self.assertIn("sans qu'un rappel soit nécessaire", public)
        self.assertEqual(self._texts(tree, "//*[@name='late_penalties_amount']"), ["10,01 €"])
        self.assertEqual(self._texts(tree, "//*[@name='recovery_indemnity_amount']"), ["40,00 €"])
        # 1,200.00 + 10.01 + 40.00 = 1,250.01
        self.assertEqual(self._texts(tree, "//*[@name='total_with_late_amounts_amount']"), ["1 250,01 €"])
        notice = self._action(self.town_hall, invoice, "2026-03-06", channel="registered_letter")
        with freeze_time("2026-03-06"):
            values = notice._formal_notice_values()
            tree = self._render(self.NOTICE, notice)
        self.assertEqual((values["penalties"], values["indemnity"], values["total"]), (10.01, 40.0, 1250.01))
        text = self._texts(tree, "//p[@name='legal_b2b']")[0]
        self.assertIn("L2192-13", text)
        self.assertIn("taux BCE en vigueur au premier jour du semestre", text)
        self.assertIn("10,15 %", text)
        self.assertIn("D2192-35", text)
        self.assertNotIn("L441-10", text)

    def test_no_order_for_payment_against_a_public_person(self):
        invoice = self._invoice(self.town_hall, 1000.0, "2026-01-05", due_date="2026-02-04")
        case = (
            self.env["credit.recovery.case"]
            .with_user(self.credit_manager)
            .create(
                {
                    "partner_id": self.town_hall.id,
                    "move_ids": [Command.set(invoice.ids)],
                    "certainty_override_reason": "Proofs on paper.",
                }
            )
        )
        self.assertEqual(case.court_jurisdiction, "civil")
        with self.assertRaisesRegex(UserError, "administrative court"):
            case.with_user(self.credit_manager).action_open()
        case.with_user(self.credit_manager).write({"route": "refere"})
        case.with_user(self.credit_manager).action_open()
        self.assertEqual(case.state, "open")
