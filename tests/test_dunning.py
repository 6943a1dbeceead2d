import re
from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CreditRecoveryCommon

DUE = date(2026, 3, 31)


def day(offset):
    return DUE + timedelta(days=offset)


@tagged("post_install", "-at_install")
class TestDunningRun(CreditRecoveryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.company.credit_default_policy_id
        cls.cron = cls.env.ref("account_credit_recovery.ir_cron_credit_recovery_run")
        cls.customer.write(
            {
                "email": "compta@boulangerie-martin.fr",
                "user_id": cls.salesman.id,
                "credit_controller_id": cls.credit_controller.id,
            }
        )
        cls.Action = cls.env["credit.recovery.action"]

    def _run(self, offset):
        with freeze_time(day(offset)):
            self._trigger_until_done(self.cron)
        return self.Action.search([("partner_id", "=", self.customer.id), ("date", "=", day(offset))])

    def _reminder_mails(self):
        return self.env["mail.mail"].search(
            [("model", "=", "credit.recovery.action"), ("recipient_ids", "in", self.customer.ids)]
        )

    def _level(self, delay):
        return self.policy.level_ids.filtered(lambda level: level.delay_days == delay)

    def test_default_policy_per_company(self):
        self.assertEqual(self.policy.company_id, self.company)
        self.assertEqual(self.policy._ordered_levels().mapped("delay_days"), [-15, 3, 7, 14, 21, 30, 45])
        self.assertEqual(self._level(30).channel, "registered_letter")
        self.assertTrue(self._level(30).needs_validation)

    def test_walk_through_every_level(self):
        invoice = self._invoice(self.customer, 5000.0, "2026-03-01", due_date=DUE)
        # The formal notice needs a certain claim: the signed order and the delivery proof.
        self.env["credit.recovery.proof"].create(
            [
                {"name": "Signed order", "kind": "signed_order", "move_id": invoice.id},
                {"name": "Delivery note", "kind": "delivery_note", "move_id": invoice.id},
            ]
        )
        line = invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        expected = [
            (-15, "phone", "draft"),
            (3, "phone", "draft"),
            (7, "email", "done"),
            (14, "email", "done"),
            (21, "letter", "done"),
            (30, "registered_letter", "to_validate"),
        ]
        for offset, channel, state in expected:
            # Nothing happens the day before the level is due, nor twice the same day.
            level = self._level(offset)
            self.assertNotIn(level, self._run(offset - 1).level_id)
            action = self._run(offset)
            self.assertEqual(len(action), 1, offset)
            self.assertEqual(action.level_id, self._level(offset))
            self.assertEqual((action.channel, action.state), (channel, state))
            self.assertEqual(action.line_ids, line)
            self.assertEqual(action.amount_due, 6000.0)
            self.assertEqual(line.credit_recovery_level_id, self._level(offset))
            self.assertEqual(len(self._run(offset)), 1)
        calls = self.env["mail.activity"].search([("res_model", "=", "credit.recovery.action")])
        self.assertEqual(len(calls.filtered(lambda activity: activity.user_id == self.credit_controller)), 2)
        mails = self._reminder_mails()
        self.assertEqual(len(mails), 2)
        # Each e-mail carries its letter (rendered as HTML in test mode, as PDF in production).
        self.assertEqual([len(mail.attachment_ids) for mail in mails], [1, 1])
        self.assertEqual(mails.recipient_ids, self.customer)
        # The formal notice waits for a Credit Manager, and puts the customer on hold once validated.
        notice = self.Action.search([("level_id", "=", self._level(30).id)])
        # Meanwhile the run does not jump to litigation.
        self.assertFalse(self._run(45))
        self.assertEqual(line.credit_recovery_level_id, self._level(30))
        with self.assertRaises(AccessError):
            notice.with_user(self.credit_controller).action_validate()
        with self.assertRaises(AccessError):
            notice.with_user(self.salesman).action_validate()
        notice.with_user(self.credit_manager).action_validate()
        self.assertEqual(notice.state, "draft")
        self.assertTrue(self.customer.credit_on_hold)
        # The validated notice is noted with its amount on the company's credit trail, never on the customer's
        # chatter, which every company of the database reads.
        amount = notice.currency_id.format(notice.amount_due)
        trail_bodies = " ".join(self.customer._credit_trail().message_ids.mapped("body")).replace(
            "&nbsp;", "\xa0"
        )
        self.assertIn(f"Recovery: Formal notice (Registered Letter) for {amount}.", trail_bodies)
        customer_bodies = " ".join(self.customer.message_ids.mapped("body")).replace("&nbsp;", "\xa0")
        self.assertNotIn(amount, customer_bodies)
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.with_context(credit_recovery_date=day(45)).credit_reminder_count, 3)
        notice.registered_mail_number = "1A 123 456 7890 1"
        notice.action_record_registered_mail()
        self.assertEqual(notice.state, "done")
        review = self._run(46)
        self.assertEqual(
            (review.level_id, review.channel, review.state), (self._level(45), "litigation", "draft")
        )
        self.assertEqual(line.credit_recovery_level_id, self._level(45))
        self.assertEqual(len(self._run(46)), 1)
        activities = self.env["mail.activity"].search([("res_model", "=", "credit.recovery.action")])
        self.assertEqual(
            len(activities.filtered(lambda activity: activity.user_id == self.credit_controller)), 3
        )

    def test_pre_due_call_records_the_bon_a_payer(self):
        invoice = self._invoice(self.customer, 5000.0, "2026-03-01", due_date=DUE)
        call = self._run(-15)
        self.assertTrue(call.pre_due)
        action = call.with_user(self.credit_controller).action_record_bon_a_payer()
        wizard = (
            self.env["credit.recovery.bap.wizard"]
            .with_user(self.credit_controller)
            .with_context(**action["context"])
            .create({"answer": "approved"})
        )
        wizard.action_confirm()
        self.assertEqual(invoice.credit_bap_state, "approved")
        # The proof module's own bon-à-payer reminder leaves this company to its dunning policy.
        with freeze_time(day(-14)):
            self.env["account.move"]._cron_credit_bon_a_payer()
        bap_type = self.env.ref("account_credit_recovery.mail_activity_type_credit_bap")
        self.assertFalse(
            invoice.activity_ids.filtered(lambda activity: activity.activity_type_id == bap_type)
        )

    def test_small_invoices_skip_the_pre_due_call(self):
        self._invoice(self.customer, 1000.0, "2026-03-01", due_date=DUE)
        self.assertFalse(self._run(-15))
        self.assertEqual(self._run(3).level_id, self._level(3))

    def test_paid_invoice_is_never_reminded(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-03-01", due_date=DUE)
        self._pay(invoice, payment_date=day(2))
        for offset in (3, 7, 14, 30):
            self.assertFalse(self._run(offset))

    def test_unreconciled_payment_raises_reconcile_task(self):
        self._invoice(self.customer, 1000.0, "2026-03-01", due_date=DUE)
        payment = self.env["account.payment"].create(
            {
                "partner_id": self.customer.id,
                "amount": 1200.0,
                "payment_type": "inbound",
                "partner_type": "customer",
                "date": day(1),
            }
        )
        payment.action_post()
        self.assertFalse(self._run(3))
        reconcile_type = self.env.ref("account_credit_recovery.mail_activity_type_credit_reconcile")
        tasks = self.customer.activity_ids.filtered(
            lambda activity: activity.activity_type_id == reconcile_type
        )
        self.assertEqual(len(tasks), 1)
        self.assertEqual(tasks.user_id, self.credit_controller)
        self.assertFalse(self._run(4))
        self.assertEqual(
            len(self.customer.activity_ids.filtered(lambda a: a.activity_type_id == reconcile_type)), 1
        )

    def test_promise_pauses_then_broken_promise_escalates(self):
        self._invoice(self.customer, 1000.0, "2026-03-01", due_date=DUE)
        call = self._run(3)
        with freeze_time(day(4)):
            promise = self.env["credit.recovery.promise"].create(
                {"partner_id": self.customer.id, "amount": 1200.0, "date": day(12), "action_id": call.id}
            )
        self.assertEqual(promise.residual_at_promise, 1200.0)
        self.assertFalse(self._run(7))
        self.assertFalse(self._run(12))
        self.assertEqual(self._run(13).level_id, self._level(7))
        self.assertEqual(promise.state, "broken")

    def test_kept_promise(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-03-01", due_date=DUE)
        self._run(3)
        promise = self.env["credit.recovery.promise"].create(
            {"partner_id": self.customer.id, "amount": 1200.0, "date": day(10)}
        )
        self._pay(invoice, payment_date=day(9))
        self.assertFalse(self._run(11))
        self.assertEqual(promise.state, "kept")

    def test_instalments_are_dunned_on_their_own_dates(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "50 % at 30 days, 50 % at 60 days",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 50.0, "nb_days": 30}),
                    Command.create({"value": "percent", "value_amount": 50.0, "nb_days": 60}),
                ],
            }
        )
        invoice = self._invoice(self.customer, 1000.0, "2026-03-01", invoice_payment_term_id=term.id)
        first, second = invoice.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        ).sorted("date_maturity")
        self.assertEqual(first.date_maturity, DUE)
        action = self._run(3)
        self.assertEqual(action.line_ids, first)
        self.assertEqual(action.amount_due, 600.0)
        self.assertFalse(second.credit_recovery_level_id)
        # The second instalment, due 30 days later, starts its own way; the customer's action follows the
        # most advanced item.
        second_due = (second.date_maturity - DUE).days
        action = self._run(second_due + 3)
        self.assertEqual(action.line_ids, first | second)
        self.assertEqual(second.credit_recovery_level_id, self._level(3))
        self.assertEqual(action.level_id, first.credit_recovery_level_id)
        self.assertEqual(action.level_id, self._level(7))

    def test_email_falls_back_to_letter(self):
        self.customer.email = False
        self._invoice(self.customer, 1000.0, "2026-03-01", due_date=DUE)
        self._run(3)
        action = self._run(7)
        self.assertEqual(action.channel, "letter")
        self.assertFalse(self._reminder_mails())

    def test_one_failing_customer_does_not_stop_the_run(self):
        other = self.env["res.partner"].create({"name": "Épicerie Durand", "is_company": True})
        self._invoice(self.customer, 1000.0, "2026-03-01", due_date=DUE)
        self._invoice(other, 500.0, "2026-03-01", due_date=DUE)
        original = type(self.Action)._execute

        def failing_execute(actions, **kwargs):
            if self.customer in actions.partner_id:
                raise ValueError("printer on fire")
            return original(actions, **kwargs)

        with (
            patch.object(type(self.Action), "_execute", failing_execute),
            mute_logger("odoo.addons.account_credit_recovery.models.credit_recovery_run"),
        ):
            with freeze_time(day(3)):
                self.cron.method_direct_trigger()
        run = self.env["credit.recovery.run"].search(
            [("company_id", "=", self.company.id), ("date", "=", day(3))]
        )
        self.assertEqual(run.failed_partner_ids, self.customer)
        self.assertIn("printer on fire", run.log)
        self.assertEqual(run.action_ids.partner_id, other)
        self.assertFalse(self.customer.invoice_ids.line_ids.credit_recovery_level_id)

    def test_concurrent_run_creates_no_duplicate(self):
        self._invoice(self.customer, 1000.0, "2026-03-01", due_date=DUE)
        with freeze_time(day(3)):
            run = self.env["credit.recovery.run"]._get_or_create(self.company, day(3))
            decisions = run._decide()
            # A second worker took the same decisions before the first one wrote its levels.
            first = run._apply(decisions)
            with mute_logger("odoo.addons.account_credit_recovery.models.credit_recovery_run"):
                second = run._apply(decisions)
        self.assertEqual(len(first), 1)
        self.assertFalse(second)
        self.assertFalse(run.failed_partner_ids)
        self.assertEqual(self.Action.search_count([("partner_id", "=", self.customer.id)]), 1)

    def test_salesperson_informed_at_first_overdue_level(self):
        self._invoice(self.customer, 1000.0, "2026-03-01", due_date=DUE)
        self._run(3)
        # On the company's credit trail of the customer: the amount overdue is the company's.
        tasks = self.customer._credit_trail().activity_ids.filtered(
            lambda activity: activity.user_id == self.salesman
        )
        self.assertFalse(
            self.customer.activity_ids.filtered(lambda activity: activity.user_id == self.salesman)
        )
        self.assertEqual(len(tasks), 1)
        self.assertIn("Boulangerie Martin", tasks.summary)

    def test_collective_proceedings_and_pause_stop_the_run(self):
        self._invoice(self.customer, 1000.0, "2026-03-01", due_date=DUE)
        self.customer.with_user(self.credit_controller).credit_recovery_paused_until = day(10)
        self.assertFalse(self._run(3))
        self.assertEqual(self._run(11).level_id, self._level(3))
        self.customer.with_user(self.credit_controller).credit_collective_proceeding = "receivership"
        self.assertFalse(self._run(20))

    def test_factored_and_excluded_invoices_are_left_alone(self):
        factored = self._invoice(self.customer, 1000.0, "2026-03-01", due_date=DUE)
        excluded = self._invoice(self.customer, 2000.0, "2026-03-01", due_date=DUE)
        factor = self.env["res.partner"].create({"name": "Affacturage du Nord", "is_company": True})
        factored.credit_factor_id = factor
        factored.action_credit_recovery_assign_factor()
        wizard = (
            self.env["credit.recovery.exclude.wizard"]
            .with_user(self.credit_controller)
            .create({"move_ids": [Command.set(excluded.ids)], "reason": "Settled with the director"})
        )
        wizard.action_exclude()
        self.assertTrue(excluded.credit_recovery_excluded)
        self.assertFalse(self._run(3))
        self.assertIn(factored, self.env["account.move"].search([("credit_factored", "=", True)]))
        excluded.with_user(self.credit_controller).action_credit_recovery_include()
        action = self._run(4)
        self.assertEqual(action.line_ids.move_id, excluded)
        with self.assertRaises(AccessError):
            self.env["credit.recovery.exclude.wizard"].with_user(self.invoicing_user).create(
                {"move_ids": [Command.set(excluded.ids)], "reason": "x"}
            )

    def test_disputed_invoice_is_not_reminded(self):
        disputed = self._invoice(self.customer, 1000.0, "2026-03-01", due_date=DUE)
        dispute = self.env["credit.recovery.dispute"].create(
            {"move_id": disputed.id, "reason": "quantity", "amount_disputed": 600.0}
        )
        self.assertTrue(disputed.credit_in_dispute)
        self.assertFalse(self._run(3))
        with freeze_time(day(5)):
            dispute.with_user(self.credit_controller).action_reject()
        self.assertFalse(disputed.credit_in_dispute)
        self.assertEqual(self._run(6).line_ids.move_id, disputed)

    def test_letter_renders(self):
        self._invoice(self.customer, 1000.0, "2026-03-01", due_date=DUE)
        self._run(3)
        letter = self._run(7)
        report = self.env.ref("account_credit_recovery.action_report_credit_recovery_letter")
        html = report._render_qweb_html(report.id, letter.ids)[0].decode()
        self.assertIn(letter.line_ids.move_id.name, html)
        self.assertIn("1\xa0200,00", html)  # French customer: French amounts and dates
        self.assertIn("31/03/2026", html)
        self.assertIn("L441-10", html)
        self.assertIn("Objet :", html)
        self.assertIn("Merci de régler par virement", html)
        self.assertIn("Madame, Monsieur", html)
        # The letter's PDF by wkhtmltopdf: test_letter_page_numbers.py.


@tagged("post_install", "-at_install")
class TestCallsAndPlans(CreditRecoveryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("account_credit_recovery.ir_cron_credit_recovery_run")
        cls.customer.write(
            {"email": "compta@boulangerie-martin.fr", "credit_controller_id": cls.credit_controller.id}
        )
        cls.invoice = cls._invoice(cls.customer, 1000.0, "2026-03-01", due_date=DUE)
        cls.Action = cls.env["credit.recovery.action"]

    def _run(self, offset):
        with freeze_time(day(offset)):
            self._trigger_until_done(self.cron)
        return self.Action.search([("partner_id", "=", self.customer.id), ("date", "=", day(offset))])

    def _log_call(self, action, **values):
        wizard = (
            self.env["credit.recovery.call.wizard"]
            .with_user(self.credit_controller)
            .with_context(**action.action_log_call()["context"])
            .create(values)
        )
        wizard.action_log_call()
        return wizard

    def test_call_with_promise(self):
        call = self._run(3)
        self.assertEqual(call.channel, "phone")
        with freeze_time(day(4)):
            self._log_call(
                call,
                outcome="reached",
                delay_reason="cash_flow",
                promise_amount=1200.0,
                promise_date=day(12),
                next_call_date=day(13),
                notes="Waiting for a customer's payment.",
                send_confirmation=True,
            )
        self.assertEqual(call.state, "done")
        self.assertIn("Cash-flow difficulties", call.outcome)
        promise = self.env["credit.recovery.promise"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual((promise.amount, promise.date, promise.state), (1200.0, day(12), "open"))
        # The call, the promise and the call-back are the company's: on its credit trail, none on the customer
        # every company reads.
        trail = self.customer._credit_trail()
        self.assertFalse(
            self.customer.activity_ids.filtered(lambda activity: activity.date_deadline == day(13))
        )
        callback = trail.activity_ids.filtered(lambda activity: activity.date_deadline == day(13))
        self.assertEqual(callback.user_id, self.credit_controller)
        self.customer.invalidate_recordset(["message_ids"])
        self.assertNotIn(
            "1 200,00", " ".join(re.sub(r"\s|&nbsp;", " ", str(m.body)) for m in self.customer.message_ids)
        )
        trail.invalidate_recordset(["message_ids"])
        confirmation = trail.message_ids.filtered(lambda message: message.message_type == "comment")
        self.assertEqual(len(confirmation), 1)
        self.assertIn(self.customer, confirmation.partner_ids)
        self.assertIn("1 200,00", re.sub(r"\s|&nbsp;", " ", str(confirmation.body)), confirmation.body)
        self.assertEqual(call.promise_ids, promise)
        self.assertEqual(call.next_call_date, day(13))
        report = self.env.ref("account_credit_recovery.action_report_credit_recovery_call_confirmation")
        html = report._render_qweb_html(report.id, call.ids)[0].decode()
        self.assertIn("12/04/2026", html)
        self.assertIn("13/04/2026", html)
        self.assertIn(self.invoice.name, html)
        # The promise pauses the run until its date.
        self.assertFalse(self._run(7))

    def test_voicemail_and_rules(self):
        call = self._run(3)
        with freeze_time(day(4)), self.assertRaises(UserError):
            self._log_call(call, outcome="reached", next_call_date=day(2))
        with freeze_time(day(4)), self.assertRaises(UserError):
            self._log_call(call, outcome="reached", promise_amount=100.0, next_call_date=day(6))
        with freeze_time(day(4)):
            self._log_call(call, outcome="voicemail", next_call_date=day(5))
        trail = self.customer._credit_trail()
        trail.invalidate_recordset(["message_ids"])
        message = trail.message_ids.filtered(lambda message: message.message_type == "comment")
        self.assertEqual(len(message), 1)
        self.assertIn("Nous avons tenté de vous joindre", message.body)
        with self.assertRaises(AccessError):
            self.env["credit.recovery.call.wizard"].with_user(self.salesman).create(
                {"partner_id": self.customer.id, "outcome": "reached", "next_call_date": day(5)}
            )

    def test_payment_plan_kept_then_forfeited(self):
        self._run(3)
        line = self.invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        with freeze_time(day(5)):
            plan = (
                self.env["credit.recovery.plan"]
                .with_user(self.credit_controller)
                .create({"partner_id": self.customer.id, "line_ids": [Command.set(line.ids)]})
            )
            plan.action_generate_instalments()
            self.assertEqual(plan.instalment_ids.mapped("amount"), [360.0, 420.0, 420.0])
            self.assertEqual(plan.instalment_ids.mapped("date"), [day(5), day(20), day(35)])
            plan.action_sign()
        self.assertEqual(plan.state, "running")
        self._pay(self.invoice, amount=360.0, payment_date=day(5))
        self.assertFalse(self._run(10))  # the plan is kept: no reminder
        self.assertEqual(plan.state, "running")
        self.assertEqual(
            plan.with_context(credit_recovery_date=day(21)).instalment_ids.mapped("state"),
            ["paid", "missed", "due"],
        )
        action = self._run(21)  # the second instalment was missed
        self.assertEqual(plan.state, "forfeited")
        self.assertEqual(action.amount_due, 840.0)
        report = self.env.ref("account_credit_recovery.action_report_credit_recovery_plan")
        html = report._render_qweb_html(report.id, plan.ids)[0].decode()
        self.assertIn("déchéance du terme", html)
        self.assertIn("420,00", html)

    def test_payment_plan_paid(self):
        line = self.invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        plan = self.env["credit.recovery.plan"].create(
            {"partner_id": self.customer.id, "line_ids": [Command.set(line.ids)], "instalment_count": 2}
        )
        with freeze_time(day(1)):
            plan.action_generate_instalments()
            plan.action_sign()
        self._pay(self.invoice, payment_date=day(2))
        self._run(3)
        self.assertEqual(plan.state, "done")
