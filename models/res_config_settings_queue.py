from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_use_job_queue = fields.Boolean(related="company_id.credit_use_job_queue", readonly=False)
    credit_job_queue_installed = fields.Boolean(
        string="Job Queue Installed", compute="_compute_credit_job_queue_installed"
    )

    def _compute_credit_job_queue_installed(self):
        self.credit_job_queue_installed = "queue.job" in self.env
