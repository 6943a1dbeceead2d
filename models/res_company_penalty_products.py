from odoo import api, models

from .res_company_doubtful import FRENCH_CHART_TEMPLATES

# Shipped product -> code prefixes of its income account on the French chart: penalties are income from
# commercial receivables (PCG 7631), the 40 EUR indemnity other operating income (PCG 758).
PENALTY_PRODUCT_ACCOUNTS = {
    "account_credit_recovery.product_credit_late_penalty": ("7631",),
    "account_credit_recovery.product_credit_recovery_indemnity": ("758",),
}


class ResCompany(models.Model):
    _inherit = "res.company"

    def _credit_indemnity_product(self):
        """The product of the 40 EUR indemnity lines of this company's penalty invoices."""
        self.ensure_one()
        return (
            self.env.ref(
                "account_credit_recovery.product_credit_recovery_indemnity", raise_if_not_found=False
            )
            or self._credit_penalty_product()
        )

    def _credit_penalty_products_set_accounts(self):
        """Give the shipped penalty and indemnity products their income account (7631, 758) in each company of
        ``self`` on the French chart, where none is set yet (a company's own choice is kept)."""
        for company in self.filtered(
            lambda company: (
                (company.chart_template or company.root_id.chart_template) in FRENCH_CHART_TEMPLATES
            )
        ):
            for xmlid, prefixes in PENALTY_PRODUCT_ACCOUNTS.items():
                product = self.env.ref(xmlid, raise_if_not_found=False)
                if not product:
                    continue
                product = product.with_company(company)
                account = company._credit_find_account(prefixes)
                if account and not product.property_account_income_id:
                    product.property_account_income_id = account

    @api.model
    def _credit_penalty_products_install(self):
        """At install: the French-chart companies' accounts of the shipped products."""
        # Branches follow their root's chart: ``_credit_penalty_products_set_accounts`` reads it.
        self.with_context(active_test=False).search(
            ["|", ("chart_template", "in", FRENCH_CHART_TEMPLATES), ("parent_id", "!=", False)]
        )._credit_penalty_products_set_accounts()


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    def _load(self, template_code, company, install_demo, force_create=True):
        result = super()._load(template_code, company, install_demo, force_create)
        # A company that takes the French chart after the install gets the products' accounts too.
        company = company or self.env.company
        company._credit_penalty_products_set_accounts()
        return result
