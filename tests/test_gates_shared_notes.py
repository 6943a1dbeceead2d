from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestGatesSharedNotes(CreditRecoveryCommon):
    """What a company records about a shared customer (promises, plans, the customer's requests on its
    page, reviews) is on its credit trail: a user of another company reading the customer sees no amount."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.setup_other_company(name="Filiale Lyon SAS")["company"]
        cls.lyon_user = new_test_user(
            cls.env,
            login="lyon_controller",
            name="Lea Lyon",
            groups="base.group_user,account_credit_recovery.group_credit_controller",
            company_id=cls.other_company.id,
            company_ids=[cls.other_company.id],
        )
        cls.customer.write({"credit_controller_id": cls.credit_controller.id, "email": "compta@martin.fr"})
        cls.company.write({"credit_portal_enabled": True, "email": "credit@example.com"})

    def _shared_bodies(self):
        """Every message of the customer, read by the user of the other company."""
        customer = self.customer.with_user(self.lyon_user)
        customer.invalidate_recordset(["message_ids"])
        return " ".join(customer.message_ids.mapped("body"))

    def _trail(self):
        return self.env["credit.recovery.partner.log"]._credit_log_of(self.customer, self.company)

    def _assert_only_in_trail(self, *figures):
        bodies = self._shared_bodies()
        trail = self._trail()
        trail_bodies = " ".join(trail.message_ids.mapped("body"))
        for figure in figures:
            self.assertNotIn(figure, bodies)
            self.assertIn(figure, trail_bodies)
        self.assertNotIn("€", bodies)
        # The other company's user reads neither the trail nor its activities.
        with self.assertRaises(AccessError):
            trail.with_user(self.lyon_user).read(["message_ids"])
        self.assertFalse(
            self.env["mail.activity"]
            .with_user(self.lyon_user)
            .search([("res_model", "=", trail._name), ("res_id", "=", trail.id)])
        )

    @freeze_time("2026-03-10")
    def test_customer_page_requests(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-01-05", due_date="2026-02-04")
        access = self.env["credit.recovery.portal.access"]._credit_get(self.customer, self.company).sudo()
        promise = access._credit_portal_promise("350.00", "2026-03-20", note="Virement")
        self.assertEqual(promise.amount, 350.0)
        plan = access._credit_portal_plan("3", "30", "40")
        self.assertEqual(plan.amount_total, 1200.0)
        dispute = access._credit_portal_dispute(invoice.id, "price", "150.00", "Remise oubliée", [])
        self.assertEqual(dispute.amount_disputed, 150.0)
        self._assert_only_in_trail("350.00", "1,200.00", "150.00")
        notes = self._trail().message_ids
        self.assertEqual(notes.author_id, self.customer)
        # Each request is an activity of the customer's controller, on the trail.
        activities = self._trail().activity_ids
        self.assertEqual(len(activities), 3)
        self.assertEqual(activities.user_id, self.credit_controller)
        self.assertFalse(self.customer.activity_ids)

    @freeze_time("2026-03-10")
    def test_plan_signed_then_forfeited_and_promise_broken(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-01-05", due_date="2026-02-04")
        plan = (
            self.env["credit.recovery.plan"]
            .with_user(self.credit_controller)
            .create(
                {
                    "partner_id": self.customer.id,
                    "line_ids": [Command.set(invoice.line_ids.filtered("date_maturity").ids)],
                    "instalment_count": 2,
                    "interval_days": 15,
                    "first_percent": 0.0,
                }
            )
        )
        plan.action_generate_instalments()
        plan.action_sign()
        self.assertEqual(plan.state, "running")
        # The plan keeps its own note.
        self.assertIn("1,200.00", " ".join(plan.message_ids.mapped("body")))
        self.env["credit.recovery.promise"].with_user(self.credit_controller).create(
            {"partner_id": self.customer.id, "amount": 480.0, "date": "2026-03-12"}
        )
        with freeze_time("2026-03-14"):
            self.env["credit.recovery.promise"]._check_due_promises(fields.Date.today())
        self.assertIn("by 2026-03-12 broken: recovery resumes", self._trail().message_ids[0].body)
        self._assert_only_in_trail("1,200.00", "480.00")
        with freeze_time("2026-03-27"):  # its first instalment, due on 10 March, is missed
            self.env["credit.recovery.plan"]._check_running_plans(fields.Date.today(), company=self.company)
        self.assertEqual(plan.state, "forfeited")
        self.assertIn("Payment plan forfeited", self._trail().message_ids[0].body)
        self.assertNotIn("forfeited", self._shared_bodies())

    @freeze_time("2026-03-10")
    def test_review_note_and_activity_on_the_trail(self):
        self._invoice(self.customer, 1000.0, "2026-01-05", due_date="2026-02-04")
        self.env.ref("account_credit_recovery.ir_cron_credit_recovery_review").method_direct_trigger()
        review_type = self.env.ref("account_credit_recovery.mail_activity_type_credit_review")
        review = self._trail().activity_ids.filtered(
            lambda activity: activity.activity_type_id == review_type
        )
        self.assertEqual(len(review), 1)
        self.assertEqual(review.user_id, self.credit_controller)
        self.assertFalse(self.customer.activity_ids)
        self.customer.with_user(self.credit_controller).action_credit_mark_reviewed()
        self.assertFalse(self._trail().activity_ids)
        self.assertIn("Credit review done by Paul Controller", self._trail().message_ids[0].body)
        self.assertNotIn("Credit review", self._shared_bodies())
        self.assertNotIn("Risk level", self._shared_bodies())
        self.assertEqual(self.customer.credit_last_review_date, fields.Date.today() + timedelta(days=0))
