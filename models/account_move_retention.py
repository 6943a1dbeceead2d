from odoo import fields, models


class AccountMove(models.Model):
    """An invoice of goods issued under the company's retention-of-title clause (C. civ. 2367)."""

    _inherit = "account.move"

    credit_retention_of_title = fields.Boolean(
        string="Retention of Title",
        copy=False,
        readonly=True,
        help="The invoice was issued under the company's retention-of-title clause, for goods: they remain the "
        "company's property until paid and may be claimed in the customer's collective proceedings within "
        "three months of the publication (Code de commerce L624-9, L624-16).",
    )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted.filtered(
            lambda move: (
                move.move_type == "out_invoice"
                and move.company_id.credit_retention_of_title
                and move._credit_has_goods()
            )
        ).write({"credit_retention_of_title": True})
        return posted

    def _credit_has_goods(self):
        """Whether the invoice sells goods, the only things a retention of title bears on."""
        self.ensure_one()
        return any(
            line.product_id.type == "consu"
            for line in self.invoice_line_ids
            if line.display_type == "product"
        )

    def _credit_retention_of_title_text(self):
        """The clause printed on the invoice, in the language of ``self.env``; empty when it has none."""
        self.ensure_one()
        clause = self.credit_retention_of_title or (
            self.state == "draft"
            and self.move_type == "out_invoice"
            and self.company_id.credit_retention_of_title
            and self._credit_has_goods()
        )
        return (self.company_id.credit_retention_of_title_text or "") if clause else ""
