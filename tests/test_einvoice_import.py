from email.message import EmailMessage

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .einvoice_common import (
    INVOICE_DATE,
    OTHER_SIREN,
    EinvoiceCommon,
    batch,
    day,
    message,
    reference,
    sample,
)


@tagged("post_install", "-at_install")
class TestEinvoiceImport(EinvoiceCommon):
    def test_sample_file(self):
        invoice = self._new_invoice()
        messages = self._import(sample("cdar_205_approved.xml").replace("__NUMBER__", invoice.name))
        self.assertEqual(messages.state, "applied")
        self.assertEqual(messages.document_id, "CDV-BOULANGERIE-0001")
        self.assertEqual(messages.move_id, invoice)
        self.assertEqual(invoice.credit_bap_state, "approved")
        self.assertEqual(str(invoice.credit_bap_date), "2026-03-10")

    def test_many_messages_in_one_file(self):
        first, second, third = self._new_invoice(), self._new_invoice(500.0), self._new_invoice(200.0)
        content = batch(
            [
                message(
                    [reference(first.name, "205"), reference(second.name, "207", reason_code="DOUBLON")],
                    "CDV-A",
                ),
                message([reference(third.name, "208", reason_code="JUSTIF_ABS")], "CDV-B"),
            ]
        )
        messages = self._import(content)
        self.assertEqual(len(messages), 3)
        self.assertEqual(set(messages.mapped("state")), {"applied"})
        self.assertEqual(first.credit_bap_state, "approved")
        self.assertEqual(
            (second.credit_dispute_ids.reason, second.credit_dispute_ids.amount_disputed),
            ("duplicate", 600.0),
        )
        self.assertTrue(third.credit_einvoice_on_hold)

    def test_unknown_invoice_kept_for_review(self):
        invoice = self._new_invoice()
        messages = self._import(
            batch(
                [
                    message([reference("FAC/2026/99999", "207")], "CDV-X"),
                    message([reference(invoice.name, "207", invoice_date=day(-1))], "CDV-Y"),
                ]
            )
        )
        self.assertEqual(messages.mapped("state"), ["review", "review"])
        self.assertEqual(messages.mapped("review_reason"), ["unknown_invoice", "unknown_invoice"])
        self.assertIn("FAC/2026/99999", messages[0].review_note)
        self.assertFalse(invoice.credit_dispute_ids)
        self.assertFalse(invoice.credit_einvoice_status_ids)
        # The review list shows them to the credit controller, and the retry changes nothing while unmatched.
        to_review = self.Message.with_user(self.credit_controller).search([("state", "=", "review")])
        self.assertEqual(to_review, messages)
        to_review.action_credit_retry()
        self.assertEqual(messages.mapped("state"), ["review", "review"])

    def test_other_company_kept_for_review(self):
        other = self.setup_other_company(name="Filiale Lyon")["company"]
        other.partner_id.company_registry = OTHER_SIREN
        customer = self.customer.with_company(other)
        invoice = (
            self.env["account.move"]
            .with_company(other)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": INVOICE_DATE,
                    "invoice_line_ids": [(0, 0, {"name": "Prestation", "quantity": 1, "price_unit": 100.0})],
                }
            )
        )
        invoice.action_post()
        messages = self._import(message([reference(invoice.name, "210", seller=OTHER_SIREN)]))
        self.assertEqual((messages.state, messages.review_reason), ("review", "other_company"))
        self.assertEqual(messages.company_id, self.company)
        self.assertIn("Filiale Lyon", messages.review_note)
        self.assertFalse(invoice.credit_dispute_ids)
        # A seller SIREN of no company of the database matches nothing either.
        unknown = self._import(message([reference(invoice.name, "210", seller="652014051")]))
        self.assertEqual(unknown.review_reason, "unknown_invoice")

    def test_malformed_file_refused_nothing_applied(self):
        invoice = self._new_invoice()
        good = message([reference(invoice.name, "207")], "CDV-OK")
        broken = batch([good, message([reference(invoice.name, "2O7")], "CDV-BAD")])
        with self.assertRaisesRegex(UserError, "not a lifecycle code"):
            self._import(broken)
        with self.assertRaisesRegex(UserError, "not valid XML"):
            self._import(good[:-20])
        with self.assertRaisesRegex(UserError, "holds no CDAR lifecycle message"):
            self._import("<Invoice><ID>1</ID></Invoice>")
        self.assertFalse(self.Message.search([]))
        self.assertFalse(invoice.credit_dispute_ids)
        self.assertFalse(invoice.credit_einvoice_status_ids)

    def test_same_message_twice_applied_once(self):
        invoice = self._new_invoice()
        content = message([reference(invoice.name, "207", reason_code="PRIX_ERR")], "CDV-SAME")
        self._import(content)
        again = self._import(content)
        self.assertEqual(again.state, "duplicate")
        self.assertEqual(len(invoice.credit_dispute_ids), 1)
        self.assertEqual(len(invoice.credit_einvoice_status_ids), 1)

    def test_only_credit_controllers_import(self):
        invoice = self._new_invoice()
        for user in (self.salesman, self.invoicing_user):
            with self.assertRaises(AccessError):
                self._import(message([reference(invoice.name, "205")]), user=user)
        self.assertFalse(invoice.credit_bap_state)

    def test_email_alias(self):
        invoice = self._new_invoice()
        alias_domain = self.env["mail.alias.domain"].create({"name": "credit.example.com"})
        alias = self.env.ref("account_credit_recovery.mail_alias_credit_einvoice_status")
        alias.alias_domain_id = alias_domain
        self.company.credit_einvoice_platform_senders = "plateforme.example.com"
        mail = EmailMessage()
        mail["From"] = "statuts@plateforme.example.com"
        mail["To"] = "einvoice-status@credit.example.com"
        mail["Subject"] = "Statuts cycle de vie"
        mail["Message-Id"] = "<cdv-207-1@plateforme.example.com>"
        mail.set_content("Statuts en pièce jointe.")
        mail.add_attachment(
            message(
                [reference(invoice.name, "207", reason_code="QUALITE_ERR", reason="Produits abîmés")],
                "CDV-MAIL",
            ).encode(),
            maintype="application",
            subtype="xml",
            filename="statut-207.xml",
        )
        mail.add_attachment(b"<broken", maintype="application", subtype="xml", filename="illisible.xml")
        self.env["mail.thread"].message_process(False, mail.as_bytes())
        received = self.Message.search([("source", "=", "email")])
        self.assertEqual(sorted(received.mapped("state")), ["applied", "review"])
        malformed = received.filtered(lambda msg: msg.state == "review")
        self.assertEqual((malformed.review_reason, malformed.file_name), ("malformed", "illisible.xml"))
        self.assertIn("not valid XML", malformed.review_note)
        self.assertEqual(invoice.credit_dispute_ids.reason, "quality")

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_email_without_cdar_kept_for_review(self):
        alias_domain = self.env["mail.alias.domain"].create({"name": "credit.example.com"})
        self.env.ref(
            "account_credit_recovery.mail_alias_credit_einvoice_status"
        ).alias_domain_id = alias_domain
        self.company.credit_einvoice_platform_senders = "quelqu.un@example.com"
        mail = EmailMessage()
        mail["From"] = "quelqu.un@example.com"
        mail["To"] = "einvoice-status@credit.example.com"
        mail["Subject"] = "Bonjour"
        mail["Message-Id"] = "<hello@example.com>"
        mail.set_content("Pas de statut ici.")
        self.env["mail.thread"].message_process(False, mail.as_bytes())
        received = self.Message.search([("source", "=", "email")])
        self.assertEqual((received.state, received.review_reason), ("review", "malformed"))

    def test_rights_and_companies(self):
        invoice = self._new_invoice()
        messages = self._import(message([reference(invoice.name, "205")]))
        status = invoice.credit_einvoice_status_ids
        # The history is evidence: nobody writes it by hand, not even a Credit Manager.
        for user in (self.credit_controller, self.credit_manager):
            with self.assertRaises(AccessError):
                self.env["credit.recovery.einvoice.status"].with_user(user).create(
                    {"move_id": invoice.id, "code": "212"}
                )
            with self.assertRaises(AccessError):
                status.with_user(user).write({"code": "210"})
        # Invoicing users read the history; the review list is the credit staff's.
        self.assertEqual(status.with_user(self.invoicing_user).code, "205")
        with self.assertRaises(AccessError):
            messages.with_user(self.salesman).read(["state"])
        with self.assertRaises(AccessError):
            messages.with_user(self.salesman).action_credit_retry()
        # A controller of another company sees none of it.
        other = self.setup_other_company(name="Filiale Lyon")["company"]
        outsider = self._company_user(
            "lyon_controller",
            "base.group_user,account_credit_recovery.group_credit_controller",
            company=other,
        )
        self.assertFalse(self.Message.with_user(outsider).search([]))
        self.assertFalse(self.env["credit.recovery.einvoice.status"].with_user(outsider).search([]))
