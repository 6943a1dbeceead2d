from odoo import fields, models


class CreditRecoveryLevel(models.Model):
    _inherit = "credit.recovery.level"

    attach_statement = fields.Boolean(
        string="Attach the Statement",
        help="The e-mail of this level carries the customer's statement of account as a PDF.",
    )
    portal_link = fields.Boolean(
        string="Link to the Customer's Page",
        default=True,
        help="The e-mail and letter of this level carry the link (and QR code) to the customer's page, when the "
        "company offers it.",
    )
