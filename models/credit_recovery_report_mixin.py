from odoo import api, fields, models
from odoo.tools.misc import format_date


class CreditRecoveryReportMixin(models.AbstractModel):
    """The header of the module's report wizards: the date, the company and its currency."""

    _name = "credit.recovery.report.mixin"
    _description = "Credit Recovery Report Header"
    _check_company_auto = True

    date = fields.Date(string="At Date", required=True, default=fields.Date.context_today)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        ondelete="cascade",
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    @api.depends("date", "company_id")
    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = self.env._(
                "%(report)s at %(date)s",
                report=self.env["ir.model"]._get(self._name).name,
                date=format_date(self.env, wizard.date) if wizard.date else "",
            )
