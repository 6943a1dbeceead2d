from odoo import api, fields, models

CHANNELS = [
    ("phone", "Phone Call"),
    ("email", "E-mail"),
    ("letter", "Letter"),
    ("registered_letter", "Registered Letter"),
    ("litigation", "Litigation"),
]


class CreditRecoveryLevel(models.Model):
    _name = "credit.recovery.level"
    _description = "Dunning Level"
    _order = "policy_id, delay_days, id"

    name = fields.Char(required=True, translate=True)
    policy_id = fields.Many2one("credit.recovery.policy", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="policy_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    delay_days = fields.Integer(
        string="Days After Due Date",
        required=True,
        help="Days after the due date from which this level applies; negative before the due date.",
    )
    channel = fields.Selection(CHANNELS, required=True, default="email")
    min_overdue_amount = fields.Monetary(
        string="Minimum Amount Due",
        currency_field="currency_id",
        help="The customer is only reached at this level when the amount it owes at this level reaches this.",
    )
    min_invoice_amount = fields.Monetary(
        string="Minimum Invoice Amount",
        currency_field="currency_id",
        help="Only items of invoices at least this large reach this level (e.g. pre-due calls for large invoices).",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail Template",
        domain=[("model", "=", "credit.recovery.action")],
        ondelete="restrict",
    )
    report_id = fields.Many2one(
        "ir.actions.report",
        string="Letter",
        domain=[("model", "=", "credit.recovery.action")],
        ondelete="restrict",
    )
    needs_validation = fields.Boolean(
        string="Needs a Credit Manager's Validation",
        help="Actions of this level wait for a Credit Manager before anything is sent.",
    )
    notify_salesperson = fields.Boolean(
        string="Inform the Salesperson", help="The customer's salesperson is told when this level is reached."
    )
    set_credit_hold = fields.Boolean(
        string="Put on Credit Hold", help="Reaching this level puts the customer on credit hold."
    )
    letter_body = fields.Html(
        string="Letter Text",
        translate=True,
        sanitize_style=True,
        help="The body of the letter and e-mail of this level, before the list of items.",
    )
    pre_due = fields.Boolean(string="Before the Due Date", compute="_compute_pre_due")
    call_script = fields.Text(
        translate=True,
        help="Suggested opening for the credit controller's call.",
    )

    @api.depends("delay_days")
    def _compute_pre_due(self):
        for level in self:
            level.pre_due = level.delay_days < 0
