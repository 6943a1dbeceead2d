from odoo import fields, models
from odoo.exceptions import UserError

# Chart templates that follow the French Plan comptable général.
FRENCH_CHART_TEMPLATES = ("fr",)
# Company field -> (code prefixes tried in order, label shown when the account is missing).
DOUBTFUL_ACCOUNT_PREFIXES = {
    "credit_doubtful_account_id": (("416",), "416 Clients douteux ou litigieux"),
    "credit_provision_account_id": (("491",), "491 Dépréciations des comptes de clients"),
    "credit_provision_expense_account_id": (
        ("68174", "6817"),
        "6817 Dotations aux dépréciations des actifs circulants",
    ),
    "credit_provision_income_account_id": (
        ("78174", "7817"),
        "7817 Reprises sur dépréciations des actifs circulants",
    ),
    "credit_loss_account_id": (("654",), "654 Pertes sur créances irrécouvrables"),
    "credit_loss_vat_account_id": (("44571",), "44571 TVA collectée"),
}


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_doubtful_journal_id = fields.Many2one(
        "account.journal",
        string="Doubtful Receivables Journal",
        domain="[('type', '=', 'general'), ('company_id', '=', id)]",
        ondelete="restrict",
        help="Miscellaneous journal of the reclassification, provision and write-off entries. "
        "Empty: the first miscellaneous journal of the company.",
    )
    credit_doubtful_account_id = fields.Many2one(
        "account.account",
        string="Doubtful Receivables Account",
        ondelete="restrict",
        help="416 Clients douteux ou litigieux. Empty: the first account whose code starts with 416.",
    )
    credit_provision_account_id = fields.Many2one(
        "account.account",
        string="Impairment Account",
        ondelete="restrict",
        help="491 Dépréciations des comptes de clients. Empty: the first account whose code starts with 491.",
    )
    credit_provision_expense_account_id = fields.Many2one(
        "account.account",
        string="Impairment Expense Account",
        ondelete="restrict",
        help="6817 Dotations aux dépréciations des actifs circulants. Empty: 68174, else the first 6817 account.",
    )
    credit_provision_income_account_id = fields.Many2one(
        "account.account",
        string="Impairment Reversal Account",
        ondelete="restrict",
        help="7817 Reprises sur dépréciations des actifs circulants. Empty: 78174, else the first 7817 account.",
    )
    credit_loss_account_id = fields.Many2one(
        "account.account",
        string="Irrecoverable Receivables Account",
        ondelete="restrict",
        help="654 Pertes sur créances irrécouvrables. Empty: 6541 for an invoice of the current fiscal year, "
        "6544 for an older one, else the first 654 account.",
    )
    credit_loss_vat_account_id = fields.Many2one(
        "account.account",
        string="VAT Recovered Account",
        ondelete="restrict",
        help="44571 TVA collectée, debited with the VAT of a written-off receivable. "
        "Empty: the first account whose code starts with 44571.",
    )

    def _credit_check_french_chart(self):
        """Refuse the doubtful receivable entries outside the French chart of accounts."""
        for company in self:
            if (company.chart_template or company.root_id.chart_template) not in FRENCH_CHART_TEMPLATES:
                raise UserError(
                    self.env._(
                        "Doubtful receivables follow the French chart of accounts (416, 491, 654): "
                        "%(company)s does not use it.",
                        company=company.name,
                    )
                )

    def _credit_doubtful_default_journal(self):
        """The journal of the doubtful receivable entries: the one set, else a miscellaneous journal."""
        self.ensure_one()
        return self.credit_doubtful_journal_id or self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(self), ("type", "=", "general")],
            limit=1,
        )

    def _credit_doubtful_journal(self):
        """``_credit_doubtful_default_journal``, refused when the company has none."""
        journal = self._credit_doubtful_default_journal()
        if not journal:
            raise UserError(
                self.env._(
                    "%(company)s has no miscellaneous journal for the doubtful receivables.",
                    company=self.name,
                )
            )
        return journal

    def _credit_find_account(self, prefixes):
        """The first active account of the company's chart whose code starts with one of ``prefixes``."""
        self.ensure_one()
        Account = self.env["account.account"].with_company(self)
        for prefix in prefixes:
            account = Account.search(
                [
                    *Account._check_company_domain(self),
                    ("code", "=like", f"{prefix}%"),
                    ("deprecated", "=", False),
                ],
                order="code",
                limit=1,
            )
            if account:
                return account
        return Account

    def _credit_doubtful_account(self, field_name, prefixes=None):
        """The account set on the company for ``field_name``, else found by its code; refuses when missing."""
        self.ensure_one()
        default_prefixes, label = DOUBTFUL_ACCOUNT_PREFIXES[field_name]
        account = self[field_name] or self._credit_find_account(prefixes or default_prefixes)
        if not account:
            raise UserError(
                self.env._(
                    "The account %(account)s is missing from the chart of accounts of %(company)s: create it or "
                    "choose it in the credit rules.",
                    account=label,
                    company=self.name,
                )
            )
        return account
