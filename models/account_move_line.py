from odoo import api, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    @api.model
    def _credit_reconcile_todo_domain(self):
        """Customer payments and credit notes not fully matched with invoices yet (the lettrage to do)."""
        return [
            ("account_id.account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
            ("reconciled", "=", False),
            ("balance", "<", 0),
        ]

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
                "domain": [
                    ("company_id", "=", self.company_id.id),
                    ("partner_id", "child_of", partner.ids) if partner else ("partner_id", "=", False),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                ],
                "context": {"create": False, "search_default_group_by_partner": 1, "expand": 1},
            }
        )
        return action
