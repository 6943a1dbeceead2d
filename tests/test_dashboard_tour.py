from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCreditRecoveryDashboardTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Python 3.11.7's parser is not thread-safe (CPython gh-106905): read the add-ons' manifests
        # once here, before the browser's concurrent first requests make the server threads do it.
        if "account_credit_recovery" not in http.root.statics:
            raise RuntimeError("account_credit_recovery does not serve its static files")
        company = cls.env.company
        cls.controller = new_test_user(
            cls.env,
            login="tour_dashboard_controller",
            name="Dashboard Controller",
            groups="base.group_user,account_credit_recovery.group_credit_controller",
            company_id=company.id,
            company_ids=[company.id],
        )
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
