from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestGatesSettings(CreditRecoveryCommon):
    """Bad input is refused with nothing written; settings stay in their company; the trail is kept."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.setup_other_company(name="Filiale Lyon SAS")["company"]

    @freeze_time("2026-04-20")
    def test_percentages_and_amounts_in_range(self):
        customer = self.customer.with_user(self.credit_controller)
        customer.credit_deposit_percent = 30.0
        for percent in (-5.0, 120.0):
            with self.subTest(percent=percent), self.assertRaises(ValidationError):
                customer.credit_deposit_percent = percent
        self.assertEqual(self.customer.credit_deposit_percent, 30.0)
        invoice = self._invoice(self.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        plan = self.env["credit.recovery.plan"].create(
            {
                "partner_id": self.customer.id,
                "line_ids": [
                    Command.set(
                        invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable").ids
                    )
                ],
                "amount_total": 1200.0,
            }
        )
        with self.assertRaises(ValidationError):
            plan.write(
                {
                    "instalment_ids": [
                        Command.create({"date": "2026-05-01", "amount": 1500.0}),
                        Command.create({"date": "2026-06-01", "amount": -300.0}),
                    ]
                }
            )
        self.assertFalse(plan.instalment_ids)

    @freeze_time("2026-04-20")
    def test_payment_plan_in_the_currency_of_the_debt(self):
        usd = self.setup_other_currency("USD", rates=[("2026-01-01", 2.0)])
        invoice = self._invoice(
            self.customer, 1000.0, "2026-03-01", due_date="2026-03-31", currency_id=usd.id
        )
        line = invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        before = self.env["credit.recovery.plan"].search_count([("partner_id", "=", self.customer.id)])
        with self.assertRaises(ValidationError):
            self.env["credit.recovery.plan"].with_user(self.credit_controller).create(
                {"partner_id": self.customer.id, "line_ids": [Command.set(line.ids)], "amount_total": 600.0}
            )
        self.assertEqual(
            self.env["credit.recovery.plan"].search_count([("partner_id", "=", self.customer.id)]), before
        )

    @freeze_time("2026-04-20")
    def test_penalties_up_to_a_day_past(self):
        wizard = self.env["credit.recovery.penalty.invoice.wizard"].with_user(self.credit_controller)
        with self.assertRaises(ValidationError):
            wizard.create({"date": "2026-04-21"})
        self.assertEqual(str(wizard.create({"date": "2026-04-20"}).date), "2026-04-20")

    def test_official_rates(self):
        rate = self.env["credit.recovery.rate"].search([("kind", "=", "ecb_mro")], limit=1)
        before = rate.rate
        # Rates are shared by every company: a Credit Manager of every company may edit them.
        self.credit_manager.company_ids = self.env["res.company"].search([])
        with self.assertRaises(ValidationError):
            rate.with_user(self.credit_manager).rate = 215.0
        with self.assertRaises(AccessError):
            rate.with_user(self.credit_controller).rate = 2.0
        self.assertEqual(rate.rate, before)
        accounting_admin = self._company_user(
            "accounting_admin", "base.group_user,account.group_account_manager"
        )
        rate.with_user(accounting_admin).note = "Checked against the ECB site."
        self.assertEqual(rate.note, "Checked against the ECB site.")

    def test_company_settings_stay_in_their_company(self):
        manager = self.company.with_user(self.credit_manager)
        manager.credit_hold_overdue_days = 45
        self.assertEqual(self.company.credit_hold_overdue_days, 45)
        foreign_journal = self.env["account.journal"].search(
            [("company_id", "=", self.other_company.id), ("type", "=", "general")], limit=1
        )
        with self.assertRaises(ValidationError):
            manager.credit_doubtful_journal_id = foreign_journal
        self.assertFalse(self.company.credit_doubtful_journal_id)
        foreign_policy = self.other_company.credit_default_policy_id
        with self.assertRaises(ValidationError):
            manager.credit_default_policy_id = foreign_policy
        self.assertNotEqual(self.company.credit_default_policy_id, foreign_policy)
        with self.assertRaises(ValidationError):
            manager.credit_deposit_percent_high = 140.0
        # Nothing but the credit settings, and not as a Credit Controller.
        with self.assertRaises(AccessError):
            manager.name = "Renamed"
        with self.assertRaises(AccessError):
            self.company.with_user(self.credit_controller).credit_hold_overdue_days = 10
        self.assertEqual(self.company.credit_hold_overdue_days, 45)

    def test_deposit_schedule_follows_its_company(self):
        schedule = self.env["credit.recovery.deposit.schedule"].create(
            {
                "name": "50 / 50",
                "line_ids": [Command.create({"percent": 50.0}), Command.create({"percent": 50.0})],
            }
        )
        self.assertEqual(schedule.company_id, self.company)
        self.assertEqual(schedule.line_ids.company_id, self.company)
        other_user = self._company_user(
            "other_company_manager",
            "base.group_user,account_credit_recovery.group_credit_manager",
            company=self.other_company,
        )
        Schedule = self.env["credit.recovery.deposit.schedule"].with_user(other_user)
        self.assertFalse(Schedule.search([("id", "=", schedule.id)]))
        Line = self.env["credit.recovery.deposit.schedule.line"].with_user(other_user)
        self.assertEqual(Line.search_count([("schedule_id", "=", schedule.id)]), 0)
