from odoo import fields, models

from .account_move_litigation import CASE_READERS


class ResPartner(models.Model):
    _inherit = "res.partner"

    credit_case_count = fields.Integer(
        string="Litigation Case Count", compute="_compute_credit_case_count", groups=CASE_READERS
    )

    def _compute_credit_case_count(self):
        counts = dict(
            self.env["credit.recovery.case"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.credit_case_count = counts.get(partner.commercial_partner_id, 0)

    def action_credit_cases(self):
        """The litigation cases against the customer."""
        self.ensure_one()
        commercial = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_credit_recovery.credit_recovery_case_action"
        )
        action.update(
            {
                "domain": [("partner_id", "=", commercial.id)],
                "context": {"default_partner_id": commercial.id},
            }
        )
        return action
