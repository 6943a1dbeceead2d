from email.message import EmailMessage

from lxml import etree

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .einvoice_common import EinvoiceCommon, message, reference

SENDER_LOGGER = "odoo.addons.account_credit_recovery.models.credit_recovery_einvoice_sender"


@tagged("post_install", "-at_install")
class TestGatesEinvoiceAlias(EinvoiceCommon):
    """The e-invoicing alias takes statuses from the platform only; its API key is the administrators'."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        alias_domain = cls.env["mail.alias.domain"].create({"name": "credit.example.com"})
        cls.env.ref(
            "account_credit_recovery.mail_alias_credit_einvoice_status"
        ).alias_domain_id = alias_domain
        cls.company.with_user(cls.credit_manager).write(
            {"credit_einvoice_platform_senders": "plateforme.example.com, statuts@autre-pdp.fr"}
        )
        cls.company.sudo().credit_einvoice_api_key = "cle-secrete-0123456789"

    def _mail(self, sender, invoice, number):
        mail = EmailMessage()
        mail["From"] = sender
        mail["To"] = "einvoice-status@credit.example.com"
        mail["Subject"] = "Statuts cycle de vie"
        mail["Message-Id"] = f"<cdv-{number}@example.com>"
        mail.set_content("Statuts en pièce jointe.")
        mail.add_attachment(
            message([reference(invoice.name, "210")], f"CDV-{number}").encode(),
            maintype="application",
            subtype="xml",
            filename="statut.xml",
        )
        return mail.as_bytes()

    def test_alias_accepts_the_platform_senders_only(self):
        invoice = self._new_invoice()
        Thread = self.env["mail.thread"]
        for number, sender in enumerate(
            ("Pirate <statuts@plateforme-example.com>", "statuts@example.com", "x@autre-pdp.fr"), start=1
        ):
            with self.subTest(sender=sender), self.assertLogs(SENDER_LOGGER, "WARNING") as logs:
                self.assertFalse(Thread.message_process(False, self._mail(sender, invoice, number)))
            self.assertIn("dropped", logs.output[0])
        self.assertFalse(self.Message.search([("source", "=", "email")]))
        self.assertFalse(invoice.credit_einvoice_status_ids)
        self.assertFalse(self.env["mail.mail"].search([("email_to", "ilike", "example.com")]))  # no bounce
        # The platform's domain and its declared address are accepted.
        Thread.message_process(False, self._mail("PDP <statuts@plateforme.example.com>", invoice, 10))
        Thread.message_process(False, self._mail("statuts@autre-pdp.fr", invoice, 11))
        received = self.Message.search([("source", "=", "email")])
        self.assertEqual(received.mapped("state"), ["applied", "applied"])
        self.assertEqual(invoice.credit_einvoice_status_ids.mapped("code"), ["210", "210"])

    @mute_logger(SENDER_LOGGER)
    def test_no_sender_configured_accepts_nobody(self):
        self.company.with_user(self.credit_manager).credit_einvoice_platform_senders = False
        invoice = self._new_invoice()
        self.env["mail.thread"].message_process(
            False, self._mail("statuts@plateforme.example.com", invoice, 1)
        )
        self.assertFalse(self.Message.search([("source", "=", "email")]))

    def test_senders_are_addresses_or_domains(self):
        for value in ("plateforme", "statuts@", "a b.fr"):
            with self.subTest(value=value), self.assertRaises(ValidationError):
                self.company.with_user(self.credit_manager).credit_einvoice_platform_senders = value
        self.assertEqual(
            self.company.credit_einvoice_platform_senders, "plateforme.example.com, statuts@autre-pdp.fr"
        )

    def test_api_key_is_the_administrators(self):
        company = self.company.with_user(self.credit_manager)
        with self.assertRaises(AccessError):
            company.read(["credit_einvoice_api_key"])
        with self.assertRaises(AccessError):
            company.write({"credit_einvoice_api_key": "cle-du-manager"})
        with self.assertRaises(AccessError):
            company.action_credit_einvoice_generate_key()
        self.assertNotIn("credit_einvoice_api_key", company.fields_get())
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.credit_manager).create(
                {"credit_einvoice_api_key": "cle-du-manager"}
            )
        # The settings show the key to the settings administrators only.
        view = self.env.ref("account_credit_recovery.res_config_settings_view_form_credit_einvoice")
        [setting] = etree.fromstring(view.arch).xpath("//setting[.//field[@name='credit_einvoice_api_key']]")
        self.assertEqual(setting.get("groups"), "base.group_system")
        self.assertEqual(self.company.sudo().credit_einvoice_api_key, "cle-secrete-0123456789")
        # The settings administrator reads and renews it.
        admin = new_test_user(
            self.env,
            login="settings_admin",
            groups="base.group_user,base.group_system",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        settings = self.env["res.config.settings"].with_user(admin).create({})
        self.assertEqual(settings.credit_einvoice_api_key, "cle-secrete-0123456789")
        self.company.with_user(admin).action_credit_einvoice_generate_key()
        self.assertNotEqual(self.company.sudo().credit_einvoice_api_key, "cle-secrete-0123456789")
