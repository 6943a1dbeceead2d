from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .credit_recovery_court import CIVIL_COURT_KINDS, COMMERCIAL_COURT_KINDS, COURT_KINDS

JURISDICTIONS = [
    ("commercial", "Commercial Court"),
    ("civil", "Tribunal Judiciaire"),
]
CIVIL_JUDGES = [
    ("president", "Président du tribunal judiciaire"),
    ("protection", "Juge des contentieux de la protection"),
]
# The Cerfa form of the request: 12946 before a commercial court, 12948 before the tribunal judiciaire.
CERFA_BY_JURISDICTION = {"commercial": "12946", "civil": "12948"}
# The request for the enforceable formula is made within one month after the opposition period (CPC 1423).
ENFORCEABLE_REQUEST_MONTHS = 1
# Fields whose change moves the deadline reminders, on top of those of the case.
COURT_DEADLINE_FIELDS = frozenset({"service_to_person", "first_personal_act_date"})


class CreditRecoveryCase(models.Model):
    """The order for payment: an existing court chosen from the shipped list, its deadlines (CPC 1405-1425)."""

    _inherit = "credit.recovery.case"

    court_jurisdiction = fields.Selection(
        JURISDICTIONS,
        string="Jurisdiction",
        compute="_compute_court_jurisdiction",
        store=True,
        readonly=False,
        help="A commercial court (tribunal de commerce, tribunal des activités économiques, commercial chamber "
        "in Alsace-Moselle) when the applicant and the debtor are both traders or craftsmen (C. com. L721-3); "
        "the tribunal judiciaire otherwise: associations, civil companies, liberal professions, farmers and "
        "consumers.",
    )
    court_id = fields.Many2one(
        "credit.recovery.court",
        compute="_compute_court_id",
        store=True,
        readonly=False,
        ondelete="restrict",
        domain="[('kind', 'in', court_kinds_allowed)]",
        help="Proposed from the debtor's address (its department and town) where the list allows; choose it "
        "where several courts share the department, then confirm it.",
    )
    court_kinds_allowed = fields.Json(compute="_compute_court_kinds_allowed")
    court_confirmed = fields.Boolean(
        compute="_compute_court_confirmed",
        store=True,
        readonly=False,
        copy=False,
        tracking=True,
        help="The request is printed only once a Credit Manager has confirmed the competent court.",
    )
    civil_judge = fields.Selection(
        CIVIL_JUDGES,
        string="Judge",
        default="president",
        required=True,
        help="Before the tribunal judiciaire, the request goes to its president, or to the juge des contentieux "
        "de la protection for the matters the law gives him, such as consumer credit or residential leases "
        "(CPC 1406; COJ L213-4-1 to L213-4-8).",
    )
    court_kind = fields.Selection(
        COURT_KINDS,
        compute="_compute_court",
        store=True,
        help="The kind of the chosen court: a commercial court when the applicant and the debtor are both "
        "traders or craftsmen, the tribunal judiciaire otherwise.",
    )
    court_city = fields.Char(
        string="Court Seat",
        compute="_compute_court",
        store=True,
        help="The town where the chosen court sits.",
    )
    court_name = fields.Char(
        string="Competent Court",
        compute="_compute_court",
        store=True,
        help="The official name of the chosen court, printed on the request.",
    )
    service_to_person = fields.Boolean(
        string="Served to the Person",
        default=True,
        tracking=True,
        help="The order was handed to the debtor itself (or its legal representative). Otherwise the debtor may "
        "oppose until a month after the first act served to the person or the first enforcement measure "
        "making its property unavailable (CPC 1416).",
    )
    first_personal_act_date = fields.Date(
        string="First Act Served to the Person",
        tracking=True,
        copy=False,
        help="When the order was not served to the person: the date of the first act served to the person or "
        "of the first enforcement measure making the debtor's property unavailable (CPC 1416).",
    )
    enforceable_request_deadline = fields.Date(
        string="Ask for the Enforceable Formula By",
        compute="_compute_injonction_deadlines",
        store=True,
        help="Without opposition, the applicant asks for the enforceable formula within one month after the "
        "opposition period, whatever the manner of service; later, the order lapses (CPC 1423).",
    )

    @api.depends(
        "company_id.partner_id.credit_trade_status",
        "partner_id.credit_trade_status",
        "partner_id.credit_customer_type",
    )
    def _compute_court_jurisdiction(self):
        for case in self:
            creditor = case.company_id.partner_id
            debtor = case.partner_id.commercial_partner_id
            traders = (
                creditor.credit_trade_status == "trader"
                and debtor.credit_trade_status == "trader"
                and debtor.credit_customer_type != "b2c"
            )
            case.court_jurisdiction = "commercial" if traders else "civil"

    @api.depends("court_jurisdiction")
    def _compute_court_kinds_allowed(self):
        for case in self:
            case.court_kinds_allowed = list(case._court_kinds())

    @api.depends("court_jurisdiction", "partner_id.zip", "partner_id.city", "partner_id.country_id")
    def _compute_court_id(self):
        Court = self.env["credit.recovery.court"]
        for jurisdiction, cases in self.grouped("court_jurisdiction").items():
            kinds = COMMERCIAL_COURT_KINDS if jurisdiction == "commercial" else CIVIL_COURT_KINDS
            proposals = Court._propose(cases.partner_id, kinds)
            for case in cases:
                case.court_id = proposals.get(case.partner_id, Court)

    @api.depends("court_id", "civil_judge")
    def _compute_court_confirmed(self):
        for case in self:
            case.court_confirmed = False

    @api.depends("court_id")
    def _compute_court(self):
        for case in self:
            case.court_kind = case.court_id.kind or False
            case.court_city = case.court_id.city or False
            case.court_name = case.court_id.name or False

    @api.depends("order_date", "service_date", "service_to_person", "first_personal_act_date")
    def _compute_injonction_deadlines(self):
        for case in self:
            case.service_limit_date = case._service_limit(case.order_date)
            period_end = (
                self._next_working_day(case.service_date + relativedelta(months=1))
                if case.service_date
                else False
            )
            if case.service_to_person:
                case.opposition_deadline = period_end
            elif case.first_personal_act_date:
                case.opposition_deadline = self._next_working_day(
                    case.first_personal_act_date + relativedelta(months=1)
                )
            else:
                # Open until a month after an act served to the person: no date yet.
                case.opposition_deadline = False
            case.enforceable_request_deadline = (
                self._next_working_day(period_end + relativedelta(months=ENFORCEABLE_REQUEST_MONTHS))
                if period_end
                else False
            )

    @api.depends(
        "state",
        "route",
        "service_date",
        "order_date",
        "opposition_deadline",
        "service_limit_date",
        "enforceable_request_deadline",
        "hearing_date",
        "next_deadline",
        "injonction_outcome",
    )
    def _compute_upcoming_deadline(self):
        return super()._compute_upcoming_deadline()

    @api.model
    def _service_limit(self, order_date):
        """An order not served within six months of its date lapses (CPC 1411)."""
        return order_date + relativedelta(months=6) if order_date else False

    def _check_court_kind(self):
        """A court chosen by the user judges the claim: the proposals always do."""
        for case in self.filtered("court_id"):
            if case.court_id.kind not in case._court_kinds():
                raise ValidationError(case._wrong_court_message())

    @api.model_create_multi
    def create(self, vals_list):
        cases = super().create(vals_list)
        cases.filtered(lambda case: case.court_id)._check_court_kind()
        return cases

    def write(self, vals):
        result = super().write(vals)
        if {"court_id", "court_jurisdiction"} & set(vals):
            self._check_court_kind()
        if COURT_DEADLINE_FIELDS & set(vals):
            self._sync_deadline_activities()
        return result

    # ----------------------------------------------------------------------------------------------------
    # Actions
    # ----------------------------------------------------------------------------------------------------
    def action_confirm_court(self):
        """A Credit Manager confirms the court the request is addressed to."""
        self._check_manager(self.env._("Only a Credit Manager can confirm the competent court."))
        for case in self:
            case._check_court_chosen()
        self.write({"court_confirmed": True})
        return True

    def action_print_request(self):
        self._check_request_printable()
        return super().action_print_request()

    # ----------------------------------------------------------------------------------------------------
    # Business logic
    # ----------------------------------------------------------------------------------------------------
    @api.model
    def _deadline_activity_xmlids(self):
        xmlids = super()._deadline_activity_xmlids()
        xmlids["enforceable"] = "account_credit_recovery.mail_activity_type_credit_case_enforceable"
        return xmlids

    def _deadline_dates(self):
        dates = super()._deadline_dates()
        dates["enforceable"] = (
            self.enforceable_request_deadline
            if self.state != "closed"
            and self.route == "injonction"
            and self.injonction_outcome not in ("opposed", "rejected", "enforceable")
            else False
        )
        return dates

    def _deadline_summary(self, kind):
        if kind == "enforceable":
            return self.env._(
                "%(case)s: without opposition, ask for the enforceable formula before the order lapses",
                case=self.name,
            )
        return super()._deadline_summary(kind)

    def _court_kinds(self):
        self.ensure_one()
        return COMMERCIAL_COURT_KINDS if self.court_jurisdiction == "commercial" else CIVIL_COURT_KINDS

    def _check_court_chosen(self):
        self.ensure_one()
        if not self.court_id:
            raise UserError(
                self.env._(
                    "Choose the competent court of the case %(case)s in the list of courts: the debtor's address "
                    "does not tell which one it is.",
                    case=self.name,
                )
            )
        if self.court_id.kind not in self._court_kinds():
            raise UserError(self._wrong_court_message())

    def _wrong_court_message(self):
        self.ensure_one()
        jurisdictions = dict(self._fields["court_jurisdiction"]._description_selection(self.env))
        return self.env._(
            "%(court)s does not judge this claim: choose a court of the kind %(jurisdiction)s for the case "
            "%(case)s.",
            court=self.court_id.name,
            jurisdiction=jurisdictions[self.court_jurisdiction],
            case=self.name,
        )

    def _check_not_public_person(self):
        """No order for payment against a public buyer: a claim under a public contract belongs to the
        administrative court (référé-provision, CJA R541-1), and a public person's property cannot be seized."""
        for case in self.filtered(lambda case: case.route == "injonction"):
            if case.partner_id.commercial_partner_id.credit_public_buyer_kind:
                raise UserError(
                    self.env._(
                        "%(customer)s is a public buyer: an order for payment cannot be asked against it. A claim "
                        "under a public contract is brought before the administrative court (référé-provision, "
                        "Code de justice administrative R541-1).",
                        customer=case.partner_id.display_name,
                    )
                )

    def action_open(self):
        self._check_not_public_person()
        return super().action_open()

    def _check_request_printable(self):
        """The request for an order for payment names a confirmed, existing court."""
        self._check_not_public_person()
        for case in self.filtered(lambda case: case.route == "injonction"):
            case._check_court_chosen()
            if not case.court_confirmed:
                raise UserError(
                    self.env._(
                        "Confirm the competent court (%(court)s) of the case %(case)s before printing its "
                        "request.",
                        court=case.court_id.name,
                        case=case.name,
                    )
                )

    def _court_addressee(self):
        """To whom the request is addressed (CPC 1406), in the language of the rendering context."""
        self.ensure_one()
        court = self.court_id
        if not court:
            return ""
        name = court.name[:1].lower() + court.name[1:]
        if court.kind == "alsace_moselle":
            return self.env._("To the Presiding Judge of the %(court)s", court=name)
        if court.kind == "judiciaire" and self.civil_judge == "protection":
            return self.env._("To the juge des contentieux de la protection of the %(court)s", court=name)
        return self.env._("To the President of the %(court)s", court=name)

    def _request_cerfa(self):
        self.ensure_one()
        return CERFA_BY_JURISDICTION.get(self.court_jurisdiction, CERFA_BY_JURISDICTION["civil"])

    def _request_lang(self):
        """A request to a French court is written in French (ordonnance de Villers-Cotterêts, art. 111), whatever
        the debtor's language."""
        self.ensure_one()
        return self.env["res.partner"]._credit_french_lang()
