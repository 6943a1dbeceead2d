from odoo import fields, models

from .res_company import ResCompany as CreditResCompany

RETENTION_OF_TITLE_TEXT = (
    "The goods sold remain our property until full payment of the price in principal and accessories "
    "(retention of title, Code civil articles 2367 et seq.; Code de commerce L624-16). The risks pass to the "
    "buyer on delivery."
)


class ResCompany(models.Model):
    """The retention-of-title clause (clause de réserve de propriété) printed on invoices of goods."""

    _inherit = "res.company"

    _credit_legal_texts_fr = {
        **CreditResCompany._credit_legal_texts_fr,
        "credit_retention_of_title_text": (
            "Les marchandises vendues demeurent notre propriété jusqu'au paiement intégral du prix en principal "
            "et accessoires (clause de réserve de propriété, Code civil, articles 2367 et suivants ; Code de "
            "commerce, article L624-16). Les risques sont transférés à l'acheteur dès la livraison."
        ),
    }

    credit_retention_of_title = fields.Boolean(
        string="Retention of Title",
        help="The goods sold remain the company's property until paid in full (Code civil 2367): the clause is "
        "printed on invoices of goods and, when a customer enters collective proceedings, the goods of its "
        "unpaid invoices are claimed within three months of the publication (Code de commerce L624-9, "
        "L624-16). The clause binds the customer when agreed in writing at the latest on delivery: state it "
        "in the terms of sale and on quotations too.",
    )
    credit_retention_of_title_text = fields.Text(
        string="Retention of Title Mention",
        translate=True,
        default=RETENTION_OF_TITLE_TEXT,
        help="Printed on the invoices of goods, in the customer's language.",
    )
