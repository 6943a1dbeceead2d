from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestLegalInvoice(CreditRecoveryCommon):
    """What the law adds to a late invoice: penalties, the 40 EUR indemnity, legal interest, claiming them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consumer = cls.env["res.partner"].create(
            {"name": "Julie Petit", "country_id": cls.env.ref("base.fr").id, "lang": "fr_FR"}
        )
        cls.english_customer = cls.env["res.partner"].create(
            {
                "name": "Thames Joinery Ltd",
                "is_company": True,
                "country_id": cls.env.ref("base.uk").id,
                "lang": "en_US",
            }
        )
        cls.usd = cls.setup_other_currency("USD", rates=[("2025-01-01", 2.0)])
        cls.two_instalments = cls.env["account.payment.term"].create(
            {
                "name": "50 % at 30 days, 50 % at 60 days",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 50.0, "nb_days": 30}),
                    Command.create({"value": "percent", "value_amount": 50.0, "nb_days": 60}),
                ],
            }
        )

    def _late(self, move, as_of):
        move = move.with_context(credit_recovery_date=as_of)
        move.invalidate_recordset()
        return move

    # ----------------------------------------------------------------------------------------------------
    # Penalties, indemnity and legal interest on the invoice
    # ----------------------------------------------------------------------------------------------------
    def test_b2b_penalties_and_indemnity(self):
        self.assertEqual(self.customer.credit_customer_type, "b2b")
        invoice = self._invoice(self.customer, 1000.0, "2025-08-01", due_date="2025-09-01")
        self.assertEqual(invoice.amount_total, 1200.0)
        # Not late on the due date itself: nothing accrues.
        on_due = self._late(invoice, "2025-09-01")
        self.assertEqual((on_due.late_penalty_amount, on_due.recovery_indemnity_amount), (0.0, 0.0))
        # 30 days (2 September to 1 October) at 2025-S2's 2.15 + 10 = 12.15 % on the amount incl. VAT:
        # 1200 * 12.15 / 100 * 30 / 365 = 11.983... = 11.98; the indemnity is 40 EUR, once per invoice.
        late = self._late(invoice, "2025-10-01")
        self.assertEqual(late.credit_days_overdue, 30)
        self.assertEqual(late.late_penalty_amount, 11.98)
        self.assertEqual(late.recovery_indemnity_amount, 40.0)
        self.assertEqual(late.legal_interest_amount, 0.0)
        self.assertFalse(late.credit_late_amounts_error)

    def test_partial_payment_shrinks_the_base_the_day_after(self):
        invoice = self._invoice(self.customer, 1000.0, "2025-08-01", due_date="2025-09-01")
        self._pay(invoice, amount=600.0, payment_date="2025-09-11")
        # 2-11 September on 1200: 1200 * 12.15 / 100 * 10 / 365 = 3.994... = 3.99
        # 12 September-1 October on 600: 600 * 12.15 / 100 * 20 / 365 = 3.994... = 3.99
        late = self._late(invoice, "2025-10-01")
        self.assertEqual(late.late_penalty_amount, 7.98)
        self.assertEqual(late.credit_days_overdue, 30)

    def test_paid_late_keeps_the_accrued_penalty(self):
        invoice = self._invoice(self.customer, 1000.0, "2025-08-01", due_date="2025-09-01")
        self._pay(invoice, payment_date="2025-09-21")
        self.assertEqual(invoice.payment_state, "paid")
        # Paid after 20 days: 1200 * 12.15 / 100 * 20 / 365 = 7.989... = 7.99, claimable afterwards.
        late = self._late(invoice, "2025-11-01")
        self.assertEqual(late.late_penalty_amount, 7.99)
        self.assertEqual(late.recovery_indemnity_amount, 40.0)
        self.assertEqual(late.credit_days_overdue, 0, "nothing is overdue any more")

    def test_paid_on_time_owes_nothing_and_part_paid_on_time_owes_the_indemnity(self):
        on_time = self._invoice(self.customer, 1000.0, "2025-08-01", due_date="2025-09-01")
        self._pay(on_time, payment_date="2025-09-01")
        late = self._late(on_time, "2025-11-01")
        self.assertEqual((late.late_penalty_amount, late.recovery_indemnity_amount), (0.0, 0.0))
        half = self._invoice(self.customer, 1000.0, "2025-08-01", due_date="2025-09-01")
        self._pay(half, amount=600.0, payment_date="2025-08-20")
        # Only the 600 left bears penalties: 600 * 12.15 / 100 * 30 / 365 = 5.991... = 5.99; the 40 EUR is
        # owed in full all the same.
        late = self._late(half, "2025-10-01")
        self.assertEqual(late.late_penalty_amount, 5.99)
        self.assertEqual(late.recovery_indemnity_amount, 40.0)

    def test_instalments_run_from_their_own_due_dates(self):
        invoice = self._invoice(
            self.customer, 1000.0, "2025-08-01", invoice_payment_term_id=self.two_instalments.id
        )
        dues = invoice.line_ids.filtered(lambda line: line.display_type == "payment_term").mapped(
            "date_maturity"
        )
        self.assertEqual(sorted(str(due) for due in dues), ["2025-08-31", "2025-09-30"])
        # First 600 late 40 days: 600 * 12.15 / 100 * 40 / 365 = 7.989... = 7.99
        # Second 600 late 10 days: 600 * 12.15 / 100 * 10 / 365 = 1.997... = 2.00
        late = self._late(invoice, "2025-10-10")
        self.assertEqual(late.late_penalty_amount, 9.99)
        self.assertEqual(late.credit_days_overdue, 40)
        self.assertEqual(
            late.recovery_indemnity_amount, 40.0, "one indemnity per invoice, not per instalment"
        )

    def test_semester_straddle_on_an_invoice(self):
        invoice = self._invoice(self.customer, 1000.0, "2025-05-15", due_date="2025-06-15")
        # 16-30 June at 2025-S1's 3.15 + 10 = 13.15 %: 1200 * 13.15 / 100 * 15 / 365 = 6.484... = 6.48
        # 1-15 July at 12.15 %: 1200 * 12.15 / 100 * 15 / 365 = 5.991... = 5.99
        self.assertEqual(self._late(invoice, "2025-07-15").late_penalty_amount, 12.47)

    def test_collective_proceedings_suppress_the_indemnity(self):
        self.customer.write({"credit_collective_proceeding": "receivership"})
        invoice = self._invoice(self.customer, 1000.0, "2025-08-01", due_date="2025-09-01")
        late = self._late(invoice, "2025-10-01")
        self.assertEqual(late.late_penalty_amount, 11.98)
        self.assertEqual(late.recovery_indemnity_amount, 0.0)

    def test_consumer_owes_legal_interest_from_the_formal_notice_only(self):
        self.assertEqual(self.consumer.credit_customer_type, "b2c")
        invoice = self._invoice(self.consumer, 1000.0, "2025-08-01", due_date="2025-09-01")
        late = self._late(invoice, "2025-10-15")
        self.assertEqual(
            (late.late_penalty_amount, late.recovery_indemnity_amount, late.legal_interest_amount),
            (0.0, 0.0, 0.0),
        )
        self.assertEqual(late.credit_days_overdue, 44)
        invoice.credit_formal_notice_date = "2025-09-15"
        # From the notice, legal rate "other cases" (the creditor is a company) of 2025-S2, 2.76 %, 30 days:
        # 1200 * 2.76 / 100 * 30 / 365 = 2.722... = 2.72
        late = self._late(invoice, "2025-10-15")
        self.assertEqual(late.legal_interest_amount, 2.72)
        self.assertEqual((late.late_penalty_amount, late.recovery_indemnity_amount), (0.0, 0.0))

    def test_customer_type_can_be_set_and_contacts_follow(self):
        contact = self.env["res.partner"].create({"name": "Marc Martin", "parent_id": self.customer.id})
        self.assertEqual(contact.credit_customer_type, "b2b")
        self.customer.credit_customer_type = "b2c"
        self.assertEqual(contact.credit_customer_type, "b2c")
        invoice = self._invoice(contact, 1000.0, "2025-08-01", due_date="2025-09-01")
        self.assertEqual(self._late(invoice, "2025-10-01").late_penalty_amount, 0.0)

    @freeze_time("2025-10-01")
    def test_contractual_rate_replaces_the_default(self):
        # 2025-S2 floor: 3 x 2.76 = 8.28 %; 15 % is accepted.
        self.company.write({"credit_penalty_basis": "contractual", "credit_penalty_rate": 15.0})
        invoice = self._invoice(self.customer, 1000.0, "2025-08-01", due_date="2025-09-01")
        # 1200 * 15 / 100 * 30 / 365 = 14.794... = 14.79
        self.assertEqual(self._late(invoice, "2025-10-01").late_penalty_amount, 14.79)

    def test_foreign_currency_invoice(self):
        invoice = self._invoice(
            self.customer, 1000.0, "2025-08-01", due_date="2025-09-01", currency_id=self.usd.id
        )
        self.assertEqual(invoice.amount_total, 1200.0)
        late = self._late(invoice, "2025-10-01")
        self.assertEqual(late.currency_id, self.usd)
        # Penalties on the invoice amount in its own currency; the 40 EUR converted at 1 EUR = 2 USD.
        self.assertEqual(late.late_penalty_amount, 11.98)
        self.assertEqual(late.recovery_indemnity_amount, 80.0)

    def test_missing_rate_is_reported_on_the_invoice(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-06-01", due_date="2026-06-30")
        late = self._late(invoice, "2026-07-10")
        self.assertIn("2026-S2", late.credit_late_amounts_error)
        self.assertEqual(late.late_penalty_amount, 0.0)
        self.company.credit_missing_rate_policy = "block"
        with self.assertRaisesRegex(UserError, "2026-S2"):
            self.env["credit.recovery.penalty.invoice.wizard"].create(
                {"move_ids": [Command.set(invoice.ids)], "date": "2026-07-10"}
            ).action_create_invoices()

    # ----------------------------------------------------------------------------------------------------
    # Claiming: penalty invoices
    # ----------------------------------------------------------------------------------------------------
    def _bill(self, invoices, date, user=None):
        wizard = (
            self.env["credit.recovery.penalty.invoice.wizard"]
            .with_user(user or self.credit_controller)
            .create({"move_ids": [Command.set(invoices.ids)], "date": date})
        )
        action = wizard.action_create_invoices()
        return self.env["account.move"].search(action["domain"])

    def test_penalty_invoice_bills_each_day_once(self):
        invoice = self._invoice(self.customer, 1000.0, "2025-08-01", due_date="2025-09-01")
        other = self._invoice(self.customer, 500.0, "2025-08-05", due_date="2025-09-05")
        penalty = self._bill(invoice | other, "2025-10-01")
        self.assertEqual(len(penalty), 1, "one penalty invoice per customer")
        self.assertTrue(penalty.credit_is_penalty_invoice)
        self.assertEqual(penalty.partner_id, self.customer)
        self.assertFalse(penalty.invoice_line_ids.tax_ids, "no VAT on penalties and the indemnity")
        # invoice: 11.98 + 40; other (600 incl. VAT, 26 days): 600 * 12.15 / 100 * 26 / 365 = 5.192... = 5.19 + 40
        self.assertEqual(penalty.amount_total, 11.98 + 40.0 + 5.19 + 40.0)
        self.assertIn(invoice.name, penalty.invoice_origin)
        self.assertEqual(sorted(invoice.credit_penalty_line_ids.mapped("kind")), ["indemnity", "penalty"])
        billed = self.env["credit.recovery.penalty.line"].search([("penalty_move_id", "=", penalty.id)])
        self.assertEqual(sorted(billed.mapped("kind")), ["indemnity", "indemnity", "penalty", "penalty"])
        self.assertEqual(
            str(
                billed.filtered(lambda line: line.invoice_id == invoice and line.kind == "penalty").date_from
            ),
            "2025-09-02",
        )
        # Same day again: nothing left to bill.
        with self.assertRaisesRegex(UserError, "nothing|no late-payment"):
            self._bill(invoice | other, "2025-10-01")
        # Ten days later: only the new days, no second indemnity. 1200 * 12.15 / 100 * 10 / 365 = 3.99
        later = self._bill(invoice, "2025-10-11")
        self.assertEqual(later.amount_total, 3.99)
        self.assertIn("2025", later.invoice_line_ids.name)
        # The invoice still shows everything accrued, billed or not, as one period of 40 days:
        # 1200 * 12.15 / 100 * 40 / 365 = 15.978... = 15.98 (the two bills, rounded apart, make 15.97).
        self.assertEqual(self._late(invoice, "2025-10-11").late_penalty_amount, 15.98)
        # Cancelling a penalty invoice frees its days and indemnities again.
        later.button_cancel()
        again = self._bill(invoice, "2025-10-11")
        self.assertEqual(again.amount_total, 3.99)

    def test_penalty_invoice_refuses_consumers_and_unauthorised_users(self):
        invoice = self._invoice(self.consumer, 1000.0, "2025-08-01", due_date="2025-09-01")
        with self.assertRaises(UserError):
            self._bill(invoice, "2025-10-01")
        b2b_invoice = self._invoice(self.customer, 1000.0, "2025-08-01", due_date="2025-09-01")
        with self.assertRaises(AccessError):
            self._bill(b2b_invoice, "2025-10-01", user=self.invoicing_user)

    # ----------------------------------------------------------------------------------------------------
    # Invoice legal mentions and payment-term caps
    # ----------------------------------------------------------------------------------------------------
    def _invoice_html(self, invoice):
        html, _format = self.env["ir.actions.report"]._render_qweb_html("account.report_invoice", invoice.ids)
        return html.decode()

    @freeze_time("2025-10-01")
    def test_invoice_pdf_states_the_legal_mentions(self):
        invoice = self._invoice(self.customer, 1000.0, "2025-09-15", due_date="2025-10-15")
        html = self._invoice_html(invoice)
        self.assertIn("credit_legal_mentions", html)
        self.assertIn("pénalités de retard", html)
        self.assertIn("12,15", html, "the default rate of the invoice's semester, in figures")
        self.assertIn("indemnité forfaitaire pour frais de recouvrement", html)
        self.assertRegex(html, r"40,00(&nbsp;|\xa0| )€")
        self.assertIn("Pas d'escompte pour paiement anticipé.", html.replace("&#39;", "'"))
        self.assertIn("15/10/2025", html, "the due date")
        # In English for an English customer.
        english = self._invoice(self.english_customer, 1000.0, "2025-09-15", due_date="2025-10-15")
        html = self._invoice_html(english)
        self.assertIn("late-payment penalties are due by law", html)
        self.assertIn("12.15 %", html)
        self.assertIn("fixed recovery indemnity", html)
        self.assertIn("No discount for early payment.", html)
        # Consumers: no indemnity, the legal interest wording instead.
        consumer = self._invoice(self.consumer, 1000.0, "2025-09-15", due_date="2025-10-15")
        html = self._invoice_html(consumer)
        self.assertNotIn("indemnité forfaitaire", html)
        self.assertIn("intérêts au taux légal", html)
        self.assertIn("2,76", html)
        # A contractual rate is printed as such, on the invoices issued under it (issue #14: the terms in
        # force at posting stay on the invoice).
        self.company.write({"credit_penalty_basis": "contractual", "credit_penalty_rate": 15.0})
        self.assertIn("12,15", self._invoice_html(invoice))
        contractual = self._invoice(self.customer, 1000.0, "2025-09-15", due_date="2025-10-15")
        self.assertIn("15,00", self._invoice_html(contractual))

    @freeze_time("2025-10-01")
    def test_invoice_pdf_renders_with_wkhtmltopdf(self):
        invoice = self._invoice(self.customer, 1000.0, "2025-09-15", due_date="2025-10-15")
        pdf, _format = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("account.report_invoice", invoice.ids)
        )
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_payment_term_caps_warn(self):
        def warning(due, customer=None):
            move = self._invoice(customer or self.customer, 100.0, "2025-08-01", due_date=due, post=False)
            return move.credit_payment_term_warning

        # 60 days from 1 August = 30 September; 45 days end of month (end of August + 45) = 15 October.
        self.assertFalse(warning("2025-09-30"))
        self.assertFalse(warning("2025-10-15"))
        self.assertIn("10/15/2025", warning("2025-10-16") or "", "the cap, in the user's date format")
        # Consumers and foreign customers are not concerned.
        self.assertFalse(warning("2025-12-31", self.consumer))
        self.assertFalse(warning("2025-12-31", self.english_customer))
        # Other method: 1 August + 45 days = 15 September, end of that month = 30 September.
        self.company.credit_payment_term_cap_method = "plus_45_then_end_of_month"
        self.assertTrue(warning("2025-10-01"))
        self.assertFalse(warning("2025-09-30"))
