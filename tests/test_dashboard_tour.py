import unittest

from odoo import fields
from odoo.tests import tagged

from .common import CreditRecoveryTourCase

DEMO_COMPANY = "account_credit_recovery.company_ateliers_dupont_demo"


@tagged("post_install", "-at_install")
class TestCreditRecoveryDashboardTour(CreditRecoveryTourCase):
    """The credit controller's day on the demo data, in French, as the demo's Credit Controller and Manager:
    today's daily run, then the dashboard's calls, formal notice and letters."""

    tour_login = "tour_dashboard_controller"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.ref(DEMO_COMPANY, raise_if_not_found=False)
        if not company:
            raise unittest.SkipTest("The tours of the controller's day run on the demo data.")
        cls.demo_company = company
        # Printing a formal notice needs the official rates of today's semester: when the shipped table
        # ends before it, the last published rates carry on (the rates themselves are tested elsewhere).
        Rate = cls.env["credit.recovery.rate"]
        today = fields.Date.context_today(Rate)
        for kind in Rate._missing_kinds(today):
            table_kind = Rate._table_kind(kind)
            last = Rate.search([("kind", "=", table_kind)], order="date_start desc", limit=1)
            Rate.create(
                {
                    "kind": table_kind,
                    "date_start": today.replace(month=1 if today.month < 7 else 7, day=1),
                    "rate": last.rate,
                }
            )
        Run = cls.env["credit.recovery.run"].with_company(company)
        run = Run._get_or_create(company, fields.Date.context_today(Run))
        run._apply(run._decide())
        cls.pharmacy = cls.env.ref("account_credit_recovery.partner_ten_days_demo")
        cls.bernard = cls.env.ref("account_credit_recovery.partner_formal_notice_demo")
        cls.notice = cls.env["credit.recovery.action"].search(
            [("partner_id", "=", cls.bernard.id), ("state", "=", "to_validate")]
        )

    def test_dashboard_log_call_with_promise(self):
        call = self.env["credit.recovery.action"].search(
            [("partner_id", "=", self.pharmacy.id), ("channel", "=", "phone"), ("state", "=", "draft")]
        )
        self.assertEqual(len(call), 1)
        self.start_tour("/odoo", "account_credit_recovery_dashboard", login="controleur")
        self.assertEqual(call.state, "done")
        promise = call.promise_ids
        self.assertEqual((promise.amount, fields.Date.to_string(promise.date)), (1620.0, "2099-12-31"))
        self.assertIn(
            "Virement promis par la comptable",
            self.env["credit.recovery.partner.log"]
            ._credit_log_of(self.pharmacy, call.company_id)
            .message_ids[:1]
            .body,
        )

    def test_dashboard_validate_and_print_notice(self):
        self.assertEqual(len(self.notice), 1)
        self.start_tour("/odoo", "account_credit_recovery_notice_validation", login="responsable")
        self.assertEqual(self.notice.state, "draft")
        self.assertEqual(
            self.notice.validated_by_id, self.env.ref("account_credit_recovery.user_credit_manager_demo")
        )
        self.start_tour("/odoo", "account_credit_recovery_print_letters", login="controleur")
        self.assertTrue(self.notice.printed)
