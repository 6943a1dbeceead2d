from odoo import api, models
from odoo.tools import split_every

from .credit_recovery_run_queue import job_identity

# E-mails rendered per job: as the scheduled action's ``send_batch_size``.
JOB_SEND_BATCH = 50


class CreditRecoveryAction(models.Model):
    """E-mails with their letters sent by jobs of the job queue (``credit_recovery_run_queue``)."""

    _inherit = "credit.recovery.action"

    def _execute(self, decided=False):
        result = super()._execute(decided=decided)
        self._enqueue_sending()
        return result

    @api.model
    def _send_queued_domain(self):
        """The e-mails of the companies using the job queue are their jobs' work, not the scheduled action's."""
        domain = super()._send_queued_domain()
        if "queue.job" not in self.env:
            return domain
        companies = self.env["res.company"].search([("credit_use_job_queue", "=", True)])
        if not companies:
            return domain
        return [*domain, ("company_id", "not in", companies.ids)]

    def _enqueue_sending(self):
        """One job per ``JOB_SEND_BATCH`` queued e-mails of ``self`` whose company uses the job queue."""
        companies = self.company_id._credit_recovery_job_queue_companies()
        queued = self.filtered(lambda action: action.send_queued and action.company_id in companies)
        if not queued:
            return
        channel = self.env["credit.recovery.run"]._job_channel()
        # Sent by the scheduled action's user, as the inline run sends them, whoever queued them.
        sender = self.env.ref("account_credit_recovery.ir_cron_credit_recovery_run").sudo().user_id
        for batch in queued.grouped("company_id").values():
            for ids in split_every(JOB_SEND_BATCH, batch.ids):
                self.with_user(sender).browse(ids).with_delay(
                    channel=channel,
                    description=self.env._(
                        "Dunning e-mails of %(company)s: %(count)s e-mails",
                        company=batch.company_id.name,
                        count=len(ids),
                    ),
                    identity_key=job_identity(f"{self._name},send,", ids),
                )._job_send()

    def _job_send(self):
        """The job of a batch of e-mails: render and send those still queued, as the scheduled action does."""
        companies = self.company_id._credit_recovery_job_queue_companies()
        queued = self.filtered(lambda action: action.send_queued and action.company_id in companies)
        queued._send_safely()
        return self.env._("%(count)s e-mails sent", count=len(queued))
