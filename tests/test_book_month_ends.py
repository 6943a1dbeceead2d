from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CreditRecoveryCommon

RUN_LOGGER = "odoo.addons.account_credit_recovery.models.credit_recovery_run"
MAY, APRIL, MARCH = date(2026, 5, 31), date(2026, 4, 30), date(2026, 3, 31)


@tagged("post_install", "-at_install")
class TestBookMonthEnds(CreditRecoveryCommon):
    """The dashboard's overdue trend (issue #16): the past month ends recorded once a day by the run, today's
    figures read from the open items, each equal to the book's totals (``_totals_at``)."""

    @classmethod
    @freeze_time("2026-06-02")
    def setUpClass(cls):
        super().setUpClass()
        # Boulangerie Martin: 1,200.00 due on 31 March. Garage Dupont: 600.00 due on 15 May, 200.00 paid on 20 May.
        cls._dunning_fixture(MARCH)
        cls.garage = cls._new_customer("Garage Dupont SAS", email="compta@garage-dupont.fr")
        cls.garage_invoice = cls._invoice(cls.garage, 500.0, "2026-04-15", due_date="2026-05-15")
        cls._pay(cls.garage_invoice, amount=200.0, payment_date="2026-05-20")
        cls.Run = cls.env["credit.recovery.run"]
        cls.Month = cls.env["credit.recovery.book.month"]
        cls.book = cls.env["credit.recovery.book"]

    def _recorded(self):
        records = self.Month.search([("company_id", "=", self.company.id)])
        return {record.date: (record.overdue_amount, record.computed_on) for record in records}

    def _trend(self, user=None):
        data = (
            self.env["credit.recovery.dashboard"]
            .with_user(user or self.credit_controller)
            .get_dashboard_data()
        )
        return [point["value"] for point in data["overdue_trend"]], data

    def test_run_records_the_month_ends_once_a_day(self):
        with freeze_time("2026-06-02"):
            self.Run._cron_run()
        recorded = self._recorded()
        ends = self.book._month_ends(date(2026, 6, 2))[1:]
        self.assertEqual(sorted(recorded), sorted(ends))
        totals = self.book._totals_at(self.company, ends)
        self.assertEqual(
            {day: values[0] for day, values in recorded.items()},
            {day: totals[day]["overdue"] for day in ends},
        )
        self.assertEqual([recorded[day][0] for day in (MAY, APRIL, MARCH)], [1200.0 + 400.0, 1200.0, 0.0])
        self.assertEqual({values[1] for values in recorded.values()}, {date(2026, 6, 2)})
        # Called again the same day (the e-mails' calls), the run decides nothing more and records nothing.
        with freeze_time("2026-06-02"):
            self.Run._cron_run()
        self.assertEqual(len(self.Month.search([("company_id", "=", self.company.id)])), 11)

    def test_dashboard_reads_the_recorded_month_ends_and_today_live(self):
        with freeze_time("2026-06-02"):
            computed, data = self._trend()  # nothing recorded yet: the month ends are computed
            self.Run._cron_run()
            recorded, _data = self._trend()
        self.assertEqual(computed, recorded)
        self.assertEqual(recorded[-3:], [1200.0, 1600.0, 1600.0])  # April, May, today
        self.assertEqual(
            [bucket["value"] for bucket in data["aged_buckets"]], [0.0, 400.0, 0.0, 1200.0, 0.0, 0.0]
        )
        # On 3 June, Boulangerie Martin's payment of 10 May is entered: today's figures take it in at once,
        # the month end of May once the run of the day has recorded it again.
        with freeze_time("2026-06-03"):
            self._pay(self.invoice, payment_date="2026-05-10")
            before_run, data = self._trend()
            self.assertEqual(before_run[-3:], [1200.0, 1600.0, 400.0])
            self.assertEqual(
                [bucket["value"] for bucket in data["aged_buckets"]], [0.0, 400.0, 0.0, 0.0, 0.0, 0.0]
            )
            self.Run._cron_run()
            after_run, _data = self._trend()
        self.assertEqual(after_run[-3:], [1200.0, 400.0, 400.0])
        self.assertEqual(self._recorded()[MAY], (400.0, date(2026, 6, 3)))
        self.assertEqual(len(self._recorded()), 11)  # the same month ends, recorded again

    def test_dashboard_queries_do_not_read_the_whole_book(self):
        """Recorded, the month ends are one query: the dashboard reads no partial reconciliation."""
        with freeze_time("2026-06-02"):
            self.Run._cron_run()
            self._trend()  # warm the registry's caches
            self.env.invalidate_all()
            with patch.object(type(self.book), "_totals_at", side_effect=AssertionError("whole book read")):
                values, _data = self._trend()
        self.assertEqual(values[-1], 1600.0)

    def test_today_from_the_open_items_equals_the_book_at_the_date(self):
        today = date(2026, 6, 2)
        with freeze_time("2026-06-02"):
            self.assertFalse(self.book._dated_after(self.company, today))
            expected = self.book._totals_at(self.company, [today], aging_day=today)[today]
            aged = self.book._aged_totals(self.company, today)
            self.assertEqual(aged, {key: expected[key] for key in aged})
            self.assertEqual(aged["overdue"], 1600.0)
            # Garage Dupont's payment dated 10 June, entered today: reconciled now, still owed at the date.
            self._pay(self.garage_invoice, payment_date="2026-06-10")
            self.assertTrue(self.garage_invoice.line_ids.filtered("reconciled"))
            self.assertTrue(self.book._dated_after(self.company, today))
            expected = self.book._totals_at(self.company, [today], aging_day=today)[today]
            aged = self.book._aged_totals(self.company, today)
            self.assertEqual(aged, {key: expected[key] for key in aged})
            self.assertEqual(aged["overdue"], 1600.0)
            rows = self.book._aged_balance(self.company, today)
            self.assertEqual(sum(row["total"] for row in rows), 1600.0)
            self.assertEqual(self.book._aged_totals(self.company, date(2026, 6, 10))["overdue"], 1200.0)

    def test_access_and_companies(self):
        with freeze_time("2026-06-02"):
            self.Run._cron_run()
        other = self.env["res.company"].create({"name": "Autre Société SAS"})
        self.Month.sudo().create(
            {"company_id": other.id, "date": MAY, "overdue_amount": 99.0, "computed_on": date(2026, 6, 2)}
        )
        # The dashboard's readers read their companies' month ends, and write none.
        for user in (self.credit_controller, self.invoicing_user):
            months = self.Month.with_user(user).search([])
            self.assertEqual(len(months), 11)
            self.assertEqual(months.company_id, self.company)
            with self.assertRaises(AccessError):
                months[0].write({"overdue_amount": 0.0})
            with self.assertRaises(AccessError):
                self.Month.with_user(user).create(
                    {
                        "company_id": self.company.id,
                        "date": date(2025, 1, 31),
                        "computed_on": date(2026, 6, 2),
                    }
                )
        with self.assertRaises(AccessError):
            self.Month.with_user(self.salesman).search([])
        with self.assertRaises(AccessError):
            self._trend(self.salesman)

    @mute_logger(RUN_LOGGER)
    def test_a_failing_record_leaves_the_run_going(self):
        with (
            freeze_time("2026-06-02"),
            patch.object(type(self.book), "_record_month_ends", side_effect=ValueError("disk full")),
        ):
            self.Run._cron_run()
        run = self.Run.search([("company_id", "=", self.company.id), ("date", "=", date(2026, 6, 2))])
        self.assertTrue(run.decided)
        self.assertEqual(len(run.action_ids), 2)
        self.assertIn("disk full", run.log)
        self.assertFalse(self.Month.search_count([]))
        with freeze_time("2026-06-02"):
            values, _data = self._trend()  # computed when opened
        self.assertEqual(values[-3:], [1200.0, 1600.0, 1600.0])
