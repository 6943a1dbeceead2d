from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # Risk rules
    credit_risk_score_critical = fields.Float(related="company_id.credit_risk_score_critical", readonly=False)
    credit_risk_score_high = fields.Float(related="company_id.credit_risk_score_high", readonly=False)
    credit_risk_score_medium = fields.Float(related="company_id.credit_risk_score_medium", readonly=False)
    credit_risk_signs_medium = fields.Integer(related="company_id.credit_risk_signs_medium", readonly=False)
    credit_risk_signs_high = fields.Integer(related="company_id.credit_risk_signs_high", readonly=False)
    credit_risk_late_days_medium = fields.Integer(
        related="company_id.credit_risk_late_days_medium", readonly=False
    )
    credit_risk_late_days_high = fields.Integer(
        related="company_id.credit_risk_late_days_high", readonly=False
    )
    credit_risk_overdue_days_high = fields.Integer(
        related="company_id.credit_risk_overdue_days_high", readonly=False
    )
    credit_risk_overdue_days_critical = fields.Integer(
        related="company_id.credit_risk_overdue_days_critical", readonly=False
    )
    credit_risk_over_limit_level = fields.Selection(
        related="company_id.credit_risk_over_limit_level", readonly=False
    )
    credit_overdue_tolerance = fields.Monetary(related="company_id.credit_overdue_tolerance", readonly=False)
    # Review cycle
    credit_review_months_low = fields.Integer(related="company_id.credit_review_months_low", readonly=False)
    credit_review_months_medium = fields.Integer(
        related="company_id.credit_review_months_medium", readonly=False
    )
    credit_review_months_high = fields.Integer(related="company_id.credit_review_months_high", readonly=False)
    credit_review_months_critical = fields.Integer(
        related="company_id.credit_review_months_critical", readonly=False
    )
    # Deposits and credit holds
    credit_deposit_percent_low = fields.Float(related="company_id.credit_deposit_percent_low", readonly=False)
    credit_deposit_percent_medium = fields.Float(
        related="company_id.credit_deposit_percent_medium", readonly=False
    )
    credit_deposit_percent_high = fields.Float(
        related="company_id.credit_deposit_percent_high", readonly=False
    )
    credit_deposit_min_amount = fields.Monetary(
        related="company_id.credit_deposit_min_amount", readonly=False
    )
    credit_hold_overdue_days = fields.Integer(related="company_id.credit_hold_overdue_days", readonly=False)

    # Late-payment penalties, recovery indemnity and legal mentions on invoices (issue #5).
    credit_penalty_basis = fields.Selection(related="company_id.credit_penalty_basis", readonly=False)
    credit_penalty_rate = fields.Float(related="company_id.credit_penalty_rate", readonly=False)
    credit_recovery_indemnity_amount = fields.Monetary(
        related="company_id.credit_recovery_indemnity_amount", readonly=False
    )
    credit_early_payment_discount_text = fields.Char(
        related="company_id.credit_early_payment_discount_text", readonly=False
    )
    credit_invoice_penalty_text = fields.Text(
        related="company_id.credit_invoice_penalty_text", readonly=False
    )
    credit_invoice_indemnity_text = fields.Text(
        related="company_id.credit_invoice_indemnity_text", readonly=False
    )
    credit_invoice_legal_interest_text = fields.Text(
        related="company_id.credit_invoice_legal_interest_text", readonly=False
    )
    credit_penalty_product_id = fields.Many2one(
        related="company_id.credit_penalty_product_id", readonly=False
    )
    credit_payment_term_cap_method = fields.Selection(
        related="company_id.credit_payment_term_cap_method", readonly=False
    )

    # Formal notice (issue #7).
    credit_formal_notice_days = fields.Integer(related="company_id.credit_formal_notice_days", readonly=False)

    # Missing official rate (issue #14).
    credit_missing_rate_policy = fields.Selection(
        related="company_id.credit_missing_rate_policy", readonly=False
    )
