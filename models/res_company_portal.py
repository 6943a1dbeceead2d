from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_portal_enabled = fields.Boolean(
        string="Customer's Credit Page",
        help="Reminders carry a link to a page where the customer sees its statement and pays, promises, asks "
        "for a payment plan or disputes an invoice, without logging in.",
    )
    credit_portal_allow_pay = fields.Boolean(string="Pay Online", default=True)
    credit_portal_allow_promise = fields.Boolean(string="Promise to Pay", default=True)
    credit_portal_allow_plan = fields.Boolean(string="Ask for a Payment Plan", default=True)
    credit_portal_allow_dispute = fields.Boolean(string="Dispute an Invoice", default=True)
    credit_portal_promise_max_days = fields.Integer(
        string="Promise at Most (Days Ahead)",
        default=30,
        help="The customer's page accepts a promise for a date at most this many days from today.",
    )
    credit_portal_plan_max_instalments = fields.Integer(
        string="Plan: Most Payments",
        default=6,
        help="The most payments a payment plan asked from the customer's page may have.",
    )
    credit_portal_plan_max_interval_days = fields.Integer(
        string="Plan: Most Days Between Payments",
        default=30,
    )
    credit_portal_plan_min_first_percent = fields.Float(
        string="Plan: Least First Payment (%)",
        default=20.0,
        help="The first payment of a plan asked from the customer's page, paid now, is at least this share of the "
        "debt.",
    )

    @api.constrains(
        "credit_portal_promise_max_days",
        "credit_portal_plan_max_instalments",
        "credit_portal_plan_max_interval_days",
        "credit_portal_plan_min_first_percent",
    )
    def _check_credit_portal_limits(self):
        for company in self:
            if (
                company.credit_portal_promise_max_days < 1
                or company.credit_portal_plan_max_instalments < 1
                or company.credit_portal_plan_max_interval_days < 1
                or not 0 <= company.credit_portal_plan_min_first_percent < 100
            ):
                raise ValidationError(
                    self.env._(
                        "The limits of the customer's page must be positive and the first payment of a plan "
                        "below 100 %."
                    )
                )
