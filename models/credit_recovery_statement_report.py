from odoo import api, fields, models


class ReportCreditStatement(models.AbstractModel):
    """The statement of account (relevé de compte) of customers in one company at one date."""

    _name = "report.account_credit_recovery.report_credit_statement"
    _description = "Statement of Account"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        company = self.env["res.company"].browse(data.get("company_id")) if data.get("company_id") else None
        if not company or company not in self.env.companies:
            company = self.env.company
        as_of = fields.Date.to_date(data.get("date")) or fields.Date.context_today(self)
        partners = self.env["res.partner"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "company": company,
            "statement_date": as_of,
        }
