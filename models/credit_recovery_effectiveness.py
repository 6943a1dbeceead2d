from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

# Levels before the due date (pre-due calls) are not reminders: the time to payment counts from the first
# level at or after the due date.
FIRST_REMINDER_MIN_DELAY = 0


class CreditRecoveryEffectivenessWizard(models.TransientModel):
    """What each dunning level brought back: payments after its actions, promises kept, time to payment."""

    _name = "credit.recovery.effectiveness.wizard"
    _description = "Dunning Effectiveness"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        ondelete="cascade",
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(
        string="Actions From",
        required=True,
        default=lambda self: fields.Date.context_today(self) - relativedelta(months=12),
    )
    date_to = fields.Date(string="Actions To", required=True, default=fields.Date.context_today)
    recovery_days = fields.Integer(
        string="Payment Window (Days)",
        required=True,
        default=30,
        help="A payment counts for an action when it is received on the items the action covered, after "
        "the action's date and within this many days. Each payment counts once, for the latest action "
        "before it.",
    )
    line_ids = fields.One2many("credit.recovery.effectiveness.line", "wizard_id", string="Levels")
    computed = fields.Boolean(readonly=True)
    action_count = fields.Integer(string="Actions", compute="_compute_totals")
    amount_due = fields.Monetary(string="Amount Reminded", compute="_compute_totals")
    amount_recovered = fields.Monetary(compute="_compute_totals")
    recovery_rate = fields.Float(string="Recovered (%)", digits=(16, 1), compute="_compute_totals")
    promise_kept_count = fields.Integer(string="Promises Kept", compute="_compute_totals")
    promise_broken_count = fields.Integer(string="Promises Broken", compute="_compute_totals")
    promise_keep_rate = fields.Float(string="Promises Kept (%)", digits=(16, 1), compute="_compute_totals")
    first_reminder_items = fields.Integer(
        string="Items Paid After a Reminder",
        readonly=True,
        help="Invoice items whose first reminder falls in the period and that are now fully paid.",
    )
    first_reminder_days_avg = fields.Float(
        string="Average Days from First Reminder to Payment", digits=(16, 1), readonly=True
    )
    first_reminder_days_median = fields.Float(
        string="Median Days from First Reminder to Payment", digits=(16, 1), readonly=True
    )

    @api.depends("line_ids.amount_recovered", "line_ids.action_count")
    def _compute_totals(self):
        for wizard in self:
            lines = wizard.line_ids
            wizard.action_count = sum(lines.mapped("action_count"))
            wizard.amount_due = sum(lines.mapped("amount_due"))
            wizard.amount_recovered = sum(lines.mapped("amount_recovered"))
            wizard.recovery_rate = (
                100.0 * wizard.amount_recovered / wizard.amount_due if wizard.amount_due else 0.0
            )
            wizard.promise_kept_count = sum(lines.mapped("promise_kept_count"))
            wizard.promise_broken_count = sum(lines.mapped("promise_broken_count"))
            closed = wizard.promise_kept_count + wizard.promise_broken_count
            wizard.promise_keep_rate = 100.0 * wizard.promise_kept_count / closed if closed else 0.0

    @api.constrains("date_from", "date_to", "recovery_days")
    def _check_period(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(self.env._("The period must start before it ends."))
            if wizard.recovery_days <= 0:
                raise ValidationError(self.env._("The payment window must be at least one day."))

    # Actions

    def action_compute(self):
        """Compute the effectiveness of each level over the period."""
        for wizard in self:
            wizard._fill()
        return False

    def action_open_lines(self):
        """The levels as a list, pivot or graph."""
        self.ensure_one()
        if not self.computed:
            self._fill()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_credit_recovery.credit_recovery_effectiveness_line_action"
        )
        action["domain"] = [("wizard_id", "=", self.id)]
        action["name"] = self.env._(
            "Dunning Effectiveness from %(start)s to %(end)s",
            start=fields.Date.to_string(self.date_from),
            end=fields.Date.to_string(self.date_to),
        )
        return action

    # Business logic

    def _fill(self):
        self.ensure_one()
        figures = self._compute_effectiveness(
            self.company_id, self.date_from, self.date_to, self.recovery_days
        )
        self.line_ids.unlink()
        self.env["credit.recovery.effectiveness.line"].create(
            [{"wizard_id": self.id, **row} for row in figures["levels"]]
        )
        self.write(
            {
                "computed": True,
                "first_reminder_items": figures["first_reminder"]["items"],
                "first_reminder_days_avg": figures["first_reminder"]["avg"],
                "first_reminder_days_median": figures["first_reminder"]["median"],
            }
        )

    def _flush_effectiveness(self):
        self.env["credit.recovery.action"].flush_model(
            ["company_id", "level_id", "state", "date", "line_ids"]
        )
        self.env["credit.recovery.action"].flush_model(["amount_due", "amount_overdue"])
        self.env["credit.recovery.promise"].flush_model(
            ["company_id", "action_id", "state", "date", "amount"]
        )
        self.env["credit.recovery.level"].flush_model(["delay_days"])
        self.env["account.move.line"].flush_model(["move_id", "reconciled"])
        self.env["account.move"].flush_model(["origin_payment_id", "statement_line_id", "journal_id"])
        self.env["account.journal"].flush_model(["type"])
        self.env["account.partial.reconcile"].flush_model(
            ["debit_move_id", "credit_move_id", "amount", "max_date"]
        )

    @api.model
    def _compute_effectiveness(self, company, date_from, date_to, recovery_days):
        """Effectiveness of the done recovery actions of ``company`` dated from ``date_from`` to ``date_to``.

        Four queries over the whole book (read in SQL so that accountants without dunning rights get the
        figures, not the actions):
        - actions per level: how many, and what they reminded (amount due and overdue);
        - recovered per level: the payments (payments, bank statement lines, entries of bank and cash
          journals; not credit notes nor write-offs) matched with the items
          an action covered, received after its date and within ``recovery_days`` days; a payment counts
          once, for the latest such action;
        - promises per level of the action they were recorded during, by state, for the promises due in
          the period (promises recorded without an action come on a line without level);
        - days to payment: for each item covered by an action of the level and fully paid after it, the
          days from the action to the last payment (average and median); the same from each item's first
          reminder for the period's totals.

        Returns {"levels": [dict per level, in the levels' order], "first_reminder": {items, avg, median}}.
        """
        self._flush_effectiveness()
        book = self.env["credit.recovery.book"]
        book._flush()
        cr = self.env.cr
        params = {"company": company.id, "start": date_from, "end": date_to}
        cr.execute(
            SQL(
                """
                SELECT action.level_id, COUNT(*), SUM(action.amount_due), SUM(action.amount_overdue)
                  FROM credit_recovery_action action
                 WHERE action.company_id = %(company)s
                   AND action.state = 'done'
                   AND action.date BETWEEN %(start)s AND %(end)s
              GROUP BY action.level_id
                """,
                **params,
            )
        )
        actions = {level_id: (count, due, overdue) for level_id, count, due, overdue in cr.fetchall()}
        cr.execute(
            SQL(
                """
                WITH payments AS (
                    SELECT DISTINCT ON (settlement.id) settlement.id, settlement.amount, action.level_id, action.date
                      FROM credit_recovery_action action
                      JOIN credit_recovery_action_line_rel rel ON rel.action_id = action.id
                      JOIN (%(settlements)s) settlement ON settlement.line_id = rel.line_id
                     WHERE action.company_id = %(company)s
                       AND action.state = 'done'
                       AND settlement.paid_date > action.date
                       AND settlement.paid_date <= action.date + %(days)s
                  ORDER BY settlement.id, action.date DESC, action.id DESC
                )
                SELECT level_id, SUM(amount)
                  FROM payments
                 WHERE date BETWEEN %(start)s AND %(end)s
              GROUP BY level_id
                """,
                days=recovery_days,
                settlements=book._settlements_sql(company),
                **params,
            )
        )
        recovered = dict(cr.fetchall())
        cr.execute(
            SQL(
                """
                SELECT action.level_id,
                       COUNT(*) FILTER (WHERE promise.state = 'kept'),
                       COUNT(*) FILTER (WHERE promise.state = 'broken'),
                       COUNT(*) FILTER (WHERE promise.state = 'open'),
                       COALESCE(SUM(promise.amount) FILTER (WHERE promise.state = 'kept'), 0),
                       COALESCE(SUM(promise.amount) FILTER (WHERE promise.state = 'broken'), 0)
                  FROM credit_recovery_promise promise
             LEFT JOIN credit_recovery_action action ON action.id = promise.action_id
                 WHERE promise.company_id = %(company)s
                   AND promise.date BETWEEN %(start)s AND %(end)s
              GROUP BY action.level_id
                """,
                **params,
            )
        )
        promises = {row[0]: row[1:] for row in cr.fetchall()}
        # The items fully paid, on the date of their last receipt (the book's settlements).
        paid_items = SQL(
            """
            paid AS (
                SELECT settlement.line_id, MAX(settlement.paid_date) AS paid_date
                  FROM (%s) settlement
                 WHERE settlement.reconciled
              GROUP BY settlement.line_id
            )
            """,
            book._settlements_sql(company),
        )
        cr.execute(
            SQL(
                """
                WITH %(paid)s, covered AS (
                    SELECT DISTINCT action.level_id, action.date, rel.line_id
                      FROM credit_recovery_action action
                      JOIN credit_recovery_action_line_rel rel ON rel.action_id = action.id
                     WHERE action.company_id = %(company)s
                       AND action.state = 'done'
                       AND action.date BETWEEN %(start)s AND %(end)s
                )
                SELECT covered.level_id,
                       COUNT(*),
                       AVG(paid.paid_date - covered.date),
                       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY paid.paid_date - covered.date)
                  FROM covered
                  JOIN paid ON paid.line_id = covered.line_id
                 WHERE paid.paid_date > covered.date
              GROUP BY covered.level_id
                """,
                paid=paid_items,
                **params,
            )
        )
        days = {level_id: (count, avg, median) for level_id, count, avg, median in cr.fetchall()}
        cr.execute(
            SQL(
                """
                WITH %(paid)s, first_reminder AS (
                    SELECT rel.line_id, MIN(action.date) AS date
                      FROM credit_recovery_action action
                      JOIN credit_recovery_action_line_rel rel ON rel.action_id = action.id
                      JOIN credit_recovery_level level ON level.id = action.level_id
                     WHERE action.company_id = %(company)s
                       AND action.state = 'done'
                       AND level.delay_days >= %(min_delay)s
                  GROUP BY rel.line_id
                )
                SELECT COUNT(*),
                       AVG(paid.paid_date - first_reminder.date),
                       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY paid.paid_date - first_reminder.date)
                  FROM first_reminder
                  JOIN paid ON paid.line_id = first_reminder.line_id
                 WHERE first_reminder.date BETWEEN %(start)s AND %(end)s
                   AND paid.paid_date > first_reminder.date
                """,
                paid=paid_items,
                min_delay=FIRST_REMINDER_MIN_DELAY,
                **params,
            )
        )
        first_count, first_avg, first_median = cr.fetchone()
        level_ids = set(actions) | set(recovered) | set(promises) | set(days)
        levels = (
            self.env["credit.recovery.level"].sudo().browse([level_id for level_id in level_ids if level_id])
        )
        # Levels are configuration (name, channel, delay) that accountants may read for the report.
        ordered = [level.id for level in levels.sorted()]
        if None in level_ids:
            ordered.append(None)
        round_amount = company.currency_id.round
        rows = []
        for level_id in ordered:
            count, due, overdue = actions.get(level_id, (0, 0.0, 0.0))
            kept, broken, running, kept_amount, broken_amount = promises.get(level_id, (0, 0, 0, 0.0, 0.0))
            paid_count, days_avg, days_median = days.get(level_id, (0, 0.0, 0.0))
            rows.append(
                {
                    "level_id": level_id,
                    "action_count": count,
                    "amount_due": round_amount(float(due or 0.0)),
                    "amount_overdue": round_amount(float(overdue or 0.0)),
                    "amount_recovered": round_amount(float(recovered.get(level_id) or 0.0)),
                    "promise_kept_count": kept,
                    "promise_broken_count": broken,
                    "promise_open_count": running,
                    "promise_kept_amount": round_amount(float(kept_amount)),
                    "promise_broken_amount": round_amount(float(broken_amount)),
                    "items_paid_count": paid_count,
                    "days_to_payment_avg": float(days_avg or 0.0),
                    "days_to_payment_median": float(days_median or 0.0),
                }
            )
        return {
            "levels": rows,
            "first_reminder": {
                "items": first_count or 0,
                "avg": float(first_avg or 0.0),
                "median": float(first_median or 0.0),
            },
        }


class CreditRecoveryEffectivenessLine(models.TransientModel):
    """One dunning level's results over the period."""

    _name = "credit.recovery.effectiveness.line"
    _description = "Dunning Effectiveness per Level"
    _order = "id"

    wizard_id = fields.Many2one(
        "credit.recovery.effectiveness.wizard", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="wizard_id.company_id", store=True)
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    level_id = fields.Many2one(
        "credit.recovery.level",
        ondelete="cascade",
        help="Empty for the promises recorded without a recovery action.",
    )
    level_name = fields.Char(string="Dunning Level", compute="_compute_level_name", store=True)
    channel = fields.Char(compute="_compute_level_name", store=True)
    action_count = fields.Integer(string="Actions")
    amount_due = fields.Monetary(string="Amount Reminded", currency_field="currency_id")
    amount_overdue = fields.Monetary(string="Overdue Reminded", currency_field="currency_id")
    amount_recovered = fields.Monetary(currency_field="currency_id")
    recovery_rate = fields.Float(
        string="Recovered (%)", digits=(16, 1), compute="_compute_rates", store=True, aggregator="avg"
    )
    promise_kept_count = fields.Integer(string="Promises Kept")
    promise_broken_count = fields.Integer(string="Promises Broken")
    promise_open_count = fields.Integer(string="Promises Running")
    promise_kept_amount = fields.Monetary(string="Amount Promised and Kept", currency_field="currency_id")
    promise_broken_amount = fields.Monetary(string="Amount Promised and Broken", currency_field="currency_id")
    promise_keep_rate = fields.Float(
        string="Promises Kept (%)", digits=(16, 1), compute="_compute_rates", store=True, aggregator="avg"
    )
    items_paid_count = fields.Integer(string="Items Paid")
    days_to_payment_avg = fields.Float(string="Average Days to Payment", digits=(16, 1), aggregator="avg")
    days_to_payment_median = fields.Float(string="Median Days to Payment", digits=(16, 1), aggregator="avg")

    @api.depends("level_id")
    def _compute_level_name(self):
        channels = dict(self.env["credit.recovery.level"]._fields["channel"]._description_selection(self.env))
        for line in self:
            # The level's name and channel, read for accountants who have no access to the levels.
            level = line.level_id.sudo()
            if level:
                line.level_name = self.env._(
                    "%(level)s (%(policy)s)", level=level.name, policy=level.policy_id.name
                )
                line.channel = channels.get(level.channel)
            else:
                line.level_name = self.env._("Without a recovery action")
                line.channel = False

    @api.depends("amount_due", "amount_recovered", "promise_kept_count", "promise_broken_count")
    def _compute_rates(self):
        for line in self:
            line.recovery_rate = 100.0 * line.amount_recovered / line.amount_due if line.amount_due else 0.0
            closed = line.promise_kept_count + line.promise_broken_count
            line.promise_keep_rate = 100.0 * line.promise_kept_count / closed if closed else 0.0
