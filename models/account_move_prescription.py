from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools.misc import format_date

# Years a claim lives from its due date: between or with traders (Code de commerce L110-4), against a
# consumer (Code de la consommation L218-2).
PRESCRIPTION_YEARS = {"b2b": 5, "b2c": 2}
# Warnings before the prescription date: (milestone, months before), the closest first.
PRESCRIPTION_MILESTONES = (("1m", 1), ("6m", 6))
# Signed payment plans: the customer acknowledged the debt, whatever became of the plan afterwards.
SIGNED_PLAN_STATES = ("running", "done", "forfeited")
# Recorded events that interrupt the prescription: enforcement acts (Code civil 2244).
ENFORCEMENT_KINDS = ("commandement", "saisie")


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    credit_recovery_plan_ids = fields.Many2many(
        "credit.recovery.plan",
        "credit_recovery_plan_line_rel",
        "line_id",
        "plan_id",
        string="Payment Plans",
        readonly=True,
        copy=False,
    )


class AccountMove(models.Model):
    _inherit = "account.move"

    credit_prescription_date = fields.Date(
        string="Prescription Date",
        compute="_compute_credit_prescription_date",
        store=True,
        index="btree_not_null",
        help="The day the claim becomes time-barred: 5 years (business customers) or 2 years (consumers) "
        "from the due date or from the last event that interrupted the prescription (a partial payment, a "
        "signed payment plan, a court claim). A formal notice does not interrupt it.",
    )
    credit_prescription_event_ids = fields.One2many(
        "credit.recovery.prescription.event",
        "move_id",
        string="Prescription Events",
        groups="account_credit_recovery.group_credit_controller,account.group_account_readonly",
        help="Enforcement acts and agreed mediations recorded on the invoice.",
    )
    credit_prescription_warned_6m = fields.Date(
        string="Prescription Warned (6 Months)",
        copy=False,
        readonly=True,
        help="The prescription date the six-month warning was given for.",
    )
    credit_prescription_warned_1m = fields.Date(
        string="Prescription Warned (1 Month)",
        copy=False,
        readonly=True,
        help="The prescription date the one-month warning was given for.",
    )

    @api.depends(
        "move_type",
        "state",
        "invoice_date_due",
        "line_ids.date_maturity",
        "partner_id.commercial_partner_id.credit_customer_type",
        "line_ids.matched_credit_ids",
        "credit_doubtful_move_line_id.matched_credit_ids",
        "line_ids.credit_recovery_plan_ids.date_signed",
        "line_ids.credit_recovery_plan_ids.state",
        "credit_prescription_event_ids.kind",
        "credit_prescription_event_ids.date",
        "credit_prescription_event_ids.end_date",
    )
    def _compute_credit_prescription_date(self):
        """The earliest prescription date of the invoice's instalments still owed (see ``_credit_prescription_dates``)."""
        dates = self._credit_prescription_dates()
        for move in self:
            move.credit_prescription_date = (
                min(dates[move].values(), default=False) if move in dates else False
            )

    def _credit_prescription_dates(self):
        """``{invoice: {instalment: prescription date}}`` of the posted customer invoices in ``self``.

        Each instalment prescribes from its own due date (C. com. L110-4; C. conso. L218-2; C. civ. 2224).
        The invoice's interruptions (``_credit_prescription_events``) start the whole period again from
        their date, if they come before the claim is time-barred (C. civ. 2231, 2240-2244); an agreed
        mediation suspends it from the day both parties agreed to its end, leaving at least 6 months from
        that end (C. civ. 2238, ``_credit_prescription_suspensions``). Instalments already paid in full are
        left out (all of them when the invoice is paid). Read in a few queries for the whole recordset.
        """
        invoices = self.filtered(
            lambda move: move.move_type == "out_invoice" and move.state == "posted" and move.invoice_date_due
        )
        result = {}
        if not invoices:
            return result
        events = invoices._credit_prescription_events()
        suspensions = invoices._credit_prescription_suspensions()
        lines = invoices.line_ids.filtered(lambda line: line.display_type == "payment_term")
        settled = defaultdict(float)
        for line, settlements in invoices._credit_settlements(lines).items():
            settled[line] = sum(amount for _date, amount, _refund, _on in settlements)
        for move in invoices:
            years = PRESCRIPTION_YEARS[move.commercial_partner_id.credit_customer_type or "b2b"]
            instalments = lines.filtered(lambda line, move=move: line.move_id == move)
            owed = instalments.filtered(
                lambda line, currency=move.currency_id: (
                    currency.compare_amounts(abs(line.amount_currency), settled[line]) > 0
                )
            )
            result[move] = {
                line: move._credit_prescription_line_date(
                    line, years, events.get(move, []), suspensions.get(move, [])
                )
                for line in (owed or instalments)
            }
        return result

    def _credit_prescription_line_date(self, line, years, interruptions, suspensions):
        """The prescription date of the instalment ``line`` of this invoice, ``years`` years from its due
        date; a public buyer's claim lapses under the four-year rule instead (``_credit_quadrennial_end``)."""
        self.ensure_one()
        if self.commercial_partner_id.credit_public_buyer_kind:
            return self._credit_prescription_walk(
                self.invoice_date or self.date,
                4,
                interruptions,
                suspensions,
                end_of=self._credit_quadrennial_end,
            )
        return self._credit_prescription_walk(
            line.date_maturity or self.invoice_date_due, years, interruptions, suspensions
        )

    @api.model
    def _credit_quadrennial_end(self, day, years=4):
        """The last day of the four-year lapse (déchéance quadriennale) of a claim on a public person that
        arose, or was interrupted, on ``day``.

        Loi n° 68-1250 du 31 décembre 1968, art. 1: four years from 1 January of the year after the one the
        right arose in (the year of the invoice), i.e. up to 31 December of that year + 4. Art. 2: a
        written claim, a court claim, a payment or a written communication of the debtor interrupts it, and
        four new years run from 1 January of the year after the interruption.
        """
        return date(day.year + years, 12, 31)

    @api.model
    def _credit_prescription_walk(self, due, years, interruptions, suspensions, end_of=None):
        """The prescription date of a claim due on ``due``, of ``years`` years, given its events in any order.

        An interruption on or before the date reached so far starts the whole period again from its date
        (one after it revives nothing). A suspension ``(start, end)`` beginning on or before it adds the
        days it lasted, and leaves at least 6 months after its end (C. civ. 2230, 2238). ``end_of(day,
        years)`` is the end of a period starting on ``day``: ``years`` later by default.
        """
        end_of = end_of or (lambda day, years: day + relativedelta(years=years))
        deadline = end_of(due, years)
        timeline = sorted(
            [(day, "interruption", None) for day in interruptions]
            + [(start, "suspension", end) for start, end in suspensions]
        )
        for day, kind, end in timeline:
            if day > deadline:
                break
            if kind == "interruption":
                deadline = max(deadline, end_of(day, years))
            else:
                deadline = max(deadline + (end - day), end + relativedelta(months=6))
        return deadline

    def _credit_prescription_suspensions(self):
        """``{invoice: [(start, end)]}`` of the suspensions of the invoices in ``self``: the ended agreed
        mediations recorded on them (an ongoing one moves the date once its end is recorded)."""
        result = defaultdict(list)
        # sudo: the prescription date must not depend on who can read the events.
        events = (
            self.env["credit.recovery.prescription.event"]
            .sudo()
            .search_fetch(
                [("move_id", "in", self.ids), ("kind", "=", "mediation"), ("end_date", "!=", False)],
                ["move_id", "date", "end_date"],
            )
        )
        for event in events:
            result[event.move_id.with_env(self.env)].append((event.date, event.end_date))
        return result

    def _credit_prescription_events(self):
        """``{invoice: [dates]}`` of the events that interrupted the prescription of the invoices in ``self``.

        Acknowledgements of the debt recorded here: each payment reconciled with the invoice (on the
        reconciliation date; credit notes are not the customer's acknowledgement) and each signed payment
        plan covering it. Read in two queries for the whole recordset. Override to add other interrupting
        events (a court claim, an enforcement act); a formal notice is not one.
        """
        events = defaultdict(list)
        lines = self.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        if not lines:
            return events
        # Payments acknowledge the debt; credit notes do not, nor does its reclassification to 416.
        for line, settlements in self._credit_settlements(lines).items():
            for _received_on, _amount, is_refund, reconciled_on in settlements:
                if not is_refund:
                    events[line.move_id].append(reconciled_on)
        plans = (
            self.env["credit.recovery.plan"]
            .sudo()
            .search_fetch(
                [
                    ("line_ids", "in", lines.ids),
                    ("date_signed", "!=", False),
                    ("state", "in", SIGNED_PLAN_STATES),
                ],
                ["line_ids", "date_signed"],
            )
        )
        for plan in plans:
            for move in (plan.line_ids & lines.sudo()).move_id:
                events[move].append(plan.date_signed)
        # Enforcement acts interrupt it (C. civ. 2244); sudo: whoever computes the date reads them all.
        acts = (
            self.env["credit.recovery.prescription.event"]
            .sudo()
            .search_fetch(
                [("move_id", "in", self.ids), ("kind", "in", ENFORCEMENT_KINDS)], ["move_id", "date"]
            )
        )
        for act in acts:
            events[act.move_id.with_env(self.env)].append(act.date)
        return events

    @api.model
    def _cron_credit_prescription_watch(self):
        """Daily: one activity per open invoice 6 months, then 1 month, before its prescription date.

        Each milestone is remembered with the prescription date it was given for: a rerun never repeats
        it, and an interruption that moves the date brings the warnings back for the new date.
        """
        today = fields.Date.context_today(self)
        self._credit_prescription_refresh(today)
        invoices = self.search(
            [
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("amount_residual", ">", 0),
                ("credit_prescription_date", ">=", today),
                # Wide enough for month-end arithmetic; each milestone is checked exactly below.
                ("credit_prescription_date", "<=", today + relativedelta(months=7)),
            ]
        )
        warned = defaultdict(lambda: self.browse())
        for move in invoices:
            prescription = move.credit_prescription_date
            for index, (milestone, months) in enumerate(PRESCRIPTION_MILESTONES):
                if today < prescription - relativedelta(months=months):
                    continue
                if move[f"credit_prescription_warned_{milestone}"] != prescription:
                    move._credit_prescription_warn(months, today)
                    # The closer warning makes the earlier ones pointless.
                    for passed, _months in PRESCRIPTION_MILESTONES[index:]:
                        warned[passed] |= move
                break
        for milestone, moves in warned.items():
            for prescription, same_date in moves.grouped("credit_prescription_date").items():
                same_date.write({f"credit_prescription_warned_{milestone}": prescription})
        return True

    @api.model
    def _credit_prescription_refresh(self, today):
        """Recompute the prescription dates that time alone changed (hook: an order for payment that lapsed)."""
        return True

    def _credit_prescription_warn(self, months, today):
        self.ensure_one()
        customer = self.commercial_partner_id.with_company(self.company_id)
        self.activity_schedule(
            act_type_xmlid="account_credit_recovery.mail_activity_type_credit_prescription",
            date_deadline=max(today, self.credit_prescription_date - relativedelta(months=months)),
            summary=self.env._(
                "%(invoice)s becomes time-barred on %(date)s",
                invoice=self.name,
                date=format_date(self.env, self.credit_prescription_date),
            ),
            note=self.env._(
                "%(customer)s still owes %(amount)s on %(invoice)s, which becomes time-barred on %(date)s "
                "(in %(months)s month(s)). Before that date, obtain an acknowledgement of the debt (a payment, "
                "a signed payment plan) or file a claim in court; a formal notice does not interrupt the "
                "prescription.",
                customer=customer.name,
                amount=self.currency_id.format(self.amount_residual),
                invoice=self.name,
                date=format_date(self.env, self.credit_prescription_date),
                months=months,
            ),
            user_id=(
                customer.credit_controller_id or self.invoice_user_id or self.env.ref("base.user_admin")
            ).id,
        )
