from odoo.tests import tagged

from .common import CreditRecoveryTourCase


@tagged("post_install", "-at_install")
class TestCreditRecoveryDashboardTour(CreditRecoveryTourCase):
    tour_login = "tour_dashboard_controller"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        customer = cls.env["res.partner"].create({"name": "AAA Dashboard Customer SAS", "is_company": True})
        level = company.credit_default_policy_id.level_ids[:1]
        cls.env["credit.recovery.action"].create(
            {
                "partner_id": customer.id,
                "level_id": level.id,
                "channel": "phone",
                "user_id": cls.controller.id,
            }
        )
        cls.customer = customer

    def test_dashboard_log_call(self):
        self.start_tour("/odoo", "account_credit_recovery_dashboard", login=self.controller.login)
        self.assertIn("Next call on 2099-12-31", self.customer.message_ids[:1].body)
