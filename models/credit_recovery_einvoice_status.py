from odoo import api, fields, models

# Lifecycle statuses of the French e-invoicing reform (AFNOR XP Z12-012, external specifications).
EINVOICE_STATUSES = [
    ("200", "200 Submitted"),
    ("201", "201 Issued by the Platform"),
    ("202", "202 Received"),
    ("203", "203 Made Available"),
    ("204", "204 In Hand"),
    ("205", "205 Approved"),
    ("206", "206 Partially Approved"),
    ("207", "207 In Dispute"),
    ("208", "208 Suspended"),
    ("209", "209 Completed"),
    ("210", "210 Refused"),
    ("211", "211 Payment Sent"),
    ("212", "212 Payment Received"),
    ("213", "213 Rejected"),
    ("214", "214 Reviewed"),
    ("220", "220 Cancelled"),
    ("221", "221 Routing Error"),
    ("224", "224 Direct Payment Request"),
    ("225", "225 Factored"),
    ("226", "226 Factored, Confidential"),
    ("227", "227 Payment Account Changed"),
    ("228", "228 Not Factored"),
]
EINVOICE_CODES = frozenset(code for code, _label in EINVOICE_STATUSES)
# How a lifecycle status weighs on the recovery: the buyer approved the invoice (the strongest claims once
# overdue), or it refused or disputes it (to settle before any reminder). Used by the aged balance's
# column, the dashboard's tiles and the invoices' filters.
EINVOICE_APPROVED_CODES = ("204", "205", "206")
EINVOICE_CONTESTED_CODES = ("207", "210")
EINVOICE_STANDINGS = [
    ("approved", "Approved by the Buyer"),
    ("contested", "Refused or in Dispute"),
    ("other", "Other or No Status"),
]


class CreditRecoveryEinvoiceStatus(models.Model):
    """One lifecycle status of a customer invoice, received from the platform or sent by the company."""

    _name = "credit.recovery.einvoice.status"
    _description = "E-invoicing Lifecycle Status"
    _order = "date desc, id desc"
    _rec_name = "code"

    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(related="move_id.company_id", string="Company", store=True, index=True)
    partner_id = fields.Many2one(related="move_id.commercial_partner_id", string="Customer", store=True)
    currency_id = fields.Many2one(related="move_id.currency_id", string="Currency")
    code = fields.Selection(EINVOICE_STATUSES, string="Status", required=True, readonly=True, index=True)
    label = fields.Char(string="Label Received", readonly=True, help="The label the message gave the status.")
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    direction = fields.Selection(
        [("in", "Received"), ("out", "Sent")], required=True, default="in", readonly=True
    )
    sender_name = fields.Char(string="Sent By", readonly=True)
    sender_identifier = fields.Char(readonly=True)
    sender_role = fields.Char(readonly=True, help="BY: buyer, SE: seller, WK: platform.")
    reason_code = fields.Char(readonly=True)
    reason = fields.Text(readonly=True)
    amount = fields.Monetary(currency_field="currency_id", readonly=True)
    message_id = fields.Many2one(
        "credit.recovery.einvoice.message", string="Received Message", readonly=True, ondelete="set null"
    )
    outbound_id = fields.Many2one(
        "credit.recovery.einvoice.outbound", string="Sent Message", readonly=True, ondelete="set null"
    )
    effect_note = fields.Char(string="Effect on the Recovery", readonly=True)

    @api.depends("code", "move_id")
    def _compute_display_name(self):
        labels = dict(self._fields["code"]._description_selection(self.env))
        for status in self:
            status.display_name = "%s - %s" % (status.move_id.name or "", labels.get(status.code, ""))
