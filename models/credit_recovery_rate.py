from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import interest

RATE_KINDS = [
    ("ecb_mro", "ECB main refinancing rate"),
    ("legal_private", "Legal interest rate (creditor is a private person)"),
    ("legal_other", "Legal interest rate (other cases)"),
]
INTEREST_KINDS = ("b2b_default", "legal_private", "legal_other")
# Public buyers owe moratory interest at the ECB rate in force on the first day of the semester the interest
# started to run in, + 8 points, for the whole delay (Code de la commande publique R2192-31).
PUBLIC_MORATORY_POINTS = 8.0
# Penalty kinds read from the legal interest rate (other cases) of each semester (C. com. L441-10 II):
# ``contractual`` is the agreed rate, never below 3 times that rate; ``legal_triple`` is 3 times it.
FLOORED_KINDS = ("contractual", "legal_triple")
LEGAL_RATE_MULTIPLIER = 3


class CreditRecoveryRate(models.Model):
    _name = "credit.recovery.rate"
    _description = "Official Interest Rate"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "kind, date_start desc"
    _rec_names_search = ["kind", "note"]

    kind = fields.Selection(RATE_KINDS, required=True, tracking=True)
    date_start = fields.Date(
        string="In Force From",
        required=True,
        tracking=True,
        help="ECB rate: the day the rate takes effect (enter also the rate in force on 1 January and 1 July "
        "to confirm a semester). Legal rates: the first day of their semester.",
    )
    rate = fields.Float(string="Rate (%)", digits=(6, 3), required=True, tracking=True)
    semester = fields.Char(compute="_compute_semester", store=True)
    note = fields.Char(
        help="Source of the figure, e.g. the arrêté and its publication in the Journal officiel."
    )

    _sql_constraints = [
        ("kind_date_unique", "UNIQUE(kind, date_start)", "A rate of this kind already starts on that day."),
    ]

    @api.depends("kind", "date_start", "rate")
    def _compute_display_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for rate in self:
            rate.display_name = self.env._(
                "%(kind)s from %(date)s: %(rate)s %%",
                kind=labels.get(rate.kind, ""),
                date=rate.date_start or "",
                rate=rate.rate,
            )

    @api.depends("date_start")
    def _compute_semester(self):
        for rate in self:
            rate.semester = interest.semester_name(rate.date_start) if rate.date_start else False

    @api.constrains("rate")
    def _check_rate(self):
        for rate in self:
            # The ECB rate has never gone below -1 %, legal rates never above 15 %: a typo, not a rate.
            if not -1.0 <= rate.rate <= 30.0:
                raise ValidationError(
                    self.env._(
                        "%(rate)s %% is not an official rate: enter it as a percentage a year, between -1 and "
                        "30.",
                        rate=rate.rate,
                    )
                )

    # ------------------------------------------------------------------------------------------------
    # Public API
    # ------------------------------------------------------------------------------------------------
    @api.model
    def compute_interest(self, amount, date_from, date_to, kind, extra_points=0.0, fixed_rate=None):
        """Interest on ``amount`` for the days after ``date_from`` up to and including ``date_to``.

        ``kind``: ``b2b_default`` (ECB main refinancing rate in force on 1 January / 1 July of each
        semester + 10 points), ``legal_private`` or ``legal_other`` (legal interest rate of each semester),
        ``contractual`` (``fixed_rate``, raised in each semester to 3 times its legal interest rate, other
        cases, when below it) or ``legal_triple`` (3 times that legal rate).
        ``fixed_rate`` (percent a year) replaces the table; ``extra_points`` is added to the rate (the
        5 points due two months after a court decision). Rounded to the cent per rate segment; raises a
        ``UserError`` naming the semester when a needed rate is not recorded.
        """
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        tables = self._interest_tables([kind], date_to) if fixed_rate is None or kind in FLOORED_KINDS else {}
        return self._interest_from_tables(tables, amount, date_from, date_to, kind, extra_points, fixed_rate)

    # ------------------------------------------------------------------------------------------------
    # Business logic
    # ------------------------------------------------------------------------------------------------
    @api.model
    def _table_kind(self, kind):
        """The kind of rate records an interest ``kind`` reads."""
        if kind in FLOORED_KINDS:
            return "legal_other"
        if kind == "public_moratory":
            return "ecb_mro"
        if kind not in INTEREST_KINDS:
            raise UserError(self.env._("Unknown kind of interest: %(kind)s.", kind=kind))
        return "ecb_mro" if kind == "b2b_default" else kind

    @api.model
    def _interest_tables(self, kinds, date_to):
        """The rate tables the interest ``kinds`` need up to ``date_to``, read in one search.

        Returns ``{rate kind: [(date_start, rate), ...]}`` sorted by date. The ECB table goes one record
        past ``date_to`` when it can, so that a semester start without its own record is known for sure.
        """
        table_kinds = {self._table_kind(kind) for kind in kinds}
        tables = {table_kind: [] for table_kind in table_kinds}
        if not table_kinds or not date_to:
            return tables
        # Official rates are public figures: invoicing users see penalties on invoices without reading
        # the rate table itself.
        rates = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch(
                [("kind", "in", list(table_kinds))],
                ["kind", "date_start", "rate"],
                order="date_start",
            )
        )
        for rate in rates:
            table = tables[rate.kind]
            if rate.date_start <= date_to or not any(start > date_to for start, _rate in table):
                table.append((rate.date_start, rate.rate))
        return tables

    @api.model
    def _interest_from_tables(
        self, tables, amount, date_from, date_to, kind, extra_points=0.0, fixed_rate=None, digits=2
    ):
        """Interest as ``compute_interest`` does, with the rate ``tables`` already read."""
        return sum(
            interest.interest(amount, rate, interest.segment_days(segment), digits)
            for segment, rate in self._interest_segments(
                tables, date_from, date_to, kind, extra_points, fixed_rate
            )
        )

    @api.model
    def _interest_segments(self, tables, date_from, date_to, kind, extra_points=0.0, fixed_rate=None):
        """``[((first_day, last_day), annual rate), ...]`` of the period ``(date_from, date_to]``."""
        if kind in FLOORED_KINDS:
            if kind == "contractual" and fixed_rate is None:
                raise UserError(self.env._("A contractual penalty rate needs its rate."))
            result = []
            for segment, legal in self._interest_segments(tables, date_from, date_to, "legal_other"):
                floor = round(LEGAL_RATE_MULTIPLIER * legal, 6)
                rate = floor if kind == "legal_triple" else max(fixed_rate, floor)
                result.append((segment, rate + extra_points))
            return result
        if fixed_rate is not None:
            return [
                (segment, fixed_rate + extra_points) for segment in interest.split_period(date_from, date_to)
            ]
        table_kind = self._table_kind(kind)
        changes = tables.get(table_kind, [])
        result = []
        if kind == "public_moratory":
            rate = self._public_moratory_rate(tables, date_from)
            return [(segment, rate + extra_points) for segment in interest.split_period(date_from, date_to)]
        if kind == "b2b_default":
            # The ECB rate in force on the first day of the semester applies to the whole semester.
            for segment in interest.split_period(date_from, date_to):
                start = interest.semester_start(segment[0])
                if not interest.known_on(changes, start):
                    raise self._missing_rate_error(kind, start)
                rate = interest.rate_on(changes, start) + interest.B2B_DEFAULT_POINTS
                result.append((segment, rate + extra_points))
            return result
        cut_dates = [start for start, _rate in changes]
        for segment in interest.split_period(date_from, date_to, cut_dates):
            start = interest.semester_start(segment[0])
            rate = interest.rate_on([change for change in changes if change[0] >= start], segment[0])
            if rate is None:
                raise self._missing_rate_error(kind, start)
            result.append((segment, rate + extra_points))
        return result

    @api.model
    def _computable_until(self, tables, kind, date_to, fixed_rate=None):
        """``(last day, reason)``: up to which day the interest ``kind`` can be computed by ``date_to``.

        The last day is ``date_to`` when every semester up to it has its official rate; otherwise the last
        day of the last semester that has one (``None`` when none has), and ``reason`` is the translated
        message naming the semester of ``date_to`` when its rate is missing (``False`` when nothing is missing).
        """
        if kind == "public_moratory":
            # One rate for the whole delay, read when the delay starts (R2192-31): no later rate is needed.
            return date_to, False
        start = interest.semester_start(date_to)
        reason = False
        # Walk back semester by semester (at most 20 years) to the last one whose rate is recorded.
        for _step in range(40):
            try:
                self._interest_segments(tables, start - timedelta(days=1), start, kind, fixed_rate=fixed_rate)
            except UserError as error:
                reason = reason or error.args[0]
                start = interest.semester_start(start - timedelta(days=1))
                continue
            return (interest.semester_end(start) if reason else date_to), reason
        return None, reason

    @api.model
    def _public_moratory_rate(self, tables, due):
        """The moratory interest rate of a public buyer late since the day after ``due`` (R2192-31)."""
        start = interest.semester_start(due + timedelta(days=1))
        changes = tables.get("ecb_mro", [])
        if not interest.known_on(changes, start):
            raise self._missing_rate_error("b2b_default", start)
        return interest.rate_on(changes, start) + PUBLIC_MORATORY_POINTS

    @api.model
    def _rate_in_force(self, kind, day):
        """Annual rate (percent) of the interest ``kind`` on ``day``; raises when it is not recorded."""
        tables = self._interest_tables([kind], day)
        return self._interest_segments(tables, day - timedelta(days=1), day, kind)[0][1]

    @api.model
    def _semester_name(self, day):
        return interest.semester_name(day)

    @api.model
    def _missing_rate_error(self, kind, day):
        labels = {
            "b2b_default": self.env._("ECB main refinancing rate in force on the first day of the semester"),
            "legal_private": self.env._("legal interest rate (creditor is a private person)"),
            "legal_other": self.env._("legal interest rate (other cases)"),
        }
        return UserError(
            self.env._(
                "No %(rate)s is recorded for %(semester)s. A Credit Manager must enter it in "
                "Credit Recovery > Configuration > Official Rates before this computation can run.",
                rate=labels[kind],
                semester=interest.semester_name(day),
            )
        )

    @api.model
    def _missing_kinds(self, day):
        """The interest kinds whose rate for the semester of ``day`` is not recorded."""
        tables = self._interest_tables(INTEREST_KINDS, day)
        start = interest.semester_start(day)
        missing = []
        for kind in INTEREST_KINDS:
            try:
                self._interest_segments(tables, start - timedelta(days=1), start, kind)
            except UserError:
                missing.append(kind)
        return missing

    @api.model
    def _cron_check_missing_rates(self):
        """Warn the accounting managers, once, when the current semester lacks an official rate."""
        today = fields.Date.context_today(self)
        missing = self._missing_kinds(today)
        if not missing:
            return True
        anchor = self.search([], order="date_start desc", limit=1)
        if not anchor:
            return True
        semester = interest.semester_name(today)
        summary = self.env._("Official rates missing for %(semester)s", semester=semester)
        managers = self.env.ref("account.group_account_manager").users.filtered(
            lambda user: not user.share and user.active
        )
        existing = self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("summary", "=", summary),
                ("user_id", "in", managers.ids),
            ]
        )
        already_warned = set(existing.user_id.ids)
        kind_labels = {
            "b2b_default": self.env._("ECB main refinancing rate on the first day of the semester"),
            "legal_private": self.env._("legal interest rate (creditor is a private person)"),
            "legal_other": self.env._("legal interest rate (other cases)"),
        }
        note = self.env._(
            "Enter the following rates for %(semester)s in Credit Recovery > Configuration > New Semester "
            "Rates (one click when the ECB rate is unchanged): %(rates)s. Until then, penalties and legal "
            "interest are computed up to the end of the last semester whose rates are known.",
            semester=semester,
            rates=", ".join(kind_labels[kind] for kind in missing),
        )
        todo = self.env.ref("mail.mail_activity_data_todo")
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": self.env["ir.model"]._get_id(self._name),
                    "res_id": anchor.id,
                    "activity_type_id": todo.id,
                    "summary": summary,
                    "note": note,
                    "user_id": user.id,
                    "date_deadline": today,
                }
                for user in managers
                if user.id not in already_warned
            ]
        )
        return True
