import hmac
import re
import secrets

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_einvoice_api_key = fields.Char(
        string="E-invoicing Platform API Key",
        copy=False,
        # A secret: the settings administrators only read or set it, never a Credit Manager (who writes the
        # company's other credit settings) nor anyone through JSON-RPC.
        groups="base.group_system",
        help="The key the accredited platform sends in the X-Api-Key header when it posts lifecycle statuses to "
        "/credit_recovery/einvoice/status. Keep it secret; generate a new one to revoke the old one.",
    )
    credit_einvoice_platform_senders = fields.Char(
        string="E-invoicing Platform Senders",
        help="The e-mail addresses or domains the accredited platform sends lifecycle statuses from, separated "
        "by commas (statuts@plateforme.fr, plateforme.fr). The e-invoicing alias accepts only e-mails from them; "
        "the others are logged and dropped.",
    )
    credit_einvoice_grace_days = fields.Integer(
        string="Grace Period After Payment Sent (days)",
        default=10,
        help="After a 211 Payment Sent status, the invoice is not reminded for this many days; then, if no "
        "payment arrived, the credit controller reconciles first.",
    )
    credit_einvoice_effect_ids = fields.One2many(
        "credit.recovery.einvoice.effect", "company_id", string="E-invoicing Status Effects"
    )

    @api.constrains("credit_einvoice_grace_days")
    def _check_credit_einvoice_grace_days(self):
        for company in self:
            if company.credit_einvoice_grace_days < 0:
                raise ValidationError(self.env._("The grace period cannot be negative."))

    def _credit_einvoice_siren(self):
        """The company's SIREN (9 digits) from its Company ID or its SIRET; empty if unknown."""
        self.ensure_one()
        for value in (self.company_registry, self.siret):
            digits = re.sub(r"\s", "", value or "")
            if digits.isdigit() and len(digits) in (9, 14):
                return digits[:9]
        return ""

    @api.model
    def _credit_einvoice_company_of_key(self, key):
        """The company whose platform API key is ``key``, compared in constant time; empty if none."""
        if not key:
            return self.browse()
        # sudo: the platform is not a user; the key is read only to be compared here.
        companies = self.sudo().search([("credit_einvoice_api_key", "!=", False)])
        for company in companies:
            if hmac.compare_digest(company.credit_einvoice_api_key.encode(), key.encode()):
                return company.sudo(False)
        return self.browse()

    def action_credit_einvoice_generate_key(self):
        """A new random API key for the platform (the old one stops working)."""
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(self.env._("Only a settings administrator can set the platform API key."))
        for company in self:
            company.credit_einvoice_api_key = secrets.token_urlsafe(32)
        return True

    def _credit_manager_settings(self):
        # The platform's API key is a secret of the settings administrators.
        return super()._credit_manager_settings() - {"credit_einvoice_api_key"}

    @api.constrains("credit_einvoice_platform_senders")
    def _check_credit_einvoice_platform_senders(self):
        for company in self:
            for sender in company._credit_einvoice_senders():
                if not re.fullmatch(r"([^@\s,]+@)?[a-z0-9-]+(\.[a-z0-9-]+)+", sender):
                    raise ValidationError(
                        self.env._(
                            "%(sender)s is neither an e-mail address nor a domain: write the platform's senders "
                            "as statuts@plateforme.fr or plateforme.fr, separated by commas.",
                            sender=sender,
                        )
                    )

    def _credit_einvoice_senders(self):
        """The platform's sender addresses and domains of the company, lowercase."""
        self.ensure_one()
        return [
            sender.strip().lower()
            for sender in (self.credit_einvoice_platform_senders or "").split(",")
            if sender.strip()
        ]

    def _credit_einvoice_sender_allowed(self, email):
        """Whether ``email`` (a normalized address) is one of the platform's senders of a company of ``self``."""
        email = (email or "").lower()
        if "@" not in email:
            return False
        domain = email.rsplit("@", 1)[1]
        return any(
            sender == email if "@" in sender else sender == domain
            for company in self
            for sender in company._credit_einvoice_senders()
        )

    def _credit_einvoice_platform_send(self, outbound):
        """Hook: hand the CDAR message ``outbound.cdar_xml`` (bytes as text) to the company's platform.

        Override it in the add-on that connects the platform (its API, SFTP drop, AS2...): return the platform's
        reference of the message once it accepted it, raise an exception when it failed (the queue retries later,
        and logs the error). This default has no connection and returns ``False``: the message stays in the
        queue, to be downloaded as a file (*Export File*) and uploaded to the platform by hand.
        """
        self.ensure_one()
        return False
