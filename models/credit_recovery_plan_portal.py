from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class CreditRecoveryPlan(models.Model):
    _inherit = "credit.recovery.plan"

    portal_request_state = fields.Selection(
        [("requested", "Asked by the Customer"), ("accepted", "Accepted"), ("declined", "Declined")],
        string="Customer's Request",
        readonly=True,
        copy=False,
        tracking=True,
        help="A plan the customer asked for on its credit page, which a Credit Controller accepts or declines.",
    )

    def _credit_check_portal_request(self):
        if not self.env.user.has_group("account_credit_recovery.group_credit_controller"):
            raise AccessError(self.env._("Only a Credit Controller can answer a customer's plan request."))
        for plan in self:
            if plan.portal_request_state != "requested" or plan.state != "draft":
                raise UserError(
                    self.env._("The plan %(plan)s is not a request waiting for an answer.", plan=plan.name)
                )

    def action_credit_portal_accept(self):
        """Accept the customer's proposed schedule: tell it, and print the agreement it signs."""
        self._credit_check_portal_request()
        self.write({"portal_request_state": "accepted"})
        for plan in self:
            plan._credit_trail()._credit_log_post(
                self.env._(
                    "Payment plan asked on the customer's page accepted by %(user)s.", user=self.env.user.name
                )
            )
            plan._credit_portal_answer(
                self.env._(
                    "Your request for a payment plan is accepted. Please sign and return the attached agreement; "
                    "the first payment of %(amount)s is due now.",
                    amount=plan.currency_id.format(plan.instalment_ids.sorted("date")[:1].amount),
                )
            )
        return self.action_print()

    def action_credit_portal_decline(self):
        """Decline the customer's proposed schedule: the plan is cancelled and the recovery goes on."""
        self._credit_check_portal_request()
        self.write({"portal_request_state": "declined", "state": "cancel"})
        for plan in self:
            plan._credit_trail()._credit_log_post(
                self.env._(
                    "Payment plan asked on the customer's page declined by %(user)s.", user=self.env.user.name
                )
            )
            plan._credit_portal_answer(
                self.env._(
                    "We cannot accept the payment plan you asked for. The amounts remain due; our credit "
                    "department will contact you."
                )
            )
        return True

    def _credit_portal_answer(self, message):
        self.ensure_one()
        # The customer's link is read by whoever answers; only its sending needs it.
        access = self.env["credit.recovery.portal.access"]._credit_get(self.partner_id, self.company_id)
        access._credit_acknowledge(message)
