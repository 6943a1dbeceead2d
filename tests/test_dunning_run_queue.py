"""The daily run through OCA's job queue: the batches enqueued, and performing them does what the inline run does.

``queue_job`` is not a dependency of the module: ``make test`` installs it in the test database (see
scripts/run_tests.sh). Without the package these tests are skipped, with the reason printed; with the package
but not installed in the database, they fail: they must run wherever the job queue can be used.
"""

import unittest
from datetime import date, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import split_every

from .common import CreditRecoveryCommon

try:
    from odoo.addons.queue_job.job import Job
    from odoo.addons.queue_job.tests.common import trap_jobs
except ImportError:
    Job = trap_jobs = None

DUE = date(2026, 3, 31)
RUN_DAY = DUE + timedelta(days=31)
CHANNEL = "root.credit_recovery"
# Each customer's items have reached this level (None: never reminded) on DUE + 5.
CURRENT_LEVELS = [None, None, 3, 3, 7, 7, 14, 14, 21, 21, None, 3]


@tagged("post_install", "-at_install")
class TestDunningRunQueue(CreditRecoveryCommon):
    @classmethod
    def setUpClass(cls):
        if trap_jobs is None:
            raise unittest.SkipTest(
                "queue_job is not installed (pip install 'odoo-addon-queue-job==18.0.*', as make test does): "
                "the job-queue path of the dunning run is not tested."
            )
        super().setUpClass()
        if "queue.job" not in cls.env:
            raise AssertionError(
                "The queue_job package is present but the module is not installed in the test database: "
                "install it (make test does: -i account_credit_recovery,queue_job)."
            )
        # Only the test company runs (the other companies of a demo database are not this test's).
        (cls.env["res.company"].sudo().search([]) - cls.company).credit_default_policy_id = False
        policy = cls.company.credit_default_policy_id
        levels = {level.delay_days: level for level in policy.level_ids}
        cls.partners = cls.env["res.partner"].create(
            [
                {
                    "name": f"Client File {index:02d}",
                    "is_company": True,
                    "lang": "fr_FR",
                    # The last one has no e-mail address: its e-mail reminder becomes a letter.
                    "email": f"compta{index}@client-file.fr" if index < 11 else False,
                    "credit_controller_id": cls.credit_controller.id,
                }
                for index in range(len(CURRENT_LEVELS))
            ]
        )
        for index, (partner, current) in enumerate(zip(cls.partners, CURRENT_LEVELS, strict=True)):
            invoice = cls._invoice(partner, 100.0 + 10 * index, "2026-03-01", due_date=DUE)
            if current is not None:
                invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable").write(
                    {
                        "credit_recovery_level_id": levels[current].id,
                        "credit_recovery_level_date": DUE + timedelta(5),
                    }
                )
        # Customer 10 has paid something not matched yet: a "reconcile first" task, no reminder.
        payment = cls.env["account.payment"].create(
            {
                "partner_id": cls.partners[10].id,
                "amount": 50.0,
                "payment_type": "inbound",
                "partner_type": "customer",
                "journal_id": cls.company_data["default_journal_bank"].id,
                "date": DUE,
            }
        )
        payment.action_post()
        cls.Run = cls.env["credit.recovery.run"]
        cls.Action = cls.env["credit.recovery.action"]

    def _day_actions(self):
        return self.Action.search([("company_id", "=", self.company.id), ("date", "=", RUN_DAY)])

    def _day_outcome(self):
        """What the day's run left: each action, the customers to reconcile, the e-mails queued for sending."""
        run = self.Run.search([("company_id", "=", self.company.id), ("date", "=", RUN_DAY)])
        actions = self._day_actions()
        emails = self.env["mail.mail"].search(
            [("model", "=", self.Action._name), ("res_id", "in", actions.ids)]
        )
        return (
            sorted(
                (
                    action.partner_id.name,
                    action.level_id.delay_days,
                    action.channel,
                    action.state,
                    action.amount_due,
                    action.amount_overdue,
                    action.send_queued,
                )
                for action in actions
            ),
            run.reconcile_partner_ids.mapped("name"),
            sorted(self.Action.browse(emails.mapped("res_id")).partner_id.mapped("name")),
        )

    def _run_inline(self):
        for _call in range(10):
            if not self.Run._cron_run(batch_size=4):
                return
        self.fail("The inline run still has work after 10 calls")

    def test_batches_enqueued_and_performed_as_the_inline_run(self):
        with freeze_time(RUN_DAY):
            savepoint = self.env.cr.savepoint()
            try:
                self._run_inline()
                inline = self._day_outcome()
            finally:
                savepoint.close(rollback=True)
                self.env.invalidate_all()
            self.assertFalse(self._day_actions())

            self.company.credit_use_job_queue = True
            with trap_jobs() as trap:
                self.assertEqual(self.Run._cron_run(batch_size=4), 0)  # nothing left to the scheduled action
                run = self.Run.search([("company_id", "=", self.company.id), ("date", "=", RUN_DAY)])
                self.assertFalse(self._day_actions())  # decided, not applied: the jobs apply
                trap.assert_jobs_count(3, only=run._job_apply)
                self.assertEqual({call.properties["channel"] for call in trap.calls}, {CHANNEL})
                for batch in split_every(4, sorted(self.partners.ids), list):
                    trap.assert_enqueued_job(run._job_apply, args=(batch,), properties={"channel": CHANNEL})
                # Called again (as the e-mails queued by the jobs trigger it), it enqueues nothing more.
                self.assertEqual(self.Run._cron_run(batch_size=4), 0)

                trap.perform_enqueued_jobs()
                emails = self._day_actions().filtered(lambda action: action.send_queued)
                self.assertEqual(len(emails), 4)
                # The e-mails of each batch go to a job of their own, which the scheduled action leaves to it:
                # customers 02-03 were in the first batch, 04-05 in the second.
                trap.assert_jobs_count(2)
                for batch in (self.partners[2:4], self.partners[4:6]):
                    trap.assert_enqueued_job(
                        emails.filtered(lambda action, batch=batch: action.partner_id in batch)._job_send,
                        properties={"channel": CHANNEL},
                    )
                self.assertEqual(self.Run._cron_run(batch_size=4), 0)
                self.assertTrue(all(emails.mapped("send_queued")))
                trap.perform_enqueued_jobs()
            jobs = self._day_outcome()
            # The book is decided once a day, as inline: a customer overdue since the jobs is tomorrow's.
            latecomer = self.partners[0].copy({"name": "Client File 12"})
            self._invoice(latecomer, 500.0, "2026-03-01", due_date=DUE)
            with trap_jobs() as trap:
                self.assertEqual(self.Run._cron_run(batch_size=4), 0)
                trap.assert_jobs_count(0)
        self.assertEqual(jobs, inline)
        actions, to_reconcile, emailed = jobs
        self.assertEqual(
            actions,
            [
                ("Client File 00", 3, "phone", "draft", 120.0, 120.0, False),
                ("Client File 01", 3, "phone", "draft", 132.0, 132.0, False),
                ("Client File 02", 7, "email", "done", 144.0, 144.0, False),
                ("Client File 03", 7, "email", "done", 156.0, 156.0, False),
                ("Client File 04", 14, "email", "done", 168.0, 168.0, False),
                ("Client File 05", 14, "email", "done", 180.0, 180.0, False),
                ("Client File 06", 21, "letter", "done", 192.0, 192.0, False),
                ("Client File 07", 21, "letter", "done", 204.0, 204.0, False),
                ("Client File 08", 30, "registered_letter", "to_validate", 216.0, 216.0, False),
                ("Client File 09", 30, "registered_letter", "to_validate", 228.0, 228.0, False),
                ("Client File 11", 7, "letter", "done", 252.0, 252.0, False),
            ],
        )
        self.assertEqual(to_reconcile, ["Client File 10"])
        self.assertEqual(emailed, ["Client File 02", "Client File 03", "Client File 04", "Client File 05"])
        self.assertTrue(self.env["queue.job.channel"].sudo().search([("complete_name", "=", CHANNEL)]))

    def test_open_jobs_are_not_enqueued_twice_and_switching_back_runs_inline(self):
        self.company.credit_use_job_queue = True
        jobs = self.env["queue.job"].sudo()  # the queue's records: its managers'
        with freeze_time(RUN_DAY):
            self.Run._cron_run(batch_size=4)
            jobs = jobs.search([("model_name", "=", self.Run._name), ("method_name", "=", "_job_apply")])
            self.assertEqual((len(jobs), set(jobs.mapped("channel"))), (3, {CHANNEL}))
            self.Run._cron_run(batch_size=4)
            self.assertEqual(jobs.search_count([("model_name", "=", self.Run._name)]), 3)

            self.company.credit_use_job_queue = False
            for job in jobs:
                Job.load(self.env, job.uuid).perform()
            self.assertFalse(self._day_actions())  # a job of a company back to the inline run does nothing
            # The first batch inline (a call with no time left applies one batch): 8 customers left, and its
            # e-mails to send.
            remaining = self.Run._cron_run(batch_size=4, time_budget=0)
            self.assertEqual(remaining, 8 + self.Action.search_count([("send_queued", "=", True)]))
        self.assertEqual(len(self._day_actions()), 4)

    def test_off_by_default_the_cron_runs_inline(self):
        self.assertFalse(self.company.credit_use_job_queue)
        with freeze_time(RUN_DAY), trap_jobs() as trap:
            remaining = self.Run._cron_run(batch_size=4, time_budget=0)
            # one batch per call without time left: 8 customers left, and the e-mails of the first 4 to send.
            self.assertEqual(remaining, 8 + self.Action.search_count([("send_queued", "=", True)]))
            trap.assert_jobs_count(0)
        self.assertEqual(len(self._day_actions()), 4)

    def test_setting_shown_with_the_queue_and_kept_to_administrators(self):
        self.assertTrue(self.env["res.config.settings"].create({}).credit_job_queue_installed)
        # It needs queue_job's job runner: the administrators' choice, not the Credit Managers'.
        with self.assertRaises(AccessError):
            self.company.with_user(self.credit_manager).credit_use_job_queue = True
        administrator = self._company_user(
            "settings_admin", "base.group_system,account_credit_recovery.group_credit_manager"
        )
        Settings = self.env["res.config.settings"].with_user(administrator)
        arch = Settings.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertTrue(
            etree.fromstring(arch).xpath(
                "//block[@name='credit_job_queue']//field[@name='credit_use_job_queue']"
            )
        )
        self.company.with_user(administrator).credit_use_job_queue = True
        self.assertTrue(self.company.credit_use_job_queue)
