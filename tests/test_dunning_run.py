from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CreditRecoveryCommon

DUE = date(2026, 3, 31)
RUN_LOGGER = "odoo.addons.account_credit_recovery.models.credit_recovery_run"


def day(offset):
    return DUE + timedelta(days=offset)


@tagged("post_install", "-at_install")
class TestDunningRunReliability(CreditRecoveryCommon):
    """The daily run: decided without writing, applied in batches, isolated per company and customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._dunning_fixture(DUE)
        cls.Run = cls.env["credit.recovery.run"]

    def _level(self, delay):
        return self.policy.level_ids.filtered(lambda level: level.delay_days == delay)

    def _run(self, offset):
        with freeze_time(day(offset)):
            self._trigger_until_done(self.cron)
        return self.Action.search([("partner_id", "=", self.customer.id), ("date", "=", day(offset))])

    def _the_run(self, offset):
        return self.Run.search([("company_id", "=", self.company.id), ("date", "=", day(offset))])

    def _customers(self, count, start=0):
        return self._overdue_customers(count, start, DUE)

    # The two halves

    def test_decide_writes_nothing_and_its_queries_do_not_grow(self):
        self._customers(4)

        def count_decide():
            self.env.flush_all()  # the invoices' pending computations are not the decision's
            self.env.invalidate_all()
            run = self.Run.new({"company_id": self.company.id, "date": day(3)})  # in memory: nothing written
            before = self.env.cr.sql_log_count
            decisions = run._decide()
            return self.env.cr.sql_log_count - before, decisions

        count_decide()  # warms the registry's caches (access rules, defaults) that a daily run finds warm
        queries_n, decisions = count_decide()
        self.assertEqual(len(decisions), 5)
        self._customers(10, start=4)
        queries_3n, decisions = count_decide()
        self.assertEqual(len(decisions), 15)
        self.assertEqual(queries_3n, queries_n)
        self.assertFalse(self.Action.search_count([]))
        self.assertFalse(self.line.credit_recovery_level_id)
        self.assertFalse(
            self.env["mail.activity"].search_count([("res_model", "=", "credit.recovery.action")])
        )

    def test_dry_run_for_credit_managers(self):
        self._customers(2)
        with freeze_time(day(2)):
            wizard = self.env["credit.recovery.dry.run"].with_user(self.credit_manager).create({})
            self.assertEqual(wizard.date, day(3))  # tomorrow
            wizard.action_compute()
        self.assertEqual(wizard.action_count, 3)
        self.assertEqual(wizard.amount_due, 1200.0 + 2 * 120.0)
        mine = wizard.line_ids.filtered(lambda line: line.partner_id == self.customer)
        self.assertEqual((mine.level_id, mine.channel, mine.item_count), (self._level(3), "phone", 1))
        self.assertFalse(self.Run.search_count([]))
        self.assertFalse(self.Action.search_count([]))
        self.assertFalse(self.line.credit_recovery_level_id)
        with self.assertRaises(AccessError):
            self.env["credit.recovery.dry.run"].with_user(self.credit_controller).create({})

    def test_batches_and_no_notification_mail(self):
        self._customers(4)
        with freeze_time(day(3)):
            remaining = self.Run._cron_run(batch_size=2, time_budget=0)
            self.assertEqual(remaining, 3)
            self.assertEqual(len(self._the_run(3).action_ids), 2)
            self.assertEqual(self.Run._cron_run(batch_size=2, time_budget=0), 1)
            self.assertEqual(self.Run._cron_run(batch_size=2, time_budget=0), 0)
        run = self._the_run(3)
        self.assertEqual(len(run.action_ids), 5)
        self.assertEqual(set(run.action_ids.mapped("channel")), {"phone"})
        calls = self.env["mail.activity"].search([("res_model", "=", "credit.recovery.action")])
        self.assertEqual(len(calls), 5)
        # The activities of the run notify nobody by e-mail: they are in the activity list.
        self.assertFalse(
            self.env["mail.message"].search_count(
                [("message_type", "=", "user_notification"), ("model", "=", "credit.recovery.action")]
            )
        )
        self.assertFalse(self.env["mail.mail"].search_count([("model", "=", "credit.recovery.action")]))

    # Reliability

    def test_failing_checks_and_decision_are_logged_and_told(self):
        def broken(*args, **kwargs):
            raise ValueError("promises table on fire")

        with (
            patch.object(type(self.env["credit.recovery.promise"]), "_check_due_promises", broken),
            mute_logger(RUN_LOGGER),
        ):
            action = self._run(3)
        self.assertEqual(action.level_id, self._level(3))  # the decision went on
        run = self._the_run(3)
        self.assertIn("promises table on fire", run.log)
        told = run.activity_ids
        self.assertIn(self.credit_manager, told.user_id)
        self.assertTrue(
            all(user.has_group("account_credit_recovery.group_credit_manager") for user in told.user_id)
        )
        self.assertFalse(told.user_id.filtered(lambda user: self.company not in user.company_ids))
        with (
            patch.object(type(self.Run), "_decide", broken),
            mute_logger(RUN_LOGGER),
        ):
            self.assertFalse(self._run(7))
        self.assertIn("Decision: promises table on fire", self._the_run(7).log)
        self.assertTrue(self._the_run(7).activity_ids)

    def test_foreign_integrity_error_marks_the_customer_failed(self):
        other = self._customers(1)
        original = type(self.Action)._execute

        def conflicting_execute(actions, **kwargs):
            if self.customer in actions.partner_id:
                # Another table's unique constraint, not the module's index: a real failure.
                self.env.cr.execute(
                    "INSERT INTO credit_recovery_run (company_id, date) VALUES (%s, %s)",
                    [self.company.id, day(3)],
                )
            return original(actions, **kwargs)

        with (
            patch.object(type(self.Action), "_execute", conflicting_execute),
            mute_logger(RUN_LOGGER, "odoo.sql_db"),
        ):
            self._run(3)
        run = self._the_run(3)
        self.assertEqual(run.failed_partner_ids, self.customer)
        self.assertIn("company_date_unique", run.log)
        self.assertEqual(run.action_ids.partner_id, other)
        self.assertFalse(self.line.credit_recovery_level_id)

    def test_one_level_a_day_whatever_the_interval(self):
        self.policy.min_interval_days = 0
        self.assertEqual(self._run(10).level_id, self._level(3))
        # A second call the same day (a rerun, another batch) does not take the next level.
        self.assertEqual(len(self._run(10)), 1)
        self.assertEqual(self.line.credit_recovery_level_id, self._level(3))
        self.assertEqual(self._run(11).level_id, self._level(7))

    def test_deleted_action_does_not_send_the_same_letter_again(self):
        call = self._run(10)
        self.assertEqual(call.level_id, self._level(3))
        call.sudo().unlink()  # whoever may delete it: the item remembers the day it reached its level
        self.assertFalse(self._run(10))
        self.assertFalse(self._run(11))  # the policy's 3 days from that day, though the next level is due
        self.assertEqual(self.line.credit_recovery_level_id, self._level(3))
        self.assertEqual(self._run(13).level_id, self._level(7))

    def test_cancelled_or_waiting_notice_never_jumps_to_litigation(self):
        self.line.write(
            {"credit_recovery_level_id": self._level(21).id, "credit_recovery_level_date": day(21)}
        )
        self.Action.create(
            {
                "partner_id": self.customer.id,
                "level_id": self._level(21).id,
                "channel": "letter",
                "state": "done",
                "date": day(21),
                "line_ids": [Command.set(self.line.ids)],
            }
        )
        notice = self._run(30)
        self.assertEqual((notice.level_id, notice.state), (self._level(30), "to_validate"))
        self.assertFalse(self._run(45))  # waiting for validation
        notice.with_user(self.credit_manager).action_cancel()
        self.assertEqual(self.line.credit_recovery_level_id, self._level(21))
        again = self._run(46)
        self.assertEqual((again.level_id, again.state), (self._level(30), "to_validate"))

    def test_one_failing_email_never_blocks_the_queue(self):
        other = self._customers(1)
        self._run(3)
        original = type(self.Action)._send_emails

        def failing_send(actions):
            if self.customer in actions.partner_id:
                raise ValueError("template on fire")
            return original(actions)

        with (
            patch.object(type(self.Action), "_send_emails", failing_send),
            mute_logger("odoo.addons.account_credit_recovery.models.credit_recovery_action"),
        ):
            self._run(7)
        emails = self.Action.search([("date", "=", day(7))])
        self.assertEqual(emails.mapped("send_queued"), [False, False])
        self.assertEqual(emails.filtered(lambda action: action.state == "done").partner_id, other)
        run = self._the_run(7)
        self.assertEqual(run.failed_partner_ids, self.customer)
        self.assertIn("template on fire", run.log)
        self.assertEqual(
            self.env["mail.mail"].search([("model", "=", "credit.recovery.action")]).res_id,
            emails.filtered(lambda action: action.partner_id == other).id,
        )
