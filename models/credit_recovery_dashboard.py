from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from .credit_recovery_aged_balance import BUCKET_FIELDS
from .credit_recovery_einvoice_status import EINVOICE_APPROVED_CODES, EINVOICE_CONTESTED_CODES

# Rows of each list the dashboard client action shows (the tiles open the whole lists).
DASHBOARD_LIMIT = 80
TILES = (
    "calls",
    "letters",
    "to_validate",
    "promises",
    "plans",
    "disputes",
    "reviews",
    "reconcile",
    "einvoice_approved",
    "einvoice_contested",
    "portal_requests",
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
    einvoice_approved_count = fields.Integer(
        string="Approved and Overdue",
        compute="_compute_counts",
        help="Overdue invoices the buyer approved on the e-invoicing platforms: the strongest claims.",
    )
    einvoice_contested_count = fields.Integer(
        string="Refused or Disputed by the Buyer",
        compute="_compute_counts",
        help="Open invoices the buyer refused or disputes on the e-invoicing platforms: to settle first.",
    )
    portal_requests_count = fields.Integer(
        string="Customer Requests",
        compute="_compute_counts",
        help="What customers did on their page (promise, payment plan, dispute, payment), still to handle.",
    )

    @api.depends_context("lang")
    def _compute_display_name(self):
        # The window's title: the model's name as the user reads it, not "credit.recovery.dashboard,1".
        title = self.env["ir.model"]._get(self._name).name
        for dashboard in self:
            dashboard.display_name = title

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

    # The client action (static/src/dashboard): one call returns everything it shows.

    @api.model
    def get_dashboard_data(self, everyone=None):
        """Today's dashboard of the current user (of every controller when ``everyone``), in one call.

        ``everyone`` left to None: the team's work for Credit Managers, who validate it, the user's own for
        the others.

        Tiles with their counts and amounts, the calls due with their script, the letters and formal notices
        to print, the notices to validate, the overdue trend over 12 months and the aged buckets of today.
        Nothing is stored: the dashboard is a new record read by the usual tile domains. The overdue trend's
        past month ends are those the daily run recorded (``credit.recovery.book._record_month_ends``).
        """
        self.browse().check_access("read")  # a public method: the dashboard's own access rights first
        is_manager = self.env.user.has_group("account_credit_recovery.group_credit_manager")
        if everyone is None:
            everyone = is_manager
        dashboard = self.new({"user_id": False} if everyone else {})
        company = dashboard.company_id
        currency = company.currency_id
        tiles = dashboard._dashboard_tiles()
        Action = self.env["credit.recovery.action"]
        calls = letters = notices = Action
        if Action.has_access("read"):
            _model, domain = dashboard._tile_domain("calls")
            calls = Action.search(domain, order="date, id", limit=DASHBOARD_LIMIT)
            _model, domain = dashboard._tile_domain("letters")
            letters = Action.search(domain, order="date, id")
            _model, domain = dashboard._tile_domain("to_validate")
            notices = Action.search(domain, order="date, id", limit=DASHBOARD_LIMIT)
        # One read per model for the three lists (the ORM prefetches partners and levels together).
        (calls | letters | notices).partner_id.mapped("name")
        # Today's aged buckets from the open items, the overdue trend's past month ends as the daily run
        # recorded them: the dashboard does not read the whole book at each opening.
        book = self.env["credit.recovery.book"]
        days = book._month_ends(dashboard.date)
        aged = book._aged_totals(company, dashboard.date)
        overdue = book._overdue_at_month_ends(company, dashboard.date)
        overdue[dashboard.date] = aged["overdue"]
        bucket_labels = (
            self.env["credit.recovery.aged.balance.wizard"].new({"company_id": company.id})._bucket_labels()
        )
        return {
            "date": format_date(self.env, dashboard.date),
            "everyone": bool(everyone),
            "is_manager": is_manager,
            "currency": {
                "symbol": currency.symbol,
                "position": currency.position,
                "digits": currency.decimal_places,
            },
            "tiles": tiles,
            "calls": [
                {
                    "id": action.id,
                    "partner_id": action.partner_id.id,
                    "partner": action.partner_id.name,
                    "phone": action.partner_id.phone or action.partner_id.mobile or "",
                    "level": action.level_id.name,
                    "date": format_date(self.env, action.date),
                    "amount": action.amount_overdue,
                    "script": action.level_id.call_script or "",
                }
                for action in calls
            ],
            "letters": [
                {
                    "id": action.id,
                    "partner": action.partner_id.name,
                    "level": action.level_id.name,
                    "amount": action.amount_due,
                    "formal_notice": action.channel == "registered_letter",
                }
                for action in letters
            ],
            "notices": [
                {
                    "id": action.id,
                    "partner": action.partner_id.name,
                    "level": action.level_id.name,
                    "amount": action.amount_due,
                    "channel": dict(Action._fields["channel"]._description_selection(self.env))[
                        action.channel
                    ],
                }
                for action in notices
            ],
            "overdue_trend": [
                {"label": format_date(self.env, day, date_format="MMM yy"), "value": overdue[day]}
                for day in reversed(days)
            ],
            "aged_buckets": [
                {"label": label, "value": aged[key]}
                for key, label in zip(BUCKET_FIELDS, bucket_labels, strict=True)
            ],
        }

    @api.model
    def action_open_dashboard_tile(self, tile, everyone=False):
        """The list behind a tile of the client action (see action_open_tile)."""
        if tile not in TILES:
            raise UserError(self.env._("Unknown tile: %(tile)s", tile=tile))
        dashboard = self.new({"user_id": False} if everyone else {})
        return dashboard.with_context(tile=tile).action_open_tile()

    def _dashboard_tiles(self):
        """[{key, label, count, amount}] of the tiles, one grouped read per tile (reviews have no amount)."""
        self.ensure_one()
        amounts = {
            "calls": "amount_overdue",
            "letters": "amount_due",
            "to_validate": "amount_due",
            "promises": "amount",
            "disputes": "amount_disputed",
            "reconcile": "amount_residual",
            "einvoice_approved": "amount_residual_signed",
            "einvoice_contested": "amount_residual_signed",
        }
        # The tiles are named as their count fields (translated with the model's terms).
        labels = {tile: self._fields[f"{tile}_count"]._description_string(self.env) for tile in TILES}
        tiles = []
        for tile in TILES:
            amount = None
            model, domain = self._tile_domain(tile)
            if not self.env[model].has_access("read"):
                continue  # a tile of records the user does not read (invoicing users: the disputes only)
            if tile == "plans":
                plans = self._plans_due()
                count = len(plans)
                due = plans.instalment_ids.filtered(
                    lambda instalment: instalment.date <= self.date and instalment.state != "paid"
                )
                amount = sum(due.mapped("amount"))
            else:
                aggregates = ["__count"] + ([f"{amounts[tile]}:sum"] if tile in amounts else [])
                result = self.env[model]._read_group(domain, [], aggregates)[0]
                count = result[0]
                if tile in amounts:
                    amount = abs(result[1] or 0.0)
            tiles.append({"key": tile, "label": labels[tile], "count": count, "amount": amount})
        return tiles

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
            "einvoice_approved": self.env._("Invoices Approved by the Buyer and Overdue"),
            "einvoice_contested": self.env._("Invoices Refused or Disputed by the Buyer"),
            "portal_requests": self.env._("Requests from the Customer's Page"),
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
        if tile in ("einvoice_approved", "einvoice_contested"):
            action["views"] = [(self.env.ref("account.view_out_invoice_tree").id, "list"), (False, "form")]
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
                # Letters are done when decided, formal notices once validated: both wait for printing.
                ("state", "in", ("draft", "done")),
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
        if tile == "portal_requests":
            # Every open activity the customer's page created (see _credit_portal_log), whatever its date.
            activity_type = self.env.ref("account_credit_recovery.mail_activity_type_credit_portal_request")
            return "mail.activity", [*user, ("activity_type_id", "=", activity_type.id)]
        if tile == "reconcile":
            return "account.move.line", (
                company + customers + self.env["account.move.line"]._credit_reconcile_todo_domain()
            )
        if tile in ("einvoice_approved", "einvoice_contested"):
            invoices = [
                *company,
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
            ]
            if self.user_id:
                invoices.append(("commercial_partner_id", "in", self._controller_partner_ids()))
            if tile == "einvoice_approved":
                return "account.move", [
                    *invoices,
                    ("credit_einvoice_status", "in", EINVOICE_APPROVED_CODES),
                    ("invoice_date_due", "<", today),
                ]
            return "account.move", [*invoices, ("credit_einvoice_status", "in", EINVOICE_CONTESTED_CODES)]
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
