import ast
import io
from datetime import date

import openpyxl
from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL

from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestReceivableBook(CreditRecoveryCommon):
    """One rule, one place: the risk profile, the reports and the run read the same book."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.account_use_credit_limit = True
        cls.customer_b = cls.customer.copy({"name": "Garage Dupont SAS"})
        cls.Book = cls.env["credit.recovery.book"]
        cls.Aged = cls.env["credit.recovery.aged.balance.wizard"]

    def _receivable(self, move):
        return move.line_ids.filtered(lambda line: line.account_type == "asset_receivable")

    def _partner(self, partner, day):
        partner.invalidate_recordset()
        return partner.with_context(credit_recovery_date=day)

    def _credit_note_on(self, invoice, amount, day):
        """A credit note of ``amount`` excluding taxes dated ``day``, matched with ``invoice``."""
        refund = self._invoice(invoice.partner_id, amount, day, move_type="out_refund")
        (self._receivable(invoice) | self._receivable(refund)).reconcile()
        return refund

    @freeze_time("2025-06-30")
    def test_days_late_counts_receipts_not_credit_notes(self):
        """A credit note 120 days after the due date is not a payment 120 days late."""
        unpaid = self._invoice(self.customer, 1000.0, "2025-01-01", due_date="2025-01-31")
        self._credit_note_on(unpaid, 100.0, "2025-05-31")
        paid = self._invoice(self.customer_b, 1000.0, "2025-01-01", due_date="2025-01-31")
        self._pay(paid, payment_date="2025-02-11")  # 11 days late, 1,200.00
        self._invoice(self.customer, 500.0, "2025-06-10", due_date="2025-07-10")

        wizard = self.Aged.with_user(self.credit_controller).create({"date": "2025-06-30"})
        wizard.action_compute()
        # Before: (120 x 120 + 1,200 x 11) / 1,320 = 20.9 days.
        self.assertAlmostEqual(wizard.avg_days_late, 11.0, places=3)
        lines = {line.partner_id: line for line in wizard.line_ids}
        self.assertAlmostEqual(lines[self.customer].avg_days_late, 0.0)
        self.assertEqual(lines[self.customer].total, 1080.0 + 600.0)
        # The Credit page reads the same figure.
        self.assertAlmostEqual(self._partner(self.customer, "2025-06-30").credit_avg_days_late, 0.0)
        self.assertAlmostEqual(self._partner(self.customer_b, "2025-06-30").credit_avg_days_late, 11.0)
        late = self.Book._days_late(self.company, date(2025, 6, 30))
        self.assertEqual(late["partners"][self.customer_b.id]["late_invoices"], 1)
        self.assertNotIn(self.customer.id, late["partners"])
        # The forecast expects the next invoice on its due date, not 120 days later.
        rows = self.env["credit.recovery.forecast.wizard"]._compute_forecast(date(2025, 6, 30), self.company)
        self.assertEqual([row["from_due_dates"] for row in rows[:3]], [1080.0, 600.0, 0.0])

    @freeze_time("2025-06-02")
    def test_forecast_deducts_unreconciled_receipts(self):
        """A 300.00 invoice with an unmatched 150.00 payment is expected to bring 150.00."""
        self._invoice(self.customer, 250.0, "2025-05-20", due_date="2025-06-10")
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer.id,
                "amount": 150.0,
                "date": "2025-06-01",
                "journal_id": self.company_data["default_journal_bank"].id,
            }
        )
        payment.action_post()
        forecast = self.env["credit.recovery.forecast.wizard"].with_user(self.credit_controller).create({})
        forecast.action_compute()
        self.assertEqual(forecast.line_ids[1].from_due_dates, 150.0)
        self.assertEqual(forecast.total, 150.0)

    @freeze_time("2025-06-25")
    def test_plan_instalments_one_definition(self):
        """A 1,200.00 plan in three instalments of 400.00, 600.00 received: the first is paid, the second
        (20 June) missed, the third due; the plan, an instalment read alone, the book's SQL and the forecast
        say the same."""
        invoice = self._invoice(self.customer, 1000.0, "2025-05-01", due_date="2025-05-31")
        plan = self.env["credit.recovery.plan"].create(
            {
                "partner_id": self.customer.id,
                "line_ids": [Command.set(self._receivable(invoice).ids)],
                "amount_total": 1200.0,
                "instalment_ids": [
                    Command.create({"date": "2025-06-05", "amount": 400.0}),
                    Command.create({"date": "2025-06-20", "amount": 400.0}),
                    Command.create({"date": "2025-07-05", "amount": 400.0}),
                ],
            }
        )
        plan.action_sign()
        self._pay(invoice, amount=600.0, payment_date="2025-06-10")
        plan.invalidate_recordset()
        first, second, third = plan.instalment_ids.sorted("date")
        self.assertEqual(plan.amount_paid, 600.0)
        self.assertEqual(plan.instalment_ids.sorted("date").mapped("state"), ["paid", "missed", "due"])
        # Read alone, the second instalment still counts the first one (before: 600.00 covered it, "paid").
        self.env.invalidate_all()
        self.assertEqual(self.env["credit.recovery.plan.instalment"].browse(second.id).state, "missed")
        # The book's SQL: what the payments leave after each instalment.
        self.env.cr.execute(
            SQL(
                "SELECT id, left_after FROM (%s) instalments WHERE plan_id = %s",
                self.Book._plan_instalments_sql(self.company),
                plan.id,
            )
        )
        self.assertEqual(dict(self.env.cr.fetchall()), {first.id: 200.0, second.id: -200.0, third.id: -600.0})
        # The forecast expects the two instalments not paid, the missed one in the first week.
        rows = self.env["credit.recovery.forecast.wizard"]._compute_forecast(date(2025, 6, 25), self.company)
        self.assertEqual([row["from_plans"] for row in rows[:3]], [400.0, 400.0, 0.0])

    @freeze_time("2025-06-30")
    def test_receivable_accounts_followed(self):
        """The book names the receivable accounts by id: a new one counts, one that changes type no longer."""
        account = self.env["account.account"].create(
            {"name": "Clients - grands comptes", "code": "411200", "account_type": "asset_receivable"}
        )
        self.assertIn(account.id, self.Book._receivable_account_ids())
        self.customer_b.property_account_receivable_id = account
        self._invoice(self.customer_b, 500.0, "2025-05-01", due_date="2025-05-31")
        self.assertEqual(self._partner(self.customer_b, "2025-06-30").credit_overdue_amount, 600.0)
        self.customer_b.property_account_receivable_id = False
        account.account_type = "asset_current"
        self.assertNotIn(account.id, self.Book._receivable_account_ids())
        self.assertEqual(self._partner(self.customer_b, "2025-06-30").credit_overdue_amount, 0.0)

    @freeze_time("2026-03-15")
    def test_dso_one_definition(self):
        """One invoice 36 days overdue: the countback DSO on the Credit page and in the aged balance."""
        self._invoice(self.customer, 1000.0, "2026-01-08", due_date="2026-02-07")
        partner = self._partner(self.customer, "2026-03-15")
        # 15 days of March and 28 of February without sales, then January's 1,200.00: 74 days, not 365.
        self.assertAlmostEqual(partner.credit_dso, 74.0, places=3)
        wizard = self.Aged.create({"date": "2026-03-15"})
        wizard.action_compute()
        self.assertAlmostEqual(wizard.line_ids.dso, 74.0, places=3)
        self.assertAlmostEqual(wizard.dso_countback, 74.0, places=3)
        # Each DSO says its method.
        fields_info = self.env["res.partner"].fields_get(["credit_dso"], ["string"])
        self.assertIn("countback", fields_info["credit_dso"]["string"])
        wizard_fields = self.Aged.fields_get(["dso_countback", "dso_simple"], ["string"])
        self.assertIn("countback", wizard_fields["dso_countback"]["string"])
        self.assertIn("simple", wizard_fields["dso_simple"]["string"])
        line_fields = self.env["credit.recovery.aged.balance.line"].fields_get(["dso"], ["string"])
        self.assertIn("countback", line_fields["dso"]["string"])

    @freeze_time("2026-01-20")
    def test_payment_term_cap_one_definition(self):
        """Invoiced 20 January 2026, due 25 March: the cap is 21 March (60 days; end of January + 45 days is
        17 March), so the form warns and the pre-send check reports it; with the other agreed method (20
        January + 45 days, end of that month: 31 March) neither does."""
        invoice = self._invoice(self.customer, 100.0, "2026-01-20", due_date="2026-03-25", post=False)
        self.assertIn("03/21/2026", invoice.credit_payment_term_warning or "")
        self.assertEqual(invoice.credit_presend_status, "warning")
        self.assertIn("here 03/21/2026", invoice.credit_presend_issues)
        self.assertEqual(self.Book._payment_term_cap(date(2026, 1, 20), self.company), date(2026, 3, 21))

        self.company.credit_payment_term_cap_method = "plus_45_then_end_of_month"
        invoice.invalidate_recordset()
        self.assertFalse(invoice.credit_payment_term_warning)
        self.assertEqual(invoice.credit_presend_status, "ok")
        self.assertEqual(self.Book._payment_term_cap(date(2026, 1, 20), self.company), date(2026, 3, 31))

    @freeze_time("2025-06-30")
    def test_unreconciled_credits_one_definition(self):
        """The reconciliation to-do lists what the run waits for: credits beyond the tolerance (1.00)."""
        overpaid = self._invoice(self.customer, 250.0, "2025-05-01", due_date="2025-05-31")
        payment = self._pay(overpaid, amount=300.5, payment_date="2025-05-20")  # 0.50 left on the payment
        self._invoice(self.customer, 100.0, "2025-04-01", due_date="2025-05-01")  # overdue
        refund = self._invoice(self.customer_b, 100.0, "2025-06-01", move_type="out_refund")
        self._invoice(self.customer_b, 500.0, "2025-04-01", due_date="2025-05-01")  # overdue
        leftover = self._receivable(payment.move_id)
        self.assertEqual(leftover.amount_residual, -0.5)

        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_credit_recovery.account_move_line_action_credit_reconcile"
        )
        todo = (
            self.env["account.move.line"]
            .with_user(self.credit_controller)
            .search(ast.literal_eval(action["domain"]))
        )
        self.assertEqual(todo, self._receivable(refund))
        self.assertFalse(leftover.credit_to_reconcile)
        self.assertTrue(self._receivable(refund).credit_to_reconcile)
        run = self.env["credit.recovery.run"].new({"company_id": self.company.id})
        self.assertEqual(
            run._partners_with_unreconciled_credits(self.customer | self.customer_b), [self.customer_b.id]
        )
        # The dashboard's tile counts the same items.
        dashboard = self.env["credit.recovery.dashboard"].create({"user_id": False})
        self.assertEqual(dashboard.reconcile_count, 1)
        # The Credit page deducts the same credits from the exposure.
        self.assertEqual(self._partner(self.customer_b, "2025-06-30").credit_unreconciled_amount, 120.0)
        self.assertEqual(self._partner(self.customer, "2025-06-30").credit_unreconciled_amount, 0.0)

    @freeze_time("2025-06-30")
    def test_aged_balance_report_view(self):
        """The aged balance opens on its lines: one per open item at the date, in its named column."""
        old = self._invoice(self.customer, 1000.0, "2025-03-01", due_date="2025-04-30")  # 61 days overdue
        self._invoice(self.customer_b, 500.0, "2025-06-15", due_date="2025-07-15")  # not due
        self.customer.with_company(self.company).credit_controller_id = self.credit_controller
        Report = self.env["credit.recovery.aged.balance.report"].with_user(self.credit_controller)
        today = Report.with_context(credit_aged_balance_date="2025-06-30")
        groups = today._read_group(
            [], ["partner_id"], ["not_due:sum", "bucket_3:sum", "residual:sum", "days_overdue:max"]
        )
        self.assertEqual(
            {partner: rest for partner, *rest in groups},
            {self.customer: [0.0, 1200.0, 1200.0, 61], self.customer_b: [600.0, 0.0, 600.0, 0]},
        )
        by_controller = today._read_group([], ["controller_id"], ["residual:sum"])
        self.assertIn((self.credit_controller, 1200.0), by_controller)
        # Another date: the invoice of June is not in the book yet, the old one is not due.
        march = Report.with_context(credit_aged_balance_date="2025-03-31").search([])
        self.assertEqual(march.move_id, old)
        self.assertEqual((march.not_due, march.bucket_3), (1200.0, 0.0))
        # The columns bear their days; the wizard shows a title, not a technical name.
        labels = Report.fields_get(["not_due", "bucket_1", "bucket_5"], ["string"])
        self.assertEqual(
            [labels[key]["string"] for key in ("not_due", "bucket_1", "bucket_5")],
            ["Not Due", "1-30 days", "Over 120 days"],
        )
        wizard = self.Aged.create({"date": "2025-06-30"})
        self.assertEqual(wizard.display_name, "Aged Receivable Balance at 06/30/2025")
        # Printing and exporting keep what the user filtered.
        filtered = today.search([("partner_id", "=", self.customer.id)])
        action = filtered.action_print_pdf()
        printed = self.Aged.browse(action["context"]["active_ids"])
        self.assertEqual(printed.line_ids.partner_id, self.customer)
        self.assertEqual(printed.total, 1200.0)
        export = filtered.action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(int(export["url"].split("/")[3].split("?")[0]))
        sheet = openpyxl.load_workbook(io.BytesIO(attachment.raw)).active
        customers = [row[0] for row in sheet.iter_rows(min_row=4, values_only=True)]
        self.assertEqual(customers, [self.customer.display_name, "Total"])

    def test_credit_limits_on(self):
        """Installing the module turned the company's credit limits on; the Credit page says when they are off."""
        main_company = self.env.ref("base.main_company")
        self.assertTrue(main_company.account_use_credit_limit)
        self.assertTrue(
            self.env["res.company"].create({"name": "Société créée ensuite"}).account_use_credit_limit
        )
        partner = self.customer.with_user(self.credit_manager)
        self.assertTrue(partner.credit_limits_enabled)
        self.company.account_use_credit_limit = False
        partner.invalidate_recordset()
        self.assertFalse(partner.credit_limits_enabled)
        arch = partner.get_views([(False, "form")])["views"]["form"]["arch"]
        alert = etree.fromstring(arch).xpath("//div[@name='credit_limits_off']")
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert[0].get("invisible"), "credit_limits_enabled")
        self.assertIn("credit limit of this customer is ignored", alert[0].xpath("string()"))


@tagged("post_install", "-at_install")
class TestReceivableBookQueries(CreditRecoveryCommon):
    """The number of queries of the exposure and of the aged balance does not grow with the book."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.account_use_credit_limit = True
        cls.customers = cls.env["res.partner"].create(
            [{"name": f"Client {index:02d} SAS", "is_company": True} for index in range(9)]
        )
        for customer in cls.customers:
            invoice = cls._invoice(customer, 1000.0, "2025-03-01", due_date="2025-03-31")
            cls._pay(invoice, amount=600.0, payment_date="2025-04-10")

    def _count(self, function):
        self.env.invalidate_all()
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        function()
        return self.env.cr.sql_log_count - before

    @freeze_time("2025-06-30")
    def test_exposure_queries_do_not_grow(self):
        fnames = [
            "credit_exposure",
            "credit_overdue_amount",
            "credit_avg_days_late",
            "credit_dso",
            "credit_risk_level",
        ]
        partners = self.customers.with_user(self.credit_controller)
        self._count(lambda: partners[:1].read(fnames))  # warm the caches of the registry
        small = self._count(lambda: partners[:3].read(fnames))
        large = self._count(lambda: partners.read(fnames))
        self.assertEqual(small, large)
        # The book's queries (each after the receivable accounts' ids) and one read of the commercial
        # partners per field group.
        self.assertLessEqual(large, 20)
        values = {row["id"]: row for row in partners.read(fnames)}
        self.assertEqual(values[self.customers[0].id]["credit_overdue_amount"], 600.0)
        self.assertAlmostEqual(values[self.customers[0].id]["credit_avg_days_late"], 10.0)

    @freeze_time("2025-06-30")
    def test_aged_balance_queries_do_not_grow(self):
        Wizard = self.env["credit.recovery.aged.balance.wizard"].with_user(self.credit_controller)
        self._count(lambda: Wizard.create({"date": "2025-06-30"}).action_compute())

        def aged(customers):
            # The same filter for both sizes: the customers of the salesperson.
            customers.write({"user_id": self.salesman.id})
            wizard = Wizard.create({"date": "2025-06-30", "salesperson_id": self.salesman.id})
            return self._count(wizard.action_compute), wizard

        aged(self.customers[:3])  # warm the caches of the filtered search
        small, wizard = aged(self.customers[:3])
        self.customers.write({"user_id": False})
        large, wizard_large = aged(self.customers)
        self.assertEqual(len(wizard.line_ids), 3)
        self.assertEqual(len(wizard_large.line_ids), 9)
        self.assertEqual(wizard_large.total, 9 * 600.0)
        self.assertEqual(small, large)
