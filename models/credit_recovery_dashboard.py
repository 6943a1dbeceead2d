from odoo import api, fields, models

TILES = (
    "calls",
    "letters",
    "to_validate",
    "promises",
    "plans",
    "disputes",
    "reviews",
    "reconcile",
)


class CreditRecoveryDashboard(models.TransientModel):
    """The credit controller's day: what to do today, as tiles opening the filtered lists."""

    _name = "credit.recovery.dashboard"
    _description = "Credit Controller's Day"

    user_id = fields.Many2one(
        "res.users",
        string="Credit Controller",
        default=lambda self: self.env.user,
        ondelete="cascade",
        help="Leave empty to see the work of every controller.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, ondelete="cascade"
    )
    date = fields.Date(string="Today", default=fields.Date.context_today, required=True)
    call_ids = fields.One2many("credit.recovery.dashboard.call", "dashboard_id", string="Calls to Make")
    calls_count = fields.Integer(string="Calls Due", compute="_compute_counts")
    letters_count = fields.Integer(string="Letters to Print", compute="_compute_counts")
    to_validate_count = fields.Integer(string="Notices to Validate", compute="_compute_counts")
    promises_count = fields.Integer(string="Promises Due", compute="_compute_counts")
    plans_count = fields.Integer(string="Instalments Due", compute="_compute_counts")
    disputes_count = fields.Integer(string="Disputes Past Their Date", compute="_compute_counts")
    reviews_count = fields.Integer(string="Reviews Due", compute="_compute_counts")
    reconcile_count = fields.Integer(string="Items to Reconcile", compute="_compute_counts")

    @api.depends("user_id", "company_id", "date")
    def _compute_counts(self):
        for dashboard in self:
            for tile in TILES:
                model, domain = dashboard._tile_domain(tile)
                if tile == "plans":
                    count = len(dashboard._plans_due())
                else:
                    count = self.env[model].search_count(domain)
                dashboard[f"{tile}_count"] = count

    # Actions

    @api.model
    def action_open_dashboard(self):
        """Open today's dashboard of the current user (the app's home)."""
        dashboard = self.create({})
        dashboard._fill_calls()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("My Day"),
            "res_model": self._name,
            "res_id": dashboard.id,
            "view_mode": "form",
            "views": [
                (self.env.ref("account_credit_recovery.credit_recovery_dashboard_view_form").id, "form")
            ],
            "target": "current",
        }

    def action_refresh(self):
        for dashboard in self:
            dashboard._fill_calls()
        return False

    def action_open_tile(self):
        """Open the list behind a tile (the tile's name comes in the context as ``tile``)."""
        self.ensure_one()
        tile = self.env.context.get("tile")
        model, domain = self._tile_domain(tile)
        if tile == "plans":
            domain = [("id", "in", self._plans_due().ids)]
        names = {
            "calls": self.env._("Calls Due"),
            "letters": self.env._("Letters to Print"),
            "to_validate": self.env._("Notices to Validate"),
            "promises": self.env._("Promises Due"),
            "plans": self.env._("Payment Plans with an Instalment Due"),
            "disputes": self.env._("Disputes Past Their Date"),
            "reviews": self.env._("Reviews Due"),
            "reconcile": self.env._("Payments and Credit Notes to Reconcile"),
        }
        action = {
            "type": "ir.actions.act_window",
            "name": names[tile],
            "res_model": model,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": domain,
            "context": {"create": False},
            "target": "current",
        }
        if tile == "reconcile":
            todo = self.env.ref("account_credit_recovery.account_move_line_view_list_credit_reconcile")
            action["views"] = [(todo.id, "list"), (False, "form")]
        return action

    def action_open_aged_balance(self):
        """Today's aged balance of the controller's customers, as a graph of the overdue amount per customer."""
        self.ensure_one()
        domain = [("company_id", "=", self.company_id.id)]
        if self.user_id:
            domain.append(("controller_id", "=", self.user_id.id))
        action = self.env["credit.recovery.aged.balance.report"].action_open(self.date, domain)
        action["view_mode"] = "graph,pivot,list"
        action["views"] = [(False, "graph"), (False, "pivot"), (False, "list")]
        return action

    def action_open_dso_trend(self):
        """The company's DSO over the last 12 months, as a line graph."""
        self.ensure_one()
        wizard = self.env["credit.recovery.aged.balance.wizard"].create(
            {"date": self.date, "company_id": self.company_id.id}
        )
        wizard._fill()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("DSO Trend"),
            "res_model": "credit.recovery.dso.line",
            "view_mode": "graph,list",
            "views": [
                (self.env.ref("account_credit_recovery.credit_recovery_dso_line_view_graph").id, "graph")
            ],
            "domain": [("wizard_id", "=", wizard.id)],
            "target": "current",
        }

    # Business logic

    def _controller_partner_ids(self):
        """Ids of the customers the controller follows in the company."""
        self.ensure_one()
        return (
            self.env["res.partner"]
            .with_company(self.company_id)
            .with_context(active_test=False)
            .search([("credit_controller_id", "=", self.user_id.id)])
            .ids
        )

    def _tile_domain(self, tile):
        """(model, domain) of the records behind ``tile``."""
        self.ensure_one()
        company = [("company_id", "=", self.company_id.id)]
        user = [("user_id", "=", self.user_id.id)] if self.user_id else []
        customers = [("partner_id", "in", self._controller_partner_ids())] if self.user_id else []
        today = self.date
        if tile == "calls":
            return "credit.recovery.action", company + user + [
                ("channel", "=", "phone"),
                ("state", "=", "draft"),
                ("date", "<=", today),
            ]
        if tile == "letters":
            return "credit.recovery.action", company + user + [
                ("channel", "in", ("letter", "registered_letter")),
                ("state", "=", "draft"),
                ("printed", "=", False),
            ]
        if tile == "to_validate":
            return "credit.recovery.action", company + user + [("state", "=", "to_validate")]
        if tile == "promises":
            return "credit.recovery.promise", company + customers + [
                ("state", "=", "open"),
                ("date", "<=", today),
            ]
        if tile == "plans":
            return "credit.recovery.plan", company + customers + [
                ("state", "=", "running"),
                ("instalment_ids.date", "<=", today),
            ]
        if tile == "disputes":
            owner = [("owner_id", "=", self.user_id.id)] if self.user_id else []
            return "credit.recovery.dispute", company + owner + [
                ("state", "=", "open"),
                ("expected_date", "<", today),
            ]
        if tile == "reviews":
            activity_type = self.env.ref("account_credit_recovery.mail_activity_type_credit_review")
            return "mail.activity", [
                *user,
                ("activity_type_id", "=", activity_type.id),
                ("date_deadline", "<=", today),
            ]
        if tile == "reconcile":
            return "account.move.line", (
                company + customers + self.env["account.move.line"]._credit_reconcile_todo_domain()
            )
        raise ValueError(tile)

    def _plans_due(self):
        """Running plans of which an instalment due by today is not paid."""
        model, domain = self._tile_domain("plans")
        plans = self.env[model].search(domain)
        instalments = plans.instalment_ids.with_context(
            credit_recovery_date=fields.Date.to_string(self.date)
        ).filtered(lambda instalment: instalment.date <= self.date and instalment.state != "paid")
        return instalments.plan_id

    def _fill_calls(self):
        """Replace the list of calls with the phone actions due by today."""
        self.ensure_one()
        model, domain = self._tile_domain("calls")
        actions = self.env[model].search(domain, order="date, id", limit=80)
        self.call_ids.unlink()
        self.env["credit.recovery.dashboard.call"].create(
            [{"dashboard_id": self.id, "action_id": action.id} for action in actions]
        )


class CreditRecoveryDashboardCall(models.TransientModel):
    """A call to make today, on the controller's dashboard."""

    _name = "credit.recovery.dashboard.call"
    _description = "Call Due"
    _order = "date, id"

    dashboard_id = fields.Many2one("credit.recovery.dashboard", required=True, ondelete="cascade", index=True)
    action_id = fields.Many2one("credit.recovery.action", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="action_id.partner_id", string="Customer")
    date = fields.Date(related="action_id.date", store=True)
    level_id = fields.Many2one(related="action_id.level_id")
    currency_id = fields.Many2one(related="action_id.currency_id")
    amount_overdue = fields.Monetary(related="action_id.amount_overdue", currency_field="currency_id")

    def action_open_customer(self):
        """Open the customer's form."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_log_call(self):
        """Log the call of this recovery action."""
        self.ensure_one()
        return self.action_id.action_log_call()
