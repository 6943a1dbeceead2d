from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CreditRecoveryCommon

# What a list of customers with their credit figures reads (the bench's exposure of all customers).
CREDIT_FIGURES = [
    "credit_exposure",
    "credit_overdue_amount",
    "credit_available",
    "credit_oldest_overdue_days",
    "credit_avg_days_late",
    "credit_late_invoice_ratio",
    "credit_dso",
    "credit_reminder_count",
]


@tagged("post_install", "-at_install")
class TestCreditReadSideQueries(CreditRecoveryCommon):
    """The read side (issue #13): the credit figures of many customers and the dashboard's book totals
    are read in a number of queries that does not grow with the customers, with the book's figures."""

    @classmethod
    @freeze_time("2025-06-02")
    def setUpClass(cls):
        super().setUpClass()
        cls.company.account_use_credit_limit = True
        cls.customers = cls.env["res.partner"].create(
            [
                {
                    "name": f"Client {index:02d} SAS",
                    "is_company": True,
                    "country_id": cls.env.ref("base.fr").id,
                }
                for index in range(15)
            ]
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Jeanne Comptable", "parent_id": cls.customers[0].id, "type": "contact"}
        )
        for index, customer in enumerate(cls.customers):
            # 1,200.00 due on 1 May, 600.00 due on 19 June; the even customers paid 500.00 on 20 May.
            invoice = cls._invoice(customer, 1000.0, "2025-04-01", due_date="2025-05-01")
            cls._invoice(customer, 500.0, "2025-05-20", due_date="2025-06-19")
            if index % 2 == 0:
                cls._pay(invoice, amount=500.0, payment_date="2025-05-20")
            customer.with_user(cls.credit_manager).credit_limit = 1000.0 * (index + 1)

    def _count_read(self, partners):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        partners.read(CREDIT_FIGURES)
        return self.env.cr.sql_log_count - before

    @freeze_time("2025-06-02")
    def test_exposure_queries_do_not_grow_with_customers(self):
        partners = self.customers.with_user(self.salesman)
        self._count_read(partners[:5])  # warm the registry's caches (groups, rules)
        five = self._count_read(partners[:5])
        fifteen = self._count_read(partners)
        self.assertEqual(fifteen, five)
        # The figures of the book, the contact's being its company's, read in the same batch.
        partners = (self.customers | self.contact).with_user(self.salesman)
        self.env.invalidate_all()
        figures = {row["id"]: row for row in partners.read(CREDIT_FIGURES)}
        paid, unpaid = figures[self.customers[0].id], figures[self.customers[1].id]
        self.assertEqual([paid[name] for name in CREDIT_FIGURES[:4]], [1300.0, 700.0, 1000.0 - 1300.0, 32])
        self.assertEqual([unpaid[name] for name in CREDIT_FIGURES[:4]], [1800.0, 1200.0, 2000.0 - 1800.0, 32])
        # Paid 19 days after the due date of 1 May; the unpaid customer has no payment history.
        self.assertEqual((paid["credit_avg_days_late"], paid["credit_late_invoice_ratio"]), (19.0, 100.0))
        self.assertEqual((unpaid["credit_avg_days_late"], unpaid["credit_late_invoice_ratio"]), (0.0, 0.0))
        contact = figures[self.contact.id]
        self.assertEqual(
            {name: contact[name] for name in CREDIT_FIGURES}, {name: paid[name] for name in CREDIT_FIGURES}
        )
        self.assertTrue(self.customers[0].with_user(self.salesman).credit_payment_history_known)
        self.assertFalse(self.customers[1].with_user(self.salesman).credit_payment_history_known)

    @freeze_time("2025-06-02")
    def test_book_totals_at_days(self):
        """The dashboard's overdue trend and aged buckets: the aged balance's sums, in one query (after the
        receivable accounts' ids)."""
        book = self.env["credit.recovery.book"]
        days = book._month_ends(date(2025, 6, 2))
        self.assertEqual(days[:3], [date(2025, 6, 2), date(2025, 5, 31), date(2025, 4, 30)])
        self.env.flush_all()
        with self.assertQueryCount(2):  # the receivable accounts, then the totals
            totals = book._totals_at(self.company, days, aging_day=date(2025, 5, 31))
        for day in days[:3]:
            rows = book._aged_balance(self.company, day)
            self.assertAlmostEqual(totals[day]["receivable"], sum(row["total"] for row in rows), places=2)
            self.assertAlmostEqual(
                totals[day]["overdue"], sum(row["total"] - row["not_due"] for row in rows), places=2
            )
        # On 31 May: 15 invoices of 1,200.00 due on 1 May (30 days), 8 of them paid 500.00; the 15
        # invoices of 600.00 are not due.
        may = totals[date(2025, 5, 31)]
        self.assertEqual(
            [may[key] for key in ("not_due", "bucket_1", "bucket_2", "bucket_3", "bucket_4", "bucket_5")],
            [9000.0, 14000.0, 0.0, 0.0, 0.0, 0.0],
        )
        self.assertEqual((may["receivable"], may["overdue"]), (23000.0, 14000.0))
        # On 30 April, nothing was due yet.
        self.assertEqual(totals[date(2025, 4, 30)]["overdue"], 0.0)
        self.assertEqual(totals[date(2025, 4, 30)]["receivable"], 18000.0)

    @freeze_time("2025-06-02")
    def test_dashboard_graphs_from_the_book(self):
        """The dashboard's graphs are the aged balance's figures, read in one query whatever the customers."""
        dashboard = self.env["credit.recovery.dashboard"].with_user(self.credit_controller)

        def count_queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            data = dashboard.get_dashboard_data()
            return self.env.cr.sql_log_count - before, data

        count_queries()  # warm the registry's caches
        before, _data = count_queries()
        for customer in self.customers[:5]:
            self._invoice(customer, 100.0, "2025-03-01", due_date="2025-03-31")
        after, data = count_queries()
        self.assertEqual(after, before)
        # 8 customers paid 500.00 of their 1,200.00 due on 1 May; 5 also owe 120.00 due since 31 March.
        self.assertEqual(
            [bucket["value"] for bucket in data["aged_buckets"]], [9000.0, 0.0, 14000.0, 600.0, 0.0, 0.0]
        )
        self.assertEqual([month["value"] for month in data["overdue_trend"][-3:]], [600.0, 14600.0, 14600.0])
