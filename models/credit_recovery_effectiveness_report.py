from odoo import api, fields, models
from odoo.tools import SQL

from .credit_recovery_level import CHANNELS
from .credit_recovery_report_view import EFFECTIVENESS_DAYS_KEY

# Levels before the due date (pre-due calls) are not reminders: the time to payment counts from the first
# level at or after the due date.
FIRST_REMINDER_MIN_DELAY = 0
DEFAULT_RECOVERY_DAYS = 30


class CreditRecoveryEffectivenessReport(models.Model):
    """What each dunning level brought back, as a list, pivot or graph, over the dates of the search panel.

    Four kinds of lines, each dated, so that a period is a filter on the date:
    - one per done recovery action (dated on the action): what it reminded, and the receipts matched with
      the items it covered, received after its date and within the payment window (the context's
      ``credit_effectiveness_days``, 30 days by default); a receipt counts once, for the latest such
      action; credit notes and write-offs are no receipts (the book's settlements);
    - one per promise (dated on its due date), on the level of the action it was recorded during;
    - one per item covered by a level's actions on a day and fully paid after it: the days from the action
      to its last receipt;
    - one per item fully paid after its first reminder (levels from the due date on): the days from that
      reminder to its last receipt, on the reminder's level.
    """

    _name = "credit.recovery.effectiveness.report"
    _inherit = ["credit.recovery.report.view"]
    _description = "Dunning Effectiveness Analysis"
    _auto = False
    _order = "date desc, id"
    _rec_name = "level_name"

    date = fields.Date(readonly=True)
    level_id = fields.Many2one("credit.recovery.level", readonly=True)
    level_name = fields.Char(string="Dunning Level", readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    action_count = fields.Integer(string="Actions", readonly=True)
    amount_due = fields.Monetary(string="Amount Reminded", currency_field="currency_id", readonly=True)
    amount_overdue = fields.Monetary(string="Overdue Reminded", currency_field="currency_id", readonly=True)
    amount_recovered = fields.Monetary(currency_field="currency_id", readonly=True)
    recovery_rate = fields.Float(string="Recovered (%)", digits=(16, 1), readonly=True, aggregator="avg")
    promise_kept_count = fields.Integer(string="Promises Kept", readonly=True)
    promise_broken_count = fields.Integer(string="Promises Broken", readonly=True)
    promise_open_count = fields.Integer(string="Promises Running", readonly=True)
    promise_kept_amount = fields.Monetary(
        string="Amount Promised and Kept", currency_field="currency_id", readonly=True
    )
    promise_broken_amount = fields.Monetary(
        string="Amount Promised and Broken", currency_field="currency_id", readonly=True
    )
    promise_keep_rate = fields.Float(
        string="Promises Kept (%)", digits=(16, 1), readonly=True, aggregator="avg"
    )
    items_paid_count = fields.Integer(string="Items Paid", readonly=True)
    days_to_payment_avg = fields.Float(
        string="Average Days to Payment", digits=(16, 1), readonly=True, aggregator="avg"
    )
    days_to_payment_median = fields.Float(
        string="Median Days to Payment", digits=(16, 1), readonly=True, aggregator="avg"
    )
    first_reminder_items = fields.Integer(string="Items Paid After a Reminder", readonly=True)
    first_reminder_days_avg = fields.Float(
        string="Average Days from First Reminder to Payment", digits=(16, 1), readonly=True, aggregator="avg"
    )
    first_reminder_days_median = fields.Float(
        string="Median Days from First Reminder to Payment", digits=(16, 1), readonly=True, aggregator="avg"
    )

    @property
    def _table_query(self):
        self.env["credit.recovery.book"]._flush()
        self.env["credit.recovery.action"].flush_model(
            [
                "company_id",
                "level_id",
                "state",
                "date",
                "line_ids",
                "partner_id",
                "amount_due",
                "amount_overdue",
            ]
        )
        self.env["credit.recovery.promise"].flush_model(
            ["company_id", "action_id", "state", "date", "amount"]
        )
        self.env["credit.recovery.level"].flush_model(["delay_days", "name", "channel", "policy_id"])
        self.env["credit.recovery.policy"].flush_model(["name"])
        return SQL(" UNION ALL ").join(self._effectiveness_sql(company) for company in self.env.companies)

    @api.model
    def _recovery_days(self):
        return int(self.env.context.get(EFFECTIVENESS_DAYS_KEY) or DEFAULT_RECOVERY_DAYS)

    @api.model
    def _effectiveness_sql(self, company):
        book = self.env["credit.recovery.book"]
        lang = self.env.lang or "en_US"
        return SQL(
            """
            SELECT * FROM (
            WITH done AS (
                SELECT action.id, action.level_id, action.date, action.partner_id,
                       action.amount_due, action.amount_overdue
                  FROM credit_recovery_action action
                 WHERE action.company_id = %(company)s
                   AND action.state = 'done'
            ), settlement AS (%(settlements)s),
            attributed AS (
                -- Each receipt counts once, for the latest action before it within the window.
                SELECT DISTINCT ON (settlement.id) settlement.id, settlement.amount, done.id AS action_id
                  FROM done
                  JOIN credit_recovery_action_line_rel rel ON rel.action_id = done.id
                  JOIN settlement ON settlement.line_id = rel.line_id
                 WHERE settlement.paid_date > done.date
                   AND settlement.paid_date <= done.date + %(days)s
              ORDER BY settlement.id, done.date DESC, done.id DESC
            ), recovered AS (
                SELECT action_id, SUM(amount) AS amount FROM attributed GROUP BY action_id
            ), paid AS (
                -- The items fully paid, on the date of their last receipt.
                SELECT settlement.line_id, settlement.partner_id, MAX(settlement.paid_date) AS paid_date
                  FROM settlement
                 WHERE settlement.reconciled
              GROUP BY settlement.line_id, settlement.partner_id
            ), covered AS (
                SELECT DISTINCT done.level_id, done.date, rel.line_id
                  FROM done
                  JOIN credit_recovery_action_line_rel rel ON rel.action_id = done.id
            ), first_reminder AS (
                SELECT DISTINCT ON (rel.line_id) rel.line_id, done.level_id, done.date
                  FROM done
                  JOIN credit_recovery_action_line_rel rel ON rel.action_id = done.id
                  JOIN credit_recovery_level level ON level.id = done.level_id
                 WHERE level.delay_days >= %(min_delay)s
              ORDER BY rel.line_id, done.date, done.id
            ), rows AS (
                SELECT done.id::bigint * 4 AS id, done.date, done.level_id, partner.commercial_partner_id AS partner_id,
                       1 AS action_count, done.amount_due, done.amount_overdue,
                       COALESCE(recovered.amount, 0) AS amount_recovered,
                       CASE WHEN COALESCE(done.amount_due, 0) != 0
                            THEN 100.0 * COALESCE(recovered.amount, 0) / done.amount_due END AS recovery_rate,
                       0 AS promise_kept_count, 0 AS promise_broken_count, 0 AS promise_open_count,
                       0 AS promise_kept_amount, 0 AS promise_broken_amount,
                       0 AS items_paid_count, NULL::numeric AS days_to_payment,
                       0 AS first_reminder_items, NULL::numeric AS first_reminder_days
                  FROM done
                  JOIN res_partner partner ON partner.id = done.partner_id
             LEFT JOIN recovered ON recovered.action_id = done.id
                 UNION ALL
                SELECT promise.id::bigint * 4 + 1, promise.date, action.level_id, partner.commercial_partner_id,
                       0, 0, 0, 0, NULL,
                       (promise.state = 'kept')::integer, (promise.state = 'broken')::integer,
                       (promise.state = 'open')::integer,
                       CASE WHEN promise.state = 'kept' THEN promise.amount ELSE 0 END,
                       CASE WHEN promise.state = 'broken' THEN promise.amount ELSE 0 END,
                       0, NULL, 0, NULL
                  FROM credit_recovery_promise promise
                  JOIN res_partner partner ON partner.id = promise.partner_id
             LEFT JOIN credit_recovery_action action ON action.id = promise.action_id
                 WHERE promise.company_id = %(company)s
                 UNION ALL
                SELECT (ROW_NUMBER() OVER (ORDER BY covered.level_id, covered.date, covered.line_id))::bigint * 4 + 2,
                       covered.date, covered.level_id, paid.partner_id,
                       0, 0, 0, 0, NULL, 0, 0, 0, 0, 0,
                       1, paid.paid_date - covered.date, 0, NULL
                  FROM covered
                  JOIN paid ON paid.line_id = covered.line_id
                 WHERE paid.paid_date > covered.date
                 UNION ALL
                SELECT first_reminder.line_id::bigint * 4 + 3, first_reminder.date, first_reminder.level_id,
                       paid.partner_id,
                       0, 0, 0, 0, NULL, 0, 0, 0, 0, 0, 0, NULL,
                       1, paid.paid_date - first_reminder.date
                  FROM first_reminder
                  JOIN paid ON paid.line_id = first_reminder.line_id
                 WHERE paid.paid_date > first_reminder.date
            )
            SELECT rows.id,
                   %(company)s AS company_id,
                   rows.date,
                   rows.level_id,
                   CASE WHEN level.id IS NULL THEN %(without)s
                        ELSE CONCAT(COALESCE(level.name ->> %(lang)s, level.name ->> 'en_US'), ' (',
                                    COALESCE(policy.name ->> %(lang)s, policy.name ->> 'en_US'), ')') END AS level_name,
                   level.channel,
                   rows.partner_id,
                   %(customer_columns)s,
                   rows.action_count,
                   rows.amount_due,
                   rows.amount_overdue,
                   rows.amount_recovered,
                   rows.recovery_rate,
                   rows.promise_kept_count,
                   rows.promise_broken_count,
                   rows.promise_open_count,
                   rows.promise_kept_amount,
                   rows.promise_broken_amount,
                   CASE WHEN rows.promise_kept_count + rows.promise_broken_count > 0
                        THEN 100.0 * rows.promise_kept_count END AS promise_keep_rate,
                   rows.items_paid_count,
                   rows.days_to_payment AS days_to_payment_avg,
                   rows.days_to_payment AS days_to_payment_median,
                   rows.first_reminder_items,
                   rows.first_reminder_days AS first_reminder_days_avg,
                   rows.first_reminder_days AS first_reminder_days_median
              FROM rows
         LEFT JOIN credit_recovery_level level ON level.id = rows.level_id
         LEFT JOIN credit_recovery_policy policy ON policy.id = level.policy_id
         LEFT JOIN res_partner partner ON partner.id = rows.partner_id
            ) effectiveness
            """,
            company=company.id,
            customer_columns=book._customer_columns_sql(company),
            settlements=book._settlements_sql(company),
            days=self._recovery_days(),
            min_delay=FIRST_REMINDER_MIN_DELAY,
            without=self.env._("Without a recovery action"),
            lang=lang,
        )

    def _read_group_select(self, aggregate_spec, query):
        def column(fname):
            return self._field_to_sql(self._table, fname, query)

        # Rates and medians of a group are the group's own, not averages of its lines' figures.
        if aggregate_spec == "recovery_rate:avg":
            return SQL(
                "COALESCE(100.0 * SUM(%s) / NULLIF(SUM(%s), 0), 0)",
                column("amount_recovered"),
                column("amount_due"),
            )
        if aggregate_spec == "promise_keep_rate:avg":
            return SQL(
                "COALESCE(100.0 * SUM(%s) / NULLIF(SUM(%s) + SUM(%s), 0), 0)",
                column("promise_kept_count"),
                column("promise_kept_count"),
                column("promise_broken_count"),
            )
        for fname in ("days_to_payment_median", "first_reminder_days_median"):
            if aggregate_spec == f"{fname}:avg":
                return SQL("PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY %s)", column(fname))
        return super()._read_group_select(aggregate_spec, query)

    @api.model
    def _credit_report_title(self):
        return self.env._("Dunning Effectiveness (payments within %(days)s days)", days=self._recovery_days())

    @api.model
    def _credit_report_columns(self):
        return [
            "date",
            "level_name",
            "partner_id",
            "action_count",
            "amount_due",
            "amount_recovered",
            "promise_kept_count",
            "promise_broken_count",
            "items_paid_count",
            "days_to_payment_avg",
        ]

    @api.model
    def action_open(self, date_from=None, date_to=None, recovery_days=None, context=None):
        """The effectiveness of the actions from ``date_from`` to ``date_to`` (the last 12 months by
        default), payments counted within ``recovery_days`` days."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_credit_recovery.credit_recovery_effectiveness_report_action"
        )
        days = recovery_days or DEFAULT_RECOVERY_DAYS
        action["context"] = {
            **(context or {}),
            EFFECTIVENESS_DAYS_KEY: days,
            "search_default_group_by_level": 1,
        }
        if date_from and date_to:
            action["domain"] = [
                ("date", ">=", fields.Date.to_string(date_from)),
                ("date", "<=", fields.Date.to_string(date_to)),
            ]
            action["name"] = self.env._(
                "Dunning Effectiveness from %(start)s to %(end)s",
                start=fields.Date.to_string(date_from),
                end=fields.Date.to_string(date_to),
            )
        else:
            action["context"]["search_default_last_12_months"] = 1
        return action
