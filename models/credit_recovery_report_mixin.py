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
    computed = fields.Boolean(readonly=True)

    @api.depends("date", "company_id")
    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = self.env._(
                "%(report)s at %(date)s",
                report=self.env["ir.model"]._get(self._name).name,
                date=format_date(self.env, wizard.date) if wizard.date else "",
            )

    def action_compute(self):
        """Compute the report's figures at the wizard's date (over its period)."""
        for wizard in self:
            wizard._fill()
        return False

    def _fill(self):
        """Replace the wizard's lines with its report's figures, and mark it computed (each report its own)."""
        raise NotImplementedError

    def _credit_fill_once(self):
        """Compute the wizard's figures unless it holds them already."""
        self.ensure_one()
        if not self.computed:
            self._fill()

    def _credit_lines_action(self, xmlid, name):
        """The window action ``xmlid`` on the wizard's lines (computed first if need be), titled ``name``."""
        self._credit_fill_once()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("wizard_id", "=", self.id)]
        action["name"] = name
        return action
