from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestCreditRecoverySecurity(CreditRecoveryCommon):
    def _visible_menus(self, user):
        return self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()

    def test_groups(self):
        controller = self.env.ref("account_credit_recovery.group_credit_controller")
        manager = self.env.ref("account_credit_recovery.group_credit_manager")
        self.assertIn(self.env.ref("account.group_account_invoice"), controller.implied_ids)
        self.assertIn(controller, manager.implied_ids)
        self.assertEqual(
            controller.category_id, self.env.ref("account_credit_recovery.module_category_credit_recovery")
        )
        self.assertTrue(
            self.env.ref("base.user_admin").has_group("account_credit_recovery.group_credit_manager")
        )
        self.assertTrue(self.credit_manager.has_group("account_credit_recovery.group_credit_controller"))
        self.assertTrue(self.credit_controller.has_group("account.group_account_invoice"))
        self.assertFalse(self.credit_controller.has_group("account_credit_recovery.group_credit_manager"))
        self.assertFalse(self.salesman.has_group("account_credit_recovery.group_credit_controller"))

    def test_menus(self):
        root = self.env.ref("account_credit_recovery.credit_recovery_menu_root")
        customers = self.env.ref("account_credit_recovery.credit_recovery_menu_customers")
        config = self.env.ref("account_credit_recovery.credit_recovery_menu_config")
        rules = self.env.ref("account_credit_recovery.credit_recovery_menu_credit_rules")
        for user in (self.credit_controller, self.credit_manager):
            visible = self._visible_menus(user)
            self.assertIn(root.id, visible)
            self.assertIn(customers.id, visible)
        self.assertNotIn(config.id, self._visible_menus(self.credit_controller))
        self.assertIn(rules.id, self._visible_menus(self.credit_manager))
        self.assertNotIn(root.id, self._visible_menus(self.salesman))

    def test_credit_rules_action(self):
        action = self.env["res.company"].with_user(self.credit_manager).action_credit_open_rules()
        self.assertEqual(action["res_id"], self.company.id)
        self.company.with_user(self.credit_manager).write({"credit_review_months_high": 2})
        self.assertEqual(self.company.credit_review_months_high, 2)
        with self.assertRaises(AccessError):
            self.company.with_user(self.credit_controller).write({"credit_review_months_high": 4})
        other = self.setup_other_company(name="Filiale Lyon SAS")["company"]
        with self.assertRaises(AccessError):
            # a Credit Manager of one company does not tune the rules of another
            other.with_user(self.credit_manager).write({"credit_review_months_high": 4})

    def test_partner_profile_readable_by_sales_and_invoicing(self):
        for user in (self.salesman, self.invoicing_user, self.credit_controller):
            customer = self.customer.with_user(user)
            self.assertEqual(customer.credit_collective_proceeding, "none")
            self.assertEqual(customer.credit_exposure, 0.0)
