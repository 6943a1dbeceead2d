from odoo import api, fields, models
from odoo.osv import expression


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    credit_to_reconcile = fields.Boolean(
        string="To Reconcile",
        compute="_compute_credit_to_reconcile",
        search="_search_credit_to_reconcile",
        help="A customer payment or credit note not matched with invoices yet (beyond the overdue tolerance): "
        "the dunning run waits for it to be reconciled.",
    )

    @api.depends("parent_state", "account_id.account_type", "reconciled", "amount_residual")
    def _compute_credit_to_reconcile(self):
        book = self.env["credit.recovery.book"]
        doubtful_ids = set(book._doubtful_line_ids())
        for line in self:
            line.credit_to_reconcile = book._is_unreconciled_credit(line, doubtful_ids)

    def _search_credit_to_reconcile(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Operation not supported"))
        domain = self.env["credit.recovery.book"]._unreconciled_credit_domain(self.env.companies)
        return domain if (operator == "=") == value else ["!", *expression.normalize_domain(domain)]

    @api.model
    def _credit_reconcile_todo_domain(self):
        """Customer payments and credit notes not fully matched with invoices yet (the lettrage to do).

        The book's unreconciled credits: what the dunning run waits for before reminding the customer.
        """
        return [("credit_to_reconcile", "=", True)]

    def action_credit_open_reconcile(self):
        """Odoo's reconciliation for the item's customer.

        Community 18.0 has no manual reconciliation wizard (``account.reconcile.wizard`` comes with the
        Enterprise accounting app): a customer's open items are matched from Odoo's Partner Ledger, each
        open invoice showing the customer's outstanding payments and credit notes to add to it. This
        opens that ledger on the customer's open receivable items.
        """
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_account_moves_ledger_partner")
        action.update(
            {
                "name": self.env._(
                    "Reconcile %(customer)s", customer=partner.display_name or self.env._("No customer")
                ),
                "domain": self.env["credit.recovery.book"]._open_items_domain(self.company_id, partner),
                "context": {"create": False, "search_default_group_by_partner": 1, "expand": 1},
            }
        )
        return action
