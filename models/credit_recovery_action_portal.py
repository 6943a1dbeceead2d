import base64

from odoo import models


class CreditRecoveryAction(models.Model):
    _inherit = "credit.recovery.action"

    def _credit_portal_link(self):
        """The link to the customer's page this action's e-mail and letter carry, or ``False``.

        Only when the company offers the page and the level carries the link; the link is created the first
        time a reminder needs it.
        """
        self.ensure_one()
        if not (self.company_id.credit_portal_enabled and self.level_id.portal_link):
            return False
        return self.env["credit.recovery.portal.access"]._credit_get(self.partner_id, self.company_id).url

    def _credit_portal_qr(self):
        """The QR code of the link as a data URI for the printed letter, or ``False``."""
        self.ensure_one()
        link = self._credit_portal_link()
        if not link:
            return False
        image = self.env["ir.actions.report"].barcode("QR", link, width=150, height=150)
        return "data:image/png;base64," + base64.b64encode(image).decode()

    def _credit_statement_attachment(self):
        """``(name, base64 content)`` of the customer's statement at the action's date, when the level asks."""
        self.ensure_one()
        if not self.level_id.attach_statement:
            return None
        report = self.env.ref("account_credit_recovery.action_report_credit_statement")
        partner = self.partner_id.commercial_partner_id
        # The reminder goes out whoever runs the dunning; the statement is the customer's own figures.
        content, _format = (
            self.env["ir.actions.report"]
            .sudo()
            .with_company(self.company_id)
            ._render_qweb_pdf(
                report,
                partner.ids,
                data={"company_id": self.company_id.id, "date": str(self.date)},
            )
        )
        name = self.with_context(lang=partner.lang).env._(
            "Statement of account - %(customer)s.pdf", customer=partner.name
        )
        return name, base64.b64encode(content)
