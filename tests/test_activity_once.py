"""The module's activities are scheduled once: a job or a button run again adds no second one."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .test_law_edges import LawEdgesCommon


@tagged("post_install", "-at_install")
class TestForfeitureNoticeActivity(LawEdgesCommon):
    """A consumer without e-mail: the notice before forfeiture is posted, one activity asks for it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        consumer = cls.env["res.partner"].create(
            {"name": "Lucien Marchal", "is_company": False, "country_id": cls.env.ref("base.fr").id}
        )
        invoice = cls._invoice(consumer, 1000.0, "2026-03-01", due_date="2026-03-31")
        line = invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        with freeze_time("2026-04-10"):
            cls.plan = (
                cls.env["credit.recovery.plan"]
                .with_user(cls.credit_controller)
                .create({"partner_id": consumer.id, "line_ids": [Command.set(line.ids)]})
            )
            cls.plan.action_generate_instalments()
            cls.plan.action_sign()
        # 1 200 in 3 payments: 360 on 10 April (paid), 420 on 25 April (missed), 420 on 10 May.
        cls._pay(invoice, amount=360.0, payment_date="2026-04-10")

    def test_one_activity_to_post_the_notice(self):
        todo = self.env.ref("mail.mail_activity_data_todo")
        # Another to-do on the plan does not stand for the notice's.
        self.plan.with_user(self.credit_controller).activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=date(2026, 4, 20),
            summary="Call Lucien Marchal",
            user_id=self.credit_controller.id,
        )
        plan = self.plan.with_user(self.credit_controller)
        with freeze_time("2026-04-26"):
            plan.action_send_forfeiture_notice()
            plan.action_send_forfeiture_notice()
        self.assertEqual(self.plan.forfeiture_notice_amount, 420.0)
        activities = self.plan.activity_ids.filtered(lambda activity: activity.activity_type_id == todo)
        posting = activities.filtered(lambda activity: activity.summary.startswith("Post the notice"))
        self.assertEqual(len(activities), 2)
        self.assertEqual(
            (posting.summary, posting.date_deadline, posting.user_id),
            (
                "Post the notice before forfeiture of Payment plan of Lucien Marchal",
                date(2026, 4, 26),
                self.credit_controller,
            ),
        )
