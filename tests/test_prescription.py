from ast import literal_eval
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestPrescription(CreditRecoveryCommon):
    """Prescription dates, the events that interrupt them, and the warnings before them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.credit_controller_id = cls.credit_controller
        cls.consumer = cls.env["res.partner"].create({"name": "Jeanne Durand", "is_company": False})
        cls.cron = cls.env.ref("account_credit_recovery.ir_cron_credit_recovery_prescription")
        cls.activity_type = cls.env.ref("account_credit_recovery.mail_activity_type_credit_prescription")

    def _warnings(self, invoices):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "account.move"),
                ("res_id", "in", invoices.ids),
                ("activity_type_id", "=", self.activity_type.id),
            ],
            order="date_deadline",
        )

    def _watch(self, day):
        with freeze_time(day):
            self.cron.method_direct_trigger()

    def test_business_and_consumer_periods(self):
        business = self._invoice(self.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        consumer = self._invoice(self.consumer, 1000.0, "2026-03-01", due_date="2026-03-31")
        draft = self._invoice(self.customer, 1000.0, "2026-03-01", due_date="2026-03-31", post=False)
        self.assertEqual(business.credit_prescription_date, date(2031, 3, 31))
        self.assertEqual(consumer.credit_prescription_date, date(2028, 3, 31))
        self.assertFalse(draft.credit_prescription_date)
        # The customer type decides.
        self.customer.credit_customer_type = "b2c"
        self.assertEqual(business.credit_prescription_date, date(2028, 3, 31))

    def test_partial_payment_interrupts(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        self._pay(invoice, amount=200.0, payment_date="2026-06-15")
        self.assertEqual(invoice.credit_prescription_date, date(2031, 6, 15))
        self._pay(invoice, amount=100.0, payment_date="2027-02-01")
        self.assertEqual(invoice.credit_prescription_date, date(2032, 2, 1))

    def test_credit_note_does_not_interrupt(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        refund = self._invoice(self.customer, 100.0, "2026-06-15", move_type="out_refund")
        (invoice | refund).line_ids.filtered(lambda line: line.account_type == "asset_receivable").reconcile()
        self.assertEqual(invoice.amount_residual, 1080.0)
        self.assertEqual(invoice.credit_prescription_date, date(2031, 3, 31))

    def test_signed_payment_plan_interrupts(self):
        invoice = self._invoice(self.consumer, 1000.0, "2026-03-01", due_date="2026-03-31")
        line = invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        with freeze_time("2026-07-01"):
            plan = (
                self.env["credit.recovery.plan"]
                .with_user(self.credit_controller)
                .create({"partner_id": self.consumer.id, "line_ids": [Command.set(line.ids)]})
            )
            plan.action_generate_instalments()
            self.assertEqual(invoice.credit_prescription_date, date(2028, 3, 31))  # not signed yet
            plan.action_sign()
        self.assertEqual(invoice.credit_prescription_date, date(2028, 7, 1))
        # Forfeited later, the plan was still an acknowledgement of the debt (a consumer's plan after the
        # notice to pay the missed instalment has lapsed).
        with freeze_time("2026-07-02"):
            plan.action_send_forfeiture_notice()
        with freeze_time("2026-07-20"):
            # sudo: the status is the plan's actions' to write (its gate); the forfeiture itself is not tested here.
            plan.sudo().state = "forfeited"
        self.assertEqual(invoice.credit_prescription_date, date(2028, 7, 1))
        plan.sudo().state = "cancel"
        self.assertEqual(invoice.credit_prescription_date, date(2028, 3, 31))

    def test_formal_notice_does_not_interrupt(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        invoice.credit_formal_notice_date = "2026-05-04"
        self.assertEqual(invoice.credit_prescription_date, date(2031, 3, 31))

    def test_events_can_be_extended(self):
        """The litigation file adds its court filings by overriding ``_credit_prescription_events``."""
        invoice = self._invoice(self.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        other = self._invoice(self.customer, 500.0, "2026-03-01", due_date="2026-03-31")
        registry_class = type(self.env["account.move"])
        original = registry_class._credit_prescription_events

        def with_court_filing(moves):
            events = original(moves)
            if invoice in moves:
                events[invoice].append(date(2027, 9, 1))
            return events

        with patch.object(registry_class, "_credit_prescription_events", with_court_filing):
            (invoice | other)._compute_credit_prescription_date()
        self.assertEqual(invoice.credit_prescription_date, date(2032, 9, 1))
        self.assertEqual(other.credit_prescription_date, date(2031, 3, 31))

    def test_events_are_read_in_batch(self):
        invoices = self.env["account.move"]
        for _index in range(5):
            invoice = self._invoice(self.customer, 100.0, "2026-03-01", due_date="2026-03-31")
            self._pay(invoice, amount=10.0, payment_date="2026-04-15")
            invoices |= invoice
        counts = []
        for moves in (invoices[:1], invoices):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            events = moves._credit_prescription_events()
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])
        self.assertEqual(dict(events), {move: [date(2026, 4, 15)] for move in invoices})

    def test_warnings_six_months_and_one_month_before(self):
        # A consumer invoice due 31 March 2024 is time-barred on 31 March 2026.
        invoice = self._invoice(self.consumer, 1000.0, "2024-03-01", due_date="2024-03-31")
        paid = self._invoice(self.consumer, 1000.0, "2024-03-01", due_date="2024-03-31")
        self._pay(paid, payment_date="2024-03-20")
        self.assertEqual(invoice.credit_prescription_date, date(2026, 3, 31))
        self._watch("2025-09-29")
        self.assertFalse(self._warnings(invoice))
        self._watch("2025-09-30")
        warnings = self._warnings(invoice)
        self.assertEqual(len(warnings), 1)
        self.assertEqual(warnings.date_deadline, date(2025, 9, 30))
        self.assertEqual(warnings.user_id, invoice.invoice_user_id)
        self.assertIn(invoice.name, warnings.summary)
        self.assertIn("2026", warnings.summary)
        self._watch("2025-09-30")
        self._watch("2025-12-15")
        self.assertEqual(len(self._warnings(invoice)), 1)
        self._watch("2026-03-01")
        warnings = self._warnings(invoice)
        self.assertEqual(len(warnings), 2)
        self.assertEqual(warnings[1].date_deadline, date(2026, 3, 1))
        self._watch("2026-03-02")
        self._watch("2026-03-31")
        self.assertEqual(len(self._warnings(invoice)), 2)
        self.assertFalse(self._warnings(paid))

    def test_late_first_look_gives_only_the_closest_warning_and_moves_with_the_date(self):
        invoice = self._invoice(self.customer, 1000.0, "2021-03-01", due_date="2021-03-31")
        self.assertEqual(invoice.credit_prescription_date, date(2026, 3, 31))
        self._watch("2026-03-10")
        warnings = self._warnings(invoice)
        self.assertEqual(len(warnings), 1)
        self.assertEqual(warnings.user_id, self.credit_controller)
        self.assertEqual(invoice.credit_prescription_warned_6m, date(2026, 3, 31))
        self._watch("2026-03-11")
        self.assertEqual(len(self._warnings(invoice)), 1)
        # A partial payment starts a new period: the warnings come back for the new date.
        self._pay(invoice, amount=100.0, payment_date="2026-03-15")
        self.assertEqual(invoice.credit_prescription_date, date(2031, 3, 15))
        self._watch("2030-09-15")
        self.assertEqual(len(self._warnings(invoice)), 2)

    def test_warnings_in_every_company(self):
        other = self.setup_other_company(name="Filiale Lyon SAS")["company"]
        invoice = (
            self.env["account.move"]
            .with_company(other)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.consumer.id,
                    "company_id": other.id,
                    "invoice_date": "2024-03-01",
                    "invoice_date_due": "2024-03-31",
                    "invoice_line_ids": [
                        Command.create({"name": "Service", "quantity": 1, "price_unit": 500.0})
                    ],
                }
            )
        )
        invoice.action_post()
        mine = self._invoice(self.consumer, 1000.0, "2024-03-01", due_date="2024-03-31")
        self._watch("2025-10-01")
        self.assertEqual(len(self._warnings(invoice | mine)), 2)
        # The list of the prescription watch shows both companies' invoices, the closest first.
        action = self.env.ref("account_credit_recovery.account_move_action_prescription")
        listed = (
            self.env["account.move"]
            .with_context(allowed_company_ids=[self.company.id, other.id])
            .search(
                [*literal_eval(action.domain), ("partner_id", "=", self.consumer.id)],
                order="credit_prescription_date, id",
            )
        )
        self.assertEqual(listed, mine | invoice)
