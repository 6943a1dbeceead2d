from odoo import fields, models


class ResCompany(models.Model):
    """The mentions French law requires on business letters (Code de commerce R123-237): legal form, share
    capital, RCS and its city; the SIREN is Odoo's Company ID and the VAT number Odoo's Tax ID."""

    _inherit = "res.company"

    # One place for the legal form: the company's partner, as for customers (Credit page).
    credit_legal_form = fields.Char(
        related="partner_id.credit_legal_form", readonly=False, string="Legal Form", help="SAS, SARL, SA..."
    )
    credit_share_capital = fields.Monetary(
        string="Share Capital",
        currency_field="currency_id",
        help="Printed on the letters as French law requires (leave empty for a sole trader).",
    )
    credit_rcs_city = fields.Char(
        string="RCS City",
        help="The city of the greffe where the company is registered (RCS Paris 526 018 155).",
    )

    def _credit_letter_legal_mentions(self):
        """The foot of the company's letters: legal form and share capital, RCS with its city and the
        SIREN, VAT number; only what is filled in."""
        self.ensure_one()
        parts = [self.name]
        if self.credit_legal_form and self.credit_share_capital:
            parts.append(
                self.env._(
                    "%(form)s with a share capital of %(capital)s",
                    form=self.credit_legal_form,
                    capital=self.currency_id.format(self.credit_share_capital),
                )
            )
        elif self.credit_legal_form:
            parts.append(self.credit_legal_form)
        siren = (self.company_registry or "").replace(" ", "")
        if siren:
            spaced = " ".join(siren[index : index + 3] for index in range(0, len(siren), 3))
            if self.credit_rcs_city:
                parts.append(self.env._("RCS %(city)s %(siren)s", city=self.credit_rcs_city, siren=spaced))
            else:
                parts.append(self.env._("SIREN %(siren)s", siren=spaced))
        if self.vat:
            parts.append(self.env._("VAT %(vat)s", vat=self.vat))
        return " - ".join(parts)
