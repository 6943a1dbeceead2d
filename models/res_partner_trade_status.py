import re

from odoo import api, fields, models

# Legal forms of commercial companies (C. com. L210-1: commercial by their form).
COMMERCIAL_LEGAL_FORMS = frozenset(
    {"SA", "SAS", "SASU", "SARL", "EURL", "SNC", "SCS", "SCA", "SE", "SAEM", "SEM"}
)
# Legal forms of entities that are not traders: civil companies (SCI, SCM, SCP, SCEA, GAEC, EARL, GFA...),
# companies of liberal professions (SEL...), associations, foundations, trade unions. They are sued before the
# tribunal judiciaire, even when they are businesses (C. com. L721-3 only gives the tribunal de commerce the
# disputes between traders and craftsmen).
CIVIL_LEGAL_FORMS = frozenset(
    {
        "SC",
        "SCI",
        "SCM",
        "SCP",
        "SCEA",
        "SCA AGRICOLE",
        "GAEC",
        "EARL",
        "GFA",
        "GFR",
        "SEL",
        "SELARL",
        "SELAS",
        "SELASU",
        "SELAFA",
        "SELCA",
        "SELEURL",
        "ASSOCIATION",
        "FONDATION",
        "SYNDICAT",
        "SYNDICAT DE COPROPRIETAIRES",
    }
)
TRADE_STATUSES = [
    ("trader", "Trader or Craftsman"),
    ("non_trader", "Not a Trader"),
]


def _legal_form_key(legal_form):
    """``"SARL"`` from "S.A.R.L.", "sarl", "Association loi 1901" -> ``"ASSOCIATION"``."""
    text = (legal_form or "").upper().replace(".", "").strip()
    text = text.replace("É", "E").replace("È", "E")
    if text.startswith("ASSOCIATION"):
        return "ASSOCIATION"
    return re.sub(r"\s+", " ", text)


class ResPartner(models.Model):
    """Trader or not: which court judges a claim (C. com. L721-3)."""

    _inherit = "res.partner"

    credit_trade_status = fields.Selection(
        TRADE_STATUSES,
        string="Trade Status",
        compute="_compute_credit_trade_status",
        store=True,
        readonly=False,
        recursive=True,
        help="Traders (commercial companies, registered traders) and craftsmen are sued before the tribunal de "
        "commerce; the others before the tribunal judiciaire even when they are businesses: associations, "
        "civil companies (SCI...), liberal professions, farmers. Derived from the legal form; correct it for a "
        "sole trader or a form the module does not know. Contacts follow their company.",
    )

    @api.depends(
        "is_company",
        "credit_legal_form",
        "credit_customer_type",
        "credit_public_buyer_kind",
        "parent_id.credit_trade_status",
    )
    def _compute_credit_trade_status(self):
        for partner in self:
            if partner.parent_id and not partner.is_company:
                partner.credit_trade_status = partner.parent_id.credit_trade_status
            else:
                partner.credit_trade_status = partner._credit_derived_trade_status()

    def _credit_derived_trade_status(self):
        """``trader`` for a commercial company (or a company of unknown form), ``non_trader`` otherwise."""
        self.ensure_one()
        form = _legal_form_key(self.credit_legal_form)
        if form in CIVIL_LEGAL_FORMS or self.credit_customer_type == "b2c":
            return "non_trader"
        if form in COMMERCIAL_LEGAL_FORMS or (self.is_company and not form):
            return "trader"
        return "non_trader"
