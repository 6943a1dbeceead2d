"""The daily run through OCA's job queue (``queue_job``), when it is installed and a company asks for it.

Without ``queue_job`` (it is not a dependency) or with the company setting off, nothing here changes the run:
the scheduled action decides and applies batch after batch (``_cron_run``). With it, the scheduled action
decides once per company and day and enqueues one job per batch of customers on the channel
``root.credit_recovery``; each job decides again for its customers only (what they owe may have changed since)
and applies their actions with the run's own ``_apply``, so that several Odoo servers sharing the database
share the batches, and a job's result is that of the inline run.
"""

import hashlib

from odoo import api, fields, models
from odoo.tools import split_every

from .credit_recovery_run import CRON_TIME_BUDGET

JOB_CHANNEL = "root.credit_recovery"
# queue_job's states of a job not finished yet (queue_job.job: WAIT_DEPENDENCIES, PENDING, ENQUEUED, STARTED).
JOB_OPEN_STATES = ("wait_dependencies", "pending", "enqueued", "started")


def job_identity(prefix, ids):
    """A job's identity key: ``prefix`` and a digest of ``ids``, so that a batch is never enqueued twice."""
    return f"{prefix}{hashlib.sha1(repr(sorted(ids)).encode()).hexdigest()}"


class CreditRecoveryRun(models.Model):
    _inherit = "credit.recovery.run"

    @api.model
    def _cron_run(self, batch_size=200, send_batch_size=50, time_budget=CRON_TIME_BUDGET):
        """The companies using the job queue get their batches enqueued; the others run inline (``super``)."""
        self._enqueue_runs(batch_size)
        return super()._cron_run(
            batch_size=batch_size, send_batch_size=send_batch_size, time_budget=time_budget
        )

    @api.model
    def _companies_to_run(self):
        companies = super()._companies_to_run()
        return companies - companies._credit_recovery_job_queue_companies()

    @api.model
    def _job_channel(self):
        """The job queue's channel of the run, created the first time it is used.

        It is created here rather than by a data file: this module does not depend on ``queue_job``.
        """
        # The channels are the queue's configuration, which only its managers write; the run may be
        # started by any user.
        Channel = self.env["queue.job.channel"].sudo()
        if not Channel.search_count([("complete_name", "=", JOB_CHANNEL)], limit=1):
            Channel.create(
                {
                    "name": JOB_CHANNEL.rpartition(".")[2],
                    "parent_id": self.env.ref("queue_job.channel_root").id,
                }
            )
        return JOB_CHANNEL

    @api.model
    def _enqueue_runs(self, batch_size):
        """Enqueue today's batches of the companies using the job queue; returns how many customers.

        The book is decided once a day per company, as by the inline run: a company whose run of today was
        decided is left to its jobs, so that the scheduled action, called again (by the e-mails its jobs
        queue, for instance), neither decides the whole book again nor enqueues the same customers twice.
        """
        companies = super()._companies_to_run()._credit_recovery_job_queue_companies()
        if not companies:
            return 0
        today = fields.Date.context_today(self)
        channel = self._job_channel()
        enqueued = 0
        for company in companies:
            run = self._prepare_company(company, today)
            if not run or run.decided or run._jobs_open():
                continue
            decisions = run._decide_safely()
            if decisions is None:
                continue  # logged on the run: decided again by the next call
            # Decided for the day: its customers are the jobs' work, not the run's.
            run.decided = True
            run._record_month_ends()
            partner_ids = sorted(partner.id for partner, _decision in run._work_left(decisions))
            batches = list(split_every(batch_size, partner_ids, list))
            for index, batch in enumerate(batches, start=1):
                run.with_delay(
                    channel=channel,
                    description=self.env._(
                        "%(run)s: batch %(batch)s of %(count)s", run=run.name, batch=index, count=len(batches)
                    ),
                    identity_key=job_identity(run._job_key_prefix(), batch),
                )._job_apply(batch)
            enqueued += len(partner_ids)
        return enqueued

    def _job_key_prefix(self):
        self.ensure_one()
        return f"{self._name},{self.id},"

    def _jobs_open(self):
        """Whether the run has batches enqueued and not finished yet."""
        self.ensure_one()
        # The jobs are the queue's records, read by its managers only; the cron reads its own run's.
        return bool(
            self.env["queue.job"]
            .sudo()
            .search_count(
                [("identity_key", "=like", f"{self._job_key_prefix()}%"), ("state", "in", JOB_OPEN_STATES)],
                limit=1,
            )
        )

    def _job_apply(self, partner_ids):
        """The job of one batch: decide again for ``partner_ids`` only, then apply as the inline run does."""
        self.ensure_one()
        if not self.company_id._credit_recovery_job_queue_companies():
            # The company went back to the inline run since: the batch goes back to the run's work, which
            # the scheduled action applies.
            self.work_partner_ids = [fields.Command.link(partner_id) for partner_id in partner_ids]
            return self.env._("The company no longer uses the job queue: left to the scheduled action.")
        decisions = self._decide(partner_ids=partner_ids)
        actions = self._apply(dict(self._work_left(decisions)))
        return self.env._("%(count)s actions created", count=len(actions))
