"""Issue #14: the migration to 18.0.1.1.0 brings the noupdate records changed since to existing databases."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.account_credit_recovery import SHIPPED_CHANGES, refresh_shipped_records


@tagged("post_install", "-at_install")
class TestShippedDataMigration(TransactionCase):
    def test_refresh_what_was_shipped_keep_what_was_edited(self):
        reminder = self.env.ref("account_credit_recovery.mail_template_credit_recovery_reminder")
        statement = self.env.ref("account_credit_recovery.mail_template_credit_statement")
        voicemail = self.env.ref("account_credit_recovery.mail_template_credit_recovery_voicemail")
        declaration = self.env.ref("account_credit_recovery.mail_activity_type_credit_claim_declaration")
        # A database installed before issue #14: the values shipped then.
        reminder.lang = "{{ (object.contact_id or object.partner_id).lang }}"
        statement.lang = "{{ object.lang }}"
        declaration.res_model = "res.partner"
        court = self.env.ref("account_credit_recovery.credit_recovery_court_tc_tourcoing")
        court.name = "Tribunal de commerce de Tourcoing"
        # Its users set their own language rule on the voicemail e-mail.
        voicemail.lang = "fr_FR"
        refreshed = refresh_shipped_records(self.env)
        self.assertEqual(reminder.lang, "{{ object._letter_lang() }}")
        self.assertEqual(statement.lang, "{{ object._credit_document_lang() }}")
        self.assertEqual(declaration.res_model, "credit.recovery.partner.log")
        self.assertEqual(voicemail.lang, "fr_FR")
        self.assertEqual((court.name, court.city), ("Tribunal de commerce de Lille Métropole", "Tourcoing"))
        self.assertEqual(
            sorted(refreshed),
            [
                ("credit_recovery_court_tc_tourcoing", "name"),
                ("mail_activity_type_credit_claim_declaration", "res_model"),
                ("mail_template_credit_recovery_reminder", "lang"),
                ("mail_template_credit_statement", "lang"),
            ],
        )
        # Run again (or on a database installed since): nothing left to do.
        self.assertEqual(refresh_shipped_records(self.env), [])

    def test_every_change_names_a_shipped_record(self):
        for xml_id, fields_before in SHIPPED_CHANGES.items():
            record = self.env.ref(f"account_credit_recovery.{xml_id}")
            for field_name in fields_before:
                self.assertIn(field_name, record._fields)
