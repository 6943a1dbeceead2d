from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def action_credit_doubtful_receivables(self):
        """Reclassify the customer's disputed receivables: the wizard preselects the invoices in dispute."""
        self.ensure_one()
        invoices = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
                ("company_id", "=", self.env.company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("credit_doubtful_move_line_id", "=", False),
            ]
        )
        return self.env["credit.recovery.doubtful.wizard"]._credit_action(
            invoices._credit_recovery_blocked(), "reclassify", partner=self.commercial_partner_id
        )
