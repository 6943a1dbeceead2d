"""Pure arithmetic of the receivable book: ageing buckets, DSO, weekly forecast slots."""

import calendar
from datetime import date, timedelta

BUCKET_KEYS = ("not_due", "bucket_1", "bucket_2", "bucket_3", "bucket_4", "bucket_5")


def bucket_key(days_overdue, limits):
    """The bucket of an item ``days_overdue`` days past due, for ascending ``limits`` (e.g. 30, 60, 90, 120)."""
    if days_overdue <= 0:
        return BUCKET_KEYS[0]
    for index, limit in enumerate(limits):
        if days_overdue <= limit:
            return BUCKET_KEYS[index + 1]
    return BUCKET_KEYS[len(limits) + 1]


def bucket_bounds(limits):
    """(low, high) days of each overdue bucket; high is None for the last one."""
    bounds = []
    low = 1
    for limit in limits:
        bounds.append((low, limit))
        low = limit + 1
    bounds.append((low, None))
    return bounds


def month_end(day, months_back=0):
    """The last day of the month ``months_back`` months before the month of ``day``."""
    year, month = day.year, day.month - months_back
    while month <= 0:
        month += 12
        year -= 1
    return date(year, month, calendar.monthrange(year, month)[1])


def month_periods(end_date, count):
    """``count`` monthly periods (start, end, days) walking back from ``end_date``, newest first.

    The first period runs from the first of ``end_date``'s month to ``end_date``.
    """
    periods = []
    end = end_date
    for _index in range(count):
        start = end.replace(day=1)
        periods.append((start, end, (end - start).days + 1))
        end = start - timedelta(days=1)
    return periods


def dso_countback(receivable, monthly_sales):
    """Days of sales outstanding by the countback method.

    ``monthly_sales`` is a list of (sales, days) per month, newest first. The receivable is exhausted
    against the sales of each month in turn: a month fully covered counts all its days, the month
    that exhausts it counts the pro rata of its days.
    """
    remaining = receivable
    days = 0.0
    if remaining <= 0:
        return 0.0
    for sales, month_days in monthly_sales:
        if sales <= 0:
            days += month_days
            continue
        if remaining <= sales:
            return days + month_days * remaining / sales
        remaining -= sales
        days += month_days
    return days


def dso_simple(receivable, sales, days):
    """Days of sales outstanding by the simple method: receivable / sales of ``days`` days x ``days``."""
    if sales <= 0:
        return 0.0
    return receivable / sales * days


def week_index(start, day, weeks):
    """Index of the week of ``day`` among ``weeks`` weeks from ``start``: anything earlier is week 0,
    anything later is None."""
    if day < start:
        return 0
    index = (day - start).days // 7
    return index if index < weeks else None
