from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_portal_enabled = fields.Boolean(related="company_id.credit_portal_enabled", readonly=False)
    credit_portal_allow_pay = fields.Boolean(related="company_id.credit_portal_allow_pay", readonly=False)
    credit_portal_allow_promise = fields.Boolean(
        related="company_id.credit_portal_allow_promise", readonly=False
    )
    credit_portal_allow_plan = fields.Boolean(related="company_id.credit_portal_allow_plan", readonly=False)
    credit_portal_allow_dispute = fields.Boolean(
        related="company_id.credit_portal_allow_dispute", readonly=False
    )
    credit_portal_promise_max_days = fields.Integer(
        related="company_id.credit_portal_promise_max_days", readonly=False
    )
    credit_portal_plan_max_instalments = fields.Integer(
        related="company_id.credit_portal_plan_max_instalments", readonly=False
    )
    credit_portal_plan_max_interval_days = fields.Integer(
        related="company_id.credit_portal_plan_max_interval_days", readonly=False
    )
    credit_portal_plan_min_first_percent = fields.Float(
        related="company_id.credit_portal_plan_min_first_percent", readonly=False
    )
