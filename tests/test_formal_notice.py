import re
from datetime import date

from freezegun import freeze_time
from lxml import html

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import CreditRecoveryCommon

LETTER_DAY = "2026-05-04"


@tagged("post_install", "-at_install")
class TestFormalNotice(CreditRecoveryCommon):
    """The formal notice: its letter, its validation, the certainty check and the registered mail."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"city": "Lyon", "company_registry": "552100554"})
        cls.env["res.partner.bank"].create(
            {"acc_number": "FR7630006000011234567890189", "partner_id": cls.company.partner_id.id}
        )
        cls.level = cls.company.credit_default_policy_id.level_ids.filtered(
            lambda level: level.channel == "registered_letter"
        )
        cls.customer.company_registry = "732829320"
        cls.customer_en = cls.env["res.partner"].create(
            {"name": "Smith Trading Ltd", "is_company": True, "lang": "en_US"}
        )
        cls.consumer = cls.env["res.partner"].create(
            {"name": "Jeanne Durand", "is_company": False, "lang": "fr_FR", "city": "Lyon"}
        )
        cls.consumer_en = cls.env["res.partner"].create(
            {"name": "John Doe", "is_company": False, "lang": "en_US"}
        )

    def _proofs(self, invoice, kinds=("signed_order", "delivery_note")):
        return self.env["credit.recovery.proof"].create(
            [{"name": kind, "kind": kind, "move_id": invoice.id} for kind in kinds]
        )

    def _notice(self, partner, amount=1000.0, proofs=True, state="to_validate"):
        """A formal notice decided on an invoice of ``amount`` (excl. VAT) due on 31 March 2026."""
        invoice = self._invoice(partner, amount, "2026-03-01", due_date="2026-03-31")
        if proofs:
            self._proofs(invoice)
        line = invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        action = self.env["credit.recovery.action"].create(
            {
                "partner_id": partner.id,
                "company_id": self.company.id,
                "level_id": self.level.id,
                "channel": "registered_letter",
                "state": state,
                "date": "2026-04-30",
                "user_id": self.credit_controller.id,
                "line_ids": [Command.set(line.ids)],
                "amount_due": invoice.amount_residual,
                "amount_overdue": invoice.amount_residual,
            }
        )
        return action, invoice

    def _render(self, action):
        report = self.env.ref("account_credit_recovery.action_report_credit_recovery_formal_notice")
        content = report._render_qweb_html(report.id, action.ids)[0].decode()
        return content, html.fromstring(content)

    def _texts(self, tree, xpath):
        return [re.sub(r"[ \t\n]+", " ", node.text_content()).strip() for node in tree.xpath(xpath)]

    # ----------------------------------------------------------------------------------------------------
    # The letter
    # ----------------------------------------------------------------------------------------------------
    @freeze_time(LETTER_DAY)
    def test_letter_business_customer_in_french(self):
        action, invoice = self._notice(self.customer)
        self.assertEqual(
            action._letter_report().report_name,
            "account_credit_recovery.report_credit_recovery_formal_notice",
        )
        details = invoice._credit_late_details(date(2026, 5, 4))[invoice]
        # 1 200 EUR incl. VAT, 34 days late at 12.15 % (ECB 2.15 % + 10 points): 13.58 EUR.
        self.assertEqual(details["penalties"][0]["amount"], 13.58)
        self.assertEqual(details["indemnity"], 40.0)
        content, tree = self._render(action)
        self.assertIn("Mise en demeure", content)
        self.assertIn("vaut mise en demeure", content)
        self.assertIn("Lettre recommandée avec accusé de réception", content)
        self.assertEqual(self._texts(tree, "//tr[@name='invoice']/td[@name='number']"), [invoice.name])
        self.assertEqual(self._texts(tree, "//tr[@name='invoice']/td[@name='date']"), ["01/03/2026"])
        self.assertEqual(self._texts(tree, "//tr[@name='invoice']/td[@name='due']"), ["31/03/2026"])
        self.assertEqual(self._texts(tree, "//tr[@name='invoice']/td[@name='amount']"), ["1\xa0200,00\xa0€"])
        self.assertEqual(
            self._texts(tree, "//tr[@name='invoice']/td[@name='residual']"), ["1\xa0200,00\xa0€"]
        )
        self.assertEqual(self._texts(tree, "//tr[@name='invoice']/td[@name='penalties']"), ["13,58\xa0€"])
        self.assertEqual(self._texts(tree, "//tr[@name='invoice']/td[@name='indemnity']"), ["40,00\xa0€"])
        self.assertIn("1\xa0200,00\xa0€", self._texts(tree, "//tr[@name='principal']")[0])
        self.assertIn("13,58\xa0€", self._texts(tree, "//tr[@name='total_penalties']")[0])
        self.assertIn("40,00\xa0€", self._texts(tree, "//tr[@name='total_indemnity']")[0])
        self.assertIn("1\xa0253,58\xa0€", self._texts(tree, "//tr[@name='total']")[0])
        legal = self._texts(tree, "//p[@name='legal_b2b']")[0]
        self.assertIn("L441-10", legal)
        self.assertIn("12,15 %", legal)
        self.assertIn("D441-5", legal)
        self.assertFalse(tree.xpath("//p[@name='legal_b2c']"))
        # The deadline: 8 days (the company's setting) from the receipt of the letter (issue #14).
        notice = self._texts(tree, "//p[@name='notice']")[0]
        self.assertIn("1\xa0253,58\xa0€", notice)
        self.assertIn("dans un délai de 8 jours à compter de la réception de la présente", notice)
        bank = self._texts(tree, "//p[@name='bank_account']")[0]
        self.assertIn("FR76 3000 6000 0112 3456 7890 189", bank)
        self.assertIn("Banque :", bank)
        self.assertIn("juridiction compétente", self._texts(tree, "//p[@name='follow_up']")[0])
        self.assertEqual(self._texts(tree, "//p[@name='place_date']"), ["Lyon, 4 mai 2026"])
        parties = self._texts(tree, "//p[@name='parties']")[0]
        self.assertIn("552100554", parties)
        self.assertIn("732829320", parties)
        signature = self._texts(tree, "//p[@name='signature']")[0]
        self.assertIn(self.credit_controller.name, signature)
        self.assertIn(self.company.name, signature)

    @freeze_time(LETTER_DAY)
    def test_letter_business_customer_in_english(self):
        self.company.credit_formal_notice_days = 15
        action, _invoice = self._notice(self.customer_en)
        content, tree = self._render(action)
        self.assertIn("Formal notice to pay", content)
        self.assertIn("formal notice within the meaning of article 1344", content)
        self.assertNotIn("Mise en demeure", content)
        self.assertEqual(self._texts(tree, "//tr[@name='invoice']/td[@name='due']"), ["03/31/2026"])
        self.assertEqual(self._texts(tree, "//tr[@name='invoice']/td[@name='penalties']"), ["13.58\xa0€"])
        self.assertIn("1,253.58\xa0€", self._texts(tree, "//tr[@name='total']")[0])
        self.assertIn("within 15 days of receipt", self._texts(tree, "//p[@name='notice']")[0])
        self.assertIn("late-payment penalties", self._texts(tree, "//p[@name='legal_b2b']")[0])
        self.assertIn("competent court", self._texts(tree, "//p[@name='follow_up']")[0])

    @freeze_time(LETTER_DAY)
    def test_letter_consumer_states_legal_interest(self):
        action, _invoice = self._notice(self.consumer)
        content, tree = self._render(action)
        self.assertIn("Mise en demeure", content)
        self.assertFalse(tree.xpath("//td[@name='penalties']"))
        self.assertFalse(tree.xpath("//tr[@name='total_indemnity']"))
        self.assertFalse(tree.xpath("//p[@name='legal_b2b']"))
        self.assertNotIn("40,00", content)
        legal = self._texts(tree, "//p[@name='legal_b2c']")[0]
        self.assertIn("intérêts au taux légal", legal)
        self.assertIn("1231-6", legal)
        self.assertIn("1\xa0200,00\xa0€", self._texts(tree, "//tr[@name='total']")[0])
        action_en, _invoice = self._notice(self.consumer_en)
        _content, tree = self._render(action_en)
        self.assertIn("interest at the legal rate", self._texts(tree, "//p[@name='legal_b2c']")[0])

    @freeze_time(LETTER_DAY)
    def test_missing_rate_stops_the_letter(self):
        action, _invoice = self._notice(self.customer)
        self.company.credit_missing_rate_policy = "block"
        self.env["credit.recovery.rate"].search([("kind", "=", "ecb_mro")]).unlink()
        with self.assertRaises(UserError):
            action._formal_notice_values()
        # A preview says why instead of guessing the penalties.
        _content, tree = self._render(action)
        self.assertIn("2026-S1", self._texts(tree, "//p[@name='error']")[0])
        self.assertFalse(tree.xpath("//td[@name='penalties']"))
        self.assertFalse(tree.xpath("//tr[@name='total_penalties']"))
        action.with_user(self.credit_manager).write({"state": "draft"})
        with self.assertRaises(UserError):
            action.with_user(self.credit_controller).action_print_letter()
        self.assertFalse(action.printed)

    def test_deadline_setting(self):
        with self.assertRaises(ValidationError):
            self.company.credit_formal_notice_days = 0
        self.assertEqual(self.env["res.config.settings"].create({}).credit_formal_notice_days, 8)

    # ----------------------------------------------------------------------------------------------------
    # Validation, certainty check and override
    # ----------------------------------------------------------------------------------------------------
    @freeze_time(LETTER_DAY)
    def test_only_a_manager_validates(self):
        action, _invoice = self._notice(self.customer)
        with self.assertRaises(UserError):
            action.with_user(self.credit_controller).action_print_letter()
        with self.assertRaises(AccessError):
            action.with_user(self.credit_controller).action_validate()
        with self.assertRaises(AccessError):
            action.with_user(self.credit_controller).validated_by_id = self.credit_controller
        self.assertEqual(action.state, "to_validate")
        action.with_user(self.credit_manager).action_validate()
        self.assertEqual(action.state, "draft")
        self.assertEqual(action.validated_by_id, self.credit_manager)
        _content, tree = self._render(action)
        self.assertIn(self.credit_manager.name, self._texts(tree, "//p[@name='signature']")[0])

    @freeze_time(LETTER_DAY)
    def test_certainty_check_blocks_and_manager_overrides(self):
        action, invoice = self._notice(self.customer, proofs=False)
        self._proofs(invoice, kinds=("signed_quote",))
        self.assertIn("proof of delivery", action.certainty_issues)
        with self.assertRaises(UserError) as error:
            action.with_user(self.credit_manager).action_validate()
        message = str(error.exception)
        self.assertIn(invoice.name, message)
        self.assertIn("no proof of delivery", message)
        self.assertNotIn("signed order or quotation", message)
        self.assertEqual(action.state, "to_validate")
        # A controller may not override, neither through the wizard nor by writing the fields.
        with self.assertRaises(AccessError):
            self.env["credit.recovery.certainty.override.wizard"].with_user(self.credit_controller).create(
                {"action_ids": [Command.set(action.ids)], "reason": "trust me"}
            )
        with self.assertRaises(AccessError):
            action.with_user(self.credit_controller).write({"certainty_override": True})
        wizard_action = action.with_user(self.credit_manager).action_certainty_override()
        wizard = (
            self.env["credit.recovery.certainty.override.wizard"]
            .with_user(self.credit_manager)
            .with_context(**wizard_action["context"])
            .create({"reason": "   "})
        )
        with self.assertRaises(UserError):
            wizard.action_override()
        wizard.reason = "Delivery acknowledged by the customer's buyer on the phone, note to follow."
        self.assertIn("proof of delivery", wizard.issues)
        wizard.action_override()
        self.assertTrue(action.certainty_override)
        self.assertEqual(action.certainty_override_user_id, self.credit_manager)
        self.assertIn("buyer on the phone", action.certainty_override_reason)
        for record in (action, invoice):
            self.assertTrue(
                record.message_ids.filtered(
                    lambda message: (
                        "Certainty check overridden" in str(message.body)
                        and "buyer on the phone" in str(message.body)
                    )
                ),
                record,
            )
        action.with_user(self.credit_manager).action_validate()
        self.assertEqual(action.state, "draft")

    @freeze_time(LETTER_DAY)
    def test_certainty_reasons(self):
        Move = self.env["account.move"]
        sound = self._invoice(self.customer, 100.0, "2026-03-01", due_date="2026-03-31")
        self._proofs(sound)
        not_due = self._invoice(self.customer, 100.0, "2026-04-20", due_date="2026-05-20")
        self._proofs(not_due)
        disputed = self._invoice(self.customer, 100.0, "2026-03-01", due_date="2026-03-31")
        self._proofs(disputed)
        dispute = self.env["credit.recovery.dispute"].create(
            {"move_id": disputed.id, "reason": "price", "amount_disputed": 50.0}
        )
        draft = self._invoice(self.customer, 100.0, "2026-03-01", due_date="2026-03-31", post=False)
        paid = self._invoice(self.customer, 100.0, "2026-03-01", due_date="2026-03-31")
        self._proofs(paid)
        self._pay(paid, payment_date="2026-04-02")
        old = self._invoice(self.consumer, 100.0, "2024-01-01", due_date="2024-01-31")
        self._proofs(old)
        unproven = self._invoice(self.customer, 100.0, "2026-03-01", due_date="2026-03-31")
        invoices = sound | not_due | disputed | draft | paid | old | unproven
        issues = invoices._credit_certainty_issues()
        self.assertNotIn(sound, issues)
        self.assertEqual(set(issues), set(invoices - sound))
        self.assertIn("Not due", issues[not_due][0])
        self.assertIn(dispute.name, issues[disputed][0])
        self.assertIn("Not liquid", issues[disputed][0])
        self.assertIn("not fixed", issues[draft][0])
        self.assertIn("paid", issues[paid][0])
        self.assertEqual(old.credit_prescription_date, date(2026, 1, 31))
        self.assertIn("Time-barred", issues[old][0])
        self.assertEqual(len(issues[unproven]), 2)
        with self.assertRaises(UserError):
            (sound | unproven)._credit_certainty_check()
        self.assertTrue(sound._credit_certainty_check())
        # Another day, another answer: on 21 May the invoice is due.
        self.assertNotIn(not_due, Move.browse(not_due.ids)._credit_certainty_issues(as_of=date(2026, 5, 21)))

    # ----------------------------------------------------------------------------------------------------
    # Registered mail
    # ----------------------------------------------------------------------------------------------------
    def test_registered_mail_and_formal_notice_date(self):
        with freeze_time(LETTER_DAY):
            action, invoice = self._notice(self.consumer)
            action.with_user(self.credit_manager).action_validate()
            controller_action = action.with_user(self.credit_controller)
            with self.assertRaises(UserError):
                controller_action.action_record_registered_mail()
            controller_action.registered_mail_number = "1A 123 456 7890 1"
            print_action = controller_action.action_print_letter()
            self.assertEqual(
                print_action["report_name"], "account_credit_recovery.report_credit_recovery_formal_notice"
            )
            controller_action.action_record_registered_mail()
        self.assertEqual(action.state, "done")
        self.assertEqual(action.registered_mail_date, date(2026, 5, 4))
        self.assertEqual(action.formal_notice_deadline, date(2026, 5, 12))
        # The notice takes effect on its receipt, not on its posting.
        self.assertFalse(invoice.credit_formal_notice_date)
        self.assertIn("1A 123 456 7890 1", str(invoice.message_ids[:1].body))
        # The acknowledgement of receipt comes back later.
        controller_action.registered_mail_ack_date = date(2026, 5, 6)
        self.assertEqual(action.registered_mail_ack_date, date(2026, 5, 6))
        self.assertEqual(invoice.credit_formal_notice_date, date(2026, 5, 6))
        # The notice starts the consumer's legal interest (nothing before it).
        self.assertEqual(invoice.with_context(credit_recovery_date="2026-05-06").legal_interest_amount, 0.0)
        self.assertGreater(invoice.with_context(credit_recovery_date="2026-06-03").legal_interest_amount, 0.0)
        # Posted once: it cannot be posted again.
        with self.assertRaises(UserError):
            controller_action.action_record_registered_mail()
        # The letter keeps the posting date and the deadline fixed when posted.
        with freeze_time("2026-06-01"):
            _content, tree = self._render(action)
        self.assertIn("8 jours à compter de la réception", self._texts(tree, "//p[@name='notice']")[0])
        self.assertIn("1A 123 456 7890 1", self._texts(tree, "//p[@name='registered_mail']")[0])

    def test_sending_rechecks_certainty_and_keeps_earlier_notice_date(self):
        with freeze_time(LETTER_DAY):
            action, invoice = self._notice(self.customer, state="draft")
            invoice.credit_formal_notice_date = "2026-04-20"
            dispute = self.env["credit.recovery.dispute"].create(
                {"move_id": invoice.id, "reason": "quality", "amount_disputed": 100.0}
            )
            action.registered_mail_number = "1A 000"
            with self.assertRaises(UserError):
                action.with_user(self.credit_controller).action_record_registered_mail()
            dispute.with_user(self.credit_controller).action_reject()
            action.with_user(self.credit_controller).action_record_registered_mail()
        self.assertEqual(invoice.credit_formal_notice_date, date(2026, 4, 20))

    def test_dunning_run_prepares_the_notice(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        line = invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        previous = self.level.policy_id._ordered_levels().filtered(lambda level: level.delay_days == 21)
        line.credit_recovery_level_id = previous
        cron = self.env.ref("account_credit_recovery.ir_cron_credit_recovery_run")
        with freeze_time("2026-04-30"):
            cron.method_direct_trigger()
        action = self.env["credit.recovery.action"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(
            (action.level_id, action.channel, action.state), (self.level, "registered_letter", "to_validate")
        )
        self.assertEqual(
            action._letter_report(),
            self.env.ref("account_credit_recovery.action_report_credit_recovery_formal_notice"),
        )
