from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class CreditRecoveryPlan(models.Model):
    """A payment plan (échéancier): the debt split into dated instalments, signed by the customer."""

    _name = "credit.recovery.plan"
    _description = "Payment Plan"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="restrict", index=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, ondelete="cascade", index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "Signed, Running"),
            ("done", "Paid"),
            ("forfeited", "Forfeited"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    date_signed = fields.Date(string="Signed On", tracking=True)
    line_ids = fields.Many2many(
        "account.move.line",
        "credit_recovery_plan_line_rel",
        "plan_id",
        "line_id",
        string="Items",
        domain="[('partner_id', 'child_of', partner_id), ('account_type', '=', 'asset_receivable'), "
        "('reconciled', '=', False), ('parent_state', '=', 'posted'), ('amount_residual', '>', 0)]",
        help="The receivable items the plan settles.",
    )
    amount_total = fields.Monetary(
        string="Debt", currency_field="currency_id", help="What the items owed when the plan was signed."
    )
    amount_paid = fields.Monetary(string="Paid", currency_field="currency_id", compute="_compute_amount_paid")
    instalment_ids = fields.One2many(
        "credit.recovery.plan.instalment", "plan_id", string="Instalments", copy=True
    )
    instalment_count = fields.Integer(string="Number of Payments", default=3)
    interval_days = fields.Integer(string="Days Between Payments", default=15)
    first_percent = fields.Float(
        string="First Payment (%)", default=30.0, help="The deposit paid when signing."
    )
    note = fields.Text()

    @api.depends("partner_id.name", "date_signed")
    def _compute_name(self):
        for plan in self:
            plan.name = self.env._("Payment plan of %(customer)s", customer=plan.partner_id.name or "")

    @api.depends("line_ids.amount_residual", "amount_total")
    def _compute_amount_paid(self):
        book = self.env["credit.recovery.book"]
        for plan in self:
            plan.amount_paid = book._plan_paid(plan)

    @api.constrains("instalment_ids", "state")
    def _check_instalments(self):
        for plan in self.filtered(lambda plan: plan.state == "running"):
            total = sum(plan.instalment_ids.mapped("amount"))
            if plan.currency_id.compare_amounts(total, plan.amount_total):
                raise ValidationError(
                    self.env._(
                        "The instalments of %(plan)s add up to %(total)s but the debt is %(debt)s.",
                        plan=plan.name,
                        total=plan.currency_id.format(total),
                        debt=plan.currency_id.format(plan.amount_total),
                    )
                )

    @api.constrains("line_ids", "partner_id", "company_id")
    def _check_line_ids(self):
        for plan in self:
            customer = plan.partner_id.commercial_partner_id
            foreign = plan.line_ids.filtered(
                lambda line, plan=plan, customer=customer: (
                    line.company_id != plan.company_id
                    or line.partner_id.commercial_partner_id != customer
                    or line.currency_id != plan.currency_id
                )
            )
            if foreign:
                raise ValidationError(
                    self.env._(
                        "A payment plan of %(customer)s settles its debts in %(currency)s in %(company)s only, not "
                        "%(items)s.",
                        customer=customer.name,
                        currency=plan.currency_id.name,
                        company=plan.company_id.name,
                        items=", ".join(foreign.mapped("credit_debt_move_id.name")),
                    )
                )

    def action_generate_instalments(self):
        """Split the debt: a first payment now, the rest in equal parts at the chosen interval."""
        for plan in self:
            if plan.state != "draft":
                raise UserError(self.env._("Only a draft plan can be rescheduled."))
            if plan.instalment_count < 1 or not 0 <= plan.first_percent < 100:
                raise UserError(self.env._("Choose at least one payment and a first payment below 100 %."))
            debt = sum(plan.line_ids.mapped("amount_residual"))
            if not debt:
                raise UserError(self.env._("Select the items the plan settles first."))
            today = fields.Date.context_today(self)
            amounts = plan._split(debt)
            plan.write(
                {
                    "amount_total": debt,
                    "instalment_ids": [fields.Command.clear()]
                    + [
                        fields.Command.create(
                            {"date": today + relativedelta(days=plan.interval_days * index), "amount": amount}
                        )
                        for index, amount in enumerate(amounts)
                    ],
                }
            )
        return True

    def _split(self, debt):
        self.ensure_one()
        round_ = self.currency_id.round
        if self.instalment_count == 1:
            return [debt]
        first = round_(debt * self.first_percent / 100.0) if self.first_percent else 0.0
        rest_count = self.instalment_count - (1 if first else 0)
        rest = round_((debt - first) / rest_count)
        amounts = ([first] if first else []) + [rest] * rest_count
        amounts[-1] = round_(debt - sum(amounts[:-1]))
        return amounts

    def action_sign(self):
        """The customer signed: the plan runs, and the dunning run waits as long as it is kept."""
        for plan in self:
            if not plan.instalment_ids:
                raise UserError(self.env._("Schedule the instalments before the plan is signed."))
            plan.write(
                {"state": "running", "date_signed": plan.date_signed or fields.Date.context_today(self)}
            )
            body = self.env._(
                "Payment plan signed: %(debt)s in %(count)s payments, the last on %(date)s.",
                debt=plan.currency_id.format(plan.amount_total),
                count=len(plan.instalment_ids),
                date=fields.Date.to_string(max(plan.instalment_ids.mapped("date"))),
            )
            plan.message_post(body=body, subtype_xmlid="mail.mt_note")
            # The debt is the company's: on its credit trail of the customer, not the shared chatter.
            plan._credit_trail()._credit_log_post(body)
        return True

    @api.ondelete(at_uninstall=False)
    def _unlink_except_signed(self):
        signed = self.filtered(lambda plan: plan.state in ("running", "done", "forfeited"))
        if signed:
            raise UserError(
                self.env._(
                    "%(plans)s were signed by the customer: a signed payment plan is kept (it interrupts "
                    "prescription); cancel it instead.",
                    plans=", ".join(signed.mapped("name")),
                )
            )

    def action_cancel(self):
        self.filtered(lambda plan: plan.state in ("draft", "running")).write({"state": "cancel"})
        return True

    def action_print(self):
        return self.env.ref("account_credit_recovery.action_report_credit_recovery_plan").report_action(self)

    @api.model
    def _check_running_plans(self, date, company=None):
        """Follow the running plans: paid instalments are matched, one missed instalment forfeits the plan.

        ``company`` narrows the check to that company's plans (the daily run checks company by company).
        """
        domain = [("state", "=", "running")]
        if company:
            domain.append(("company_id", "=", company.id))
        plans = self.search(domain)
        for plan in plans:
            paid = plan.amount_paid
            if plan.currency_id.compare_amounts(paid, plan.amount_total) >= 0:
                plan.state = "done"
                continue
            due = sum(
                plan.instalment_ids.filtered(lambda instalment: instalment.date < date).mapped("amount")
            )
            if plan.currency_id.compare_amounts(paid, due) < 0:
                plan._credit_on_missed_instalment(date, paid, due)
            else:
                plan._credit_on_instalments_kept()
        return plans

    def _credit_forfeit(self, paid, due):
        """Forfeit the plan (déchéance du terme): the whole balance is due again, the recovery resumes."""
        self.ensure_one()
        self.state = "forfeited"
        self.message_post(
            body=self.env._(
                "Instalment missed: %(paid)s paid for %(due)s due. The plan is forfeited and the whole "
                "balance is due again (déchéance du terme).",
                paid=self.currency_id.format(paid),
                due=self.currency_id.format(due),
            )
        )
        self._credit_trail()._credit_log_post(
            self.env._("Payment plan forfeited: an instalment was missed, recovery resumes.")
        )

    def _credit_trail(self):
        """The credit trail of the plan's customer in the plan's company (sudo, see the partner log)."""
        self.ensure_one()
        return self.env["credit.recovery.partner.log"]._credit_log_of(
            self.partner_id.commercial_partner_id, self.company_id
        )


class CreditRecoveryPlanInstalment(models.Model):
    _name = "credit.recovery.plan.instalment"
    _description = "Payment Plan Instalment"
    _order = "plan_id, date, id"

    plan_id = fields.Many2one("credit.recovery.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    date = fields.Date(required=True)
    amount = fields.Monetary(currency_field="currency_id", required=True)
    state = fields.Selection(
        [("due", "To Pay"), ("paid", "Paid"), ("missed", "Missed")], compute="_compute_state"
    )

    @api.constrains("amount")
    def _check_amount(self):
        for instalment in self:
            if instalment.currency_id.compare_amounts(instalment.amount, 0.0) <= 0:
                raise ValidationError(
                    self.env._(
                        "An instalment of %(plan)s is an amount to pay, above zero.",
                        plan=instalment.plan_id.name,
                    )
                )

    @api.depends("plan_id.amount_paid", "date", "amount")
    @api.depends_context("credit_recovery_date")
    def _compute_state(self):
        today = fields.Date.to_date(
            self.env.context.get("credit_recovery_date")
        ) or fields.Date.context_today(self)
        book = self.env["credit.recovery.book"]
        for plan, instalments in self.grouped("plan_id").items():
            # What an instalment leaves depends on every earlier instalment of the plan, read or not.
            for instalment, left in book._instalments_left(plan, plan.instalment_ids | instalments):
                if instalment not in instalments:
                    continue
                if plan.currency_id.compare_amounts(left, 0.0) >= 0:
                    instalment.state = "paid"
                else:
                    instalment.state = "missed" if instalment.date < today else "due"
