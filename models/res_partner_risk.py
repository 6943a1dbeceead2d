from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .res_company import RISK_LEVELS, RISK_RANK

WARNING_SIGN_FIELDS = (
    "credit_ws_refuses_deposit",
    "credit_ws_unpublished_accounts",
    "credit_ws_management_change",
    "credit_ws_sector_difficulty",
    "credit_ws_late_payer",
    "credit_ws_large_order",
)
MANAGER_FIELDS = frozenset(
    {
        "credit_limit",
        "use_partner_credit_limit",
        "credit_risk_override",
        "credit_risk_override_reason",
        "credit_on_hold",
        "credit_hold_reason",
    }
)


class ResPartner(models.Model):
    """The risk rules: warning signs, the level the company's rules give and the Credit Manager's override,
    the banner, credit holds, and who may change what in the credit file."""

    _inherit = "res.partner"

    # Warning signs.
    credit_ws_refuses_deposit = fields.Boolean(string="Refuses to pay a deposit", groups="base.group_user")
    credit_ws_unpublished_accounts = fields.Boolean(
        string="Does not publish its accounts", groups="base.group_user"
    )
    credit_ws_management_change = fields.Boolean(string="Change of management", groups="base.group_user")
    credit_ws_sector_difficulty = fields.Boolean(string="Sector in difficulty", groups="base.group_user")
    credit_ws_late_payer = fields.Boolean(string="Known late payer", groups="base.group_user")
    credit_ws_large_order = fields.Boolean(string="Order unusually large", groups="base.group_user")
    credit_warning_notes = fields.Text(string="Warning Notes", groups="base.group_user")
    credit_warning_sign_count = fields.Integer(
        string="Warning Signs",
        compute="_compute_credit_warning_sign_count",
        store=True,
        groups="base.group_user",
    )
    credit_risk_override = fields.Selection(
        RISK_LEVELS,
        string="Risk Level Override",
        company_dependent=True,
        help="Set by a Credit Manager, with a reason, to replace the computed level.",
        groups="base.group_user",
    )
    credit_risk_override_reason = fields.Char(
        string="Override Reason", company_dependent=True, groups="base.group_user"
    )
    credit_on_hold = fields.Boolean(string="On Credit Hold", company_dependent=True, groups="base.group_user")
    credit_hold_reason = fields.Char(company_dependent=True, groups="base.group_user")
    credit_risk_level = fields.Selection(
        RISK_LEVELS,
        string="Risk Level",
        compute="_compute_credit_risk_level",
        search="_search_credit_risk_level",
        groups="base.group_user",
    )
    credit_risk_level_computed = fields.Selection(
        RISK_LEVELS,
        string="Level by the Rules",
        compute="_compute_credit_risk_level",
        groups="base.group_user",
    )
    credit_risk_reasons = fields.Text(
        string="Why This Level", compute="_compute_credit_risk_level", groups="base.group_user"
    )
    credit_warning_message = fields.Text(
        string="Credit Warning", compute="_compute_credit_warning_message", groups="base.group_user"
    )
    credit_user_is_controller = fields.Boolean(compute="_compute_credit_user_rights")
    credit_user_is_manager = fields.Boolean(compute="_compute_credit_user_rights")

    @api.depends_context("uid")
    def _compute_credit_user_rights(self):
        user = self.env.user
        self.credit_user_is_controller = user.has_group("account_credit_recovery.group_credit_controller")
        self.credit_user_is_manager = user.has_group("account_credit_recovery.group_credit_manager")

    @api.depends(*WARNING_SIGN_FIELDS)
    def _compute_credit_warning_sign_count(self):
        for partner in self:
            partner.credit_warning_sign_count = sum(bool(partner[name]) for name in WARNING_SIGN_FIELDS)

    @api.depends_context("company", "credit_recovery_date")
    @api.depends(
        "commercial_partner_id.credit_score",
        "commercial_partner_id.credit_collective_proceeding",
        "commercial_partner_id.credit_warning_sign_count",
        "commercial_partner_id.credit_risk_override",
        "commercial_partner_id.credit_risk_override_reason",
        "commercial_partner_id.credit_limit",
    )
    def _compute_credit_risk_level(self):
        """The commercial partner's level by the company's rules, then the Credit Manager's override."""
        company = self.env.company
        for partner in self:
            commercial = partner.commercial_partner_id
            level, reasons = commercial._credit_rule_level(company)
            partner.credit_risk_level_computed = level
            if commercial.credit_risk_override:
                reasons.append(
                    self.env._(
                        "Overridden by a Credit Manager: %(reason)s",
                        reason=commercial.credit_risk_override_reason or "",
                    )
                )
                level = commercial.credit_risk_override
            partner.credit_risk_level = level
            partner.credit_risk_reasons = "\n".join(reasons)

    @api.depends_context("company", "credit_recovery_date")
    @api.depends(
        "commercial_partner_id.name",
        "commercial_partner_id.credit_collective_proceeding",
        "commercial_partner_id.credit_limit",
    )
    def _compute_credit_warning_message(self):
        for partner in self:
            commercial = partner.commercial_partner_id
            messages = []
            if commercial.credit_collective_proceeding != "none":
                messages.append(
                    self.env._(
                        "%(customer)s is in collective proceedings (%(kind)s): no new credit.",
                        customer=commercial.name,
                        kind=dict(
                            self._fields["credit_collective_proceeding"]._description_selection(self.env)
                        )[commercial.credit_collective_proceeding],
                    )
                )
            if commercial.credit_over_limit:
                messages.append(
                    self.env._(
                        "%(customer)s is over its credit limit: exposure %(exposure)s for a limit of %(limit)s.",
                        customer=commercial.name,
                        exposure=commercial._credit_format(commercial.credit_exposure),
                        limit=commercial._credit_format(commercial.sudo().credit_limit),
                    )
                )
            if commercial.credit_overdue_amount > self.env.company.credit_overdue_tolerance:
                messages.append(
                    self.env._(
                        "%(customer)s has %(amount)s overdue, the oldest for %(days)s days.",
                        customer=commercial.name,
                        amount=commercial._credit_format(commercial.credit_overdue_amount),
                        days=commercial.credit_oldest_overdue_days,
                    )
                )
            partner.credit_warning_message = "\n".join(messages)

    def _search_credit_risk_level(self, operator, value):
        return self._credit_search_by("credit_risk_level", operator, value, blank="low")

    def write(self, vals):
        self._credit_check_write_rights(vals)
        overriding = {"credit_risk_override", "credit_risk_override_reason"} & vals.keys()
        if overriding:
            if vals.get("credit_risk_override") and not (
                vals.get("credit_risk_override_reason")
                or all(partner.credit_risk_override_reason for partner in self)
            ):
                raise UserError(self.env._("Give the reason why you override the risk level."))
            previous = {partner.id: partner.credit_risk_level for partner in self}
        result = super().write(vals)
        if overriding:
            for partner in self:
                partner._credit_log_override(previous[partner.id])
        return result

    def _credit_level_label(self, level):
        return dict(self._fields["credit_risk_level"]._description_selection(self.env)).get(level, "")

    def _credit_check_write_rights(self, vals):
        """Credit Controllers edit the risk profile; only Credit Managers set limits and overrides."""
        if self.env.su:
            return
        user = self.env.user
        if MANAGER_FIELDS & vals.keys() and not user.has_group(
            "account_credit_recovery.group_credit_manager"
        ):
            raise AccessError(
                self.env._("Only a Credit Manager can change a credit limit or override a risk level.")
            )
        profile_keys = {key for key in vals if key.startswith("credit_")} - MANAGER_FIELDS
        if profile_keys and not user.has_group("account_credit_recovery.group_credit_controller"):
            raise AccessError(self.env._("Only Credit Controllers can change a customer's credit profile."))

    def _credit_log_override(self, previous_level):
        self.ensure_one()
        if self.credit_risk_override:
            body = self.env._(
                "Risk level overridden from %(old)s to %(new)s by %(user)s. Reason: %(reason)s",
                old=self._credit_level_label(previous_level),
                new=self._credit_level_label(self.credit_risk_override),
                user=self.env.user.name,
                reason=self.credit_risk_override_reason or "",
            )
        else:
            body = self.env._(
                "Risk level override removed by %(user)s: the level follows the rules again (%(level)s).",
                user=self.env.user.name,
                level=self._credit_level_label(self.credit_risk_level),
            )
        self._credit_trail()._credit_log_post(body)
        self._credit_notify_level_change()

    def _credit_rule_level(self, company):
        """(level, reasons) given by the company's rules; the partner is a commercial partner."""
        self.ensure_one()
        findings = []  # (level, reason)
        if self.credit_collective_proceeding != "none":
            findings.append(("critical", self.env._("In collective proceedings.")))
        if self.credit_score:
            for level in ("critical", "high", "medium"):
                threshold = company[f"credit_risk_score_{level}"]
                if self.credit_score < threshold:
                    findings.append(
                        (
                            level,
                            self.env._(
                                "Score %(score)s below %(threshold)s.",
                                score=self.credit_score,
                                threshold=threshold,
                            ),
                        )
                    )
                    break
        signs = self.credit_warning_sign_count
        if company.credit_risk_signs_high and signs >= company.credit_risk_signs_high:
            findings.append(("high", self.env._("%(count)s warning signs.", count=signs)))
        elif company.credit_risk_signs_medium and signs >= company.credit_risk_signs_medium:
            findings.append(("medium", self.env._("%(count)s warning signs.", count=signs)))
        late = self.credit_avg_days_late
        if company.credit_risk_late_days_high and late >= company.credit_risk_late_days_high:
            findings.append(("high", self.env._("Pays %(days)s days late on average.", days=round(late))))
        elif company.credit_risk_late_days_medium and late >= company.credit_risk_late_days_medium:
            findings.append(("medium", self.env._("Pays %(days)s days late on average.", days=round(late))))
        oldest = self.credit_oldest_overdue_days
        if company.credit_risk_overdue_days_critical and oldest >= company.credit_risk_overdue_days_critical:
            findings.append(("critical", self.env._("An item is %(days)s days overdue.", days=oldest)))
        elif company.credit_risk_overdue_days_high and oldest >= company.credit_risk_overdue_days_high:
            findings.append(("high", self.env._("An item is %(days)s days overdue.", days=oldest)))
        if self.credit_over_limit and company.credit_risk_over_limit_level:
            findings.append((company.credit_risk_over_limit_level, self.env._("Over its credit limit.")))
        if not findings:
            return "low", [self.env._("No rule raises the level.")]
        level = max((finding[0] for finding in findings), key=RISK_RANK.get)
        return level, [reason for _level, reason in findings]
