import base64

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

# What proves that a claim is definitively irrecoverable, so that the VAT paid on it may be recovered
# (CGI 272-1; BOI-TVA-DED-40-10-20).
IRRECOVERABILITY_EVIDENCE = [
    ("liquidation_closed", "Closing of the Judicial Liquidation for Insufficient Assets"),
    ("court_decision", "Court Decision Establishing the Loss"),
    ("certificate", "Certificate of Irrecoverability"),
]
RECTIFYING_REPORT = "account_credit_recovery.action_report_credit_recovery_rectifying_invoice"


class CreditRecoveryDoubtfulLine(models.Model):
    """The VAT of a written-off receivable (CGI 269-2-c, 272-1).

    A tax due on receipt (``tax_exigibility == 'on_payment'``, 44574 on the French chart) was never due on
    the unpaid part: its pending account is reversed, with nothing to recover. A tax due on invoicing was
    paid to the Treasury: it is recovered only on a claim proved definitively irrecoverable, and after the
    customer is sent a rectifying document; the write-off produces it.
    """

    _inherit = "credit.recovery.doubtful.line"

    irrecoverability_evidence = fields.Selection(
        IRRECOVERABILITY_EVIDENCE,
        string="Evidence of Irrecoverability",
        copy=False,
        help="What proves the claim definitively irrecoverable: needed to recover the VAT paid on it (CGI 272-1).",
    )
    irrecoverability_date = fields.Date(string="Evidence Date", copy=False)
    irrecoverability_attachment_id = fields.Many2one(
        "ir.attachment", string="Evidence Document", copy=False, ondelete="restrict"
    )
    writeoff_untaxed_amount = fields.Monetary(
        string="Written Off (excl. taxes)", currency_field="currency_id", readonly=True, copy=False
    )
    writeoff_vat_recovered = fields.Monetary(
        string="VAT Recovered",
        currency_field="currency_id",
        readonly=True,
        copy=False,
        help="The VAT paid to the Treasury on the unpaid amount, recovered on the write-off (CGI 272-1).",
    )
    writeoff_vat_cancelled = fields.Monetary(
        string="Pending VAT Cancelled",
        currency_field="currency_id",
        readonly=True,
        copy=False,
        help="The VAT of a tax due on receipt, never due on the unpaid amount: its pending account is reversed "
        "(CGI 269-2-c).",
    )
    rectifying_attachment_id = fields.Many2one(
        "ir.attachment", string="Rectifying Document", readonly=True, copy=False, ondelete="restrict"
    )

    def _credit_writeoff_vat_lines(self, at_risk, env):
        """The VAT lines of the write-off of ``at_risk`` (taxes included), one per tax of the invoice.

        Each tax bears its share of the unpaid amount, in the invoice's ratio. A tax due on receipt is
        reversed on its pending (cash basis transition) account; a tax due on invoicing is recovered on the
        company's VAT account, which needs the evidence of irrecoverability. Records the amounts on ``self``.
        """
        self.ensure_one()
        invoice = self.move_id
        company = self.company_id
        currency = self.currency_id
        total = invoice.amount_total_signed
        tax_lines = invoice.line_ids.filtered(lambda line: line.display_type == "tax" and line.tax_line_id)
        vat_total = currency.round(-sum(tax_lines.mapped("balance")) * at_risk / total) if total else 0.0
        recovered = cancelled = 0.0
        line_vals = []
        remaining = vat_total
        for index, tax_line in enumerate(tax_lines):
            share = (
                remaining
                if index == len(tax_lines) - 1
                else currency.round(-tax_line.balance * at_risk / total)
            )
            remaining -= share
            if currency.is_zero(share):
                continue
            tax = tax_line.tax_line_id
            if tax.tax_exigibility == "on_payment":
                account = tax_line.account_id
                cancelled += share
                name = env._(
                    "Pending VAT cancelled on irrecoverable receivable - %(invoice)s", invoice=invoice.name
                )
            else:
                account = company._credit_doubtful_account("credit_loss_vat_account_id")
                recovered += share
                name = env._("VAT recovered on irrecoverable receivable - %(invoice)s", invoice=invoice.name)
            line_vals.append(
                {
                    "name": name,
                    "account_id": account.id,
                    "partner_id": invoice.commercial_partner_id.id,
                    "balance": share,
                }
            )
        if not currency.is_zero(recovered):
            self._credit_check_irrecoverability_evidence()
        self.write(
            {
                "writeoff_untaxed_amount": currency.round(at_risk - vat_total),
                "writeoff_vat_recovered": currency.round(recovered),
                "writeoff_vat_cancelled": currency.round(cancelled),
            }
        )
        return line_vals

    def _credit_check_irrecoverability_evidence(self):
        self.ensure_one()
        if not (
            self.irrecoverability_evidence
            and self.irrecoverability_date
            and self.irrecoverability_attachment_id
        ):
            raise UserError(
                self.env._(
                    "The VAT paid on %(invoice)s can only be recovered on a claim proved definitively "
                    "irrecoverable (CGI 272-1): record the evidence (closing of the liquidation for insufficient "
                    "assets, court decision or certificate of irrecoverability), its date and the document.",
                    invoice=self.move_id.name,
                )
            )

    def _credit_write_off(self, date, journal=None):
        result = super()._credit_write_off(date, journal)
        self.filtered(
            lambda record: not record.currency_id.is_zero(record.writeoff_vat_recovered)
        )._credit_send_rectifying_document()
        return result

    def _credit_send_rectifying_document(self):
        """The rectifying document the customer must receive for the VAT to be recovered, sent or noted."""
        report = self.env.ref(RECTIFYING_REPORT)
        for record in self:
            invoice = record.move_id
            content, _format = report._render_qweb_pdf(report.report_name, record.ids)
            attachment = self.env["ir.attachment"].create(
                {
                    "name": self.env._("Rectifying invoice - %(invoice)s.pdf", invoice=invoice.name).replace(
                        "/", "-"
                    ),
                    "datas": base64.b64encode(content),
                    "res_model": "account.move",
                    "res_id": invoice.id,
                    "mimetype": "application/pdf",
                }
            )
            record.rectifying_attachment_id = attachment
            customer = invoice.commercial_partner_id
            contact = customer._credit_recovery_letter_contact()
            if contact.email:
                invoice.message_post(
                    body=self.env._(
                        "Rectifying document of the invoice %(invoice)s, which remains unpaid: the VAT on it is "
                        "recovered.",
                        invoice=invoice.name,
                    ),
                    attachment_ids=attachment.ids,
                    partner_ids=contact.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
            else:
                invoice.message_post(
                    body=self.env._(
                        "No e-mail address for %(contact)s: send the rectifying document of %(invoice)s by post.",
                        contact=contact.name,
                        invoice=invoice.name,
                    ),
                    attachment_ids=attachment.ids,
                    subtype_xmlid="mail.mt_note",
                )

    def action_print_rectifying_document(self):
        return self.env.ref(RECTIFYING_REPORT).report_action(self)

    def _credit_rectifying_texts(self):
        """The sentences of the rectifying document, in the language of ``self.env``."""
        self.ensure_one()
        invoice = self.move_id
        currency = self.currency_id
        evidence = dict(self._fields["irrecoverability_evidence"]._description_selection(self.env))
        return {
            "mention": self.env._(
                "Invoice %(invoice)s of %(date)s remains unpaid for %(untaxed)s excluding taxes and for %(vat)s of "
                "corresponding VAT, which cannot be deducted.",
                invoice=invoice.name,
                date=format_date(self.env, invoice.invoice_date),
                untaxed=currency.format(self.writeoff_untaxed_amount),
                vat=currency.format(self.writeoff_vat_recovered),
            ),
            "evidence": self.irrecoverability_evidence
            and self.env._(
                "The claim is definitively irrecoverable: %(evidence)s of %(date)s (article 272-1 of the Code "
                "général des impôts).",
                evidence=evidence[self.irrecoverability_evidence][:1].lower()
                + evidence[self.irrecoverability_evidence][1:],
                date=format_date(self.env, self.irrecoverability_date),
            ),
        }
