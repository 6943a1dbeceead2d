import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.cdar import CdarError, parse_cdar
from .credit_recovery_einvoice_status import EINVOICE_CODES

_logger = logging.getLogger(__name__)

MESSAGE_STATES = [
    ("review", "To Review"),
    ("applied", "Applied"),
    ("duplicate", "Already Received"),
    ("discarded", "Discarded"),
]
REVIEW_REASONS = [
    ("unknown_invoice", "Unknown Invoice"),
    ("other_company", "Another Company"),
    ("malformed", "Malformed Message"),
    ("unsupported", "Unknown Status Code"),
    ("failed", "Could Not Be Applied"),
]
MESSAGE_SOURCES = [
    ("upload", "Upload"),
    ("email", "E-mail"),
    ("api", "Platform API"),
]


class CreditRecoveryEinvoiceMessage(models.Model):
    """A lifecycle status received from an e-invoicing platform: applied to its invoice, or kept for review."""

    _name = "credit.recovery.einvoice.message"
    _description = "Received E-invoicing Status"
    _inherit = ["mail.thread"]
    _order = "received_date desc, id desc"

    name = fields.Char(string="Reference", required=True, readonly=True, default="/")
    company_id = fields.Many2one("res.company", index=True, readonly=True, ondelete="cascade")
    source = fields.Selection(MESSAGE_SOURCES, string="Received By", required=True, readonly=True)
    received_date = fields.Datetime(
        string="Received On", required=True, readonly=True, default=fields.Datetime.now
    )
    file_name = fields.Char(string="File", readonly=True)
    raw_content = fields.Text(string="Message Received", readonly=True)
    state = fields.Selection(MESSAGE_STATES, required=True, default="review", readonly=True, tracking=True)
    review_reason = fields.Selection(REVIEW_REASONS, string="Why to Review", readonly=True)
    review_note = fields.Text(string="Details", readonly=True)
    document_id = fields.Char(string="Message ID", readonly=True)
    invoice_number = fields.Char(readonly=True)
    invoice_date = fields.Date(readonly=True)
    seller_siren = fields.Char(string="Seller SIREN", readonly=True)
    code = fields.Char(string="Status Code", readonly=True)
    label = fields.Char(string="Status Label", readonly=True)
    status_date = fields.Datetime(readonly=True)
    reason_code = fields.Char(readonly=True)
    reason = fields.Text(readonly=True)
    note = fields.Text(string="Buyer's Note", readonly=True)
    amount = fields.Float(readonly=True, digits=(16, 2))
    amount_type = fields.Char(readonly=True)
    sender_name = fields.Char(string="Sent By", readonly=True)
    sender_identifier = fields.Char(readonly=True)
    sender_role = fields.Char(readonly=True)
    move_id = fields.Many2one(
        "account.move", string="Invoice", readonly=True, index="btree_not_null", ondelete="set null"
    )
    status_id = fields.Many2one(
        "credit.recovery.einvoice.status", string="Status Recorded", readonly=True, ondelete="set null"
    )

    # ------------------------------------------------------------------
    # Receiving
    # ------------------------------------------------------------------
    @api.model
    def _credit_error_text(self, error):
        """The translated sentence of a ``CdarError``."""
        params = {"index": 1, "field": "", "value": "", "error": "", "root": "", **error.params}
        templates = {
            "empty": self.env._("The file is empty."),
            "not_xml": self.env._("The file is not valid XML: %(error)s", error=params["error"]),
            "not_json": self.env._("The body is not valid JSON: %(error)s", error=params["error"]),
            "not_cdar": self.env._(
                "The file holds no CDAR lifecycle message (CrossDomainAcknowledgementAndResponse); its root is "
                "%(root)s.",
                root=params["root"],
            ),
            "no_exchanged_document": self.env._(
                "Message %(index)s has no ExchangedDocument.", index=params["index"]
            ),
            "no_status": self.env._("Message %(index)s holds no invoice status.", index=params["index"]),
            "missing": self.env._(
                "Message %(index)s: %(field)s is missing.", index=params["index"], field=params["field"]
            ),
            "bad_code": self.env._(
                "Message %(index)s: the status code %(value)s is not a lifecycle code (3 digits).",
                index=params["index"],
                value=params["value"],
            ),
            "bad_date": self.env._("The date %(value)s cannot be read.", value=params["value"]),
            "bad_amount": self.env._(
                "Message %(index)s: the amount %(value)s cannot be read.",
                index=params["index"],
                value=params["value"],
            ),
            "bad_value": self.env._(
                "Status %(index)s: %(error)s", index=params["index"], error=params["error"]
            ),
        }
        return templates.get(error.key, error.key)

    @api.model
    def _credit_parse(self, data):
        """The statuses of the CDAR file ``data``; a translated ``UserError`` if it cannot be read whole."""
        try:
            return parse_cdar(data)
        except CdarError as error:
            raise UserError(self._credit_error_text(error)) from error

    @api.model
    def _credit_receive(self, statuses, company, source, file_name=False, raw=False):
        """Record the parsed ``statuses`` received for ``company`` (False: find it by the seller's SIREN) and
        apply those that match an invoice; returns the message records."""
        messages = self.create(
            [
                {
                    "name": "%s / %s" % (values["invoice_number"], values["code"]),
                    "company_id": company.id if company else False,
                    "source": source,
                    "file_name": file_name,
                    "raw_content": raw,
                    "document_id": values.get("document_id") or False,
                    "invoice_number": values["invoice_number"],
                    "invoice_date": values["invoice_date"],
                    "seller_siren": values["seller_siren"],
                    "code": values["code"],
                    "label": values.get("label") or False,
                    "status_date": values.get("status_datetime") or False,
                    "reason_code": values.get("reason_code") or False,
                    "reason": values.get("reason") or False,
                    "note": values.get("note") or False,
                    "amount": sum((values.get("amounts") or {}).values()),
                    "amount_type": ",".join(values.get("amounts") or {}) or False,
                    "sender_name": values.get("sender_name") or False,
                    "sender_identifier": values.get("sender_id") or False,
                    "sender_role": values.get("sender_role") or False,
                }
                for values in statuses
            ]
        )
        messages._credit_apply(dict(zip(messages, statuses, strict=True)))
        return messages

    @api.model
    def _credit_receive_malformed(self, error_text, company, source, file_name=False, raw=False):
        """Keep a message that cannot be read, with the reason, for review: nothing of it is applied."""
        return self.create(
            {
                "name": file_name or self.env._("Unreadable message"),
                "company_id": company.id if company else False,
                "source": source,
                "file_name": file_name,
                "raw_content": raw,
                "state": "review",
                "review_reason": "malformed",
                "review_note": error_text,
            }
        )

    def _credit_values(self):
        """The status values of a stored message, as ``tools.cdar`` gives them."""
        self.ensure_one()
        amounts = {}
        if self.amount:
            amounts[(self.amount_type or "").split(",")[0] or "MEN"] = self.amount
        return {
            "document_id": self.document_id,
            "invoice_number": self.invoice_number,
            "invoice_date": self.invoice_date,
            "seller_siren": self.seller_siren,
            "code": self.code,
            "label": self.label,
            "status_datetime": self.status_date,
            "reason_code": self.reason_code,
            "reason": self.reason,
            "note": self.note,
            "amounts": amounts,
            "sender_name": self.sender_name,
            "sender_id": self.sender_identifier,
            "sender_role": self.sender_role,
        }

    def _credit_companies_by_siren(self):
        # sudo: a message names any company of the database by its SIREN, whatever the user's companies.
        return {
            company._credit_einvoice_siren(): company.sudo(False)
            for company in self.env["res.company"].sudo().search([])
            if company._credit_einvoice_siren()
        }

    def _credit_apply(self, values_by_message=None):
        """Match each message to its invoice (number, issue date, seller's SIREN) and apply it in a savepoint:
        whole, or not at all and kept for review with the reason."""
        values_by_message = values_by_message or {message: message._credit_values() for message in self}
        by_siren = self._credit_companies_by_siren()
        sellers = {message: by_siren.get(message.seller_siren) for message in self}
        companies = self.env["res.company"].union(*filter(None, sellers.values()))
        moves = self.env["account.move"].search(
            [
                ("company_id", "in", companies.ids),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("name", "in", list({message.invoice_number for message in self})),
            ]
        )
        moves_by_key = {(move.company_id, move.name, move.invoice_date): move for move in moves}
        effects = {
            company: self.env["credit.recovery.einvoice.effect"]._effects_of(company) for company in companies
        }
        already = {
            (status.move_id, status.code, status.message_id.document_id)
            for status in self.env["credit.recovery.einvoice.status"].search(
                [("move_id", "in", moves.ids), ("message_id.document_id", "!=", False)]
            )
        }
        for message in self:
            seller = sellers[message]
            if not seller:
                message._credit_to_review(
                    "unknown_invoice",
                    self.env._(
                        "No company of this database has the seller's SIREN %(siren)s.",
                        siren=message.seller_siren,
                    ),
                )
                continue
            if message.company_id and message.company_id != seller:
                message._credit_to_review(
                    "other_company",
                    self.env._(
                        "The invoice belongs to %(seller)s (SIREN %(siren)s), not to %(company)s which received it.",
                        seller=seller.name,
                        siren=message.seller_siren,
                        company=message.company_id.name,
                    ),
                )
                continue
            message.company_id = seller
            move = moves_by_key.get((seller, message.invoice_number, message.invoice_date))
            if not move:
                message._credit_to_review(
                    "unknown_invoice",
                    self.env._(
                        "No posted customer invoice %(number)s of %(date)s in %(company)s.",
                        number=message.invoice_number,
                        date=message.invoice_date,
                        company=seller.name,
                    ),
                )
                continue
            message.move_id = move
            if message.code not in EINVOICE_CODES:
                message._credit_to_review(
                    "unsupported",
                    self.env._(
                        "The status code %(code)s is not a known lifecycle status.", code=message.code
                    ),
                )
                continue
            if message.document_id and (move, message.code, message.document_id) in already:
                message.write({"state": "duplicate", "review_reason": False, "review_note": False})
                continue
            effect = effects[seller].get(message.code, "none")
            try:
                with self.env.cr.savepoint():
                    status = move.with_company(seller)._credit_einvoice_apply(
                        values_by_message[message], effect, message
                    )
            except (UserError, AccessError) as error:
                message._credit_to_review("failed", str(error))
                continue
            already.add((move, message.code, message.document_id))
            message.write(
                {"state": "applied", "status_id": status.id, "review_reason": False, "review_note": False}
            )

    def _credit_to_review(self, reason, note):
        self.write({"state": "review", "review_reason": reason, "review_note": note})

    def _credit_check_controller(self):
        if not self.env.user.has_group("account_credit_recovery.group_credit_controller"):
            raise AccessError(self.env._("Only a Credit Controller can review e-invoicing statuses."))

    def action_credit_retry(self):
        """Try again the messages to review (after the invoice was posted or its number corrected)."""
        self._credit_check_controller()
        to_retry = self.filtered(
            lambda message: message.state == "review" and message.review_reason != "malformed"
        )
        to_retry._credit_apply()
        return True

    def action_credit_discard(self):
        self._credit_check_controller()
        self.filtered(lambda message: message.state == "review").write({"state": "discarded"})
        return True

    # ------------------------------------------------------------------
    # Mail gateway: statuses sent to the e-mail alias as XML attachments (or in the body)
    # ------------------------------------------------------------------
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """One message per status of the CDAR files attached to the e-mail; an unreadable file is kept for review."""
        files = [
            (attachment.fname, attachment.content)
            for attachment in msg_dict.get("attachments") or []
            if (attachment.fname or "").lower().endswith(".xml")
        ]
        body = (msg_dict.get("body") or "").strip()
        if not files and "CrossDomainAcknowledgementAndResponse" in body:
            files = [(msg_dict.get("subject") or "body.xml", body)]
        company = self.env["res.company"].browse((custom_values or {}).get("company_id"))
        messages = self.browse()
        if not files:
            messages = self._credit_receive_malformed(
                self.env._(
                    "The e-mail %(subject)s carries no XML lifecycle message.",
                    subject=msg_dict.get("subject") or "-",
                ),
                company,
                "email",
                file_name=msg_dict.get("subject"),
            )
        for file_name, content in files:
            data = content.encode() if isinstance(content, str) else content
            raw = data.decode("utf-8", errors="replace")
            try:
                statuses = self._credit_parse(data)
            except UserError as error:
                messages |= self._credit_receive_malformed(str(error), company, "email", file_name, raw)
                continue
            messages |= self._credit_receive(statuses, company, "email", file_name, raw)
        return messages[:1]
