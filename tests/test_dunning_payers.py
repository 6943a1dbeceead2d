from datetime import date, timedelta

from freezegun import freeze_time
from lxml import html as lxml_html

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CreditRecoveryCommon

DUE = date(2026, 3, 31)


def day(offset):
    return DUE + timedelta(days=offset)


@tagged("post_install", "-at_install")
class TestNobodyWhoPaidIsReminded(CreditRecoveryCommon):
    """One definition of "has paid or may have paid", read when the run decides and again before acting."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_data_2 = cls.setup_other_company(name="Boulangerie Martin Belgique")
        cls._dunning_fixture(DUE)
        cls.Book = cls.env["credit.recovery.book.payment"]
        cls.reconcile_type = cls.env.ref("account_credit_recovery.mail_activity_type_credit_reconcile")

    def _level(self, delay):
        return self.policy.level_ids.filtered(lambda level: level.delay_days == delay)

    def _run(self, offset):
        with freeze_time(day(offset)):
            self._trigger_until_done(self.cron)
        return self.Action.search([("partner_id", "=", self.customer.id), ("date", "=", day(offset))])

    def _signals(self):
        return self.Book._payment_signals(self.company, self.customer).get(self.customer.id, set())

    def _inbound_payment(self, amount, company_data=None, post=True):
        company_data = company_data or self.company_data
        payment = (
            self.env["account.payment"]
            .with_company(company_data["company"])
            .create(
                {
                    "partner_id": self.customer.id,
                    "amount": amount,
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "journal_id": company_data["default_journal_bank"].id,
                    "date": day(1),
                }
            )
        )
        if post:
            payment.action_post()
        return payment

    def _statement_line(self, amount):
        return self.env["account.bank.statement.line"].create(
            {
                "journal_id": self.company_data["default_journal_bank"].id,
                "partner_id": self.customer.id,
                "amount": amount,
                "date": day(1),
                "payment_ref": "VIR BOULANGERIE MARTIN",
            }
        )

    def _assert_not_reminded(self, kind):
        self.assertEqual(self._signals(), {kind})
        with freeze_time(day(3)):
            run = self.env["credit.recovery.run"].new({"company_id": self.company.id, "date": day(3)})
            decisions = run._decide()
        # The decision writes nothing: the task to reconcile is a decision of its own, made by _apply.
        self.assertEqual(decisions[self.customer].level, None)
        self.assertEqual(decisions[self.customer].amount_due, 1200.0)
        self.assertFalse(run.reconcile_partner_ids)
        self.assertFalse(self.customer.activity_ids)
        self.assertFalse(self._run(3))
        tasks = self.customer.activity_ids.filtered(
            lambda activity: activity.activity_type_id == self.reconcile_type
        )
        self.assertEqual(len(tasks), 1)
        self.assertEqual(tasks.user_id, self.credit_controller)

    def test_no_signal_without_payment(self):
        self.assertEqual(self._signals(), set())
        self.assertEqual(self._run(3).level_id, self._level(3))

    def test_unreconciled_credit_note(self):
        refund = self._invoice(self.customer, 100.0, "2026-03-20", move_type="out_refund")
        self.assertEqual(refund.state, "posted")
        self._assert_not_reminded("unreconciled_credit")

    def test_draft_credit_note(self):
        self._invoice(self.customer, 100.0, "2026-03-20", move_type="out_refund", post=False)
        self._assert_not_reminded("draft_credit_note")

    def test_payment_in_process_without_entry(self):
        payment = self._inbound_payment(1200.0, post=False)
        # As with a bank journal whose payments wait for the statement (no outstanding account, no entry).
        payment.outstanding_account_id = False
        payment.action_post()
        self.assertEqual((payment.state, payment.move_id), ("in_process", self.env["account.move"]))
        self._assert_not_reminded("payment_in_process")

    def test_bank_statement_line_not_reconciled(self):
        st_line = self._statement_line(1200.0)
        self.assertFalse(st_line.is_reconciled)
        self._assert_not_reminded("bank_statement_line")

    def test_payment_booked_in_another_company(self):
        self._inbound_payment(1200.0, company_data=self.company_data_2)
        self._assert_not_reminded("other_company_payment")
        # The other company sees the customer as it stands in its own books: nothing to chase there.
        self.assertEqual(
            self.Book._payment_signals(self.company_data_2["company"], self.customer),
            {self.customer.id: {"unreconciled_credit"}},
        )

    def test_reconciled_payment_is_no_signal(self):
        self._pay(self.invoice, amount=500.0, payment_date=day(1))
        self.assertEqual(self._signals(), set())
        action = self._run(3)
        self.assertEqual(action.amount_due, 700.0)

    def test_queued_email_is_not_sent_to_a_payer(self):
        self._run(3)
        with freeze_time(day(7)):
            self.cron.method_direct_trigger()  # decides: the e-mail waits for the next call
        email = self.Action.search([("partner_id", "=", self.customer.id), ("date", "=", day(7))])
        self.assertEqual((email.channel, email.state, email.send_queued), ("email", "draft", True))
        self.assertEqual(self.line.credit_recovery_level_id, self._level(7))
        self.assertFalse(email.message_ids.filtered(lambda message: message.message_type == "email"))
        self._statement_line(1200.0)
        with freeze_time(day(7)):
            self._trigger_until_done(self.cron)  # sends: the payment came in between
        self.assertEqual((email.state, email.send_queued), ("cancel", False))
        self.assertFalse(
            self.env["mail.mail"].search([("model", "=", email._name), ("res_id", "=", email.id)])
        )
        # The item is back at the call's level, and the controller reconciles first.
        self.assertEqual(self.line.credit_recovery_level_id, self._level(3))
        self.assertTrue(
            email.message_ids.filtered(
                lambda message: "may have paid" in str(message.body) or "peut-être payé" in str(message.body)
            )
        )
        self.assertTrue(
            self.customer.activity_ids.filtered(
                lambda activity: activity.activity_type_id == self.reconcile_type
            )
        )

    def _notice(self, state="to_validate"):
        return self.Action.create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "level_id": self._level(30).id,
                "channel": "registered_letter",
                "state": state,
                "date": day(30),
                "line_ids": [Command.set(self.line.ids)],
                "amount_due": 1200.0,
                "amount_overdue": 1200.0,
                "certainty_override": True,
            }
        )

    def test_notice_is_not_validated_printed_or_posted_for_a_payer(self):
        notice = self._notice()
        self._statement_line(300.0)
        with freeze_time(day(34)), self.assertRaisesRegex(UserError, "bank statement line not reconciled"):
            notice.with_user(self.credit_manager).action_validate()
        self.assertEqual(notice.state, "to_validate")
        notice.state = "draft"
        with freeze_time(day(34)), self.assertRaisesRegex(UserError, "Reconcile"):
            notice.with_user(self.credit_manager).action_print_letter()
        self.assertFalse(notice.printed)
        notice.registered_mail_number = "1A 123 456 7890 1"
        with freeze_time(day(34)), self.assertRaisesRegex(UserError, "Reconcile"):
            notice.with_user(self.credit_manager).action_record_registered_mail()
        self.assertEqual(notice.state, "draft")
        self.assertFalse(self.invoice.credit_formal_notice_date)

    def test_letter_amounts_are_those_of_the_day_it_prints(self):
        for offset in (3, 7, 14):
            self._run(offset)
        letter = self._run(21)
        self.assertEqual((letter.channel, letter.amount_due), ("letter", 1200.0))
        self._pay(self.invoice, amount=450.0, payment_date=day(22))
        # Printed through the report route's renderer (no button): the amounts are recomputed.
        report = self.env.ref("account_credit_recovery.action_report_credit_recovery_letter")
        html = report.with_user(self.credit_controller)._render_qweb_html(report.id, letter.ids)[0]
        root = lxml_html.fromstring(html)
        total = root.xpath("//strong[@name='total_due_amount']")[0].text_content()
        self.assertEqual(total.replace("\xa0", " ").replace("\u202f", " ").strip(), "750,00 €")
        residual = root.xpath("//tr[@name='item']/td[5]")[0].text_content()
        self.assertIn("750,00", residual.replace("\xa0", " ").replace("\u202f", " "))
        letter.with_user(self.credit_controller).action_print_letter()
        self.assertEqual((letter.amount_due, letter.amount_overdue), (1200.0, 1200.0))  # done: history kept
        # An unprinted letter to a customer who may have paid is refused through the renderer too.
        self._statement_line(750.0)
        letter.printed = False
        with self.assertRaisesRegex(UserError, "Reconcile"):
            report.with_user(self.credit_controller)._render_qweb_html(report.id, letter.ids)
