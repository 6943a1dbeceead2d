"""Issue #14: a public buyer's legal payment period caps its terms, starts its moratory interest and its
debt lapses under the four-year rule (CCP R2192-10 to R2192-36; loi n° 68-1250 du 31 décembre 1968)."""

from datetime import date

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .test_law_edges import LawEdgesCommon


@tagged("post_install", "-at_install")
class TestPublicBuyerTerms(LawEdgesCommon):
    LETTER = "account_credit_recovery.action_report_credit_recovery_letter"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.town_hall = cls.env["res.partner"].create(
            {
                "name": "Commune de Bron",
                "is_company": True,
                "zip": "69500",
                "city": "Bron",
                "country_id": cls.env.ref("base.fr").id,
                "lang": "fr_FR",
                "credit_public_buyer_kind": "state_local",
            }
        )
        cls.hospital = cls.env["res.partner"].create(
            {
                "name": "Centre hospitalier de Vienne",
                "is_company": True,
                "country_id": cls.env.ref("base.fr").id,
                "credit_public_buyer_kind": "health",
            }
        )

    def _late(self, invoice, day):
        detail = invoice._credit_claimable_details(fields.Date.to_date(day))[invoice]
        return round(sum(item["amount"] for item in detail["penalties"]), 2), detail["indemnity"]

    @freeze_time("2026-01-05")
    def test_due_date_beyond_the_legal_period_is_flagged(self):
        def flags(partner, due):
            move = self._invoice(partner, 100.0, "2026-01-05", due_date=due, post=False).with_user(
                self.invoicing_user
            )
            return move.credit_payment_term_warning, move.credit_presend_issues or ""

        # State / local authority: 5 January + 30 days = 4 February 2026.
        self.assertEqual(flags(self.town_hall, "2026-02-04"), (False, ""))
        # 45 days is within L441-10 for a business, not for a public buyer.
        warning, issues = flags(self.town_hall, "2026-02-19")
        self.assertIn("legal payment period of this public buyer", warning)
        self.assertIn("30 days", warning)
        self.assertIn("02/04/2026", warning)
        self.assertIn("R2192-10", warning)
        self.assertIn("beyond the legal payment period of a public buyer", issues)
        self.assertIn("02/04/2026", issues)
        self.assertNotIn("L441-10", warning + issues)
        self.assertEqual(flags(self.customer, "2026-02-19"), (False, ""))
        # Public health establishment: 5 January + 50 days = 24 February 2026.
        self.assertEqual(flags(self.hospital, "2026-02-24"), (False, ""))
        warning, issues = flags(self.hospital, "2026-02-25")
        self.assertIn("50 days", warning)
        self.assertIn("02/24/2026", issues)
        # The pre-send check blocks as it does for the L441-10 caps.
        self.company.with_user(self.credit_manager).credit_presend_mode = "block"
        move = self._invoice(self.town_hall, 100.0, "2026-01-05", due_date="2026-03-06", post=False)
        self.assertEqual(move.credit_presend_status, "blocked")

    def test_interest_runs_from_the_end_of_the_legal_period(self):
        # Invoiced 5 January 2026, agreed due date 6 March (60 days), legal period ends 4 February: on
        # 6 March 30 days are late at ECB 2.15 % + 8 = 10.15 %: 1,200.00 x 10.15 % x 30 / 365 = 10.01, and the
        # 40 EUR (with the agreed due date it would be nothing yet).
        invoice = self._invoice(self.town_hall, 1000.0, "2026-01-05", due_date="2026-03-06")
        self.assertEqual(self._late(invoice, "2026-03-06"), (10.01, 40.0))
        # On 1 March, before the agreed due date: 25 days, 1,200.00 x 10.15 % x 25 / 365 = 8.34.
        self.assertEqual(self._late(invoice, "2026-03-01"), (8.34, 40.0))
        self.assertEqual(invoice.with_context(credit_recovery_date="2026-03-01").credit_days_overdue, 25)
        # An agreed date earlier than the legal period stays: due 20 January, on 6 March 45 days late:
        # 1,200.00 x 10.15 % x 45 / 365 = 15.02.
        early = self._invoice(self.town_hall, 1000.0, "2026-01-05", due_date="2026-01-20")
        self.assertEqual(self._late(early, "2026-03-06"), (15.02, 40.0))
        # A business customer keeps its agreed due date: nothing late on 6 March.
        business = self._invoice(self.customer, 1000.0, "2026-01-05", due_date="2026-03-06")
        self.assertEqual(self._late(business, "2026-03-06"), (0.0, 0.0))

    def test_four_year_lapse(self):
        # Invoiced in 2026: four years from 1 January 2027, the last day is 31 December 2030 (a business
        # customer's claim prescribes 5 years after its due date, 4 February 2031).
        invoice = self._invoice(self.town_hall, 1000.0, "2026-01-05", due_date="2026-02-04")
        self.assertEqual(invoice.credit_prescription_date, date(2030, 12, 31))
        business = self._invoice(self.customer, 1000.0, "2026-01-05", due_date="2026-02-04")
        self.assertEqual(business.credit_prescription_date, date(2031, 2, 4))
        # The year the right arose is the invoice's, even when the due date falls in the next year.
        december = self._invoice(self.town_hall, 1000.0, "2026-12-10", due_date="2027-01-09")
        self.assertEqual(december.credit_prescription_date, date(2030, 12, 31))
        # A draft letter or a phone call interrupts nothing.
        self._action(self.town_hall, december, "2027-02-26", state="draft")
        self._action(self.town_hall, december, "2027-02-27", channel="phone", state="done")
        self.assertEqual(december.credit_prescription_date, date(2030, 12, 31))
        # A written claim sent (loi n° 68-1250, art. 2) on 1 March 2027: four years from 1 January 2028.
        letter = self._action(self.town_hall, december, "2027-03-01", state="draft")
        letter.state = "done"
        self.assertEqual(december.credit_prescription_date, date(2031, 12, 31))
        # A partial payment on 10 May 2029: four years from 1 January 2030.
        self._pay(december, amount=200.0, payment_date="2029-05-10")
        december.invalidate_recordset(["credit_prescription_date"])
        self.assertEqual(december.credit_prescription_date, date(2033, 12, 31))
        # A written claim to a business customer is no interruption (C. civ. 2240-2244).
        self._action(self.customer, business, "2027-03-01", state="done")
        self.assertEqual(business.credit_prescription_date, date(2031, 2, 4))
        # Marked as a public buyer afterwards, its invoice of 2026 lapses under the four-year rule, and the
        # letter of 1 March 2027 interrupted it: four years from 1 January 2028, 31 December 2031.
        self.customer.with_user(self.credit_manager).credit_public_buyer_kind = "state_local"
        self.assertEqual(business.credit_prescription_date, date(2031, 12, 31))

    def test_letter_states_the_four_year_lapse(self):
        invoice = self._invoice(self.town_hall, 1000.0, "2026-01-05", due_date="2026-02-04")
        letter = self._action(self.town_hall, invoice, "2026-03-06")
        with freeze_time("2026-03-06"):
            tree = self._render(self.LETTER, letter)
        text = self._texts(tree, "//p[@name='legal_public_buyer_lapse']")[0]
        self.assertIn("loi n° 68-1250 du 31 décembre 1968", text)
        self.assertIn("prescription quadriennale", text)
        business_letter = self._action(
            self.customer, self._invoice(self.customer, 10.0, "2026-01-05"), "2026-03-06"
        )
        with freeze_time("2026-03-06"):
            tree = self._render(self.LETTER, business_letter)
        self.assertFalse(tree.xpath("//p[@name='legal_public_buyer_lapse']"))

    def test_letter_on_the_reclassified_debt_interrupts_the_lapse(self):
        # Invoiced 5 January 2026 to a town hall: lapses on 31 December 2030. Reclassified to 416 on
        # 15 March 2026 (no acknowledgement, C. civ. 2240), then claimed by a letter on its 416 item sent on
        # 1 March 2027 (loi n° 68-1250, art. 2): four years from 1 January 2028, 31 December 2031.
        invoice = self._invoice(self.town_hall, 1000.0, "2026-01-05", due_date="2026-02-04")
        with freeze_time("2026-03-15"):
            self.env["credit.recovery.doubtful.line"].with_user(self.credit_manager)._credit_reclassify(
                invoice, date(2026, 3, 15)
            )
        item_416 = invoice.credit_doubtful_move_line_id
        self.assertTrue(item_416)
        self.assertEqual(invoice.credit_prescription_date, date(2030, 12, 31))
        letter = self.env["credit.recovery.action"].create(
            {
                "partner_id": self.town_hall.id,
                "company_id": self.company.id,
                "level_id": self.letter_level.id,
                "channel": "letter",
                "state": "draft",
                "date": "2027-03-01",
                "user_id": self.credit_controller.id,
                "line_ids": [fields.Command.set(item_416.ids)],
                "amount_due": item_416.amount_residual,
                "amount_overdue": item_416.amount_residual,
            }
        )
        self.assertEqual(invoice.credit_prescription_date, date(2030, 12, 31))
        letter.state = "done"
        self.assertEqual(invoice.credit_prescription_date, date(2031, 12, 31))
