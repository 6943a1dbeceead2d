from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import CreditRecoveryCommon

DUE = date(2026, 3, 31)


@tagged("post_install", "-at_install")
class TestCallersReadTheBook(CreditRecoveryCommon):
    """The run and the payment signals read the book's receivable lines, not a join of their own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_data_2 = cls.setup_other_company(name="Boulangerie Martin Belgique")
        cls.customer.write({"email": "compta@boulangerie-martin.fr"})
        cls.policy = cls.company.credit_default_policy_id
        cls.Signals = cls.env["credit.recovery.book.payment"]

    def _entry(self, company_data, journal, lines, day):
        move = (
            self.env["account.move"]
            .with_company(company_data["company"])
            .create(
                {
                    "move_type": "entry",
                    "date": day,
                    "journal_id": journal.id,
                    "line_ids": [Command.create({"name": "Reprise de solde", **line}) for line in lines],
                }
            )
        )
        move.action_post()
        return move

    def test_item_without_due_date_is_chased_from_its_date(self):
        """An opening balance booked on 411 without a due date: the aged balance ages it from its date (the
        book's due date), so the run reminds it; it used to be left out of the run."""
        receivable = self.company_data["default_account_receivable"]
        move = self._entry(
            self.company_data,
            self.company_data["default_journal_misc"],
            [
                {"account_id": receivable.id, "partner_id": self.customer.id, "debit": 500.0},
                {"account_id": self.company_data["default_account_revenue"].id, "credit": 500.0},
            ],
            DUE,
        )
        line = move.line_ids.filtered(lambda item: item.account_id == receivable)
        self.assertFalse(line.date_maturity)
        with freeze_time("2026-04-03"):
            aged = self.env["credit.recovery.book"]._aged_balance(self.company, date(2026, 4, 3))
            self.assertEqual(
                [(row["partner_id"], row["not_due"], row["bucket_1"]) for row in aged],
                [(self.customer.id, 0.0, 500.0)],
            )
            run = self.env["credit.recovery.run"].new(
                {"company_id": self.company.id, "date": date(2026, 4, 3)}
            )
            decisions = run._decide()
        decision = decisions[self.customer]
        self.assertEqual(decision.level, self.policy.level_ids.filtered(lambda level: level.delay_days == 3))
        self.assertEqual(decision.line_ids, line.ids)
        self.assertEqual((decision.amount_due, decision.amount_overdue), (500.0, 500.0))

    def test_receipt_booked_by_hand_in_another_company_is_a_signal(self):
        """A receipt is the book's (a payment, a statement line or an entry of a bank journal), in every
        company: 300.00 booked by hand in the other company's bank journal used to go unnoticed."""
        other = self.company_data_2
        bank = other["default_journal_bank"]
        self._entry(
            other,
            bank,
            [
                {"account_id": bank.default_account_id.id, "debit": 300.0},
                {
                    "account_id": other["default_account_receivable"].id,
                    "partner_id": self.customer.id,
                    "credit": 300.0,
                },
            ],
            DUE,
        )
        self.assertEqual(
            self.Signals._payment_signals(self.company, self.customer),
            {self.customer.id: {"other_company_payment"}},
        )
        # In its own books, the other company sees an unreconciled credit.
        self.assertEqual(
            self.Signals._payment_signals(other["company"], self.customer),
            {self.customer.id: {"unreconciled_credit"}},
        )

    def test_credit_note_of_another_company_is_no_signal(self):
        """A credit note of the other company is not a receipt: it says nothing of a payment here."""
        self.env["account.move"].with_company(self.company_data_2["company"]).create(
            {
                "move_type": "out_refund",
                "partner_id": self.customer.id,
                "invoice_date": DUE,
                "journal_id": self.company_data_2["default_journal_sale"].id,
                "invoice_line_ids": [Command.create({"name": "Avoir", "quantity": 1, "price_unit": 100.0})],
            }
        ).action_post()
        self.assertEqual(self.Signals._payment_signals(self.company, self.customer), {})
        self.assertEqual(
            self.Signals._payment_signals(self.company_data_2["company"], self.customer),
            {self.customer.id: {"unreconciled_credit"}},
        )


@tagged("post_install", "-at_install")
class TestCreditFileDepends(CreditRecoveryCommon):
    """A contact shows its company's credit file, and follows it as soon as the company's file changes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.account_use_credit_limit = True
        cls.contact = cls.env["res.partner"].create(
            {"name": "Julie Martin", "parent_id": cls.customer.id, "type": "invoice"}
        )

    @freeze_time("2026-04-15")
    def test_contact_follows_its_company(self):
        self._invoice(self.customer, 1000.0, "2026-04-01", due_date="2026-05-01")  # 1,200.00, not due
        contact = self.contact.with_user(self.credit_manager)
        customer = self.customer.with_user(self.credit_manager)
        self.assertEqual(contact.credit_exposure, 1200.0)
        self.assertEqual((contact.credit_risk_level, contact.credit_warning_message), ("low", ""))
        self.assertFalse(contact.credit_next_review_date)

        customer.write({"credit_score": 4.0, "credit_score_source": "Banque de France"})
        self.assertEqual(contact.credit_risk_level, "critical")
        self.assertIn("Score 4.0 below 5.0.", contact.credit_risk_reasons)

        customer.credit_limit = 1000.0
        self.assertTrue(contact.credit_over_limit)
        self.assertIn("over its credit limit", contact.credit_warning_message)

        customer.action_credit_mark_reviewed()
        # Critical customers are reviewed every month.
        self.assertEqual(contact.credit_next_review_date, date(2026, 5, 15))

    def test_dashboard_title(self):
        """The dashboard's window title is its name, not "credit.recovery.dashboard,1"."""
        dashboard = self.env["credit.recovery.dashboard"].with_user(self.credit_controller).create({})
        self.assertEqual(dashboard.display_name, "Credit Controller's Day")
        self.assertEqual(
            dashboard.with_context(lang="fr_FR").display_name, "La journée du gestionnaire crédit"
        )
