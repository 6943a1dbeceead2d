import logging

from odoo import api, models
from odoo.tools import email_normalize

_logger = logging.getLogger(__name__)

EINVOICE_MESSAGE_MODEL = "credit.recovery.einvoice.message"


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def _routing_check_route(self, message, message_dict, route, raise_exception=True):
        """The e-invoicing alias takes statuses from the platform's senders only (company setting): an e-mail
        from anyone else is logged and dropped, never bounced (its sender may be forged)."""
        if route and route[0] == EINVOICE_MESSAGE_MODEL:
            email = email_normalize(message_dict.get("email_from") or "")
            company_id = (route[2] or {}).get("company_id")
            # sudo: the gateway matches the sender with the companies' settings, whoever the mail claims to be.
            Company = self.env["res.company"].sudo()
            companies = (
                Company.browse(company_id)
                if company_id
                else Company.search([("credit_einvoice_platform_senders", "!=", False)])
            )
            if not companies._credit_einvoice_sender_allowed(email):
                _logger.warning(
                    "E-invoicing alias: e-mail %s from %s dropped, not a sender of the platform.",
                    message_dict.get("message_id"),
                    email or message_dict.get("email_from"),
                )
                return False
        return super()._routing_check_route(message, message_dict, route, raise_exception=raise_exception)
