from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..models.credit_recovery_level import CHANNELS

MANAGER_GROUP = "account_credit_recovery.group_credit_manager"


class CreditRecoveryDryRun(models.TransientModel):
    """What the daily run would do on a date, decided and shown without writing anything of the run."""

    _name = "credit.recovery.dry.run"
    _description = "Dunning Dry Run"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, ondelete="cascade"
    )
    date = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self) + timedelta(days=1),
        help="The day of the run to simulate: tomorrow by default.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    line_ids = fields.One2many(
        "credit.recovery.dry.run.line", "dry_run_id", string="Decisions", readonly=True
    )
    action_count = fields.Integer(string="Actions", compute="_compute_totals")
    reconcile_count = fields.Integer(string="To Reconcile First", compute="_compute_totals")
    amount_due = fields.Monetary(
        string="Amount Reminded", currency_field="currency_id", compute="_compute_totals"
    )

    @api.depends("line_ids.kind", "line_ids.amount_due")
    def _compute_totals(self):
        for wizard in self:
            actions = wizard.line_ids.filtered(lambda line: line.kind == "action")
            wizard.action_count = len(actions)
            wizard.reconcile_count = len(wizard.line_ids) - len(actions)
            wizard.amount_due = sum(actions.mapped("amount_due"))

    @api.model_create_multi
    def create(self, vals_list):
        self._check_manager()
        return super().create(vals_list)

    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a Credit Manager can simulate the dunning run."))

    def action_compute(self):
        """Decide as the run of ``date`` would (``credit.recovery.run._decide``) and list the decisions."""
        self.ensure_one()
        self._check_manager()
        # A run record in memory only: _decide reads the books and writes nothing.
        run = self.env["credit.recovery.run"].new({"company_id": self.company_id.id, "date": self.date})
        decisions = run._decide()
        self.line_ids = [fields.Command.clear()] + [
            fields.Command.create(
                {
                    "partner_id": partner.id,
                    "kind": "action" if decision.level is not None else "reconcile",
                    "level_id": decision.level.id if decision.level is not None else False,
                    "channel": decision.level.channel if decision.level is not None else False,
                    "item_count": len(decision.line_ids),
                    "amount_due": decision.amount_due,
                    "amount_overdue": decision.amount_overdue,
                }
            )
            for partner, decision in sorted(decisions.items(), key=lambda item: item[0].name or "")
        ]
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("What the Run Would Do"),
        }


class CreditRecoveryDryRunLine(models.TransientModel):
    _name = "credit.recovery.dry.run.line"
    _description = "Dunning Dry Run Decision"
    _order = "kind, partner_id"

    dry_run_id = fields.Many2one("credit.recovery.dry.run", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="dry_run_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, ondelete="cascade")
    kind = fields.Selection(
        [("action", "Reminder"), ("reconcile", "Reconcile First")],
        string="Decision",
        required=True,
    )
    level_id = fields.Many2one("credit.recovery.level", ondelete="cascade")
    channel = fields.Selection(CHANNELS)
    item_count = fields.Integer(string="Items")
    amount_due = fields.Monetary(currency_field="currency_id")
    amount_overdue = fields.Monetary(currency_field="currency_id")
