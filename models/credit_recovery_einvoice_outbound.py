import base64
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.cdar import AMOUNT_RECEIVED, build_cdar

_logger = logging.getLogger(__name__)

OUTBOUND_STATES = [
    ("to_send", "To Send"),
    ("error", "Failed, Will Retry"),
    ("sent", "Sent"),
]
MAX_ATTEMPTS = 10


class CreditRecoveryEinvoiceOutbound(models.Model):
    """A 212 *Encaissée* status the company owes its platform: one per payment of a cash-basis invoice."""

    _name = "credit.recovery.einvoice.outbound"
    _description = "E-invoicing Status to Send"
    _order = "id desc"

    name = fields.Char(string="Reference", required=True, readonly=True)
    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, readonly=True, index=True, ondelete="cascade"
    )
    payment_move_id = fields.Many2one(
        "account.move", string="Payment Entry", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="move_id.company_id", string="Company", store=True, index=True)
    partner_id = fields.Many2one(related="move_id.commercial_partner_id", string="Customer", store=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    code = fields.Char(string="Status Code", required=True, readonly=True, default="212")
    amount = fields.Monetary(string="Amount Received", currency_field="currency_id", readonly=True)
    date = fields.Date(string="Received On", required=True, readonly=True)
    cdar_xml = fields.Text(string="CDAR Message", readonly=True)
    state = fields.Selection(OUTBOUND_STATES, required=True, default="to_send", readonly=True, index=True)
    transport = fields.Selection(
        [("platform", "Platform Connection"), ("file", "Export File")], string="Sent By", readonly=True
    )
    platform_reference = fields.Char(readonly=True)
    attempt_count = fields.Integer(string="Attempts", readonly=True)
    next_attempt = fields.Datetime(readonly=True)
    last_error = fields.Text(readonly=True)
    sent_date = fields.Datetime(string="Sent On", readonly=True)

    _sql_constraints = [
        (
            "payment_unique",
            "UNIQUE(move_id, payment_move_id, code)",
            "The platform is told once of each payment of an invoice.",
        ),
    ]

    @api.model
    def _credit_queue_payments(self, pairs):
        """Queue one 212 per ``(invoice, payment entry, amount, date)`` of ``pairs`` not queued before."""
        if not pairs:
            return self.browse()
        existing = {
            (outbound.move_id, outbound.payment_move_id)
            for outbound in self.search(
                [
                    ("move_id", "in", [pair[0].id for pair in pairs]),
                    ("payment_move_id", "in", [pair[1].id for pair in pairs]),
                    ("code", "=", "212"),
                ]
            )
        }
        totals = {}
        for invoice, payment, amount, day in pairs:
            if (invoice, payment) in existing:
                continue
            previous = totals.get((invoice, payment), (0.0, day))
            totals[(invoice, payment)] = (previous[0] + amount, max(previous[1], day))
        vals_list = []
        for (invoice, payment), (amount, day) in totals.items():
            vals_list.append(
                {
                    "name": "%s / 212 / %s" % (invoice.name, payment.name),
                    "move_id": invoice.id,
                    "payment_move_id": payment.id,
                    "currency_id": invoice.currency_id.id,
                    "amount": invoice.currency_id.round(amount),
                    "date": day,
                }
            )
        outbounds = self.create(vals_list)
        for outbound in outbounds:
            outbound.cdar_xml = outbound._credit_build_xml().decode()
            self.env["credit.recovery.einvoice.status"].create(
                {
                    "move_id": outbound.move_id.id,
                    "code": "212",
                    "date": fields.Datetime.now(),
                    "direction": "out",
                    "sender_name": outbound.company_id.name,
                    "sender_identifier": outbound.company_id._credit_einvoice_siren() or False,
                    "sender_role": "SE",
                    "amount": outbound.amount,
                    "outbound_id": outbound.id,
                }
            )
        return outbounds

    def _credit_build_xml(self):
        self.ensure_one()
        invoice = self.move_id
        company = self.company_id
        now = fields.Datetime.now()
        return build_cdar(
            {
                "document_id": "%s-212-%s" % (invoice.name, self.id),
                "issue_datetime": now,
                "sender_siren": company._credit_einvoice_siren() or "",
                "sender_name": company.name,
                "recipient_siren": (invoice.commercial_partner_id.company_registry or "").replace(" ", "")[
                    :9
                ],
                "invoice_number": invoice.name,
                "invoice_date": invoice.invoice_date,
                "code": "212",
                "label": "Encaissée",
                "status_datetime": fields.Datetime.to_datetime(self.date),
                "amount": self.amount,
                "currency": self.currency_id.name,
                "amount_type": AMOUNT_RECEIVED,
            }
        )

    def _credit_check_controller(self):
        if not self.env.user.has_group("account_credit_recovery.group_credit_controller"):
            raise AccessError(self.env._("Only a Credit Controller can send e-invoicing statuses."))

    def action_credit_send(self):
        """Hand the messages to the platform now (through the company's connection hook)."""
        self._credit_check_controller()
        self._credit_send()
        return True

    def _credit_send(self):
        now = fields.Datetime.now()
        for outbound in self.filtered(lambda outbound: outbound.state != "sent"):
            try:
                with self.env.cr.savepoint():
                    reference = outbound.company_id._credit_einvoice_platform_send(outbound)
            except Exception as error:  # the platform's own failures: logged, retried later
                attempts = outbound.attempt_count + 1
                _logger.info("E-invoicing status %s not sent: %s", outbound.name, error)
                outbound.write(
                    {
                        "state": "error",
                        "attempt_count": attempts,
                        "last_error": str(error),
                        "next_attempt": now + timedelta(hours=2 ** min(attempts, 6)),
                    }
                )
                continue
            if reference:
                outbound.write(
                    {
                        "state": "sent",
                        "transport": "platform",
                        "platform_reference": str(reference),
                        "sent_date": now,
                        "last_error": False,
                        "next_attempt": False,
                    }
                )

    def action_credit_export(self):
        """Download the messages as one XML file (a CDAR message each, under one root) and mark them sent."""
        self._credit_check_controller()
        outbounds = self.filtered(lambda outbound: outbound.state != "sent")
        if not outbounds:
            raise UserError(self.env._("All the selected statuses were already sent."))
        bodies = [
            outbound.cdar_xml.split("?>", 1)[-1].strip()
            if outbound.cdar_xml.startswith("<?xml")
            else outbound.cdar_xml
            for outbound in outbounds
        ]
        content = '<?xml version="1.0" encoding="UTF-8"?>\n<CDARMessages>\n%s\n</CDARMessages>\n' % "\n".join(
            bodies
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": "statuts-212-%s.xml" % fields.Date.to_string(fields.Date.context_today(self)),
                "datas": base64.b64encode(content.encode()),
                "mimetype": "application/xml",
                "res_model": self._name,
                "res_id": outbounds[0].id,
            }
        )
        outbounds.write(
            {"state": "sent", "transport": "file", "sent_date": fields.Datetime.now(), "next_attempt": False}
        )
        return {
            "type": "ir.actions.act_url",
            "url": "/web/content/%s?download=true" % attachment.id,
            "target": "self",
        }

    @api.model
    def _cron_credit_einvoice_send(self, batch_size=100):
        """Send what is due (new, or failed and past its next attempt); report progress to the cron."""
        now = fields.Datetime.now()
        domain = [
            "|",
            ("state", "=", "to_send"),
            "&",
            "&",
            ("state", "=", "error"),
            ("attempt_count", "<", MAX_ATTEMPTS),
            ("next_attempt", "<=", now),
        ]
        outbounds = self.search(domain, limit=batch_size)
        outbounds._credit_send()
        self.env["ir.cron"]._notify_progress(done=len(outbounds), remaining=0)
        return True
