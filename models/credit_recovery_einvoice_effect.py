from odoo import api, fields, models

from .credit_recovery_einvoice_status import EINVOICE_STATUSES

EINVOICE_EFFECTS = [
    ("none", "Record Only"),
    ("bap_received", "Bon à Payer: Received"),
    ("bap_approved", "Bon à Payer: Approved"),
    ("partial", "Approved for the Amount Given, Dispute for the Rest"),
    ("dispute", "Open a Dispute"),
    ("refuse", "Open a Dispute and Ask for a Credit Note"),
    ("suspend", "Pause the Reminders, Send the Documents Asked For"),
    ("resume", "Resume the Reminders Paused by a Suspension"),
    ("payment_sent", "Grace Period, then Reconcile First"),
    ("rejected", "Not Due: No Reminder, Re-issue the Invoice"),
]
# What each status does when the company configured nothing else.
DEFAULT_EFFECTS = {
    "204": "bap_approved",
    "205": "bap_approved",
    "206": "partial",
    "207": "dispute",
    "208": "suspend",
    "209": "resume",
    "210": "refuse",
    "211": "payment_sent",
    "213": "rejected",
}


class CreditRecoveryEinvoiceEffect(models.Model):
    """What a lifecycle status does to the recovery in one company, when it differs from the default."""

    _name = "credit.recovery.einvoice.effect"
    _description = "E-invoicing Status Effect"
    _order = "company_id, code"
    _rec_name = "code"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.company,
    )
    code = fields.Selection(EINVOICE_STATUSES, string="Status", required=True)
    effect = fields.Selection(EINVOICE_EFFECTS, required=True, default="none")
    default_effect = fields.Selection(EINVOICE_EFFECTS, compute="_compute_default_effect")

    _sql_constraints = [
        ("company_code_unique", "UNIQUE(company_id, code)", "A status has one effect per company."),
    ]

    @api.depends("code")
    def _compute_default_effect(self):
        for line in self:
            line.default_effect = DEFAULT_EFFECTS.get(line.code, "none")

    @api.model
    def _effects_of(self, company):
        """``{code: effect}`` of ``company``: its own lines over the defaults, read in one query."""
        effects = dict(DEFAULT_EFFECTS)
        for line in self.sudo().search([("company_id", "=", company.id)]):  # settings, read by any importer
            effects[line.code] = line.effect
        return effects
