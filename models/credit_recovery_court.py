import unicodedata

from odoo import api, fields, models

# The kinds of court an order for payment is asked from (CPC 1406). The tribunaux des activités économiques
# replace the tribunaux de commerce of their seats from 1 January 2025, for four years (loi n° 2023-1059,
# art. 26); in Bas-Rhin, Haut-Rhin and Moselle the commercial chamber of the tribunal judiciaire sits instead
# of a tribunal de commerce (COJ L211-9-1).
COURT_KINDS = [
    ("commerce", "Tribunal de commerce"),
    ("tae", "Tribunal des activités économiques"),
    ("judiciaire", "Tribunal judiciaire"),
    ("alsace_moselle", "Chambre commerciale du tribunal judiciaire (Alsace-Moselle)"),
]
# The kinds judging disputes between traders (C. com. L721-3), and those judging the others.
COMMERCIAL_COURT_KINDS = ("commerce", "tae", "alsace_moselle")
CIVIL_COURT_KINDS = ("judiciaire",)


def department_code(zip_code):
    """The French department of a postcode: ``"69"``, ``"2A"`` / ``"2B"`` for Corsica, ``"974"`` overseas.

    ``False`` when the postcode is not a French one of five digits.
    """
    code = (zip_code or "").replace(" ", "")
    if len(code) != 5 or not code.isdigit():
        return False
    if code.startswith("97") or code.startswith("98"):
        return code[:3]
    if code.startswith("20"):
        # Corse-du-Sud: 200xx and 201xx; Haute-Corse: 202xx to 206xx.
        return "2A" if code[2] in "01" else "2B"
    return code[:2]


def _city_key(city):
    """A town's name compared without accents, case, hyphens or the "Saint"/"St" spelling."""
    text = unicodedata.normalize("NFD", city or "").encode("ascii", "ignore").decode().lower()
    text = text.replace("-", " ").replace("'", " ")
    words = ["saint" if word == "st" else "sainte" if word == "ste" else word for word in text.split()]
    return " ".join(words)


class CreditRecoveryCourt(models.Model):
    """A French court with its seat, to file an order for payment with (CPC 1406).

    Reference data shared by every company, like the countries: the list is shipped, a Credit Manager may
    archive a court or add one the law creates.
    """

    _name = "credit.recovery.court"
    _description = "Court"
    _order = "kind, city, id"

    name = fields.Char(
        required=True,
        help="The court's official name, in French: it is printed as is on the request.",
    )
    kind = fields.Selection(COURT_KINDS, required=True)
    city = fields.Char(string="Seat", required=True, help="The town where the court sits.")
    department_codes = fields.Char(
        string="Departments",
        required=True,
        help="The codes of the departments the court sits for, separated by commas (69; 2A; 974; 90,25).",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_unique", "UNIQUE(name)", "A court with this name already exists."),
    ]

    @api.model
    def _department_list(self, codes):
        return [code.strip().upper() for code in (codes or "").split(",") if code.strip()]

    @api.model
    def _propose(self, partners, kinds):
        """``{partner: court}``: the court of ``kinds`` proposed for each partner's address.

        A court of the partner's department sitting in the partner's town; otherwise the only court of those
        kinds in the department; otherwise none (several courts share the department by districts the address
        alone does not tell): the user chooses. Never a court that does not exist.
        """
        courts = self.search([("kind", "in", list(kinds))])
        by_department = {}
        for court in courts:
            for code in self._department_list(court.department_codes):
                by_department.setdefault(code, self.browse())
                by_department[code] |= court
        result = {}
        for partner in partners:
            if partner.country_id and partner.country_id.code not in ("FR", "GP", "MQ", "GF", "RE", "YT"):
                result[partner] = self.browse()
                continue
            candidates = by_department.get(department_code(partner.zip), self.browse())
            in_town = candidates.filtered(
                lambda court, partner=partner: _city_key(court.city) == _city_key(partner.city)
            )
            if in_town:
                result[partner] = in_town[0]
            elif len(candidates) == 1:
                result[partner] = candidates
            else:
                result[partner] = self.browse()
        return result
