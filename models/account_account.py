from odoo import api, models

RECEIVABLE = "asset_receivable"


class AccountAccount(models.Model):
    _inherit = "account.account"

    @api.model_create_multi
    def create(self, vals_list):
        accounts = super().create(vals_list)
        if any(account.account_type == RECEIVABLE for account in accounts):
            self._credit_receivable_accounts_changed()
        return accounts

    def write(self, vals):
        receivable_before = "account_type" in vals and any(
            account.account_type == RECEIVABLE for account in self
        )
        result = super().write(vals)
        if receivable_before or vals.get("account_type") == RECEIVABLE:
            self._credit_receivable_accounts_changed()
        return result

    def unlink(self):
        receivable = any(account.account_type == RECEIVABLE for account in self)
        result = super().unlink()
        if receivable:
            self._credit_receivable_accounts_changed()
        return result

    def _credit_receivable_accounts_changed(self):
        """The receivable book caches the ids of the receivable accounts (``credit.recovery.book
        ._receivable_account_ids``): clear it."""
        self.env.registry.clear_cache()
