from odoo import api, models
from odoo.exceptions import UserError

# France and its overseas departments and territories, each a country of its own in Odoo: documents to a
# customer established there are in French (loi n° 94-665 "Toubon", art. 2).
FRENCH_COUNTRY_CODES = frozenset({"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "WF", "PF", "NC"})
FRENCH_LANG = "fr_FR"


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _credit_document_lang(self, contact=None):
        """The language of the letters and e-mails sent to this customer, through ``contact`` if given.

        French for a customer established in France (loi n° 94-665 "Toubon", art. 2), whatever its
        contact's preference; the contact's language otherwise.
        """
        self.ensure_one()
        if self.commercial_partner_id.country_id.code in FRENCH_COUNTRY_CODES:
            return self._credit_french_lang()
        return (contact or self).lang

    @api.model
    def _credit_french_lang(self):
        """The code of French, for a document that must be in French; refused with the reason while French is
        not active (a French document would otherwise be printed in the source language)."""
        if not self.env["res.lang"]._get_code(FRENCH_LANG):
            raise UserError(
                self.env._(
                    "Documents to a customer established in France, and requests to a French court, are written in "
                    "French (loi n° 94-665, art. 2): activate French in Settings > Languages first."
                )
            )
        return FRENCH_LANG

    @api.model
    def _credit_ensure_french(self):
        """Activate French with the French terms of every installed module, when it is not active yet."""
        if self.env["res.lang"]._get_code(FRENCH_LANG):
            return
        self.env["res.lang"]._activate_lang(FRENCH_LANG)
        modules = self.env["ir.module.module"].search(
            [("state", "in", ("installed", "to install", "to upgrade"))]
        )
        modules._update_translations(FRENCH_LANG)
