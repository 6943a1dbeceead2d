from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_retention_of_title = fields.Boolean(related="company_id.credit_retention_of_title", readonly=False)
    credit_retention_of_title_text = fields.Text(
        related="company_id.credit_retention_of_title_text", readonly=False
    )
