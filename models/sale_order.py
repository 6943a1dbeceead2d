from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    credit_warning_message = fields.Text(
        string="Credit Warning",
        compute="_compute_credit_warning_message",
        help="Why the customer's credit deserves attention before this order is confirmed.",
    )

    @api.depends("partner_id", "company_id")
    def _compute_credit_warning_message(self):
        for order in self:
            order.credit_warning_message = (
                order.partner_id.with_company(order.company_id).commercial_partner_id.credit_warning_message
                if order.partner_id
                else False
            )
