from odoo import api, models
from odoo.exceptions import AccessError


class CreditRecoveryRate(models.Model):
    """Official rates are global data: every company's penalties and interest read them.

    Only the accounting administrator, or a Credit Manager who belongs to every company of the database,
    creates, changes or deletes them; a Credit Manager of some companies only would change the figures of
    the others.
    """

    _inherit = "credit.recovery.rate"

    @api.model_create_multi
    def create(self, vals_list):
        self._credit_check_rate_editor()
        return super().create(vals_list)

    def write(self, vals):
        self._credit_check_rate_editor()
        return super().write(vals)

    def unlink(self):
        self._credit_check_rate_editor()
        return super().unlink()

    @api.model
    def _credit_check_rate_editor(self):
        if self.env.su:
            return
        user = self.env.user
        if user.has_group("account.group_account_manager"):
            return
        # sudo: the companies the user does not belong to are counted, not read.
        if user.has_group("account_credit_recovery.group_credit_manager") and not self.env[
            "res.company"
        ].sudo().search_count([("id", "not in", user.company_ids.ids)], limit=1):
            return
        raise AccessError(
            self.env._(
                "Official rates are shared by every company: only the accounting administrator or a Credit "
                "Manager of every company can change them."
            )
        )
