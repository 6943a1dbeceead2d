from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_einvoice_grace_days = fields.Integer(
        related="company_id.credit_einvoice_grace_days", readonly=False
    )
    credit_einvoice_api_key = fields.Char(
        related="company_id.credit_einvoice_api_key", readonly=False, groups="base.group_system"
    )
    credit_einvoice_platform_senders = fields.Char(
        related="company_id.credit_einvoice_platform_senders", readonly=False
    )

    def action_credit_einvoice_generate_key(self):
        self.company_id.action_credit_einvoice_generate_key()
        return True
