from markupsafe import Markup

from odoo import models


class MailTemplate(models.Model):
    _inherit = "mail.template"

    def _generate_template(self, res_ids, render_fields, find_or_create_partners=False):
        """Every reminder e-mail (whatever template its level uses) carries the link to the customer's page."""
        results = super()._generate_template(
            res_ids, render_fields, find_or_create_partners=find_or_create_partners
        )
        if self.model != "credit.recovery.action" or "body_html" not in render_fields:
            return results
        for action in self.env["credit.recovery.action"].browse(res_ids):
            link = action._credit_portal_link()
            if not link or action.id not in results:
                continue
            lang = action._letter_lang()
            block = (
                self.env["ir.qweb"]
                .with_context(lang=lang)
                ._render("account_credit_recovery.credit_portal_mail_link", {"link": link})
            )
            results[action.id]["body_html"] = Markup(results[action.id].get("body_html") or "") + Markup(
                block
            )
        return results

    def _generate_template_attachments(self, res_ids, render_fields, render_results=None):
        """Reminder e-mails of levels that ask for it also carry the customer's statement of account."""
        render_results = super()._generate_template_attachments(res_ids, render_fields, render_results)
        if self.model != "credit.recovery.action" or "report_template_ids" not in render_fields:
            return render_results
        for action in self.env["credit.recovery.action"].browse(res_ids):
            attachment = action._credit_statement_attachment()
            if attachment:
                render_results.setdefault(action.id, {}).setdefault("attachments", []).append(attachment)
        return render_results
