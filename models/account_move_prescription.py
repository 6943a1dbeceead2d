from collections import defaultdict

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
        "partner_id.commercial_partner_id.credit_customer_type",
        "line_ids.matched_credit_ids",
        "credit_doubtful_move_line_id.matched_credit_ids",
        "line_ids.credit_recovery_plan_ids.date_signed",
        "line_ids.credit_recovery_plan_ids.state",
    )
    def _compute_credit_prescription_date(self):
        invoices = self.filtered(
            lambda move: move.move_type == "out_invoice" and move.state == "posted" and move.invoice_date_due
        )
        events = invoices._credit_prescription_events()
        for move in self:
            if move not in invoices:
                move.credit_prescription_date = False
                continue
            start = max([move.invoice_date_due, *events.get(move, [])])
            years = PRESCRIPTION_YEARS[move.commercial_partner_id.credit_customer_type or "b2b"]
            move.credit_prescription_date = start + relativedelta(years=years)

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
        return events

    @api.model
    def _cron_credit_prescription_watch(self):
        """Daily: one activity per open invoice 6 months, then 1 month, before its prescription date.

        Each milestone is remembered with the prescription date it was given for: a rerun never repeats
        it, and an interruption that moves the date brings the warnings back for the new date.
        """
        today = fields.Date.context_today(self)
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
