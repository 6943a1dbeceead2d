from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_date

# The delay a consumer is given to pay the missed instalments before the plan is forfeited: a reasonable
# delay (Cass. 1re civ., 22 juin 2017, n° 16-18.418), printed in the agreement and in the notice.
FORFEITURE_NOTICE_DAYS = 15


class CreditRecoveryPlan(models.Model):
    """Forfeiture (déchéance du terme) and the late amounts of a payment plan.

    A consumer's plan is forfeited only after a formal notice to pay the missed instalments within a
    reasonable delay has remained without effect (Cass. 1re civ., 22 juin 2017, n° 16-18.418); a business
    customer's plan is forfeited at the first missed instalment, as its agreement says. Every agreement
    states whether the late-payment penalties and the recovery indemnity (or, for a consumer, the legal
    interest) are waived or kept.
    """

    _inherit = ["credit.recovery.plan", "mail.activity.mixin"]
    _name = "credit.recovery.plan"

    late_amounts = fields.Selection(
        [("kept", "Kept by the Creditor"), ("waived", "Waived if the Plan Is Kept")],
        required=True,
        default="kept",
        tracking=True,
        help="Whether the late-payment penalties and the 40 EUR indemnity (for a consumer: the interest at "
        "the legal rate) remain due on the invoices of the plan, or are waived provided the plan is kept. "
        "The agreement states it.",
    )
    forfeiture_notice_days = fields.Integer(
        string="Notice Delay (Days)",
        default=FORFEITURE_NOTICE_DAYS,
        help="The delay a consumer is given by the formal notice to pay the missed instalments before the "
        "plan is forfeited. Printed in the agreement.",
    )
    credit_is_consumer = fields.Boolean(string="Consumer", compute="_compute_credit_is_consumer")
    forfeiture_notice_date = fields.Date(
        string="Forfeiture Notice Sent On",
        readonly=True,
        copy=False,
        tracking=True,
        help="The day the formal notice to pay the missed instalments was sent.",
    )
    forfeiture_notice_deadline = fields.Date(
        string="Pay By",
        readonly=True,
        copy=False,
        help="The last day of the notice's delay: the plan can be forfeited from the next day if the missed "
        "instalments are still unpaid.",
    )
    forfeiture_notice_amount = fields.Monetary(
        string="Arrears Claimed",
        currency_field="currency_id",
        readonly=True,
        copy=False,
        help="The missed instalments the notice asks for.",
    )

    @api.depends("partner_id.commercial_partner_id.credit_customer_type")
    def _compute_credit_is_consumer(self):
        for plan in self:
            plan.credit_is_consumer = plan.partner_id.commercial_partner_id.credit_customer_type == "b2c"

    @api.constrains("forfeiture_notice_days")
    def _check_forfeiture_notice_days(self):
        for plan in self:
            if plan.forfeiture_notice_days < 8:
                raise ValidationError(
                    self.env._(
                        "The notice before forfeiture gives at least 8 days to pay: %(plan)s gives %(days)s.",
                        plan=plan.name,
                        days=plan.forfeiture_notice_days,
                    )
                )

    def write(self, vals):
        if {"late_amounts", "forfeiture_notice_days"} & set(vals):
            signed = self.filtered(lambda plan: plan.state != "draft")
            if signed:
                raise UserError(
                    self.env._(
                        "%(plans)s are signed: their terms (late amounts, notice delay) are those of the agreement.",
                        plans=", ".join(signed.mapped("name")),
                    )
                )
        notice_fields = {"forfeiture_notice_date", "forfeiture_notice_deadline", "forfeiture_notice_amount"}
        if notice_fields & set(vals) and not self.env.context.get("credit_plan_notice"):
            raise UserError(
                self.env._("The notice before forfeiture is recorded by sending it, not by hand.")
            )
        if vals.get("state") == "forfeited":
            today = fields.Date.context_today(self)
            for plan in self.filtered(lambda plan: plan.state != "forfeited"):
                plan._credit_check_forfeiture_allowed(today)
        return super().write(vals)

    def action_send_forfeiture_notice(self):
        """Send the formal notice to pay the missed instalments within the plan's delay."""
        today = fields.Date.context_today(self)
        for plan in self:
            if plan.state != "running":
                raise UserError(self.env._("Only a running plan can be forfeited, so only it gets a notice."))
            paid, due = plan._credit_arrears(today)
            if plan.currency_id.compare_amounts(paid, due) >= 0:
                raise UserError(
                    self.env._(
                        "%(plan)s has no missed instalment: there is nothing to give notice of.",
                        plan=plan.name,
                    )
                )
            plan._credit_send_forfeiture_notice(today, due - paid)
        return True

    def action_forfeit(self):
        """Forfeit the plan by hand: for a consumer only once the notice's delay has passed without payment."""
        today = fields.Date.context_today(self)
        for plan in self:
            if plan.state != "running":
                raise UserError(self.env._("Only a running plan can be forfeited."))
            paid, due = plan._credit_arrears(today)
            if plan.currency_id.compare_amounts(paid, due) >= 0:
                raise UserError(
                    self.env._("%(plan)s has no missed instalment: it cannot be forfeited.", plan=plan.name)
                )
            plan._credit_forfeit(paid, due)
        return True

    def action_print_forfeiture_notice(self):
        return self.env.ref(
            "account_credit_recovery.action_report_credit_recovery_plan_forfeiture_notice"
        ).report_action(self)

    # Business logic

    def _credit_arrears(self, date):
        """``(paid, due)``: what was paid on the plan and what its instalments dated before ``date`` ask for."""
        self.ensure_one()
        due = sum(self.instalment_ids.filtered(lambda instalment: instalment.date < date).mapped("amount"))
        return self.amount_paid, due

    def _credit_check_forfeiture_allowed(self, date):
        """Refuse to forfeit a consumer's plan before a notice's delay has passed without payment."""
        self.ensure_one()
        if not self.credit_is_consumer:
            return
        if not self.forfeiture_notice_date or self._credit_notice_answered():
            raise UserError(
                self.env._(
                    "%(plan)s is a consumer's plan: it can be forfeited only after a formal notice to pay the "
                    "missed instalments within a reasonable delay has remained without effect (Cass. 1re civ., "
                    "22 June 2017, no. 16-18.418). Send the notice first.",
                    plan=self.name,
                )
            )
        if date <= self.forfeiture_notice_deadline:
            raise UserError(
                self.env._(
                    "%(plan)s: the notice of %(sent)s gives the customer until %(deadline)s to pay; the plan "
                    "can be forfeited from the next day only.",
                    plan=self.name,
                    sent=format_date(self.env, self.forfeiture_notice_date),
                    deadline=format_date(self.env, self.forfeiture_notice_deadline),
                )
            )

    def _credit_on_missed_instalment(self, date, paid, due):
        """The daily check found a missed instalment: notice first for a consumer, forfeiture otherwise."""
        self.ensure_one()
        if not self.credit_is_consumer:
            self._credit_forfeit(paid, due)
            return
        if self.forfeiture_notice_date and self._credit_notice_answered():
            # The arrears the notice claimed were paid: a later missed instalment needs a notice of its own.
            self._credit_on_instalments_kept()
        if not self.forfeiture_notice_date:
            self._credit_send_forfeiture_notice(date, due - paid)
        elif date > self.forfeiture_notice_deadline:
            self._credit_forfeit(paid, due)

    def _credit_notice_answered(self):
        """Whether the instalments the notice claimed (those dated before it was sent) are paid."""
        self.ensure_one()
        claimed = sum(
            self.instalment_ids.filtered(
                lambda instalment: instalment.date < self.forfeiture_notice_date
            ).mapped("amount")
        )
        return self.currency_id.compare_amounts(self.amount_paid, claimed) >= 0

    def _credit_on_instalments_kept(self):
        """The missed instalments were paid within the notice's delay: the plan goes on, the notice is spent."""
        self.ensure_one()
        if self.forfeiture_notice_date:
            self.with_context(credit_plan_notice=True).write(
                {
                    "forfeiture_notice_date": False,
                    "forfeiture_notice_deadline": False,
                    "forfeiture_notice_amount": 0.0,
                }
            )
            self.message_post(
                body=self.env._("The missed instalments were paid after the notice: the plan goes on."),
                subtype_xmlid="mail.mt_note",
            )

    def _credit_send_forfeiture_notice(self, date, arrears):
        """Record the notice, e-mail it with the letter attached, or ask the controller to post the letter."""
        self.ensure_one()
        self.with_context(credit_plan_notice=True).write(
            {
                "forfeiture_notice_date": date,
                "forfeiture_notice_deadline": date + relativedelta(days=self.forfeiture_notice_days),
                "forfeiture_notice_amount": arrears,
            }
        )
        customer = self.partner_id
        body = self.env._(
            "Formal notice before forfeiture sent on %(date)s: %(arrears)s to pay by %(deadline)s.",
            date=format_date(self.env, date),
            arrears=self.currency_id.format(arrears),
            deadline=format_date(self.env, self.forfeiture_notice_deadline),
        )
        if customer.email:
            template = self.env.ref("account_credit_recovery.mail_template_credit_plan_forfeiture_notice")
            template.with_context(lang=self._credit_notice_lang()).send_mail(
                self.id, force_send=False, email_layout_xmlid="mail.mail_notification_light"
            )
        else:
            controller = customer.commercial_partner_id.with_company(self.company_id).credit_controller_id
            summary = self.env._("Post the notice before forfeiture of %(plan)s", plan=self.name)
            note = self.env._(
                "The customer has no e-mail address: print the notice (Print the Notice) and send it by "
                "registered letter today."
            )
            self._credit_activity_schedule_once(
                "mail.mail_activity_data_todo",
                date,
                lambda plan: (summary, note, controller or self.env.user),
                match_summary=True,
            )
        self.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _credit_notice_lang(self):
        """The language of the agreement and the notice: the letters' rule (French for a customer established
        in France, loi n° 94-665 art. 2)."""
        self.ensure_one()
        action = self.env["credit.recovery.action"].new({"partner_id": self.partner_id.id})
        return action._letter_lang()
