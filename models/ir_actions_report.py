import lxml.html
from markupsafe import Markup

from odoo import models

INVOICE_REPORTS = ("account.report_invoice", "account.report_invoice_with_payments")
# The letters printed by batches (the day's letters, the formal notices): one document for wkhtmltopdf.
LETTER_REPORTS = (
    "account_credit_recovery.report_credit_recovery_letter",
    "account_credit_recovery.report_credit_recovery_formal_notice",
)


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        # Printing an invoice from the Print menu calls the report directly: apply the pre-send check there too.
        report = self._get_report(report_ref)
        if report.report_name in INVOICE_REPORTS and res_ids:
            ids = [res_ids] if isinstance(res_ids, int) else res_ids
            invoices = self.env["account.move"].browse(ids).filtered(lambda move: move.is_sale_document())
            invoices._credit_presend_check_allowed()
        return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)

    def _get_rendering_context(self, report, docids, data):
        # The formal notice has no report model of its own: however it is printed (button, report route),
        # a notice not posted yet is not rendered for a customer who may have paid since the decision.
        if report.report_name == LETTER_REPORTS[1] and docids:
            notices = self.env["credit.recovery.action"].browse(docids)
            notices.filtered(lambda action: action.state not in ("done", "cancel"))._check_no_payment_signal()
        return super()._get_rendering_context(report, docids, data)

    def _prepare_html(self, html, report_model=False):
        """Letters printed together make one HTML document, each letter starting on a new page.

        Odoo hands wkhtmltopdf one HTML file per record; the wkhtmltopdf builds without patched Qt (the
        Debian package) fail on several files ("Exit with code 1"), which left the batch's PDF empty and the
        report route answering HTTP 500. One document prints the same pages in the same order, and Odoo then
        splits it per record by pages when each letter is one page long.
        """
        bodies, res_ids, header, footer, paperformat_args = super()._prepare_html(
            html, report_model=report_model
        )
        if self.report_name in LETTER_REPORTS and len(bodies) > 1:
            bodies = [self._credit_recovery_merge_bodies(bodies)]
        return bodies, res_ids, header, footer, paperformat_args

    def _credit_recovery_merge_bodies(self, bodies):
        """One HTML document with the content of every body of ``bodies``, a page break between them."""
        document = lxml.html.document_fromstring(str(bodies[0]))
        target = document.body
        for body in bodies[1:]:
            other = lxml.html.document_fromstring(str(body)).body
            for index, node in enumerate(other):
                if index == 0:
                    node.set(
                        "style", ";".join(filter(None, ["page-break-before: always", node.get("style")]))
                    )
                target.append(node)
        return Markup(lxml.html.tostring(document, encoding="unicode", doctype="<!DOCTYPE html>"))
