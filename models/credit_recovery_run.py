import logging
import time
from collections import defaultdict
from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.dunning import Decision, LevelRule, contact_allowed, decide_customer, next_level
from .credit_recovery_action import UNIQUE_INDEX

_logger = logging.getLogger(__name__)

# Seconds a call of the scheduled action goes on applying batches: the decision, read once per call, is
# shared by its batches; a call ends well within the cron's time limit (``limit_time_real_cron``).
CRON_TIME_BUDGET = 30


def _group_by_value(mapping):
    """{value: [keys]} of a {key: value} mapping."""
    grouped = defaultdict(list)
    for key, value in mapping.items():
        grouped[value].append(key)
    return grouped


class CreditRecoveryRun(models.Model):
    """One daily run of the dunning policy in one company: what it decided, what failed."""

    _name = "credit.recovery.run"
    _description = "Dunning Run"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name")
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade", index=True)
    date = fields.Date(required=True, index=True)
    action_ids = fields.One2many("credit.recovery.action", "run_id", string="Actions")
    action_count = fields.Integer(compute="_compute_action_count")
    reconcile_partner_ids = fields.Many2many(
        "res.partner",
        "credit_recovery_run_reconcile_rel",
        string="Customers to Reconcile First",
        help="Customers with unreconciled payments or credit notes: not reminded, a reconciliation task instead.",
    )
    failed_partner_ids = fields.Many2many(
        "res.partner", "credit_recovery_run_failed_rel", string="Customers That Failed"
    )
    log = fields.Text(readonly=True)
    decided = fields.Boolean(
        readonly=True,
        copy=False,
        help="The run's first call decided the whole book: its next calls apply the customers left.",
    )
    work_partner_ids = fields.Many2many(
        "res.partner",
        "credit_recovery_run_work_rel",
        string="Customers Left to Apply",
        readonly=True,
        copy=False,
        help="The customers the run decided to remind (or to reconcile first) and has not applied yet.",
    )

    _sql_constraints = [
        ("company_date_unique", "UNIQUE(company_id, date)", "There is one dunning run per company and day."),
    ]

    @api.depends("company_id", "date")
    def _compute_name(self):
        for run in self:
            run.name = self.env._(
                "Dunning run of %(date)s (%(company)s)",
                date=fields.Date.to_string(run.date),
                company=run.company_id.name,
            )

    @api.depends("action_ids")
    def _compute_action_count(self):
        counts = dict(
            self.env["credit.recovery.action"]._read_group(
                [("run_id", "in", self.ids)], ["run_id"], ["__count"]
            )
        )
        for run in self:
            run.action_count = counts.get(run, 0)

    @api.model
    def _cron_run(self, batch_size=200, send_batch_size=50, time_budget=CRON_TIME_BUDGET):
        """Daily: decide one action per customer and company, carry the actions out, report progress.

        Each company is isolated from the others' failures (savepoints around its promise and plan checks,
        its run and its decision). A call applies the decisions ``batch_size`` at a time, batch after batch
        until ``time_budget`` seconds have passed (at least one batch per company); the e-mails and their
        letters are rendered by a later call (``send_batch_size`` at a time), never in the transaction that
        decided, so that one call always ends well within the cron's time limit. The book is decided once a
        day per company, by the first call (``_store_work``); the next calls decide again only the customers
        of the batch they apply (``_apply_work``).
        """
        today = fields.Date.context_today(self)
        deadline = time.monotonic() + time_budget
        done = remaining = 0
        for company in self._companies_to_run():
            run = self._prepare_company(company, today)
            if not run:
                continue
            decisions = None
            if not run.decided:
                # The first call of the day decides the whole book once and stores the customers to apply;
                # the next calls apply them batch after batch without deciding the book again.
                decisions = run._decide_safely()
                if decisions is None:
                    continue
                run._store_work(decisions)
                run._record_month_ends()
            applied, left = run._apply_work(batch_size, deadline, decisions)
            done += applied
            remaining += left
        Action = self.env["credit.recovery.action"]
        if not done:
            done = Action._send_queued(send_batch_size)
        remaining += Action.search_count(Action._send_queued_domain())
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return remaining

    def _work_left(self, decisions):
        """``[(customer, decision)]`` of ``decisions`` still to apply.

        Customers already told to reconcile today are not work left: they never make the run loop.
        """
        self.ensure_one()
        told = set(self.reconcile_partner_ids.ids)
        return [
            (partner, decision)
            for partner, decision in decisions.items()
            if decision.level is not None or partner.id not in told
        ]

    @api.model
    def _companies_to_run(self):
        return self.env["res.company"].search([("credit_default_policy_id", "!=", False)])

    @api.model
    def _get_or_create(self, company, date):
        run = self.search([("company_id", "=", company.id), ("date", "=", date)], limit=1)
        return run or self.create({"company_id": company.id, "date": date})

    @api.model
    def _prepare_company(self, company, today):
        """The company's run of ``today`` after its promise and plan checks, each step in its own savepoint.

        A failing check is logged on the run and raises an activity for the Credit Managers; the decision
        goes on. Returns an empty recordset when the run itself cannot be created.
        """
        failures = []
        checks = [
            (self.env._("Payment promises check"), self.env["credit.recovery.promise"]._check_due_promises),
            (self.env._("Payment plans check"), self.env["credit.recovery.plan"]._check_running_plans),
        ]
        for label, check in checks:
            try:
                with self.env.cr.savepoint():
                    check(today, company=company)
            except Exception as error:  # one company's failing check never stops the run
                _logger.warning("Dunning run: %s of company %s failed: %s", label, company.id, error)
                failures.append(self.env._("%(step)s: %(error)s", step=label, error=str(error)))
        try:
            with self.env.cr.savepoint():
                run = self._get_or_create(company, today)
        except Exception as error:  # logged, and the Credit Managers are told
            _logger.warning("Dunning run: the run of company %s could not be created: %s", company.id, error)
            return self.browse()
        for failure in failures:
            run._record_failure(failure)
        return run

    def _decide_safely(self, partner_ids=None):
        """``_decide`` in a savepoint: ``None`` (logged on the run, the managers told) when it fails."""
        try:
            with self.env.cr.savepoint():
                return self._decide(partner_ids=partner_ids)
        except Exception as error:  # one company's failing decision never stops the others
            _logger.warning("Dunning run %s: the decision failed: %s", self.id, error)
            self._record_failure(self.env._("Decision: %(error)s", error=str(error)))
            return None

    def _record_month_ends(self):
        """Record the book's past month ends for the dashboard's trend (``credit.recovery.book
        ._record_month_ends``), once a day with the decision, in a savepoint: a failure is logged on the run
        and the dashboard computes them when opened."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self.env["credit.recovery.book"]._record_month_ends(self.company_id, self.date)
        except Exception as error:  # the trend is a view of the book: the run goes on
            _logger.warning("Dunning run %s: the month ends could not be recorded: %s", self.id, error)
            self._record_failure(self.env._("Month ends of the overdue trend: %(error)s", error=str(error)))

    def _record_failure(self, message, partner=None):
        """Log ``message`` on the run (and ``partner`` among the customers that failed), tell the managers.

        The Credit Managers of the run's company get one activity on the run, created once per run.
        """
        self.ensure_one()
        values = {"log": "\n".join(filter(None, [self.log, message]))}
        if partner:
            values["failed_partner_ids"] = [fields.Command.link(partner.id)]
        self.write(values)
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        if self.activity_ids.filtered(lambda activity: activity.activity_type_id == activity_type):
            return
        group = self.env.ref("account_credit_recovery.group_credit_manager")
        # The run may be started by any user (or the cron): the managers are read from the group as such.
        managers = group.sudo().users.filtered(
            lambda user: not user.share and self.company_id in user.company_ids
        ) or self.env.ref("base.user_admin")
        model_id = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            [
                {
                    "activity_type_id": activity_type.id,
                    "automated": True,
                    "res_model_id": model_id,
                    "res_id": self.id,
                    "date_deadline": self.date,
                    "summary": self.env._("The dunning run of %(date)s met failures", date=self.date),
                    "note": self.env._("See the run's log: %(message)s", message=message),
                    "user_id": manager.id,
                }
                for manager in managers
            ]
        )

    def _decide(self, partner_ids=None):
        """``{customer: Decision}`` of what is due today for the run's company; reads only, writes nothing.

        ``partner_ids`` (commercial partners) restricts the decision to those customers, read for them only.

        A ``Decision`` (``tools.dunning``) is ``(level, line_ids, steps, amount_due, amount_overdue)``: the
        level of the customer's action, the ids of the items it covers, ``{item id: level}`` the items
        reach, what they owe and the overdue part. A decision whose ``level`` is ``None`` is a "reconcile
        first" task: the customer has a payment signal (``credit.recovery.book.payment``) and is not
        reminded. Reads every open receivable item of the company in one query, then decides in memory
        (``tools.dunning.decide_customer``); the number of queries does not grow with the book.
        """
        self.ensure_one()
        company = self.company_id
        Partner = self.env["res.partner"].with_company(company)
        today = self.date
        default_policy = company.credit_default_policy_id
        policies = default_policy | self.env["credit.recovery.policy"].search(
            [("company_id", "=", company.id)]
        )
        # Levels of each policy, read once: the loop below runs per item.
        levels_by_policy = {policy: self._level_rules(policy) for policy in policies}
        earliest = min((levels[0].delay for levels in levels_by_policy.values() if levels), default=0)
        rows = self._read_open_items(today - timedelta(days=earliest), partner_ids=partner_ids)
        if not rows:
            return {}
        partners = Partner.browse({row["partner_id"] for row in rows})
        partners.fetch(["credit_policy_id", "credit_recovery_paused_until", "credit_collective_proceeding"])
        by_partner = defaultdict(list)
        for row in rows:
            by_partner[row["partner_id"]].append(row)
        blocked, to_reconcile = self._blocked_partners(partners)
        last_contacts = self._last_contact_dates(partners, rows)
        tolerance = company.credit_overdue_tolerance
        decisions = {}
        for partner in partners:
            if partner in blocked:
                continue
            if partner in to_reconcile:
                open_rows = [row for row in by_partner[partner.id] if row["residual"] >= tolerance]
                total = sum(row["residual"] for row in open_rows)
                overdue = sum(row["residual"] for row in open_rows if row["due"] < today)
                decisions[partner] = Decision(None, [], {}, total, overdue)
                continue
            policy = partner.credit_policy_id or default_policy
            levels = levels_by_policy.get(policy)
            if levels is None:
                levels = levels_by_policy[policy] = self._level_rules(policy)
            if not levels:
                continue
            if not contact_allowed(last_contacts.get(partner.id), today, policy.min_interval_days):
                continue
            decision = decide_customer(
                levels, by_partner[partner.id], today, tolerance, lambda level: level.min_overdue_amount
            )
            if decision:
                decisions[partner] = decision
        return decisions

    @api.model
    def _level_rules(self, policy):
        """The policy's levels in order, as ``tools.dunning.LevelRule``."""
        return [
            LevelRule(level, level.delay_days, level.min_invoice_amount) for level in policy._ordered_levels()
        ]

    @api.model
    def _next_level(self, levels, row, today):
        """``(level, delay)`` the item reaches today, if any (``tools.dunning.next_level``)."""
        level, delay = next_level(levels, row, today)
        return level or self.env["credit.recovery.level"], delay

    def _read_open_items(self, due_before, partner_ids=None):
        """Open receivable items of the run's company due on or before ``due_before`` that the run chases
        (of the customers ``partner_ids`` only when given).

        The book answers which items those are (``credit.recovery.book._dunning_items_sql``: excluded items,
        factored invoices and the invoices ``account.move._credit_recovery_blocked`` names are left out);
        the run adds the level each item reached and leaves out the customers that failed today.
        """
        self.ensure_one()
        self.env["account.move.line"].flush_model(["credit_recovery_level_id", "credit_recovery_level_date"])
        self.env["account.move"].flush_model(["amount_total_signed"])
        self.env["credit.recovery.level"].flush_model(["delay_days"])
        self.env.cr.execute(
            SQL(
                """
                SELECT items.id,
                       items.partner_id,
                       items.due,
                       items.residual,
                       lvl.delay_days AS level_delay,
                       aml.credit_recovery_level_date AS level_date,
                       ABS(m.amount_total_signed) AS invoice_total,
                       items.move_id
                  FROM (%(items)s) items
                  JOIN account_move_line aml ON aml.id = items.id
                  JOIN account_move m ON m.id = items.move_id
             LEFT JOIN credit_recovery_level lvl ON lvl.id = aml.credit_recovery_level_id
                 WHERE items.partner_id NOT IN %(failed)s
                """,
                items=self.env["credit.recovery.book"]._dunning_items_sql(
                    self.company_id, due_before, partner_ids=partner_ids
                ),
                failed=tuple(self.failed_partner_ids.ids) or (0,),
            )
        )
        return self.env.cr.dictfetchall()

    def _blocked_partners(self, partners):
        """``(blocked, to_reconcile)`` among ``partners`` today, read in a few queries for all of them.

        Blocked: paused, in collective proceedings, promised, in a running payment plan, or waiting for the
        validation of a notice (the run never escalates past a letter a Credit Manager has not validated).
        To reconcile first: a payment signal (``credit.recovery.book.payment``): nobody who has paid, or
        may have paid, is reminded.
        """
        self.ensure_one()
        today = self.date
        blocked = partners.filtered(
            lambda partner: (
                partner.credit_collective_proceeding != "none"
                or (partner.credit_recovery_paused_until and partner.credit_recovery_paused_until >= today)
            )
        )
        blocked |= partners._credit_recovery_promised(today)
        blocked |= partners._credit_recovery_in_plan()
        waiting = self.env["credit.recovery.action"]._read_group(
            [
                ("company_id", "=", self.company_id.id),
                ("partner_id", "in", partners.ids),
                ("state", "=", "to_validate"),
            ],
            ["partner_id"],
        )
        blocked |= partners.browse([partner.id for [partner] in waiting])
        signals = self.env["credit.recovery.book.payment"]._payment_signals(
            self.company_id, partners - blocked
        )
        return blocked, partners.browse(list(signals))

    def _partners_with_unreconciled_credits(self, partners):
        """Ids of the customers among ``partners`` with unreconciled payments or credit notes (the book's)."""
        return self.env["credit.recovery.book"]._unreconciled_credit_partner_ids(
            self.company_id, partners.ids
        )

    def _schedule_reconciliation(self, partners):
        """One "reconcile first" activity per customer that has none yet, created in one batch.

        The existing activities are read once for all customers; the responsible users see the new ones in
        their activities rather than by one notification e-mail each, which would cost queries per customer.
        """
        if not partners:
            return
        self.reconcile_partner_ids = [fields.Command.link(partner.id) for partner in partners]
        activity_type = self.env.ref("account_credit_recovery.mail_activity_type_credit_reconcile")
        Activity = self.env["mail.activity"]
        existing = {
            res_id
            for [res_id] in Activity._read_group(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", partners.ids),
                    ("activity_type_id", "=", activity_type.id),
                ],
                ["res_id"],
            )
        }
        partners = partners.filtered(lambda partner: partner.id not in existing)
        if not partners:
            return
        partners = partners.with_company(self.company_id)  # the controller is set per company
        partners.fetch(["name", "user_id", "credit_controller_id"])
        admin = self.env.ref("base.user_admin")
        model_id = self.env["ir.model"]._get_id("res.partner")
        note = self.env._(
            "This customer has payments or credit notes not matched with its invoices. Reconcile them: "
            "the reminders wait until then, so that nobody who paid is reminded."
        )
        Activity.with_context(mail_activity_quick_update=True).create(
            [
                {
                    "activity_type_id": activity_type.id,
                    "automated": True,
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "date_deadline": self.date,
                    "summary": self.env._(
                        "Reconcile %(customer)s's payments before any reminder", customer=partner.name
                    ),
                    "note": note,
                    "user_id": (partner.credit_controller_id or partner.user_id or admin).id,
                }
                for partner in partners
            ]
        )

    def _last_contact_dates(self, partners, rows):
        """``{customer id: date}`` of its last contact: its latest action (a cancelled one counts on the day
        it was decided, so that a customer never gets two levels a day) or the day one of its open items last
        reached a level (which a deleted action does not erase)."""
        groups = self.env["credit.recovery.action"]._read_group(
            [
                ("company_id", "=", self.company_id.id),
                ("partner_id", "in", partners.ids),
                "|",
                ("state", "!=", "cancel"),
                ("date", "=", self.date),
            ],
            ["partner_id"],
            ["date:max"],
        )
        last = {partner.id: last for partner, last in groups}
        for row in rows:
            if row["level_date"] and (
                row["partner_id"] not in last or row["level_date"] > last[row["partner_id"]]
            ):
                last[row["partner_id"]] = row["level_date"]
        return last

    def _apply(self, decisions):
        """Create and carry out the decided actions of one batch; returns the actions created.

        The batch is written at once: one ``create`` of its actions, one ``write`` per level reached on the
        items, one batch of activities and of queued e-mails. When something fails, the batch is rolled back
        to its savepoint and replayed one customer at a time, each in its own savepoint, so that the
        customer that fails is logged (and marked failed) and the others go on. A customer that already
        has an action of the level today (a rerun, another worker) is skipped, as the unique index
        ``credit_recovery_action_unique_level_day`` would refuse it.
        """
        self.ensure_one()
        self._schedule_reconciliation(
            self.env["res.partner"]
            .with_company(self.company_id)
            .union(*(partner for partner, decision in decisions.items() if decision.level is None))
            - self.reconcile_partner_ids
        )
        todo = {partner: decision for partner, decision in decisions.items() if decision.level is not None}
        if not todo:
            return self.env["credit.recovery.action"]
        existing = self.env["credit.recovery.action"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("partner_id", "in", [partner.id for partner in todo]),
                ("date", "=", self.date),
                ("state", "!=", "cancel"),
            ]
        )
        done_today = {(action.partner_id, action.level_id) for action in existing}
        todo = {
            partner: decision
            for partner, decision in todo.items()
            if (partner, decision.level) not in done_today
        }
        if not todo:
            return self.env["credit.recovery.action"]
        try:
            with self.env.cr.savepoint():
                return self._apply_batch(todo)
        except Exception:  # replayed customer by customer below, failures logged there
            _logger.info("Dunning run %s: batch replayed customer by customer", self.id)
        created = self.env["credit.recovery.action"]
        for partner, decision in todo.items():
            try:
                with self.env.cr.savepoint():
                    created |= self._apply_batch({partner: decision})
            except psycopg2.IntegrityError as error:
                if error.diag.constraint_name == UNIQUE_INDEX:
                    # Another worker decided for this customer and level today: nothing more to do.
                    _logger.info("Dunning run: customer %s already handled today", partner.id)
                    continue
                self._customer_failed(partner, error)
            except Exception as error:  # one customer never stops the others
                self._customer_failed(partner, error)
        return created

    def _customer_failed(self, partner, error):
        _logger.warning("Dunning run: customer %s failed: %s", partner.id, error)
        self._record_failure(
            self.env._("%(customer)s: %(error)s", customer=partner.display_name, error=str(error)), partner
        )

    def _apply_batch(self, decisions):
        """Write the actions of ``decisions`` and carry them out, all at once (see ``_apply``)."""
        Action = self.env["credit.recovery.action"].with_company(self.company_id)
        admin = self.env.ref("base.user_admin")
        partners = self.env["res.partner"].with_company(self.company_id).union(*decisions)
        partners.fetch(["credit_controller_id", "user_id"])
        # Without the chatter's per-record work at creation (a "created" note on each action, its automatic
        # subscriptions, each a loop per record): the action is itself the trace of what the run decided.
        # The user who runs it follows the actions as a creator does, subscribed once for the batch.
        actions = (
            Action.with_context(tracking_disable=True)
            .create(
                [
                    {
                        "partner_id": partner.id,
                        "company_id": self.company_id.id,
                        "level_id": decision.level.id,
                        "channel": decision.level.channel,
                        "state": "to_validate" if decision.level.needs_validation else "draft",
                        "date": self.date,
                        "run_id": self.id,
                        "user_id": (partner.credit_controller_id or partner.user_id or admin).id,
                        "line_ids": [fields.Command.set(decision.line_ids)],
                        "amount_due": decision.amount_due,
                        "amount_overdue": decision.amount_overdue,
                    }
                    for partner, decision in decisions.items()
                ]
            )
            .with_env(Action.env)
        )
        if not self.env.context.get("mail_create_nosubscribe") and self.env.user.active:
            actions.message_subscribe(partner_ids=self.env.user.partner_id.ids)
        steps = {}
        for decision in decisions.values():
            steps.update(decision.steps)
        # The level reached is the run's own note on the items: nothing of their entries' taxes, terms or
        # balance changes, so account's per-entry synchronisation (queries per invoice), its balance check
        # and its tracking of the items (neither field is tracked) are not needed.
        Line = self.env["account.move.line"].with_context(
            skip_invoice_sync=True, check_move_validity=False, tracking_disable=True
        )
        for step, line_ids in _group_by_value(steps).items():
            Line.browse(line_ids).write(
                {"credit_recovery_level_id": step.id, "credit_recovery_level_date": self.date}
            )
        actions._execute(decided=True)
        return actions

    def _store_work(self, decisions):
        """Store on the run the customers of ``decisions`` still to apply (``_work_left``), in the order the
        next calls apply them: the run is decided for the day."""
        self.ensure_one()
        self.write(
            {
                "decided": True,
                "work_partner_ids": [
                    fields.Command.set(
                        sorted(partner.id for partner, _decision in self._work_left(decisions))
                    )
                ],
            }
        )

    def _apply_work(self, batch_size, deadline, decisions=None):
        """Apply the run's customers left (``work_partner_ids``) ``batch_size`` at a time until ``deadline``
        (``time.monotonic()``) has passed, one batch at least; returns ``(applied, left)``.

        ``decisions`` are those this call has just made for the whole book; without them, each batch is
        decided again for its customers only (``_decide(partner_ids=...)``): what they owe, their payment
        signals, pauses, promises and plans, and the levels they reached today, as fresh as for the first
        call, in queries that grow with the batches, never with the book. Each batch is one ``_apply``;
        its customers then leave the run's work.
        """
        self.ensure_one()
        partner_ids = sorted(self.work_partner_ids.ids)
        decided = {partner.id: (partner, decision) for partner, decision in (decisions or {}).items()}
        applied = 0
        while applied < len(partner_ids):
            batch = partner_ids[applied : applied + batch_size]
            if decisions is None:
                # A batch whose decision fails is logged (``_decide_safely``) and left for today.
                batch_decisions = dict(self._work_left(self._decide_safely(partner_ids=batch) or {}))
            else:
                batch_decisions = dict(decided[partner_id] for partner_id in batch if partner_id in decided)
            self._apply(batch_decisions)
            self.work_partner_ids = [fields.Command.unlink(partner_id) for partner_id in batch]
            applied += len(batch)
            if time.monotonic() >= deadline:
                break
        return applied, len(partner_ids) - applied
