"""Late-payment interest arithmetic of French law, without ORM state.

Conventions (Code de commerce L441-10, service-public F23211 and F20688):

- a period is given as ``(date_from, date_to)``: its days are those *after* ``date_from`` up to and
  including ``date_to`` (due date to payment or computation date);
- simple interest, ``amount x rate / 100 x days / 365``, with 365 even in leap years;
- the period is split at each 1 January and 1 July (semesters) and at each rate change; each segment is
  rounded to the cent and the rounded segments are added.
"""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

DAYS_IN_YEAR = 365
B2B_DEFAULT_POINTS = 10.0


def semester_start(day: date) -> date:
    """1 January or 1 July of the semester of ``day``."""
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def semester_end(day: date) -> date:
    """30 June or 31 December of the semester of ``day``."""
    return date(day.year, 6, 30) if day.month <= 6 else date(day.year, 12, 31)


def semester_name(day: date) -> str:
    """The semester of ``day`` as its name in the rate tables, e.g. ``2026-S2``."""
    return f"{day.year}-S{1 if day.month <= 6 else 2}"


def semester_starts(date_from: date, date_to: date) -> list:
    """The first day of each semester holding one of the days of the period ``(date_from, date_to]``."""
    starts = []
    if not date_from or not date_to or date_to <= date_from:
        return starts
    start = semester_start(date_from + timedelta(days=1))
    while start <= date_to:
        starts.append(start)
        start = semester_end(start) + timedelta(days=1)
    return starts


def split_period(date_from: date, date_to: date, cut_dates=()) -> list:
    """Cut the period ``(date_from, date_to]`` at each semester start and at each of ``cut_dates``.

    A cut date is the first day of a new segment (the day a new rate applies). Returns a list of
    ``(first_day, last_day)`` pairs, both included, in date order; empty when the period has no day.
    """
    if not date_from or not date_to or date_to <= date_from:
        return []
    first = date_from + timedelta(days=1)
    cuts = {start for start in semester_starts(date_from, date_to) if start > first}
    cuts.update(cut for cut in cut_dates if first < cut <= date_to)
    segments = []
    for cut in sorted(cuts):
        segments.append((first, cut - timedelta(days=1)))
        first = cut
    segments.append((first, date_to))
    return segments


def segment_days(segment) -> int:
    """Number of days of a ``(first_day, last_day)`` segment, both included."""
    first_day, last_day = segment
    return (last_day - first_day).days + 1


def round_amount(value, digits=2) -> float:
    """Round half up (commercial rounding) to ``digits`` decimals."""
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def interest(amount, rate, days, digits=2) -> float:
    """Simple interest of ``amount`` at ``rate`` percent a year for ``days`` days, rounded."""
    exact = Decimal(str(amount)) * Decimal(str(rate)) * Decimal(days) / Decimal(100 * DAYS_IN_YEAR)
    return round_amount(exact, digits)


def rate_on(changes, day: date):
    """The rate in force on ``day`` in ``changes``, a list of ``(start, rate)`` sorted by start.

    ``None`` when no rate starts on or before ``day``.
    """
    found = None
    for start, rate in changes:
        if start > day:
            break
        found = rate
    return found


def known_on(changes, day: date) -> bool:
    """Whether the table ``changes`` tells the rate in force on ``day`` for sure.

    It does when a rate starts on that very day, or when the table goes on after it (so no change
    between the last known rate and ``day`` was missed).
    """
    return any(start == day for start, _rate in changes) or (
        any(start < day for start, _rate in changes) and any(start > day for start, _rate in changes)
    )


def base_pieces(amount, payments, date_from: date, date_to: date) -> list:
    """The outstanding base over the period ``(date_from, date_to]``, cut at each payment.

    ``payments`` is a list of ``(date, amount)``: a payment received on a date still bears interest that
    day and reduces the base from the next day. Returns ``(piece_from, piece_to, base)`` triples, each a
    period of the same convention as the input, keeping only pieces with a positive base.
    """
    if not date_from or not date_to or date_to <= date_from:
        return []
    paid_before = sum(paid for paid_on, paid in payments if paid_on <= date_from)
    base = amount - paid_before
    pieces = []
    start = date_from
    for paid_on in sorted({paid_on for paid_on, _paid in payments if date_from < paid_on < date_to}):
        if round(base, 6) > 0:
            pieces.append((start, paid_on, base))
        base -= sum(paid for on, paid in payments if on == paid_on)
        start = paid_on
    if round(base, 6) > 0:
        pieces.append((start, date_to, base))
    return pieces
