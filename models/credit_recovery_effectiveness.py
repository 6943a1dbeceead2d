from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .credit_recovery_report_view import EFFECTIVENESS_DAYS_KEY


class CreditRecoveryEffectivenessWizard(models.TransientModel):
    """What each dunning level brought back: payments after its actions, promises kept, time to payment."""

    _name = "credit.recovery.effectiveness.wizard"
    _inherit = ["credit.recovery.report.mixin"]
    _description = "Dunning Effectiveness"

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

    def action_open_lines(self):
        """The levels as a list, pivot or graph."""
        self.ensure_one()
        return self._credit_lines_action(
            "account_credit_recovery.credit_recovery_effectiveness_line_action",
            self.env._(
                "Dunning Effectiveness from %(start)s to %(end)s",
                start=fields.Date.to_string(self.date_from),
                end=fields.Date.to_string(self.date_to),
            ),
        )

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

    def action_open_report(self):
        """The effectiveness over the wizard's period as a list, pivot or graph."""
        self.ensure_one()
        return (
            self.env["credit.recovery.effectiveness.report"]
            .with_company(self.company_id)
            .action_open(self.date_from, self.date_to, self.recovery_days)
        )

    @api.model
    def _compute_effectiveness(self, company, date_from, date_to, recovery_days):
        """Effectiveness of the done recovery actions of ``company`` dated from ``date_from`` to ``date_to``.

        The figures are the effectiveness report's (``credit.recovery.effectiveness.report``, read in SQL
        so that accountants without dunning rights get the figures, not the actions), grouped by level:
        - actions per level: how many, and what they reminded (amount due and overdue);
        - recovered per level: the receipts matched with the items an action covered, received after its
          date and within ``recovery_days`` days; a receipt counts once, for the latest such action;
        - promises per level of the action they were recorded during, by state, for the promises due in
          the period (promises recorded without an action come on a line without level);
        - days to payment: for each item covered by an action of the level and fully paid after it, the
          days from the action to the last payment (average and median); the same from each item's first
          reminder for the period's totals.

        Returns {"levels": [dict per level, in the levels' order], "first_reminder": {items, avg, median}}.
        """
        report = self.env["credit.recovery.effectiveness.report"].with_context(
            allowed_company_ids=[company.id], **{EFFECTIVENESS_DAYS_KEY: recovery_days}
        )
        domain = [("company_id", "=", company.id), ("date", ">=", date_from), ("date", "<=", date_to)]
        measures = [
            "action_count",
            "amount_due",
            "amount_overdue",
            "amount_recovered",
            "promise_kept_count",
            "promise_broken_count",
            "promise_open_count",
            "promise_kept_amount",
            "promise_broken_amount",
            "items_paid_count",
        ]
        averages = ["days_to_payment_avg", "days_to_payment_median"]
        groups = report._read_group(
            domain,
            ["level_id"],
            [f"{fname}:sum" for fname in measures] + [f"{fname}:avg" for fname in averages],
        )
        [(first_count, first_avg, first_median)] = report._read_group(
            domain,
            [],
            ["first_reminder_items:sum", "first_reminder_days_avg:avg", "first_reminder_days_median:avg"],
        )
        by_level = {level.id or None: values for level, *values in groups}
        # Levels are configuration (name, channel, delay) that accountants may read for the report.
        levels = (
            self.env["credit.recovery.level"].sudo().browse([level_id for level_id in by_level if level_id])
        )
        ordered = [level.id for level in levels.sorted()]
        if None in by_level:
            ordered.append(None)
        round_amount = company.currency_id.round
        rows = []
        for level_id in ordered:
            values = dict(zip(measures + averages, by_level[level_id], strict=True))
            for fname in (
                "amount_due",
                "amount_overdue",
                "amount_recovered",
                "promise_kept_amount",
                "promise_broken_amount",
            ):
                values[fname] = round_amount(float(values[fname] or 0.0))
            for fname in averages:
                values[fname] = float(values[fname] or 0.0)
            rows.append({"level_id": level_id, **values})
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
