from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

COLLECTIVE_PROCEEDINGS = [
    ("none", "None"),
    ("safeguard", "Safeguard (sauvegarde)"),
    ("receivership", "Receivership (redressement judiciaire)"),
    ("liquidation", "Liquidation (liquidation judiciaire)"),
]
HEADCOUNT_BANDS = [
    ("0", "No employee"),
    ("1_9", "1-9"),
    ("10_49", "10-49"),
    ("50_249", "50-249"),
    ("250_4999", "250-4,999"),
    ("5000", "5,000 and more"),
]


class ResPartner(models.Model):
    """The customer's identity and what is known of it: legal identity, published figures, collective
    proceedings, solvency score, credit insurance, contacts' roles; the checks of what is entered."""

    _inherit = "res.partner"

    # Identity (SIREN lives in Odoo's company_registry, SIRET in l10n_fr's siret).
    credit_legal_form = fields.Char(string="Legal Form", help="SAS, SARL, SA, EURL, EI...")
    credit_creation_date = fields.Date(string="Creation Date")
    credit_naf_code = fields.Char(string="NAF Code", size=6, help="Activity code (APE/NAF), e.g. 47.11F.")
    credit_headcount_band = fields.Selection(HEADCOUNT_BANDS, string="Headcount")
    credit_legal_representative_id = fields.Many2one(
        "res.partner",
        string="Legal Representative",
        domain="[('parent_id', '=', id), ('is_company', '=', False)]",
        ondelete="set null",
        help="The person who can bind the company (président, gérant...).",
    )
    # Financial information, in the currency of the published accounts.
    credit_financial_currency_id = fields.Many2one(
        "res.currency",
        string="Accounts Currency",
        default=lambda self: self.env.ref("base.EUR", raise_if_not_found=False),
        ondelete="restrict",
    )
    credit_revenue = fields.Monetary(
        string="Revenue", currency_field="credit_financial_currency_id", groups="base.group_user"
    )
    credit_net_result = fields.Monetary(
        string="Net Result", currency_field="credit_financial_currency_id", groups="base.group_user"
    )
    credit_equity = fields.Monetary(
        string="Equity", currency_field="credit_financial_currency_id", groups="base.group_user"
    )
    credit_financials_known = fields.Boolean(
        string="Financial Figures Known",
        compute="_compute_credit_financials_known",
        store=True,
        help="Revenue, net result, equity or the fiscal year end was entered: until then the figures are "
        "unknown (shown empty, sorted last), not zero.",
    )
    credit_fiscal_year_end = fields.Date(string="Fiscal Year End")
    credit_accounts_published = fields.Boolean(
        string="Accounts Published",
        help="The customer files its annual accounts publicly at the greffe.",
    )
    credit_last_filing_date = fields.Date(string="Last Filing Date")
    credit_collective_proceeding = fields.Selection(
        COLLECTIVE_PROCEEDINGS,
        string="Collective Proceedings",
        default="none",
        required=True,
        tracking=True,
        help="Sauvegarde, redressement or liquidation judiciaire as published in the BODACC: it blocks "
        "new credit and suppresses the 40 EUR recovery indemnity.",
    )
    credit_collective_proceeding_date = fields.Date(string="Proceedings Published On (BODACC)")
    # Solvency score: entered by the user from its source, never computed here.
    credit_score = fields.Float(
        string="Solvency Score",
        digits=(4, 1),
        tracking=True,
        help="Score out of 20 on the AFDCC scale, as obtained from its source (0 = not known).",
        groups="base.group_user",
    )
    credit_score_source = fields.Char(string="Score Source", groups="base.group_user")
    credit_score_date = fields.Date(string="Score Date", groups="base.group_user")
    credit_score_age_days = fields.Integer(
        string="Score Age (days)", compute="_compute_credit_score_age_days", groups="base.group_user"
    )
    credit_external_rating = fields.Char(
        string="External Rating", help="Any other rating, with its scale.", groups="base.group_user"
    )
    # Credit insurance.
    credit_insurer_id = fields.Many2one("res.partner", ondelete="restrict", groups="base.group_user")
    credit_insured_amount = fields.Monetary(
        string="Insured Amount", currency_field="credit_financial_currency_id", groups="base.group_user"
    )
    credit_insurance_expiry = fields.Date(string="Insurance Expiry", groups="base.group_user")
    credit_contact_role = fields.Selection(
        [
            ("invoice_approver", "Approves Invoices for Payment"),
            ("accountant", "Accountant"),
            ("legal_signatory", "Legal Signatory"),
        ],
        string="Credit Role",
        help="Who the credit controller calls for the bon à payer, the payments, the formal letters.",
    )

    @api.depends("credit_score_date")
    def _compute_credit_score_age_days(self):
        today = fields.Date.context_today(self)
        for partner in self:
            score_date = partner.credit_score_date
            partner.credit_score_age_days = (today - score_date).days if score_date else 0

    @api.depends("credit_revenue", "credit_net_result", "credit_equity", "credit_fiscal_year_end")
    def _compute_credit_financials_known(self):
        for partner in self:
            partner.credit_financials_known = bool(
                partner.credit_revenue
                or partner.credit_net_result
                or partner.credit_equity
                or partner.credit_fiscal_year_end
            )

    @api.constrains("company_registry", "siret", "country_id")
    def _check_credit_siren_siret(self):
        for partner in self:
            if partner.country_id and partner.country_id.code != "FR":
                continue
            siren = (partner.company_registry or "").replace(" ", "")
            siret = (partner.siret or "").replace(" ", "")
            if siren and partner.is_company and not stdnum_siren.is_valid(siren):
                raise ValidationError(
                    self.env._(
                        "The SIREN of %(partner)s, %(siren)s, is not valid: a SIREN has 9 digits and a "
                        "valid check digit (Luhn).",
                        partner=partner.display_name,
                        siren=partner.company_registry,
                    )
                )
            if siret and not stdnum_siret.is_valid(siret):
                raise ValidationError(
                    self.env._(
                        "The SIRET of %(partner)s, %(siret)s, is not valid: a SIRET has 14 digits and a "
                        "valid check digit (Luhn).",
                        partner=partner.display_name,
                        siret=partner.siret,
                    )
                )
            if siren and siret and partner.is_company and siret[:9] != siren:
                raise ValidationError(
                    self.env._(
                        "The SIRET %(siret)s of %(partner)s does not start with its SIREN %(siren)s.",
                        partner=partner.display_name,
                        siret=partner.siret,
                        siren=partner.company_registry,
                    )
                )

    @api.constrains("credit_score")
    def _check_credit_score(self):
        for partner in self:
            if not 0.0 <= partner.credit_score <= 20.0:
                raise ValidationError(
                    self.env._(
                        "The solvency score of %(partner)s must lie between 0 and 20 (AFDCC scale), "
                        "not %(score)s.",
                        partner=partner.display_name,
                        score=partner.credit_score,
                    )
                )

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        """Unknown scores (0) and financial figures never entered sort last, not as zeros."""
        if field_name == "credit_score":
            return SQL(
                "NULLIF(%s, 0) %s NULLS LAST",
                self._field_to_sql(alias, field_name, query),
                direction,
            )
        if field_name in ("credit_revenue", "credit_net_result", "credit_equity"):
            return SQL(
                "CASE WHEN %s THEN COALESCE(%s, 0) END %s NULLS LAST",
                self._field_to_sql(alias, "credit_financials_known", query),
                self._field_to_sql(alias, field_name, query),
                direction,
            )
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    def _credit_recovery_letter_contact(self):
        """Who reminders are addressed to: the customer's accountant, else its invoicing address."""
        self.ensure_one()
        return self._credit_recovery_contact("accountant")

    def _credit_recovery_contact(self, role):
        """The contact of the customer for ``role`` (invoice_approver, accountant, legal_signatory).

        Falls back to the legal representative for the legal signatory, then to the invoice address, then
        to the customer itself. Dunning calls and letters address it.
        """
        self.ensure_one()
        commercial = self.commercial_partner_id
        contacts = commercial.child_ids.filtered(lambda contact: contact.credit_contact_role == role)
        if contacts:
            return contacts[:1]
        if role == "legal_signatory" and commercial.credit_legal_representative_id:
            return commercial.credit_legal_representative_id
        invoice_contacts = commercial.child_ids.filtered(lambda contact: contact.type == "invoice")
        return invoice_contacts[:1] or commercial
