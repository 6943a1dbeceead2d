from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestGatesCompanySettings(CreditRecoveryCommon):
    """Credit Managers write the credit settings of their own companies, with their own rights, checked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.setup_other_company(name="Filiale Lyon SAS")["company"]
        cls.manager_company = cls.company.with_user(cls.credit_manager)

    def test_credit_settings_written_without_elevated_rights(self):
        self.assertFalse(self.credit_manager.has_group("base.group_erp_manager"))
        self.manager_company.write({"credit_hold_overdue_days": 45, "credit_deposit_percent_high": 40.0})
        self.assertEqual(self.company.credit_hold_overdue_days, 45)
        self.assertEqual(self.company.credit_deposit_percent_high, 40.0)
        self.assertEqual(self.company.write_uid, self.credit_manager)
        # Nothing but the credit settings: not a company field, not mixed with one.
        for vals in (
            {"name": "Renamed"},
            {"account_use_credit_limit": False},
            {"credit_hold_overdue_days": 10, "email": "credit@example.com"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                self.manager_company.write(vals)
        self.assertEqual(self.company.credit_hold_overdue_days, 45)
        self.assertTrue(self.company.account_use_credit_limit)
        self.assertNotEqual(self.company.name, "Renamed")
        # Not another company's settings, nor as a Credit Controller.
        with self.assertRaises(AccessError):
            self.other_company.with_user(self.credit_manager).credit_hold_overdue_days = 5
        self.assertEqual(self.other_company.credit_hold_overdue_days, 30)
        with self.assertRaises(AccessError):
            self.company.with_user(self.credit_controller).credit_hold_overdue_days = 5
        self.assertEqual(self.company.credit_hold_overdue_days, 45)

    def test_accounts_and_journal_of_the_right_type(self):
        revenue = self.company_data["default_account_revenue"]
        sale_journal = self.company_data["default_journal_sale"]
        for fname, record in (
            ("credit_doubtful_account_id", revenue),
            ("credit_loss_account_id", self.company_data["default_account_receivable"]),
            ("credit_loss_vat_account_id", revenue),
            ("credit_doubtful_journal_id", sale_journal),
        ):
            with self.subTest(setting=fname), self.assertRaises(ValidationError):
                self.manager_company.write({fname: record.id})
            self.assertFalse(self.company[fname])
        doubtful = self.company._credit_find_account(("416",))
        self.assertEqual(doubtful.account_type, "asset_current")
        self.manager_company.credit_doubtful_account_id = doubtful
        self.assertEqual(self.company.credit_doubtful_account_id, doubtful)

    def test_amounts_and_percentages_in_range(self):
        for vals in (
            {"credit_deposit_percent_low": -1.0},
            {"credit_deposit_percent_medium": 100.5},
            {"credit_overdue_tolerance": -5.0},
            {"credit_hold_overdue_days": -1},
            {"credit_recovery_indemnity_amount": -40.0},
            {"credit_penalty_basis": "contractual", "credit_penalty_rate": 150.0},
            {"credit_portal_plan_min_first_percent": 100.0},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                self.manager_company.write(vals)
        self.assertEqual(self.company.credit_deposit_percent_low, 0.0)
        self.assertEqual(self.company.credit_overdue_tolerance, 1.0)
        self.assertEqual(self.company.credit_hold_overdue_days, 30)
        self.assertEqual(self.company.credit_recovery_indemnity_amount, 40.0)
        self.assertEqual(self.company.credit_penalty_basis, "legal_default")


@tagged("post_install", "-at_install")
class TestGatesOfficialRates(CreditRecoveryCommon):
    """Official rates serve every company: a Credit Manager of some companies only does not change them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_other_company(name="Filiale Lyon SAS")
        cls.Rate = cls.env["credit.recovery.rate"]
        cls.rate = cls.Rate.search([("kind", "=", "ecb_mro")], limit=1)

    def test_manager_of_one_company_refused(self):
        before = (self.rate.rate, self.Rate.search_count([]))
        Rate = self.Rate.with_user(self.credit_manager)
        with self.assertRaises(AccessError):
            self.rate.with_user(self.credit_manager).rate = 2.0
        with self.assertRaises(AccessError):
            Rate.create({"kind": "ecb_mro", "date_start": "2031-01-01", "rate": 2.0})
        with self.assertRaises(AccessError):
            self.rate.with_user(self.credit_manager).unlink()
        with self.assertRaises(AccessError):
            self.env["credit.recovery.rate.semester.wizard"].with_user(self.credit_manager).create(
                {"date_start": "2031-01-01", "legal_private_rate": 6.5, "legal_other_rate": 2.9}
            ).action_confirm()
        self.assertEqual((self.rate.rate, self.Rate.search_count([])), before)

    def test_manager_of_every_company_and_accounting_administrator(self):
        everywhere = new_test_user(
            self.env,
            login="group_credit_manager",
            groups="base.group_user,account_credit_recovery.group_credit_manager",
            company_id=self.company.id,
            company_ids=self.env["res.company"].search([]).ids,
        )
        self.rate.with_user(everywhere).note = "Checked against the ECB site."
        self.assertEqual(self.rate.note, "Checked against the ECB site.")
        accounting_admin = self._company_user(
            "accounting_admin_rates", "base.group_user,account.group_account_manager"
        )
        created = self.Rate.with_user(accounting_admin).create(
            {"kind": "ecb_mro", "date_start": "2031-01-01", "rate": 2.0}
        )
        self.assertEqual(created.rate, 2.0)
        created.with_user(accounting_admin).unlink()
        self.assertFalse(created.exists())
