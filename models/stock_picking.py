from odoo import api, fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    credit_hold_message = fields.Char(
        string="Credit Hold",
        compute="_compute_credit_hold_message",
        help="Why this delivery may not leave yet: the deposit of its sale order is awaited.",
    )

    @api.depends("picking_type_code", "sale_id.credit_deposit_state")
    def _compute_credit_hold_message(self):
        for picking in self:
            order = picking.sale_id
            picking.credit_hold_message = (
                self.env._(
                    "Delivery held: the deposit invoice %(invoice)s of %(order)s is not paid yet. A Credit "
                    "Manager may lift the deposit on the order.",
                    invoice=order.credit_deposit_invoice_id.name or "",
                    order=order.name,
                )
                if picking.picking_type_code == "outgoing" and order and order._credit_work_blocked()
                else False
            )

    def button_validate(self):
        # The deposit's payment as it stands now, not as cached earlier in the transaction.
        self.invalidate_recordset(["credit_hold_message"])
        held = self.filtered("credit_hold_message")
        if held:
            raise UserError("\n".join(held.mapped("credit_hold_message")))
        return super().button_validate()
