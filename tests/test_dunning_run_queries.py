from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CreditRecoveryCommon

DUE = date(2026, 3, 31)
CALL_DAY = DUE + timedelta(days=3)


class DunningRunCommon(CreditRecoveryCommon):
    """The run's models and the policy's call level (3 days after the due date)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Run = cls.env["credit.recovery.run"]
        cls.Action = cls.env["credit.recovery.action"]
        cls.call_level = cls.company.credit_default_policy_id.level_ids.filtered(
            lambda level: level.delay_days == 3
        )


@tagged("post_install", "-at_install")
class TestDunningRunQueries(DunningRunCommon):
    """A call of the daily run: its SQL queries grow with its batches, not with its customers."""

    def _customers(self, count, start):
        return self._overdue_customers(count, start, DUE)

    def _count_call(self, **kwargs):
        """SQL queries and the remaining work of one call of the scheduled action on the call day."""
        # Each call measured decides the book, as the first call of a day does (the next ones decide less).
        self.Run.search([("company_id", "=", self.company.id), ("date", "=", CALL_DAY)]).decided = False
        self.env.flush_all()  # the invoices' pending computations are not the run's
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        company = self.company
        # The run of the test's company only: the other companies of the database are not the test's.
        with (
            freeze_time(CALL_DAY),
            patch.object(type(self.Run), "_companies_to_run", lambda run: company),
        ):
            remaining = self.Run._cron_run(**kwargs)
        self.env.flush_all()
        return self.env.cr.sql_log_count - before, remaining

    def _calls_of(self, partners):
        actions = self.Action.search([("partner_id", "in", partners.ids), ("date", "=", CALL_DAY)])
        self.assertEqual(set(actions.mapped("level_id")), {self.call_level})
        self.assertEqual(set(actions.mapped("channel")), {"phone"})
        return actions

    def test_queries_grow_with_batches_not_customers(self):
        # Warm the registry's caches (access rules, defaults, the run of the day) on a customer of its own.
        warm = self._customers(1, start=100)
        self._count_call()
        self._calls_of(warm)
        few = self._customers(4, start=0)
        queries_few, remaining = self._count_call()
        self.assertEqual(remaining, 0)
        self.assertEqual(len(self._calls_of(few)), 4)
        many = self._customers(16, start=4)
        queries_many, remaining = self._count_call()
        self.assertEqual(remaining, 0)
        self.assertEqual(len(self._calls_of(many)), 16)
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [("res_model", "=", "credit.recovery.action"), ("res_id", "in", self._calls_of(many).ids)]
            ),
            16,
        )
        # Four times the customers in one batch: a handful of queries more at most, never one per customer.
        self.assertLessEqual(queries_many, queries_few + 4)

    def test_one_call_applies_batches_until_its_time_is_spent(self):
        partners = self._customers(6, start=0)
        # No time left: one batch per call, the rest reported to Odoo's progress mechanism.
        _queries, remaining = self._count_call(batch_size=2, time_budget=0)
        self.assertEqual(remaining, 4)
        self.assertEqual(len(self.Action.search([("date", "=", CALL_DAY)])), 2)
        # Time enough: the same decision applied batch after batch in one call.
        queries_three_batches, remaining = self._count_call(batch_size=2)  # the 4 left: two batches
        self.assertEqual(remaining, 0)
        self.assertEqual(len(self.Action.search([("date", "=", CALL_DAY)])), 6)
        self.assertEqual(len(self._calls_of(partners)), 6)  # one call each, none twice
        self.assertGreater(queries_three_batches, 0)
