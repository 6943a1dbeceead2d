from odoo import models

# France and its overseas departments and territories, each a country of its own in Odoo: documents to a
# customer established there are in French (loi n° 94-665 "Toubon", art. 2).
FRENCH_COUNTRY_CODES = frozenset({"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "WF", "PF", "NC"})


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _credit_document_lang(self, contact=None):
        """The language of the letters and e-mails sent to this customer, through ``contact`` if given.

        French for a customer established in France (loi n° 94-665 "Toubon", art. 2), whatever its
        contact's preference; the contact's language otherwise.
        """
        self.ensure_one()
        if self.commercial_partner_id.country_id.code in FRENCH_COUNTRY_CODES:
            return "fr_FR"
        return (contact or self).lang
