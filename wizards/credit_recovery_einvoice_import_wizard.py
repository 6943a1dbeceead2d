import base64
import binascii

from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class CreditRecoveryEinvoiceImportWizard(models.TransientModel):
    _name = "credit.recovery.einvoice.import.wizard"
    _description = "Import E-invoicing Lifecycle Statuses"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        ondelete="cascade",
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        string="CDAR Files",
        help="One or more XML files, each holding one or several CDAR lifecycle messages.",
    )

    def action_import(self):
        """Read every file whole first (a malformed one refuses the import, nothing applied), then apply."""
        self.ensure_one()
        if not self.env.user.has_group("account_credit_recovery.group_credit_controller"):
            raise AccessError(self.env._("Only a Credit Controller can import e-invoicing statuses."))
        if not self.attachment_ids:
            raise UserError(self.env._("Choose the CDAR files to import."))
        Message = self.env["credit.recovery.einvoice.message"].with_company(self.company_id)
        parsed = []
        for attachment in self.attachment_ids:
            try:
                data = base64.b64decode(attachment.datas or b"")
            except (binascii.Error, ValueError) as error:
                raise UserError(
                    self.env._("The file %(file)s cannot be read.", file=attachment.name)
                ) from error
            try:
                statuses = Message._credit_parse(data)
            except UserError as error:
                raise UserError(
                    self.env._(
                        "The file %(file)s was refused, nothing was imported: %(error)s",
                        file=attachment.name,
                        error=str(error),
                    )
                ) from error
            parsed.append((attachment, data, statuses))
        messages = Message.browse()
        for attachment, data, statuses in parsed:
            messages |= Message._credit_receive(
                statuses, self.company_id, "upload", attachment.name, data.decode("utf-8", errors="replace")
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Imported Statuses"),
            "res_model": "credit.recovery.einvoice.message",
            "view_mode": "list,form",
            "domain": [("id", "in", messages.ids)],
        }
