from odoo import api, models


class CreditRecoveryCaseRequestReport(models.AbstractModel):
    """The request for an order for payment: however it is printed, only to a confirmed, existing court."""

    _name = "report.account_credit_recovery.report_credit_recovery_case"
    _description = "Order for Payment Request"

    @api.model
    def _get_report_values(self, docids, data=None):
        cases = self.env["credit.recovery.case"].browse(docids)
        cases._check_request_printable()
        return {"doc_ids": docids, "doc_model": "credit.recovery.case", "docs": cases, "data": data}
