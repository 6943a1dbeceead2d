from odoo import models

INVOICE_REPORTS = ("account.report_invoice", "account.report_invoice_with_payments")


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
