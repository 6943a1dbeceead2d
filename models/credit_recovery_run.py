import logging
from collections import defaultdict
from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


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
    def _cron_run(self, batch_size=200):
        """Daily: decide one action per customer and company, carry the actions out, report progress."""
        today = fields.Date.context_today(self)
        self.env["credit.recovery.promise"]._check_due_promises(today)
        self.env["credit.recovery.plan"]._check_running_plans(today)
        done = remaining = 0
        for company in self._companies_to_run():
            run = self._get_or_create(company, today)
            decisions = run._decide()
            batch, rest = dict(list(decisions.items())[:batch_size]), len(decisions) - batch_size
            run._apply(batch)
            done += len(batch)
            remaining += max(rest, 0)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return remaining

    @api.model
    def _companies_to_run(self):
        return self.env["res.company"].search([("credit_default_policy_id", "!=", False)])

    @api.model
    def _get_or_create(self, company, date):
        run = self.search([("company_id", "=", company.id), ("date", "=", date)], limit=1)
        return run or self.create({"company_id": company.id, "date": date})

    def _decide(self):
        """{customer: (level, lines, amount_due, amount_overdue)} of what is due today, for the run's company.

        Reads every open receivable item of the company in one query, then decides in memory.
        """
        self.ensure_one()
        company = self.company_id
        Partner = self.env["res.partner"].with_company(company)
        today = self.date
        default_policy = company.credit_default_policy_id
        policies = default_policy | self.env["credit.recovery.policy"].search(
            [("company_id", "=", company.id)]
        )
        # (level, delay, minimum invoice amount) per policy, read once: the loop below runs per item.
        levels_by_policy = {
            policy: [
                (level, level.delay_days, level.min_invoice_amount) for level in policy._ordered_levels()
            ]
            for policy in policies
        }
        earliest = min((levels[0][1] for levels in levels_by_policy.values() if levels), default=0)
        rows = self._read_open_items(today - timedelta(days=earliest))
        if not rows:
            return {}
        partners = Partner.browse({row["partner_id"] for row in rows})
        partners.fetch(["credit_policy_id", "credit_recovery_paused_until", "credit_collective_proceeding"])
        blocked = self._blocked_partners(partners, rows)
        last_contacts = self._last_contact_dates(partners)
        by_partner = defaultdict(list)
        for row in rows:
            by_partner[row["partner_id"]].append(row)
        tolerance = company.credit_overdue_tolerance
        Line = self.env["account.move.line"]
        Level = self.env["credit.recovery.level"]
        decisions = {}
        for partner in partners:
            if partner in blocked:
                continue
            policy = partner.credit_policy_id or default_policy
            levels = levels_by_policy.get(policy)
            if levels is None:
                levels = levels_by_policy[policy] = [
                    (level, level.delay_days, level.min_invoice_amount) for level in policy._ordered_levels()
                ]
            if not levels:
                continue
            last = last_contacts.get(partner.id)
            if last and (today - last).days < policy.min_interval_days:
                continue
            chosen, chosen_delay = Level, None
            steps = {}
            covered = []
            amount_due = amount_overdue = 0.0
            for row in by_partner[partner.id]:
                if row["residual"] < tolerance:
                    continue
                overdue = row["due"] < today
                step, step_delay = self._next_level(levels, row, today)
                if overdue or step:
                    covered.append(row["id"])
                    amount_due += row["residual"]
                if overdue:
                    amount_overdue += row["residual"]
                if step:
                    steps[row["id"]] = step
                    if chosen_delay is None or step_delay > chosen_delay:
                        chosen, chosen_delay = step, step_delay
            if not chosen or amount_due < chosen.min_overdue_amount:
                continue
            decisions[partner] = (chosen, Line.browse(covered), steps, amount_due, amount_overdue)
        return decisions

    @api.model
    def _next_level(self, levels, row, today):
        """``(level, delay)`` the item reaches today, if any: the next after its current one, never two at once.

        ``levels`` are ``(level, delay_days, min_invoice_amount)`` in order; ``(False, None)`` when none.
        """
        current = row["level_delay"]
        overdue = row["due"] < today
        for level, delay, min_invoice_amount in levels:
            if current is not None and delay <= current:
                continue
            if delay < 0 and overdue:
                continue  # a pre-due check is pointless once the item is overdue
            if min_invoice_amount and row["invoice_total"] < min_invoice_amount:
                continue
            if row["due"] + timedelta(days=delay) <= today:
                return level, delay
            return False, None
        return False, None

    def _read_open_items(self, due_before):
        """Open receivable items of the run's company due on or before ``due_before``.

        Left out: excluded items, factored invoices, and the invoices ``account.move._credit_recovery_blocked``
        names (its ``_credit_recovery_block_fields``), tested here in SQL for the whole book at once.
        """
        self.ensure_one()
        AccountMoveLine = self.env["account.move.line"]
        AccountMoveLine.flush_model(
            [
                "company_id",
                "partner_id",
                "account_id",
                "parent_state",
                "amount_residual",
                "date_maturity",
                "credit_recovery_level_id",
                "credit_recovery_excluded",
                "reconciled",
                "move_id",
            ]
        )
        Move = self.env["account.move"]
        block_fields = Move._credit_recovery_block_fields()
        Move.flush_model(["amount_total_signed", "credit_factored", "move_type", *block_fields])
        self.env["credit.recovery.level"].flush_model(["delay_days"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT aml.id,
                       p.commercial_partner_id AS partner_id,
                       aml.date_maturity AS due,
                       aml.amount_residual AS residual,
                       lvl.delay_days AS level_delay,
                       ABS(m.amount_total_signed) AS invoice_total,
                       m.id AS move_id
                  FROM account_move_line aml
                  JOIN account_account a ON a.id = aml.account_id
                  JOIN res_partner p ON p.id = aml.partner_id
                  JOIN account_move m ON m.id = aml.move_id
             LEFT JOIN credit_recovery_level lvl ON lvl.id = aml.credit_recovery_level_id
                 WHERE aml.company_id = %(company)s
                   AND aml.parent_state = 'posted'
                   AND a.account_type = 'asset_receivable'
                   AND NOT aml.reconciled
                   AND aml.amount_residual > 0
                   AND aml.date_maturity <= %(due_before)s
                   AND NOT COALESCE(aml.credit_recovery_excluded, FALSE)
                   AND NOT COALESCE(m.credit_factored, FALSE)
                   %(not_blocked)s
                   AND p.commercial_partner_id NOT IN %(failed)s
                """,
                company=self.company_id.id,
                due_before=due_before,
                failed=tuple(self.failed_partner_ids.ids) or (0,),
                # account.move._credit_recovery_blocked(), tested in the same query for the whole book
                not_blocked=SQL(" ").join(
                    [SQL("AND NOT COALESCE(%s, FALSE)", SQL.identifier("m", fname)) for fname in block_fields]
                ),
            )
        )
        return self.env.cr.dictfetchall()

    def _blocked_partners(self, partners, rows):
        """Customers the run leaves alone today: paused, in collective proceedings, or to reconcile first."""
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
        # Never remind a customer who has paid: unreconciled payments or credit notes come first.
        to_reconcile = partners.browse(self._partners_with_unreconciled_credits(partners))
        if to_reconcile:
            self._schedule_reconciliation(to_reconcile - self.reconcile_partner_ids)
            blocked |= to_reconcile
        return blocked

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
        self.reconcile_partner_ids |= partners
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

    def _last_contact_dates(self, partners):
        groups = self.env["credit.recovery.action"]._read_group(
            [
                ("company_id", "=", self.company_id.id),
                ("partner_id", "in", partners.ids),
                ("state", "!=", "cancel"),
            ],
            ["partner_id"],
            ["date:max"],
        )
        return {partner.id: last for partner, last in groups}

    def _apply(self, decisions):
        """Create and carry out the decided actions, each customer isolated from the others' failures."""
        self.ensure_one()
        Action = self.env["credit.recovery.action"].with_company(self.company_id)
        created = Action
        for partner, (level, lines, steps, amount_due, amount_overdue) in decisions.items():
            try:
                with self.env.cr.savepoint():
                    action = Action.create(
                        {
                            "partner_id": partner.id,
                            "company_id": self.company_id.id,
                            "level_id": level.id,
                            "channel": level.channel,
                            "state": "to_validate" if level.needs_validation else "draft",
                            "date": self.date,
                            "run_id": self.id,
                            "user_id": (
                                partner.credit_controller_id
                                or partner.user_id
                                or self.env.ref("base.user_admin")
                            ).id,
                            "line_ids": [fields.Command.set(lines.ids)],
                            "amount_due": amount_due,
                            "amount_overdue": amount_overdue,
                        }
                    )
                    for step, line_ids in _group_by_value(steps).items():
                        lines.browse(line_ids).write({"credit_recovery_level_id": step.id})
                    action._execute()
                    created |= action
            except psycopg2.IntegrityError:
                # Another worker decided for this customer and level today: nothing more to do.
                _logger.info("Dunning run: customer %s already handled today", partner.id)
            except Exception as error:
                _logger.warning("Dunning run: customer %s failed: %s", partner.id, error)
                self.failed_partner_ids |= partner
                self.log = "\n".join(
                    filter(
                        None,
                        [
                            self.log,
                            self.env._(
                                "%(customer)s: %(error)s", customer=partner.display_name, error=str(error)
                            ),
                        ],
                    )
                )
        return created
