from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.misc import format_date

from .credit_recovery_proof import DELIVERY_PROOF_KINDS, ORDER_PROOF_KINDS

ROUTES = [
    ("injonction", "Order for Payment (injonction de payer)"),
    ("agency", "Collection Agency"),
    ("mediator", "Business Mediator (médiateur des entreprises)"),
    ("refere", "Summary Proceedings for an Interim Payment (référé-provision)"),
    ("small_claims", "Small-Claims Procedure (procédure simplifiée de recouvrement)"),
    ("assignation", "Summons on the Merits (assignation)"),
]
CASE_STATES = [("draft", "Draft"), ("open", "Open"), ("closed", "Closed")]
CASE_STAGES = [
    ("preparation", "Preparation"),
    ("filed", "Filed"),
    ("order", "Order Issued"),
    ("served", "Order Served"),
    ("hearing", "Hearing Scheduled"),
    ("closed", "Closed"),
]
CLOSE_OUTCOMES = [
    ("paid", "Paid"),
    ("settled", "Settled"),
    ("written_off", "Written Off"),
    ("lost", "Lost"),
]
INJONCTION_OUTCOMES = [
    ("granted", "Order Granted"),
    ("partial", "Order Partly Granted"),
    ("rejected", "Request Rejected"),
    ("opposed", "Opposition Filed"),
    ("enforceable", "Order Enforceable (formule exécutoire)"),
]
COST_KINDS = [
    ("court", "Court Fees"),
    ("bailiff", "Commissaire de Justice"),
    ("lawyer", "Lawyer"),
    ("agency", "Collection Agency"),
    ("other", "Other"),
]
# Routes whose filing is a claim in court, which interrupts prescription (Code civil 2241). Mediation and the
# small-claims procedure only suspend it (Code civil 2238); a collection agency does neither.
COURT_ROUTES = ("injonction", "refere", "assignation")
SMALL_CLAIMS_CAP_EUR = 5000.0
# The order for payment must be served within six months (CPC 1411); opposition within a month of service
# (CPC 1416).
SERVICE_LIMIT_MONTHS = 6
# Deadline kinds and the activity type reminding each of them.
DEADLINE_ACTIVITY_TYPES = {
    "opposition": "account_credit_recovery.mail_activity_type_credit_case_opposition",
    "service": "account_credit_recovery.mail_activity_type_credit_case_service",
    "hearing": "account_credit_recovery.mail_activity_type_credit_case_hearing",
    "next": "account_credit_recovery.mail_activity_type_credit_case_deadline",
}
# Fields whose change moves the deadline reminders.
DEADLINE_SOURCE_FIELDS = frozenset(
    {"route", "service_date", "order_date", "hearing_date", "next_deadline", "injonction_outcome", "state"}
)
# What a Credit Controller may change on a case: its costs (notes and activities go through the chatter).
CONTROLLER_FIELDS = frozenset({"cost_line_ids"})
MANAGER_GROUP = "account_credit_recovery.group_credit_manager"


class CreditRecoveryCase(models.Model):
    """A litigation file: the invoices of one customer claimed through one route, from filing to closing."""

    _name = "credit.recovery.case"
    _description = "Litigation Case"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True
    # Credit Controllers follow the cases: they post notes without editing them.
    _mail_post_access = "read"

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        ondelete="cascade",
        index=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        ondelete="restrict",
        index=True,
        tracking=True,
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        ondelete="set null",
        tracking=True,
        help="Receives the reminders of the case's deadlines.",
    )
    state = fields.Selection(
        CASE_STATES, string="Status", required=True, default="draft", tracking=True, index=True, copy=False
    )
    stage = fields.Selection(
        CASE_STAGES,
        compute="_compute_stage",
        store=True,
        help="Where the procedure stands, from its dates.",
    )
    route = fields.Selection(ROUTES, required=True, default="injonction", tracking=True)
    move_ids = fields.Many2many(
        "account.move",
        "credit_recovery_case_move_rel",
        "case_id",
        "move_id",
        string="Invoices",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('commercial_partner_id', '=', partner_id)]",
    )
    move_count = fields.Integer(string="Invoice Count", compute="_compute_move_count")
    # Amounts, in the company currency.
    amounts_date = fields.Date(
        string="Amounts As Of",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="The day the penalties, indemnity and interest are computed on (usually the filing date).",
    )
    amount_principal = fields.Monetary(
        string="Principal",
        currency_field="currency_id",
        compute="_compute_amounts",
        store=True,
        help="What remains due on the invoices, taxes included.",
    )
    amount_penalties = fields.Monetary(
        string="Late-Payment Penalties",
        currency_field="currency_id",
        compute="_compute_amounts",
        store=True,
        help="Penalties not yet billed (Code de commerce L441-10), business customers.",
    )
    amount_indemnity = fields.Monetary(
        string="Recovery Indemnity",
        currency_field="currency_id",
        compute="_compute_amounts",
        store=True,
        help="The fixed indemnity for recovery costs per invoice paid late, not yet billed (D441-5).",
    )
    amount_interest = fields.Monetary(
        string="Legal Interest",
        currency_field="currency_id",
        compute="_compute_amounts",
        store=True,
        help="Legal interest from the formal notice (consumers, Code civil 1231-6).",
    )
    amount_costs = fields.Monetary(
        string="Costs Incurred",
        currency_field="currency_id",
        compute="_compute_amounts",
        store=True,
    )
    amount_costs_claimed = fields.Monetary(
        string="Costs Claimed",
        currency_field="currency_id",
        compute="_compute_amounts",
        store=True,
        help="The costs claimed from the debtor.",
    )
    amount_total = fields.Monetary(
        string="Total Claimed",
        currency_field="currency_id",
        compute="_compute_amounts",
        store=True,
    )
    amounts_error = fields.Char(
        compute="_compute_amounts",
        store=True,
        help="Why some late amounts could not be computed (a missing official rate).",
    )
    cost_line_ids = fields.One2many("credit.recovery.case.cost", "case_id", string="Costs", copy=False)
    certainty_override_reason = fields.Text(
        string="Certainty Check Override",
        tracking=True,
        help="Why the case may be opened although an invoice lacks a proof, is disputed, not due or "
        "time-barred. Filled by a Credit Manager; empty, opening the case runs the certainty check.",
    )
    claim_basis = fields.Text(
        string="Basis of the Claim",
        help="Printed on the request after the standard wording: the contract, the general terms of sale...",
    )
    # Injonction de payer: the court (``court_id``, ``court_kind``...) is in credit_recovery_case_court.py.
    filing_date = fields.Date(tracking=True, copy=False)
    order_date = fields.Date(tracking=True, copy=False)
    service_date = fields.Date(tracking=True, copy=False)
    service_limit_date = fields.Date(
        string="Serve Before",
        compute="_compute_injonction_deadlines",
        store=True,
        help="An order for payment not served within six months of its date lapses (CPC 1411).",
    )
    opposition_deadline = fields.Date(
        compute="_compute_injonction_deadlines",
        store=True,
        help="The debtor may oppose the order within one month of its service (CPC 1416); a deadline falling "
        "on a Saturday or a Sunday is extended to the next Monday (CPC 642), check public holidays.",
    )
    injonction_outcome = fields.Selection(INJONCTION_OUTCOMES, string="Outcome", tracking=True, copy=False)
    # Collection agency.
    agency_id = fields.Many2one("res.partner", ondelete="restrict", tracking=True)
    agency_commission_rate = fields.Float(
        string="Commission (%)", digits=(5, 2), tracking=True, help="Usually 5 to 20 % of what is recovered."
    )
    agency_mandate_date = fields.Date(string="Mandate Date", tracking=True, copy=False)
    recovery_line_ids = fields.One2many(
        "credit.recovery.case.recovery", "case_id", string="Amounts Recovered", copy=False
    )
    amount_recovered = fields.Monetary(
        string="Recovered", currency_field="currency_id", compute="_compute_agency_amounts", store=True
    )
    agency_commission_amount = fields.Monetary(
        string="Commission Due", currency_field="currency_id", compute="_compute_agency_amounts", store=True
    )
    # Mediator, référé, small claims, assignation (and the hearings after an opposition).
    hearing_date = fields.Date(tracking=True, copy=False)
    next_deadline = fields.Date(tracking=True, copy=False)
    next_deadline_note = fields.Char(string="Next Deadline For", help="What is due on the next deadline.")
    lawyer_id = fields.Many2one(
        "res.partner",
        string="Lawyer / Commissaire de Justice",
        ondelete="restrict",
        tracking=True,
    )
    upcoming_deadline = fields.Date(
        compute="_compute_upcoming_deadline",
        store=True,
        help="The earliest deadline of the case still followed.",
    )
    # Closing.
    close_outcome = fields.Selection(CLOSE_OUTCOMES, string="Closing Outcome", tracking=True, copy=False)
    close_date = fields.Date(string="Closed On", tracking=True, copy=False)
    close_note = fields.Text(string="Closing Notes", copy=False)
    user_can_manage = fields.Boolean(compute="_compute_user_can_manage")
    evidence_html = fields.Html(
        string="Evidence List",
        compute="_compute_evidence_html",
        sanitize=False,
        help="The numbered list of the documents attached to the request (bordereau des pièces).",
    )

    _sql_constraints = [
        (
            "agency_commission_rate_range",
            "CHECK(agency_commission_rate >= 0 AND agency_commission_rate <= 100)",
            "The agency commission is a percentage between 0 and 100.",
        ),
    ]

    @api.depends(
        "state", "route", "filing_date", "order_date", "service_date", "agency_mandate_date", "hearing_date"
    )
    def _compute_stage(self):
        for case in self:
            if case.state == "closed":
                case.stage = "closed"
            elif case.route == "injonction" and case.service_date:
                case.stage = "served"
            elif case.route == "injonction" and case.order_date:
                case.stage = "order"
            elif case.hearing_date:
                case.stage = "hearing"
            elif case.filing_date or (case.route == "agency" and case.agency_mandate_date):
                case.stage = "filed"
            else:
                case.stage = "preparation"

    @api.depends("move_ids")
    def _compute_move_count(self):
        for case in self:
            case.move_count = len(case.move_ids)

    @api.depends(
        "amounts_date",
        "company_id",
        "move_ids.amount_residual_signed",
        "cost_line_ids.amount",
        "cost_line_ids.claimed",
        "cost_line_ids.justified",
        "cost_line_ids.kind",
        "cost_line_ids.date",
        "judgment_service_date",
    )
    def _compute_amounts(self):
        for as_of, cases in self.grouped("amounts_date").items():
            moves = cases.move_ids
            details = moves._credit_claimable_details(as_of) if as_of and moves else {}
            for case in cases:
                company = case.company_id
                currency = case.currency_id
                penalties = indemnity = interest = 0.0
                errors = []
                for move in case.move_ids:
                    detail = details.get(move, {})
                    if detail.get("error"):
                        errors.append(detail["error"])
                    # A penalty invoice counts once, as the penalties and indemnities it billed.
                    penalties += move.currency_id._convert(
                        sum(item["amount"] for item in detail.get("penalties", []))
                        + detail.get("billed_penalties", 0.0),
                        currency,
                        company,
                        as_of,
                    )
                    indemnity += move.currency_id._convert(
                        detail.get("indemnity", 0.0) + detail.get("billed_indemnity", 0.0),
                        currency,
                        company,
                        as_of,
                    )
                    interest += move.currency_id._convert(
                        detail.get("legal_interest", 0.0), currency, company, as_of
                    )
                case.amount_principal = sum(
                    case.move_ids.filtered(lambda move: not move.credit_is_penalty_invoice).mapped(
                        "amount_residual_signed"
                    )
                )
                case.amount_penalties = currency.round(penalties)
                case.amount_indemnity = currency.round(indemnity)
                case.amount_interest = currency.round(interest)
                case.amount_costs = sum(case.cost_line_ids.mapped("amount"))
                case.amount_costs_claimed = case._credit_claimable_costs(case.amount_indemnity)
                case.amount_total = (
                    case.amount_principal
                    + case.amount_penalties
                    + case.amount_indemnity
                    + case.amount_interest
                    + case.amount_costs_claimed
                )
                case.amounts_error = "\n".join(dict.fromkeys(errors)) or False

    @api.depends("order_date", "service_date")
    def _compute_injonction_deadlines(self):
        for case in self:
            case.service_limit_date = (
                case.order_date + relativedelta(months=SERVICE_LIMIT_MONTHS) if case.order_date else False
            )
            case.opposition_deadline = (
                self._next_working_day(case.service_date + relativedelta(months=1))
                if case.service_date
                else False
            )

    @api.depends("recovery_line_ids.amount", "agency_commission_rate")
    def _compute_agency_amounts(self):
        for case in self:
            recovered = sum(case.recovery_line_ids.mapped("amount"))
            case.amount_recovered = recovered
            case.agency_commission_amount = case.currency_id.round(
                recovered * case.agency_commission_rate / 100
            )

    @api.depends(
        "state",
        "route",
        "service_date",
        "order_date",
        "opposition_deadline",
        "service_limit_date",
        "hearing_date",
        "next_deadline",
        "injonction_outcome",
    )
    def _compute_upcoming_deadline(self):
        for case in self:
            dates = [date for date in case._deadline_dates().values() if date]
            case.upcoming_deadline = min(dates) if dates else False

    @api.depends_context("uid")
    def _compute_user_can_manage(self):
        can_manage = self.env.user.has_group(MANAGER_GROUP)
        for case in self:
            case.user_can_manage = can_manage

    def _compute_evidence_html(self):
        for case in self:
            items = case._evidence_items()
            if not items:
                case.evidence_html = Markup("<p>%s</p>") % self.env._("No document yet.")
                continue
            case.evidence_html = Markup("<ol>%s</ol>") % Markup("").join(
                Markup("<li>%s</li>") % item["label"] for item in items
            )

    @api.constrains("partner_id", "move_ids")
    def _check_moves(self):
        for case in self:
            wrong = case.move_ids.filtered(
                lambda move, case=case: (
                    move.move_type != "out_invoice"
                    or move.state != "posted"
                    or move.commercial_partner_id != case.partner_id
                )
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "The case %(case)s can only claim posted invoices of %(customer)s, not %(invoices)s.",
                        case=case.name,
                        customer=case.partner_id.display_name,
                        invoices=", ".join(wrong.mapped("display_name")),
                    )
                )
        cases = self.filtered(lambda case: case.state != "closed")
        if not cases.move_ids:
            return
        others = self.search(
            [("id", "not in", cases.ids), ("state", "!=", "closed"), ("move_ids", "in", cases.move_ids.ids)]
        )
        for other in others:
            for case in cases:
                shared = other.move_ids & case.move_ids
                if shared:
                    raise ValidationError(
                        self.env._(
                            "%(invoices)s is already claimed in the case %(other)s.",
                            invoices=", ".join(shared.mapped("display_name")),
                            other=other.name,
                        )
                    )

    @api.constrains("route", "move_ids", "amounts_date")
    def _check_small_claims_cap(self):
        for case in self.filtered(lambda case: case.route == "small_claims"):
            case._check_small_claims_amount()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalise_partner(vals)
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = (
                    self.env["ir.sequence"].with_company(company).next_by_code("credit.recovery.case") or "/"
                )
        cases = super().create(vals_list)
        cases._sync_deadline_activities()
        return cases

    def write(self, vals):
        self._check_write_rights(vals)
        self._normalise_partner(vals)
        result = super().write(vals)
        if DEADLINE_SOURCE_FIELDS & set(vals):
            self._sync_deadline_activities()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_not_draft(self):
        if any(case.state != "draft" for case in self):
            raise UserError(self.env._("Only draft cases can be deleted; close the others."))

    # ----------------------------------------------------------------------------------------------------
    # Actions
    # ----------------------------------------------------------------------------------------------------
    def action_open(self):
        """A Credit Manager opens the case: the invoices are then in litigation."""
        self._check_manager(self.env._("Only a Credit Manager can open a litigation case."))
        for case in self:
            if case.state != "draft":
                raise UserError(self.env._("The case %(case)s is not a draft.", case=case.name))
            if not case.move_ids:
                raise UserError(
                    self.env._("Add the invoices claimed in the case %(case)s first.", case=case.name)
                )
            if case.route == "small_claims":
                case._check_small_claims_amount()
            if not case.certainty_override_reason:
                # A claim taken to court must be certain, liquid, due and not time-barred.
                case.move_ids._credit_certainty_check()
        self.write({"state": "open"})
        return True

    def action_close(self):
        """A Credit Manager closes the case with its outcome."""
        self._check_manager(self.env._("Only a Credit Manager can close a litigation case."))
        for case in self:
            if case.state != "open":
                raise UserError(self.env._("Only open cases can be closed, not %(case)s.", case=case.name))
            if not case.close_outcome:
                raise UserError(
                    self.env._("Choose the closing outcome of %(case)s before closing it.", case=case.name)
                )
        for case in self:
            case.write({"state": "closed", "close_date": case.close_date or fields.Date.context_today(self)})
        return True

    def action_reopen(self):
        """A Credit Manager reopens a closed case (an appeal, a payment that bounced...)."""
        self._check_manager(self.env._("Only a Credit Manager can reopen a litigation case."))
        if any(case.state != "closed" for case in self):
            raise UserError(self.env._("Only closed cases can be reopened."))
        self.write({"state": "open", "close_outcome": False, "close_date": False})
        return True

    def action_refresh_amounts(self):
        """Compute the late amounts again as of today."""
        self.filtered(lambda case: case.state != "closed").write(
            {"amounts_date": fields.Date.context_today(self)}
        )
        return True

    def action_print_request(self):
        """The request data sheet with the evidence list, in the customer's language."""
        return self.env.ref("account_credit_recovery.action_report_credit_recovery_case").report_action(self)

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action.update({"domain": [("id", "in", self.move_ids.ids)], "context": {"create": False}})
        return action

    # ----------------------------------------------------------------------------------------------------
    # Business logic
    # ----------------------------------------------------------------------------------------------------
    @api.model
    def _credit_filing_dates(self, moves):
        """``{move: [court filing dates]}`` of the invoices in ``moves``, in one search.

        Only the routes that bring a claim before a court interrupt prescription (Code civil 2241); a request
        definitively rejected does not (2243). Invoices in no filed case map to an empty list.
        """
        result = {move: [] for move in moves}
        if not moves:
            return result
        cases = self.search_fetch(
            [
                ("move_ids", "in", moves.ids),
                ("route", "in", COURT_ROUTES),
                ("filing_date", "!=", False),
                "|",
                ("injonction_outcome", "=", False),
                ("injonction_outcome", "!=", "rejected"),
            ],
            ["move_ids", "filing_date", "route", "order_date", "service_date"],
        )
        for case in cases.filtered(lambda case: not case._credit_order_lapsed()):
            for move in case.move_ids & moves:
                result[move].append(case.filing_date)
        for dates in result.values():
            dates.sort()
        return result

    def _credit_order_lapsed(self, today=None):
        """Whether the order for payment of this injonction de payer lapsed: not served within 6 months of
        its date (CPC 1411), so the request never interrupted the prescription (C. civ. 2243)."""
        self.ensure_one()
        if self.route != "injonction" or not self.order_date:
            return False
        limit = self.order_date + relativedelta(months=SERVICE_LIMIT_MONTHS)
        if self.service_date:
            return self.service_date > limit
        return (today or fields.Date.context_today(self)) > limit

    @api.model
    def _propose_for_actions(self, actions):
        """``{action: case}``: the draft or open case of each action's customer, created when missing.

        A new draft case claims the overdue invoices of the action; a draft case receives the missing ones.
        """
        cases = self.search(
            [
                ("partner_id", "in", actions.partner_id.commercial_partner_id.ids),
                ("company_id", "in", actions.company_id.ids),
                ("state", "in", ("draft", "open")),
            ],
            order="state desc, id desc",
        )
        by_key = {}
        for case in cases:
            by_key.setdefault((case.partner_id, case.company_id), case)
        result = {}
        for action in actions:
            partner = action.partner_id.commercial_partner_id
            moves = action.line_ids.filtered(
                lambda line, action=action: line.date_maturity and line.date_maturity < action.date
            ).move_id.filtered(lambda move: move.move_type == "out_invoice")
            case = by_key.get((partner, action.company_id))
            if not case:
                case = self.with_company(action.company_id).create(
                    {
                        "partner_id": partner.id,
                        "company_id": action.company_id.id,
                        "user_id": action.user_id.id,
                        "amounts_date": action.date,
                        "move_ids": [fields.Command.set(moves.ids)],
                    }
                )
                case.message_post(
                    body=self.env._(
                        "Proposed by the dunning level %(level)s of %(date)s.",
                        level=action.level_id.name,
                        date=format_date(self.env, action.date),
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                by_key[(partner, action.company_id)] = case
            elif case.state == "draft" and moves - case.move_ids:
                case.move_ids = [fields.Command.link(move.id) for move in moves - case.move_ids]
            result[action] = case
        return result

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _check_manager(self, message):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(message)

    def _check_write_rights(self, vals):
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return
        restricted = {
            name
            for name in vals
            if name not in CONTROLLER_FIELDS and not name.startswith(("message_", "activity_"))
        }
        if restricted:
            raise AccessError(
                self.env._(
                    "Only a Credit Manager can change a litigation case; Credit Controllers add notes and "
                    "costs."
                )
            )

    @api.model
    def _normalise_partner(self, vals):
        """A case is against the customer itself (the commercial entity), not one of its contacts."""
        if vals.get("partner_id"):
            vals["partner_id"] = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id.id

    def _check_small_claims_amount(self):
        """The small-claims procedure is for claims up to 5,000 EUR in principal and interest (R125-1 CPCE)."""
        self.ensure_one()
        euro = self.env.ref("base.EUR")
        cap = euro._convert(SMALL_CLAIMS_CAP_EUR, self.currency_id, self.company_id, self.amounts_date)
        amount = self.amount_principal + self.amount_penalties + self.amount_interest
        if self.currency_id.compare_amounts(amount, cap) > 0:
            raise ValidationError(
                self.env._(
                    "The small-claims procedure is limited to claims of %(cap)s in principal and interest; "
                    "the case %(case)s claims %(amount)s. Choose an order for payment (injonction de payer) "
                    "or another route.",
                    cap=euro.format(SMALL_CLAIMS_CAP_EUR),
                    case=self.name,
                    amount=self.currency_id.format(amount),
                )
            )

    @api.model
    def _next_working_day(self, day):
        """A deadline ending on a Saturday or a Sunday moves to the next Monday (CPC 642)."""
        if day.weekday() >= 5:
            return day + relativedelta(days=7 - day.weekday())
        return day

    def _deadline_dates(self):
        """``{deadline kind: date or False}`` of the case, only those still followed."""
        self.ensure_one()
        if self.state == "closed":
            return dict.fromkeys(DEADLINE_ACTIVITY_TYPES, False)
        injonction = self.route == "injonction"
        return {
            "opposition": (
                self.opposition_deadline
                if injonction and self.injonction_outcome not in ("opposed", "rejected", "enforceable")
                else False
            ),
            "service": self.service_limit_date if injonction and not self.service_date else False,
            "hearing": self.hearing_date,
            "next": self.next_deadline,
        }

    def _deadline_summary(self, kind):
        self.ensure_one()
        summaries = {
            "opposition": self.env._(
                "%(case)s: opposition deadline; without opposition, ask for the enforceable order",
                case=self.name,
            ),
            "service": self.env._("%(case)s: serve the order for payment before it lapses", case=self.name),
            "hearing": self.env._("%(case)s: hearing", case=self.name),
            "next": self.env._(
                "%(case)s: %(what)s",
                case=self.name,
                what=self.next_deadline_note or self.env._("next deadline"),
            ),
        }
        return summaries[kind]

    @api.model
    def _deadline_activity_xmlids(self):
        """``{deadline kind: activity type xml id}``: extended where a procedure has other deadlines."""
        return dict(DEADLINE_ACTIVITY_TYPES)

    def _sync_deadline_activities(self):
        """One activity per deadline of each case: created when set, moved when changed, removed when gone."""
        if not self:
            return
        xmlids = self._deadline_activity_xmlids()
        types = {kind: self.env.ref(xmlid) for kind, xmlid in xmlids.items()}
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("activity_type_id", "in", [activity_type.id for activity_type in types.values()]),
            ]
        )
        existing = defaultdict(lambda: self.env["mail.activity"])
        for activity in activities:
            existing[(activity.res_id, activity.activity_type_id)] |= activity
        for case in self:
            for kind, deadline in case._deadline_dates().items():
                current = existing[(case.id, types[kind])]
                if not deadline:
                    current.unlink()
                    continue
                if current:
                    current[1:].unlink()
                    if current[0].date_deadline != deadline:
                        current[0].write({"date_deadline": deadline, "summary": case._deadline_summary(kind)})
                    continue
                case.activity_schedule(
                    act_type_xmlid=xmlids[kind],
                    date_deadline=deadline,
                    summary=case._deadline_summary(kind),
                    user_id=(case.user_id or self.env.user).id,
                )

    def _evidence_items(self):
        """The numbered evidence list (bordereau des pièces) of the case, in the order a court reads it.

        The order proofs (signed quotation or order), each invoice followed by the other documents attached to
        it, the delivery proofs, the other proofs, then the documents attached to the case (reminders, formal
        notice and its acknowledgement of receipt...). Returns ``[{"number", "label", "date", "record"}]``.
        """
        self.ensure_one()
        moves = self.move_ids.sorted(lambda move: (move.invoice_date or move.date, move.name))
        proofs = self.env["credit.recovery.proof"]
        for data in moves._credit_proof_data().values():
            proofs |= data["proofs"]
        proofs = proofs.sorted(lambda proof: (proof.date, proof.id))
        proof_attachments = proofs.attachment_id
        attachments = self.env["ir.attachment"].search(
            [
                "|",
                "&",
                ("res_model", "=", "account.move"),
                ("res_id", "in", moves.ids),
                "&",
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
            ],
            order="create_date, id",
        )
        attachments -= proof_attachments | moves.invoice_pdf_report_id
        by_move = attachments.filtered(lambda attachment: attachment.res_model == "account.move").grouped(
            "res_id"
        )
        kinds = dict(proofs._fields["kind"]._description_selection(self.env))
        entries = []

        def proof_entry(proof):
            label = self.env._(
                "%(kind)s of %(date)s: %(name)s",
                kind=kinds[proof.kind],
                date=format_date(self.env, proof.date),
                name=proof.name,
            )
            if proof.signatory_name:
                label = self.env._(
                    "%(label)s, signed by %(signatory)s", label=label, signatory=proof.signatory_name
                )
            return {"label": label, "date": proof.date, "record": proof}

        def attachment_entry(attachment):
            day = attachment.create_date.date() if attachment.create_date else False
            return {"label": attachment.name, "date": day, "record": attachment}

        entries += [proof_entry(proof) for proof in proofs if proof.kind in ORDER_PROOF_KINDS]
        for move in moves:
            entries.append(
                {
                    "label": self.env._(
                        "Invoice %(number)s of %(date)s, %(amount)s including taxes, due on %(due)s",
                        number=move.name,
                        date=format_date(self.env, move.invoice_date),
                        amount=move.currency_id.format(move.amount_total),
                        due=format_date(self.env, move.invoice_date_due),
                    ),
                    "date": move.invoice_date,
                    "record": move,
                }
            )
            entries += [attachment_entry(attachment) for attachment in by_move.get(move.id, [])]
        entries += [proof_entry(proof) for proof in proofs if proof.kind in DELIVERY_PROOF_KINDS]
        entries += [
            proof_entry(proof)
            for proof in proofs
            if proof.kind not in ORDER_PROOF_KINDS and proof.kind not in DELIVERY_PROOF_KINDS
        ]
        entries += [
            attachment_entry(attachment) for attachment in attachments if attachment.res_model == self._name
        ]
        for number, entry in enumerate(entries, start=1):
            entry["number"] = number
        return entries

    def _request_amount_lines(self):
        """The detail of the amount claimed, for the request: ``[(label, legal basis, amount)]``."""
        self.ensure_one()
        lines = [(self.env._("Principal (invoices unpaid, taxes included)"), "", self.amount_principal)]
        if self.amount_penalties:
            lines.append(
                (
                    self.env._("Late-payment penalties"),
                    self.env._("Code de commerce, art. L441-10"),
                    self.amount_penalties,
                )
            )
        if self.amount_indemnity:
            lines.append(
                (
                    self.env._("Fixed indemnity for recovery costs"),
                    self.env._("Code de commerce, art. L441-10 and D441-5"),
                    self.amount_indemnity,
                )
            )
        if self.amount_interest:
            lines.append(
                (
                    self.env._("Legal interest from the formal notice"),
                    self.env._("Code civil, art. 1231-6 and 1344-1"),
                    self.amount_interest,
                )
            )
        if self.amount_costs_claimed:
            costs = self._credit_chargeable_cost_lines()
            lines.append(
                (
                    self.env._(
                        "Recovery costs on proof (%(costs)s), beyond the fixed indemnities",
                        costs=", ".join(costs.mapped("name")),
                    ),
                    self.env._("Code de commerce, art. L441-10 II"),
                    self.amount_costs_claimed,
                )
            )
        return lines

    def _credit_chargeable_cost_lines(self):
        """The costs the creditor may charge to the debtor itself, before the 40 EUR are deducted.

        Never the dépens (court fees), which only the judge awards (CPC 695-700); only costs kept with their
        proof; a consumer owes none incurred without an enforceable title (CPCE L111-8), i.e. before the
        judgment was served.
        """
        self.ensure_one()
        costs = self.cost_line_ids.filtered(
            lambda cost: cost.claimed and cost.justified and cost.kind != "court"
        )
        if self.partner_id.commercial_partner_id.credit_customer_type == "b2c":
            title = self.judgment_service_date
            costs = costs.filtered(lambda cost: title and cost.date >= title)
        return costs

    def _credit_claimable_costs(self, indemnity):
        """Costs claimed on top of the principal: a business owes recovery costs only beyond the fixed
        indemnities ``indemnity`` already claimed (L441-10 II); a consumer owes no indemnity to deduct."""
        self.ensure_one()
        chargeable = sum(self._credit_chargeable_cost_lines().mapped("amount"))
        return self.currency_id.round(max(0.0, chargeable - indemnity))


class CreditRecoveryCaseCost(models.Model):
    _name = "credit.recovery.case.cost"
    _description = "Litigation Case Cost"
    _order = "date, id"
    _check_company_auto = True

    case_id = fields.Many2one("credit.recovery.case", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="case_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    kind = fields.Selection(COST_KINDS, required=True, default="court")
    name = fields.Char(string="Description", required=True)
    partner_id = fields.Many2one("res.partner", string="Paid To", ondelete="restrict")
    amount = fields.Monetary(currency_field="currency_id", required=True)
    claimed = fields.Boolean(
        string="Claimed from the Debtor",
        default=True,
        help="Recovery costs cannot be charged to a consumer without an enforceable title (CPCE L111-8).",
    )
    justified = fields.Boolean(
        string="Proof Kept",
        help="The invoice or receipt of this cost is kept: a business owes recovery costs beyond the 40 EUR "
        "indemnities only on proof (Code de commerce L441-10 II). Court fees (dépens) are never charged by "
        "the creditor: the judge awards them.",
    )

    _sql_constraints = [
        ("amount_positive", "CHECK(amount >= 0)", "A cost cannot be negative."),
    ]


class CreditRecoveryCaseRecovery(models.Model):
    _name = "credit.recovery.case.recovery"
    _description = "Amount Recovered by a Collection Agency"
    _order = "date, id"
    _check_company_auto = True

    case_id = fields.Many2one("credit.recovery.case", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="case_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    amount = fields.Monetary(currency_field="currency_id", required=True)
    note = fields.Char(string="Notes")

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "An amount recovered must be positive."),
    ]
