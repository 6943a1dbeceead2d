import io
from datetime import date

import openpyxl
from freezegun import freeze_time
from lxml import html

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..tools import aging
from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestCreditRecoveryReporting(CreditRecoveryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._reporting_fixture()
        cls.Wizard = cls.env["credit.recovery.aged.balance.wizard"]

    def _book_at_april(self):
        """Three invoices open at 2025-04-30, one settled after it, one posted after it."""
        old = self._invoice(self.customer, 1000.0, "2025-01-01", due_date="2025-01-31")
        recent = self._invoice(self.customer, 500.0, "2025-03-01", due_date="2025-03-31")
        not_due = self._invoice(self.customer_b, 2000.0, "2025-04-20", due_date="2025-05-20")
        self._pay(old, amount=200.0, payment_date="2025-02-15")
        self._pay(old, amount=1000.0, payment_date="2025-05-15")
        self._pay(recent, payment_date="2025-05-02")
        self._invoice(self.customer_c, 300.0, "2025-05-05", due_date="2025-06-04")
        return old, recent, not_due

    def _receivable_balance(self, day, company=None):
        groups = self.env["account.move.line"]._read_group(
            [
                ("company_id", "=", (company or self.company).id),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("date", "<=", day),
            ],
            aggregates=["balance:sum"],
        )
        return groups[0][0]

    def test_tools_buckets_and_countback(self):
        limits = (30, 60, 90, 120)
        self.assertEqual(aging.bucket_key(0, limits), "not_due")
        self.assertEqual(aging.bucket_key(30, limits), "bucket_1")
        self.assertEqual(aging.bucket_key(31, limits), "bucket_2")
        self.assertEqual(aging.bucket_key(121, limits), "bucket_5")
        self.assertEqual(aging.bucket_bounds(limits)[-1], (121, None))
        self.assertAlmostEqual(aging.dso_countback(5400, [(1200, 30), (2400, 31), (3600, 30)]), 76.0)
        self.assertEqual(aging.week_index(date(2025, 6, 2), date(2025, 5, 1), 12), 0)
        self.assertIsNone(aging.week_index(date(2025, 6, 2), date(2025, 9, 1), 12))

    def test_aged_balance_at_past_date(self):
        """Payments after the date do not reduce the balance at that date; later invoices are left out."""
        self._book_at_april()
        rows = self.Wizard._compute_aged_balance(date(2025, 4, 30), self.company)
        by_partner = {row["partner_id"]: row for row in rows}
        self.assertEqual(set(by_partner), {self.customer.id, self.customer_b.id})
        martin = by_partner[self.customer.id]
        # 1,200 less 200 paid in February (89 days late: 61-90), and 600 (30 days late: 1-30).
        self.assertEqual(martin["bucket_3"], 1000.0)
        self.assertEqual(martin["bucket_1"], 600.0)
        self.assertEqual(martin["not_due"], 0.0)
        self.assertEqual(martin["total"], 1600.0)
        self.assertEqual(by_partner[self.customer_b.id]["not_due"], 2400.0)
        # Today (after the payments), only the not due invoice and the one of May remain.
        rows = self.Wizard._compute_aged_balance(date(2025, 5, 31), self.company)
        self.assertEqual(
            {row["partner_id"]: row["total"] for row in rows},
            {self.customer_b.id: 2400.0, self.customer_c.id: 360.0},
        )

    def test_aged_total_equals_receivable_balance(self):
        self._book_at_april()
        for day in (date(2025, 2, 20), date(2025, 4, 30), date(2025, 5, 10), date(2025, 12, 31)):
            rows = self.Wizard._compute_aged_balance(day, self.company)
            buckets = sum(row[key] for row in rows for key in aging.BUCKET_KEYS)
            self.assertAlmostEqual(buckets, self._receivable_balance(day), places=2, msg=str(day))
            self.assertAlmostEqual(sum(row["total"] for row in rows), buckets, places=2)

    def test_buckets_follow_company_settings(self):
        self._book_at_april()
        self.company.write({"credit_aged_bucket_1": 15, "credit_aged_bucket_2": 30})
        rows = self.Wizard._compute_aged_balance(date(2025, 4, 30), self.company)
        martin = next(row for row in rows if row["partner_id"] == self.customer.id)
        self.assertEqual(martin["bucket_2"], 600.0)
        self.assertEqual(martin["bucket_3"], 1000.0)

    def test_wizard_lines_drill_down_pdf(self):
        old, recent, _not_due = self._book_at_april()
        wizard = self.Wizard.with_user(self.credit_controller).create({"date": "2025-04-30"})
        wizard.action_compute()
        self.assertEqual(wizard.total, 4000.0)
        self.assertEqual(wizard.total_not_due, 2400.0)
        self.assertAlmostEqual(wizard.overdue_ratio, 40.0)
        line = wizard.line_ids.filtered(lambda line: line.partner_id == self.customer)
        action = line.action_open_items()
        items = self.env["account.move.line"].search(action["domain"])
        self.assertEqual(
            items, (old | recent).line_ids.filtered(lambda aml: aml.account_type == "asset_receivable")
        )
        wizard.controller_id = self.credit_controller
        self.customer_b.with_company(self.company).credit_controller_id = self.credit_controller
        wizard.action_compute()
        self.assertEqual(wizard.line_ids.partner_id, self.customer_b)
        self.assertEqual(wizard.total, 2400.0)
        report = self.env.ref("account_credit_recovery.credit_recovery_aged_balance_report")
        content, _type = self.env["ir.actions.report"]._render_qweb_html(report.report_name, wizard.ids)
        tree = html.fromstring(content)
        self.assertEqual(len(tree.xpath("//tr[hasclass('o_aged_line')]")), 1)
        total = tree.xpath("//tr[hasclass('o_aged_total')]//span[hasclass('o_total')]")[0].text_content()
        self.assertIn("2,400.00", total)

    def test_xlsx_round_trip(self):
        self._book_at_april()
        wizard = self.Wizard.create({"date": "2025-04-30"})
        action = wizard.action_export_xlsx()
        attachment_id = int(action["url"].split("/")[-1].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        sheet = openpyxl.load_workbook(io.BytesIO(attachment.raw)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(
            rows[2][1:],
            ("Not Due", "1-30 days", "31-60 days", "61-90 days", "91-120 days", "Over 120 days", "Total"),
        )
        customers = {row[0]: row for row in rows[3:-1]}
        self.assertEqual(customers[self.customer.display_name][3], 0.0)
        self.assertEqual(customers[self.customer.display_name][2], 600.0)
        self.assertEqual(rows[-1][0], "Total")
        self.assertEqual(rows[-1][-1], wizard.total)
        self.assertEqual(sum(row[-1] for row in rows[3:-1]), 4000.0)

    def test_dso_countback_known_answer(self):
        """Receivable 5,400: June's 1,200 (30 days), May's 2,400 (31 days), then half of April's 3,600."""
        customer = self.customer
        for invoice_date, amount in (
            ("2025-04-05", 1500.0),
            ("2025-04-15", 1500.0),
            ("2025-05-10", 2000.0),
            ("2025-06-10", 1000.0),
        ):
            self._invoice(customer, amount, invoice_date)
        april = self.env["account.move"].search(
            [("partner_id", "=", customer.id), ("invoice_date", "=", "2025-04-05")]
        )
        self._pay(april, payment_date="2025-05-10")
        dso = self.Wizard._compute_dso(date(2025, 6, 30), self.company, partner_ids=[customer.id])
        self.assertAlmostEqual(dso["countback"], 76.0, places=3)
        self.assertAlmostEqual(dso["partners"][customer.id], 76.0, places=3)
        # Simple method: 5,400 / 7,200 of sales over the 365 days of the last 12 months.
        self.assertAlmostEqual(dso["simple"], 273.75, places=3)
        series = self.Wizard._compute_dso_series(date(2025, 6, 30), self.company, partner_ids=[customer.id])
        self.assertEqual(len(series), 12)
        self.assertEqual(series[-1]["date"], date(2025, 6, 30))
        self.assertAlmostEqual(series[-1]["dso_countback"], 76.0, places=3)
        # At the end of May, 4,200: May's 2,400 (31 days), then half of April's 3,600 (15 days).
        self.assertEqual(series[-2]["date"], date(2025, 5, 31))
        self.assertAlmostEqual(series[-2]["dso_countback"], 46.0, places=3)

    def test_indicators_days_late_and_over_90(self):
        invoice = self._invoice(self.customer, 1000.0, "2025-01-01", due_date="2025-01-31")
        self._invoice(self.customer_b, 1000.0, "2025-01-01", due_date="2025-01-31")
        self._pay(invoice, payment_date="2025-03-02")
        wizard = self.Wizard.create({"date": "2025-06-30"})
        wizard.action_compute()
        self.assertAlmostEqual(wizard.avg_days_late, 30.0)
        self.assertAlmostEqual(wizard.over_90_share, 100.0)
        self.assertEqual(len(wizard.dso_line_ids), 12)

    @freeze_time("2025-06-02")
    def test_forecast_with_promises_and_plans(self):
        self._invoice(self.customer, 1000.0, "2025-05-21", due_date="2025-06-20")
        overdue = self._invoice(self.customer_b, 1000.0, "2025-04-01", due_date="2025-05-01")
        planned = self._invoice(self.customer_c, 2000.0, "2025-04-01", due_date="2025-05-01")
        self.env["credit.recovery.promise"].create(
            {"partner_id": self.customer_b.id, "amount": 600.0, "date": "2025-06-12"}
        )
        plan = self.env["credit.recovery.plan"].create(
            {
                "partner_id": self.customer_c.id,
                "line_ids": [
                    Command.set(
                        planned.line_ids.filtered(lambda aml: aml.account_type == "asset_receivable").ids
                    )
                ],
                "amount_total": 2400.0,
                "instalment_ids": [
                    Command.create({"date": "2025-06-05", "amount": 1200.0}),
                    Command.create({"date": "2025-06-30", "amount": 1200.0}),
                ],
            }
        )
        plan.action_sign()
        self.assertTrue(overdue)
        forecast = self.env["credit.recovery.forecast.wizard"].with_user(self.credit_controller).create({})
        forecast.action_compute()
        weeks = forecast.line_ids
        self.assertEqual(len(weeks), 12)
        self.assertEqual(weeks[0].week_start, date(2025, 6, 2))
        self.assertEqual(
            [(week.from_due_dates, week.from_promises, week.from_plans) for week in weeks[:5]],
            [
                (600.0, 0.0, 1200.0),
                (0.0, 600.0, 0.0),
                (1200.0, 0.0, 0.0),
                (0.0, 0.0, 0.0),
                (0.0, 0.0, 1200.0),
            ],
        )
        self.assertEqual(forecast.total, 4800.0)

    @freeze_time("2025-06-02")
    def test_forecast_shifts_by_days_late(self):
        """A customer who paid 20 days late is expected 20 days after the due date."""
        paid = self._invoice(self.customer, 1000.0, "2025-03-01", due_date="2025-03-31")
        self._pay(paid, payment_date="2025-04-20")
        self._invoice(self.customer, 1000.0, "2025-05-21", due_date="2025-06-03")
        rows = self.env["credit.recovery.forecast.wizard"]._compute_forecast(date(2025, 6, 2), self.company)
        self.assertEqual([row["from_due_dates"] for row in rows[:4]], [0.0, 0.0, 0.0, 1200.0])

    def test_access_rights(self):
        self._book_at_april()
        for user in (self.accountant, self.invoicing_user, self.credit_controller):
            wizard = self.Wizard.with_user(user).create({"date": "2025-04-30"})
            wizard.action_compute()
            self.assertEqual(wizard.total, 4000.0)
            forecast = self.env["credit.recovery.forecast.wizard"].with_user(user).create({})
            forecast.action_compute()
        with self.assertRaises(AccessError):
            self.Wizard.with_user(self.salesman).create({"date": "2025-04-30"})
        with self.assertRaises(AccessError):
            self.env["credit.recovery.forecast.wizard"].with_user(self.salesman).create({})
        # Reading the book gives no dunning rights.
        self.assertFalse(self.env["credit.recovery.action"].with_user(self.accountant).has_access("create"))

    def test_multi_company(self):
        other = self.setup_other_company()["company"]
        self._book_at_april()
        self.init_invoice(
            "out_invoice", self.customer, "2025-04-01", post=True, amounts=[999.0], company=other
        )
        rows = self.Wizard._compute_aged_balance(date(2025, 4, 30), self.company)
        self.assertEqual(sum(row["total"] for row in rows), 4000.0)
        rows = self.Wizard._compute_aged_balance(date(2025, 4, 30), other)
        self.assertEqual(
            sum(row["total"] for row in rows), self._receivable_balance(date(2025, 4, 30), other)
        )
        self.assertEqual([row["partner_id"] for row in rows], [self.customer.id])
        with self.assertRaises(AccessError):
            self.Wizard.with_user(self.accountant).create({"date": "2025-04-30", "company_id": other.id})

    @freeze_time("2025-06-02")
    def test_dashboard_counts(self):
        levels = self.company.credit_default_policy_id.level_ids
        Action = self.env["credit.recovery.action"]
        values = {"partner_id": self.customer.id, "user_id": self.credit_controller.id}
        Action.create({**values, "level_id": levels[0].id, "channel": "phone", "date": "2025-06-01"})
        Action.create({**values, "level_id": levels[1].id, "channel": "phone", "date": "2025-06-10"})
        Action.create({**values, "level_id": levels[2].id, "channel": "letter"})
        Action.create(
            {**values, "level_id": levels[3].id, "channel": "registered_letter", "state": "to_validate"}
        )
        Action.create(
            {**values, "level_id": levels[4].id, "channel": "phone", "user_id": self.credit_manager.id}
        )
        self.customer.with_company(self.company).credit_controller_id = self.credit_controller
        self.env["credit.recovery.promise"].create(
            {"partner_id": self.customer.id, "amount": 100.0, "date": "2025-06-01"}
        )
        self.customer.activity_schedule(
            "account_credit_recovery.mail_activity_type_credit_review",
            date_deadline=date(2025, 6, 2),
            user_id=self.credit_controller.id,
        )
        self._pay(self._invoice(self.customer, 100.0, "2025-05-01"), amount=500.0, payment_date="2025-05-05")
        action = (
            self.env["credit.recovery.dashboard"].with_user(self.credit_controller).action_open_dashboard()
        )
        dashboard = (
            self.env["credit.recovery.dashboard"].with_user(self.credit_controller).browse(action["res_id"])
        )
        counts = {
            "calls": 1,
            "letters": 1,
            "to_validate": 1,
            "promises": 1,
            "plans": 0,
            "disputes": 0,
            "reviews": 1,
            "reconcile": 1,
        }
        self.assertEqual({tile: dashboard[f"{tile}_count"] for tile in counts}, counts)
        self.assertEqual(dashboard.call_ids.partner_id, self.customer)
        tile = dashboard.with_context(tile="calls").action_open_tile()
        self.assertEqual(self.env[tile["res_model"]].search_count(tile["domain"]), 1)
        self.assertEqual(dashboard.call_ids.action_open_customer()["res_id"], self.customer.id)
        self.assertEqual(dashboard.call_ids.action_log_call()["res_model"], "credit.recovery.call.wizard")
        dashboard.user_id = False
        self.assertEqual(dashboard.calls_count, 2)
        graph = dashboard.action_open_aged_balance()
        self.assertEqual(graph["res_model"], "credit.recovery.aged.balance.report")
        report = self.env[graph["res_model"]].with_context(**graph["context"])
        self.assertEqual(report.search(graph["domain"]).partner_id, self.customer)
        trend = dashboard.action_open_dso_trend()
        self.assertEqual(self.env["credit.recovery.dso.line"].search_count(trend["domain"]), 12)
