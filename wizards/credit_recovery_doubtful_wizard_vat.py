from odoo import fields, models

from ..models.credit_recovery_doubtful_line_vat import IRRECOVERABILITY_EVIDENCE


class CreditRecoveryDoubtfulWizard(models.TransientModel):
    """The write-off records the evidence that the claims are definitively irrecoverable (CGI 272-1)."""

    _inherit = "credit.recovery.doubtful.wizard"

    irrecoverability_evidence = fields.Selection(
        IRRECOVERABILITY_EVIDENCE,
        string="Evidence of Irrecoverability",
        help="Needed to recover the VAT paid on the invoices (taxes due on invoicing): without it the write-off "
        "is refused. A tax due on receipt was never paid on the unpaid amount and needs none.",
    )
    irrecoverability_date = fields.Date(string="Evidence Date")
    irrecoverability_file = fields.Binary(string="Evidence Document")
    irrecoverability_filename = fields.Char(string="Evidence File Name")

    def action_apply(self):
        self.ensure_one()
        if self.operation == "writeoff" and self.irrecoverability_evidence:
            Doubtful = self.env["credit.recovery.doubtful.line"]
            Doubtful._credit_check_manager()
            records = Doubtful._credit_get_or_create(self.move_ids)
            for record in records:
                values = {
                    "irrecoverability_evidence": self.irrecoverability_evidence,
                    "irrecoverability_date": self.irrecoverability_date,
                }
                if self.irrecoverability_file:
                    values["irrecoverability_attachment_id"] = (
                        self.env["ir.attachment"]
                        .create(
                            {
                                "name": self.irrecoverability_filename or record.move_id.name,
                                "datas": self.irrecoverability_file,
                                "res_model": record._name,
                                "res_id": record.id,
                            }
                        )
                        .id
                    )
                record.write(values)
        return super().action_apply()
