from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..tools import interest
from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestLegalRates(CreditRecoveryCommon):
    """Official rates and the interest arithmetic of French law, to the cent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rate = cls.env["credit.recovery.rate"]
        # Official rates are shared by every company: the Credit Manager who edits them belongs to every one.
        cls.credit_manager.company_ids = cls.env["res.company"].search([])

    # ----------------------------------------------------------------------------------------------------
    # Pure arithmetic (tools/interest.py)
    # ----------------------------------------------------------------------------------------------------
    def test_split_period_at_semesters_and_rate_changes(self):
        # Days after 15 June up to 15 July: 16-30 June, then 1-15 July.
        self.assertEqual(
            interest.split_period(date(2025, 6, 15), date(2025, 7, 15)),
            [(date(2025, 6, 16), date(2025, 6, 30)), (date(2025, 7, 1), date(2025, 7, 15))],
        )
        # A rate change on 8 February starts a new segment that day.
        self.assertEqual(
            interest.split_period(date(2023, 1, 31), date(2023, 2, 20), [date(2023, 2, 8)]),
            [(date(2023, 2, 1), date(2023, 2, 7)), (date(2023, 2, 8), date(2023, 2, 20))],
        )
        self.assertEqual(interest.split_period(date(2025, 7, 1), date(2025, 7, 1)), [])
        self.assertEqual(interest.semester_name(date(2026, 7, 1)), "2026-S2")
        self.assertEqual(interest.semester_name(date(2026, 6, 30)), "2026-S1")
        self.assertEqual(interest.round_amount(0.125), 0.13)

    def test_base_pieces_shrink_the_day_after_each_payment(self):
        pieces = interest.base_pieces(
            1200.0, [(date(2025, 10, 10), 600.0)], date(2025, 9, 30), date(2025, 10, 30)
        )
        self.assertEqual(
            pieces,
            [
                (date(2025, 9, 30), date(2025, 10, 10), 1200.0),
                (date(2025, 10, 10), date(2025, 10, 30), 600.0),
            ],
        )
        # Paid in full: nothing accrues after the payment date.
        pieces = interest.base_pieces(
            1200.0, [(date(2025, 10, 15), 1200.0)], date(2025, 9, 30), date(2025, 12, 1)
        )
        self.assertEqual(pieces, [(date(2025, 9, 30), date(2025, 10, 15), 1200.0)])

    # ----------------------------------------------------------------------------------------------------
    # Worked examples (compute_interest)
    # ----------------------------------------------------------------------------------------------------
    def test_b2b_default_worked_example(self):
        # F23211 style: 10 000 EUR, default rate of 2025-S2 = ECB 2.15 % on 1 July + 10 = 12.15 %, 30 days
        # (2 September to 1 October 2025): 10000 * 12.15 / 100 * 30 / 365 = 99.863... = 99.86
        self.assertEqual(
            self.Rate.with_user(self.credit_controller).compute_interest(
                10000.0, date(2025, 9, 1), date(2025, 10, 1), "b2b_default"
            ),
            99.86,
        )
        # F23211 style, invoice of 1 200 EUR incl. VAT due 31 March 2024, paid 15 May 2024 (45 days),
        # 2024-S1 rate = 4.50 + 10 = 14.50 %: 1200 * 14.50 / 100 * 45 / 365 = 21.452... = 21.45
        self.assertEqual(
            self.Rate.compute_interest(1200.0, date(2024, 3, 31), date(2024, 5, 15), "b2b_default"), 21.45
        )

    def test_legal_interest_worked_example(self):
        # service-public (F20688) style: 5 000 EUR owed by a company creditor's debtor, legal rate "other
        # cases" of 2025-S1 = 3.71 %, from the formal notice of 15 February 2025 to 31 May 2025:
        # 13 + 31 + 30 + 31 = 105 days: 5000 * 3.71 / 100 * 105 / 365 = 53.363... = 53.36
        self.assertEqual(
            self.Rate.compute_interest(5000.0, date(2025, 2, 15), date(2025, 5, 31), "legal_other"), 53.36
        )
        # Same claim, private-person creditor, 2025-S1 = 7.21 %: 5000 * 7.21 / 100 * 105 / 365 = 103.705...
        self.assertEqual(
            self.Rate.compute_interest(5000.0, date(2025, 2, 15), date(2025, 5, 31), "legal_private"), 103.71
        )

    def test_semester_straddle(self):
        # 16-30 June 2025 (15 days) at 13.15 %: 10000 * 13.15 / 100 * 15 / 365 = 54.041... = 54.04
        # 1-15 July 2025 (15 days) at 12.15 %: 10000 * 12.15 / 100 * 15 / 365 = 49.931... = 49.93
        # each segment rounded, then added: 103.97
        self.assertEqual(
            self.Rate.compute_interest(10000.0, date(2025, 6, 15), date(2025, 7, 15), "b2b_default"), 103.97
        )

    def test_ecb_change_mid_semester_keeps_the_default_rate(self):
        # The ECB rate moved on 8 February (3.00 %) and 22 March 2023 (3.50 %), but the default rate of
        # 2023-S1 stays the rate in force on 1 January (2.50 %) + 10 = 12.50 % for the whole semester:
        # 31 January to 30 April = 28 + 31 + 30 = 89 days: 10000 * 12.50 / 100 * 89 / 365 = 304.794... = 304.79
        self.assertEqual(
            self.Rate.compute_interest(10000.0, date(2023, 1, 31), date(2023, 4, 30), "b2b_default"), 304.79
        )
        # Legal rates switch per semester: 21-30 June 2023 at 2.06 % then 1-10 July at 4.22 %:
        # 10000 * 2.06 / 100 * 10 / 365 = 5.643... = 5.64; 10000 * 4.22 / 100 * 10 / 365 = 11.561... = 11.56
        self.assertEqual(
            self.Rate.compute_interest(10000.0, date(2023, 6, 20), date(2023, 7, 10), "legal_other"), 17.20
        )

    def test_leap_year_divides_by_365(self):
        # 2 February to 1 March 2024 = 29 days (29 February included), 2024-S1 = 14.50 %, still / 365:
        # 10000 * 14.50 / 100 * 29 / 365 = 115.205... = 115.21
        self.assertEqual(
            self.Rate.compute_interest(10000.0, date(2024, 2, 1), date(2024, 3, 1), "b2b_default"), 115.21
        )

    def test_fixed_rate_and_extra_points(self):
        # Contractual 10 % + 5 points after a court decision, 73 days: 1000 * 15 / 100 * 73 / 365 = 30.00
        self.assertEqual(
            self.Rate.compute_interest(
                1000.0, date(2025, 1, 1), date(2025, 3, 15), "legal_other", extra_points=5.0, fixed_rate=10.0
            ),
            30.0,
        )
        # Legal rate 2025-S2 (2.76 %) + 5 points, 30 days: 1000 * 7.76 / 100 * 30 / 365 = 6.378... = 6.38
        self.assertEqual(
            self.Rate.compute_interest(
                1000.0, date(2025, 9, 1), date(2025, 10, 1), "legal_other", extra_points=5.0
            ),
            6.38,
        )

    def test_missing_rate_names_the_semester(self):
        with self.assertRaisesRegex(UserError, "2026-S2"):
            self.Rate.compute_interest(1000.0, date(2026, 6, 30), date(2026, 7, 10), "b2b_default")
        with self.assertRaisesRegex(UserError, "2026-S2"):
            self.Rate.compute_interest(1000.0, date(2026, 6, 30), date(2026, 7, 10), "legal_other")
        # The first semester of 2026 is known: 2.15 % + 10 = 12.15 %, and 2.62 % for legal interest.
        self.assertEqual(self.Rate._rate_in_force("b2b_default", date(2026, 3, 1)), 12.15)
        self.assertEqual(self.Rate._rate_in_force("legal_other", date(2026, 3, 1)), 2.62)
        # Once the manager enters the ECB rate in force on 1 July 2026, the computation runs.
        self.Rate.with_user(self.credit_manager).create(
            {"kind": "ecb_mro", "date_start": "2026-07-01", "rate": 2.0}
        )
        # 10 days of July 2026 at 12 %: 1000 * 12 / 100 * 10 / 365 = 3.287... = 3.29
        self.assertEqual(
            self.Rate.compute_interest(1000.0, date(2026, 6, 30), date(2026, 7, 10), "b2b_default"), 3.29
        )

    # ----------------------------------------------------------------------------------------------------
    # Access, settings, daily check
    # ----------------------------------------------------------------------------------------------------
    def test_rates_access(self):
        rate = self.env.ref("account_credit_recovery.credit_recovery_rate_legal_other_2026_s1")
        self.assertEqual(rate.with_user(self.credit_controller).rate, 2.62)
        with self.assertRaises(AccessError):
            rate.with_user(self.credit_controller).write({"rate": 3.0})
        with self.assertRaises(AccessError):
            self.Rate.with_user(self.credit_controller).create(
                {"kind": "legal_other", "date_start": "2026-07-01", "rate": 2.5}
            )
        rate.with_user(self.credit_manager).write({"rate": 2.63, "note": "corrected"})
        self.assertEqual(rate.rate, 2.63)
        new_rate = self.Rate.with_user(self.credit_manager).create(
            {"kind": "legal_other", "date_start": "2026-07-01", "rate": 2.5, "note": "arrêté test"}
        )
        self.assertEqual(new_rate.semester, "2026-S2")

    @freeze_time("2026-03-02")
    def test_contractual_rate_floor(self):
        company = self.company.with_user(self.credit_manager)
        # 2026-S1 legal rate "other cases" 2.62 %: floor 3 x 2.62 = 7.86 %.
        with self.assertRaisesRegex(ValidationError, r"7\.86.*2\.62") as caught:
            company.write({"credit_penalty_basis": "contractual", "credit_penalty_rate": 5.0})
        self.assertIn("5.0", str(caught.exception))
        company.write({"credit_penalty_basis": "contractual", "credit_penalty_rate": 8.0})
        self.assertEqual(self.company.credit_penalty_rate, 8.0)
        settings = self.env["res.config.settings"].with_user(self.env.user).create({})
        self.assertEqual(settings.credit_penalty_basis, "contractual")
        self.assertEqual(settings.credit_recovery_indemnity_amount, 40.0)

    def test_early_payment_text_defaults(self):
        self.assertEqual(
            self.company.with_context(lang="fr_FR").credit_early_payment_discount_text,
            "Pas d'escompte pour paiement anticipé.",
        )
        self.assertEqual(
            self.company.with_context(lang="en_US").credit_early_payment_discount_text,
            "No discount for early payment.",
        )

    def test_cron_warns_once_when_the_semester_has_no_rate(self):
        cron = self.env.ref("account_credit_recovery.ir_cron_credit_recovery_rate_check")
        activities = self.env["mail.activity"].search([("res_model", "=", "credit.recovery.rate")])
        managers = self.env.ref("account.group_account_manager").users.filtered(lambda user: not user.share)
        with freeze_time("2026-03-02"):
            cron.method_direct_trigger()
        self.assertFalse(
            self.env["mail.activity"].search([("res_model", "=", "credit.recovery.rate")]) - activities
        )
        with freeze_time("2026-07-02"):
            cron.method_direct_trigger()
            cron.method_direct_trigger()
        new_activities = (
            self.env["mail.activity"].search([("res_model", "=", "credit.recovery.rate")]) - activities
        )
        self.assertTrue(new_activities)
        self.assertEqual(new_activities.user_id, managers)
        self.assertEqual(len(new_activities), len(managers), "one activity per manager, not one per run")
        self.assertIn("2026-S2", new_activities[0].summary)
