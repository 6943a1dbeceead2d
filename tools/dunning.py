"""Pure decision rules of the dunning run: which level an item reaches, which action a customer gets.

No ORM here: levels are opaque keys (the run passes ``credit.recovery.level`` records), items are mappings
with the keys the run's open-items query returns (``id``, ``due``, ``residual``, ``level_delay``,
``invoice_total``).
"""

from collections import namedtuple
from datetime import timedelta

LevelRule = namedtuple("LevelRule", "level delay min_invoice_amount")
"""One step of a policy: the level, its delay in days from the due date, the smallest invoice it applies to."""

Decision = namedtuple("Decision", "level line_ids steps amount_due amount_overdue")
"""What the run does for one customer: the level of its action, the items it covers, ``{item id: level}`` the
items reach, what they owe and the overdue part of it."""


def next_level(levels, row, today):
    """``(level, delay)`` the item reaches today, if any: the next after its current one, never two at once.

    ``levels`` are ``LevelRule`` (or ``(level, delay, min_invoice_amount)``) in order of delay;
    ``(None, None)`` when the item reaches none today.
    """
    current = row["level_delay"]
    overdue = row["due"] < today
    for level, delay, min_invoice_amount in levels:
        if current is not None and delay <= current:
            continue
        if delay < 0 and overdue:
            continue  # a pre-due check is pointless once the item is overdue
        if min_invoice_amount and row["invoice_total"] < min_invoice_amount:
            continue
        if row["due"] + timedelta(days=delay) <= today:
            return level, delay
        return None, None
    return None, None


def contact_allowed(last_contact, today, min_interval_days):
    """Whether a customer last contacted on ``last_contact`` (or never) may be contacted today.

    Never twice the same day, whatever the policy's interval (0 included), and never sooner than it.
    """
    if not last_contact:
        return True
    elapsed = (today - last_contact).days
    return elapsed >= max(min_interval_days, 1)


def decide_customer(levels, rows, today, tolerance, min_overdue_amount_of=None):
    """The ``Decision`` for one customer's open items ``rows``, or ``None`` when nothing is due today.

    The customer's action follows its most advanced item; every overdue item (and every item reaching a
    pre-due level) is covered. ``min_overdue_amount_of(level)`` is the smallest amount the level acts on.
    """
    chosen, chosen_delay = None, None
    steps = {}
    covered = []
    amount_due = amount_overdue = 0.0
    for row in rows:
        if row["residual"] < tolerance:
            continue
        overdue = row["due"] < today
        step, step_delay = next_level(levels, row, today)
        if overdue or step is not None:
            covered.append(row["id"])
            amount_due += row["residual"]
        if overdue:
            amount_overdue += row["residual"]
        if step is not None:
            steps[row["id"]] = step
            if chosen_delay is None or step_delay > chosen_delay:
                chosen, chosen_delay = step, step_delay
    if chosen is None:
        return None
    if min_overdue_amount_of and amount_due < min_overdue_amount_of(chosen):
        return None
    return Decision(chosen, covered, steps, amount_due, amount_overdue)
