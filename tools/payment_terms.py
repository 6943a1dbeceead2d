"""Legal caps of French B2B payment terms (Code de commerce L441-10 I), without ORM state."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

MAX_DAYS_FROM_INVOICE = 60
MAX_DAYS_END_OF_MONTH = 45


def _end_of_month(day: date) -> date:
    return day + relativedelta(day=31)


def legal_due_date_cap(invoice_date: date, method: str = "end_of_month_plus_45") -> date:
    """The latest due date the law accepts for an invoice issued on ``invoice_date``.

    60 days from the invoice date, or "45 days end of month" when agreed, whichever is later. The
    contract agrees on one of the two accepted "45 days end of month" methods, ``method``:
    ``end_of_month_plus_45`` (the end of the month of issue + 45 days) or ``plus_45_then_end_of_month``
    (the issue date + 45 days, then the end of that month).
    """
    if method == "plus_45_then_end_of_month":
        end_of_month_cap = _end_of_month(invoice_date + timedelta(days=MAX_DAYS_END_OF_MONTH))
    else:
        end_of_month_cap = _end_of_month(invoice_date) + timedelta(days=MAX_DAYS_END_OF_MONTH)
    return max(invoice_date + timedelta(days=MAX_DAYS_FROM_INVOICE), end_of_month_cap)


def exceeds_legal_cap(invoice_date: date, due_date: date, method: str = "end_of_month_plus_45") -> bool:
    """Whether ``due_date`` lies beyond the legal cap for an invoice issued on ``invoice_date``."""
    return bool(invoice_date and due_date) and due_date > legal_due_date_cap(invoice_date, method)
