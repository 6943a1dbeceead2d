from datetime import date, timedelta

from odoo.tests import BaseCase, tagged

from ..tools.dunning import Decision, LevelRule, contact_allowed, decide_customer, next_level

DUE = date(2026, 3, 31)
LEVELS = [
    LevelRule("pre_due", -15, 5000.0),
    LevelRule("call", 3, 0.0),
    LevelRule("first", 7, 0.0),
    LevelRule("notice", 30, 0.0),
]


def item(item_id=1, due=DUE, residual=1200.0, level_delay=None, invoice_total=1200.0):
    return {
        "id": item_id,
        "due": due,
        "residual": residual,
        "level_delay": level_delay,
        "invoice_total": invoice_total,
    }


@tagged("post_install", "-at_install")
class TestDunningRules(BaseCase):
    """The run's pure decision rules, without a database."""

    def test_next_level_one_step_at_a_time(self):
        self.assertEqual(next_level(LEVELS, item(), DUE + timedelta(days=2)), (None, None))
        self.assertEqual(next_level(LEVELS, item(), DUE + timedelta(days=3)), ("call", 3))
        # Long overdue and never reminded: the first overdue level, not the notice.
        self.assertEqual(next_level(LEVELS, item(), DUE + timedelta(days=60)), ("call", 3))
        self.assertEqual(next_level(LEVELS, item(level_delay=3), DUE + timedelta(days=60)), ("first", 7))
        self.assertEqual(next_level(LEVELS, item(level_delay=30), DUE + timedelta(days=60)), (None, None))

    def test_pre_due_level_for_large_invoices_only(self):
        before = DUE - timedelta(days=15)
        self.assertEqual(next_level(LEVELS, item(invoice_total=6000.0), before), ("pre_due", -15))
        self.assertEqual(next_level(LEVELS, item(), before), (None, None))
        # Once overdue, the pre-due call is pointless.
        self.assertEqual(next_level(LEVELS, item(invoice_total=6000.0), DUE + timedelta(days=3)), ("call", 3))

    def test_contact_allowed(self):
        today = DUE + timedelta(days=10)
        self.assertTrue(contact_allowed(None, today, 4))
        self.assertFalse(contact_allowed(today - timedelta(days=3), today, 4))
        self.assertTrue(contact_allowed(today - timedelta(days=4), today, 4))
        # Never twice a day, even with no interval at all.
        self.assertFalse(contact_allowed(today, today, 0))
        self.assertTrue(contact_allowed(today - timedelta(days=1), today, 0))

    def test_decide_follows_the_most_advanced_item(self):
        today = DUE + timedelta(days=8)
        rows = [
            item(1, level_delay=3),  # reaches "first" today
            item(2, due=DUE + timedelta(days=5), residual=300.0),  # overdue 3 days: the call
            item(3, due=DUE + timedelta(days=20), residual=500.0),  # not due: not covered
            item(4, residual=0.5),  # below the tolerance
        ]
        decision = decide_customer(LEVELS, rows, today, 1.0)
        self.assertEqual(decision, Decision("first", [1, 2], {1: "first", 2: "call"}, 1500.0, 1500.0))
        self.assertIsNone(decide_customer(LEVELS, rows, today, 1.0, lambda level: 2000.0))
        self.assertIsNone(decide_customer(LEVELS, [item(level_delay=30)], today, 1.0))
