from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_use_job_queue = fields.Boolean(
        string="Use the Job Queue",
        help="The daily dunning run applies its decisions and sends its e-mails as jobs of the job queue "
        "(OCA's queue_job, channel root.credit_recovery), one job per batch, so that several Odoo servers "
        "sharing the database share the work. Off: the scheduled action does it all, batch after batch.",
    )

    @api.constrains("credit_use_job_queue")
    def _check_credit_use_job_queue(self):
        if "queue.job" not in self.env and any(self.mapped("credit_use_job_queue")):
            raise ValidationError(
                self.env._(
                    "The job queue can only be used once the Job Queue module (queue_job) is installed."
                )
            )

    def write(self, vals):
        turned_on = self.browse()
        if vals.get("credit_use_job_queue"):
            turned_on = self.filtered(lambda company: not company.credit_use_job_queue)
        result = super().write(vals)
        if turned_on:
            # E-mails queued before the switch are sent by jobs too: the cron no longer sends them. The
            # administrator who switches may have no credit rights: the queued e-mails are read as such.
            self.env["credit.recovery.action"].sudo().search(
                [("company_id", "in", turned_on.ids), ("send_queued", "=", True)]
            )._enqueue_sending()
        return result

    @api.model
    def _credit_manager_settings(self):
        # Where the run's work is done is the administrators' choice: it needs queue_job's job runner.
        return super()._credit_manager_settings() - {"credit_use_job_queue"}

    def _credit_recovery_job_queue_companies(self):
        """The companies of ``self`` whose dunning run goes through the job queue (see README)."""
        if "queue.job" not in self.env:
            return self.browse()
        return self.filtered("credit_use_job_queue")
