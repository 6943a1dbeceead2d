from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .res_company import RISK_LEVELS, RISK_RANK

COLLECTIVE_PROCEEDINGS = [
    ("none", "None"),
    ("safeguard", "Safeguard (sauvegarde)"),
    ("receivership", "Receivership (redressement judiciaire)"),
    ("liquidation", "Liquidation (liquidation judiciaire)"),
]
HEADCOUNT_BANDS = [
    ("0", "No employee"),
    ("1_9", "1-9"),
    ("10_49", "10-49"),
    ("50_249", "50-249"),
    ("250_4999", "250-4,999"),
    ("5000", "5,000 and more"),
]
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
# Amounts read by one query each for a whole recordset (see _credit_read_amounts).
CREDIT_AMOUNT_KEYS = (
    "receivable",
    "unreconciled_credit",
    "overdue",
    "oldest_due",
    "draft_invoices",
    "orders_to_invoice",
    "avg_days_late",
    "paid_invoices",
    "late_invoices",
    "dso",
    "dso_known",
    "reminders_12m",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Identity (SIREN lives in Odoo's company_registry, SIRET in l10n_fr's siret).
    credit_legal_form = fields.Char(string="Legal Form", help="SAS, SARL, SA, EURL, EI...")
    credit_creation_date = fields.Date(string="Creation Date")
    credit_naf_code = fields.Char(string="NAF Code", size=6, help="Activity code (APE/NAF), e.g. 47.11F.")
    credit_headcount_band = fields.Selection(HEADCOUNT_BANDS, string="Headcount")
    credit_legal_representative_id = fields.Many2one(
        "res.partner",
        string="Legal Representative",
        domain="[('parent_id', '=', id), ('is_company', '=', False)]",
        ondelete="set null",
        help="The person who can bind the company (président, gérant...).",
    )
    # Financial information, in the currency of the published accounts.
    credit_financial_currency_id = fields.Many2one(
        "res.currency",
        string="Accounts Currency",
        default=lambda self: self.env.ref("base.EUR", raise_if_not_found=False),
        ondelete="restrict",
    )
    credit_revenue = fields.Monetary(
        string="Revenue", currency_field="credit_financial_currency_id", groups="base.group_user"
    )
    credit_net_result = fields.Monetary(
        string="Net Result", currency_field="credit_financial_currency_id", groups="base.group_user"
    )
    credit_equity = fields.Monetary(
        string="Equity", currency_field="credit_financial_currency_id", groups="base.group_user"
    )
    credit_financials_known = fields.Boolean(
        string="Financial Figures Known",
        compute="_compute_credit_financials_known",
        store=True,
        help="Revenue, net result, equity or the fiscal year end was entered: until then the figures are "
        "unknown (shown empty, sorted last), not zero.",
    )
    credit_fiscal_year_end = fields.Date(string="Fiscal Year End")
    credit_accounts_published = fields.Boolean(
        string="Accounts Published",
        help="The customer files its annual accounts publicly at the greffe.",
    )
    credit_last_filing_date = fields.Date(string="Last Filing Date")
    credit_collective_proceeding = fields.Selection(
        COLLECTIVE_PROCEEDINGS,
        string="Collective Proceedings",
        default="none",
        required=True,
        tracking=True,
        help="Sauvegarde, redressement or liquidation judiciaire as published in the BODACC: it blocks "
        "new credit and suppresses the 40 EUR recovery indemnity.",
    )
    credit_collective_proceeding_date = fields.Date(string="Proceedings Published On (BODACC)")
    # Solvency score: entered by the user from its source, never computed here.
    credit_score = fields.Float(
        string="Solvency Score",
        digits=(4, 1),
        tracking=True,
        help="Score out of 20 on the AFDCC scale, as obtained from its source (0 = not known).",
        groups="base.group_user",
    )
    credit_score_source = fields.Char(string="Score Source", groups="base.group_user")
    credit_score_date = fields.Date(string="Score Date", groups="base.group_user")
    credit_score_age_days = fields.Integer(
        string="Score Age (days)", compute="_compute_credit_score_age_days", groups="base.group_user"
    )
    credit_external_rating = fields.Char(
        string="External Rating", help="Any other rating, with its scale.", groups="base.group_user"
    )
    # Credit insurance.
    credit_insurer_id = fields.Many2one("res.partner", ondelete="restrict", groups="base.group_user")
    credit_insured_amount = fields.Monetary(
        string="Insured Amount", currency_field="credit_financial_currency_id", groups="base.group_user"
    )
    credit_insurance_expiry = fields.Date(string="Insurance Expiry", groups="base.group_user")
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
    # Per company: who follows the customer, the manager's override, the review cycle.
    credit_controller_id = fields.Many2one(
        "res.users",
        company_dependent=True,
        ondelete="set null",
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("account_credit_recovery.group_credit_controller").ids)
        ],
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
    credit_risk_level_notified = fields.Selection(
        RISK_LEVELS,
        string="Last Notified Risk Level",
        company_dependent=True,
        copy=False,
        help="Technical: the level the salesperson was last told about.",
        groups="base.group_user",
    )
    credit_last_review_date = fields.Date(
        string="Last Review", company_dependent=True, copy=False, groups="base.group_user"
    )
    credit_last_reviewer_id = fields.Many2one(
        "res.users",
        string="Reviewed By",
        company_dependent=True,
        copy=False,
        ondelete="set null",
        groups="base.group_user",
    )
    # Dunning, per company.
    credit_policy_id = fields.Many2one(
        "credit.recovery.policy",
        string="Dunning Policy",
        company_dependent=True,
        ondelete="restrict",
        help="Leave empty to follow the company's default policy.",
    )
    credit_recovery_paused_until = fields.Date(
        string="Dunning Paused Until",
        company_dependent=True,
        help="The daily run leaves the customer alone until then.",
        groups="base.group_user",
    )
    credit_on_hold = fields.Boolean(string="On Credit Hold", company_dependent=True, groups="base.group_user")
    credit_hold_reason = fields.Char(company_dependent=True, groups="base.group_user")
    credit_recovery_action_ids = fields.One2many(
        "credit.recovery.action",
        "partner_id",
        string="Recovery Actions",
        groups="account.group_account_invoice",
    )
    # Computed per company, for a whole recordset at once; never stored on the partner.
    credit_currency_id = fields.Many2one("res.currency", compute="_compute_credit_currency_id")
    credit_exposure = fields.Monetary(
        string="Exposure",
        currency_field="credit_currency_id",
        compute="_compute_credit_amounts",
        help="Open posted receivables + draft invoices + confirmed orders not yet invoiced - "
        "unreconciled payments and credit notes, in the company currency.",
        groups="base.group_user",
    )
    credit_receivable_amount = fields.Monetary(
        string="Open Receivables",
        currency_field="credit_currency_id",
        compute="_compute_credit_amounts",
        groups="base.group_user",
    )
    credit_unreconciled_amount = fields.Monetary(
        string="Unreconciled Payments and Credit Notes",
        currency_field="credit_currency_id",
        compute="_compute_credit_amounts",
        groups="base.group_user",
    )
    credit_draft_invoice_amount = fields.Monetary(
        string="Draft Invoices",
        currency_field="credit_currency_id",
        compute="_compute_credit_amounts",
        groups="base.group_user",
    )
    credit_order_amount = fields.Monetary(
        string="Orders Not Yet Invoiced",
        currency_field="credit_currency_id",
        compute="_compute_credit_amounts",
        groups="base.group_user",
    )
    credit_overdue_amount = fields.Monetary(
        string="Overdue",
        currency_field="credit_currency_id",
        compute="_compute_credit_amounts",
        search="_search_credit_overdue_amount",
        groups="base.group_user",
    )
    credit_available = fields.Monetary(
        string="Available Credit",
        currency_field="credit_currency_id",
        compute="_compute_credit_amounts",
        help="Credit limit minus exposure (only when credit limits are used).",
        groups="base.group_user",
    )
    credit_limit_usage = fields.Float(
        string="Limit Used (%)",
        compute="_compute_credit_amounts",
        help="Exposure as a percentage of the limit.",
        groups="base.group_user",
    )
    credit_over_limit = fields.Boolean(
        string="Over Credit Limit",
        compute="_compute_credit_amounts",
        search="_search_credit_over_limit",
        groups="base.group_user",
    )
    credit_oldest_overdue_days = fields.Integer(
        string="Oldest Overdue (days)", compute="_compute_credit_amounts", groups="base.group_user"
    )
    credit_avg_days_late = fields.Float(
        string="Average Days Late",
        digits=(16, 1),
        compute="_compute_credit_amounts",
        help="Over the last 12 months, weighted by the amounts paid.",
        groups="base.group_user",
    )
    credit_late_invoice_ratio = fields.Float(
        string="Invoices Paid Late (%)",
        digits=(16, 1),
        compute="_compute_credit_amounts",
        groups="base.group_user",
    )
    credit_dso = fields.Float(
        string="DSO (countback, days)",
        digits=(16, 1),
        compute="_compute_credit_amounts",
        help="Days of sales outstanding by the countback method, as in the aged balance: the receivable is "
        "matched against the customer's sales of each month, newest first, until exhausted.",
        groups="base.group_user",
    )
    credit_dso_known = fields.Boolean(
        string="DSO Known",
        compute="_compute_credit_amounts",
        help="The customer bought on credit over the last 12 months: without sales there is no DSO.",
        groups="base.group_user",
    )
    credit_payment_history_known = fields.Boolean(
        string="Payment History Known",
        compute="_compute_credit_amounts",
        help="An invoice was paid over the last 12 months: without one, days late are unknown.",
        groups="base.group_user",
    )
    credit_reminder_count = fields.Integer(
        string="Reminders (12 months)",
        compute="_compute_credit_amounts",
        help="Recovery actions carried out with the customer over the last 12 months.",
        groups="base.group_user",
    )
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
    credit_next_review_date = fields.Date(
        string="Next Review", compute="_compute_credit_risk_level", groups="base.group_user"
    )
    credit_warning_message = fields.Text(
        string="Credit Warning", compute="_compute_credit_warning_message", groups="base.group_user"
    )
    credit_limits_enabled = fields.Boolean(
        string="Credit Limits Used",
        compute="_compute_credit_limits_enabled",
        help="The company's Invoicing setting Customer Credit Limits: when off, credit limits are ignored.",
    )
    credit_user_is_controller = fields.Boolean(compute="_compute_credit_user_rights")
    credit_user_is_manager = fields.Boolean(compute="_compute_credit_user_rights")

    # Deposits and order references required on sale orders, per company (see sale_order.py).
    credit_deposit_custom = fields.Boolean(
        string="Specific Deposit Rule",
        company_dependent=True,
        help="Replace the deposit of the customer's risk level with the rule below.",
    )
    credit_deposit_percent = fields.Float(
        string="Required Deposit (%)", digits=(5, 2), company_dependent=True
    )
    # A Float as Odoo's credit_limit: company-dependent fields cannot be Monetary.
    credit_deposit_min_amount = fields.Float(
        string="Deposit from Order Amount",
        digits="Account",
        company_dependent=True,
        help="Orders below this total (taxes included, company currency) require no deposit.",
    )
    credit_deposit_schedule_id = fields.Many2one(
        "credit.recovery.deposit.schedule",
        string="Payment Schedule",
        company_dependent=True,
        ondelete="restrict",
        help="Payments at order, during the work and at delivery; the part due at order is the deposit.",
    )
    credit_require_order_reference = fields.Boolean(
        string="Requires a Signed Quotation or PO Reference",
        company_dependent=True,
        help="Orders are confirmed only with the customer's purchase order reference or an online signature.",
    )

    # Indisputable invoices (see account_move_proof.py): what the customer requires, who does what there.
    credit_require_order_ref = fields.Boolean(
        related="credit_require_order_reference",
        readonly=False,
        string="Requires its Order Reference on Invoices",
        help="Invoices are sent only with the customer's order reference (on the invoice or its sale order).",
    )
    credit_require_delivery_proof = fields.Boolean(
        string="Requires a Proof of Delivery",
        company_dependent=True,
        help="Invoices are sent only with a signed delivery note, an acceptance report or the customer's e-mail "
        "confirming receipt.",
    )
    credit_require_signed_order = fields.Boolean(
        string="Requires a Signed Order",
        company_dependent=True,
        help="Invoices are sent only with the order or quotation signed by a person who can bind the customer.",
    )
    credit_contact_role = fields.Selection(
        [
            ("invoice_approver", "Approves Invoices for Payment"),
            ("accountant", "Accountant"),
            ("legal_signatory", "Legal Signatory"),
        ],
        string="Credit Role",
        help="Who the credit controller calls for the bon à payer, the payments, the formal letters.",
    )

    @api.depends_context("uid")
    def _compute_credit_user_rights(self):
        user = self.env.user
        self.credit_user_is_controller = user.has_group("account_credit_recovery.group_credit_controller")
        self.credit_user_is_manager = user.has_group("account_credit_recovery.group_credit_manager")

    @api.depends("credit_score_date")
    def _compute_credit_score_age_days(self):
        today = fields.Date.context_today(self)
        for partner in self:
            score_date = partner.credit_score_date
            partner.credit_score_age_days = (today - score_date).days if score_date else 0

    @api.depends(*WARNING_SIGN_FIELDS)
    def _compute_credit_warning_sign_count(self):
        for partner in self:
            partner.credit_warning_sign_count = sum(bool(partner[name]) for name in WARNING_SIGN_FIELDS)

    @api.depends_context("company")
    def _compute_credit_limits_enabled(self):
        self.credit_limits_enabled = self.env.company.account_use_credit_limit

    @api.depends_context("company")
    def _compute_credit_currency_id(self):
        self.credit_currency_id = self.env.company.currency_id

    @api.depends_context("company", "credit_recovery_date")
    def _compute_credit_amounts(self):
        """The exposure and payment behaviour of the customers, read from the book in one batch."""
        amounts = self._credit_read_amounts()
        today = self._credit_today()
        use_limit = self.env.company.account_use_credit_limit
        for partner in self:
            commercial = partner.commercial_partner_id
            values = amounts.get(commercial.id, {})
            receivable = values.get("receivable", 0.0)
            unreconciled = values.get("unreconciled_credit", 0.0)
            exposure = receivable + values.get("draft_invoices", 0.0) + values.get("orders_to_invoice", 0.0)
            exposure -= unreconciled
            # sudo: Odoo's credit limit has groups that salespeople, who read the page, lack.
            limit = commercial.sudo().credit_limit if use_limit else 0.0
            oldest_due = values.get("oldest_due")
            paid = values.get("paid_invoices", 0)
            partner.credit_receivable_amount = receivable
            partner.credit_unreconciled_amount = unreconciled
            partner.credit_draft_invoice_amount = values.get("draft_invoices", 0.0)
            partner.credit_order_amount = values.get("orders_to_invoice", 0.0)
            partner.credit_exposure = exposure
            partner.credit_overdue_amount = values.get("overdue", 0.0)
            partner.credit_available = limit - exposure if limit else 0.0
            partner.credit_limit_usage = 100.0 * exposure / limit if limit else 0.0
            partner.credit_over_limit = bool(limit) and exposure > limit
            partner.credit_oldest_overdue_days = (today - oldest_due).days if oldest_due else 0
            partner.credit_avg_days_late = values.get("avg_days_late", 0.0)
            partner.credit_late_invoice_ratio = 100.0 * values.get("late_invoices", 0) / paid if paid else 0.0
            partner.credit_dso = values.get("dso", 0.0)
            partner.credit_dso_known = bool(values.get("dso_known"))
            partner.credit_payment_history_known = bool(paid)
            partner.credit_reminder_count = values.get("reminders_12m", 0)

    @api.depends_context("company", "credit_recovery_date")
    @api.depends(
        "credit_score",
        "credit_collective_proceeding",
        "credit_risk_override",
        "credit_last_review_date",
        *WARNING_SIGN_FIELDS,
    )
    def _compute_credit_risk_level(self):
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
            last_review = commercial.credit_last_review_date
            partner.credit_next_review_date = (
                last_review + relativedelta(months=company._credit_review_months(level))
                if last_review
                else False
            )

    @api.depends_context("company", "credit_recovery_date")
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

    def _search_credit_overdue_amount(self, operator, value):
        return self._credit_search_by("credit_overdue_amount", operator, value, blank=0.0)

    def _search_credit_over_limit(self, operator, value):
        return self._credit_search_by("credit_over_limit", operator, value, blank=False)

    def _search_credit_risk_level(self, operator, value):
        return self._credit_search_by("credit_risk_level", operator, value, blank="low")

    @api.constrains("company_registry", "siret", "country_id")
    def _check_credit_siren_siret(self):
        for partner in self:
            if partner.country_id and partner.country_id.code != "FR":
                continue
            siren = (partner.company_registry or "").replace(" ", "")
            siret = (partner.siret or "").replace(" ", "")
            if siren and partner.is_company and not stdnum_siren.is_valid(siren):
                raise ValidationError(
                    self.env._(
                        "The SIREN of %(partner)s, %(siren)s, is not valid: a SIREN has 9 digits and a "
                        "valid check digit (Luhn).",
                        partner=partner.display_name,
                        siren=partner.company_registry,
                    )
                )
            if siret and not stdnum_siret.is_valid(siret):
                raise ValidationError(
                    self.env._(
                        "The SIRET of %(partner)s, %(siret)s, is not valid: a SIRET has 14 digits and a "
                        "valid check digit (Luhn).",
                        partner=partner.display_name,
                        siret=partner.siret,
                    )
                )
            if siren and siret and partner.is_company and siret[:9] != siren:
                raise ValidationError(
                    self.env._(
                        "The SIRET %(siret)s of %(partner)s does not start with its SIREN %(siren)s.",
                        partner=partner.display_name,
                        siret=partner.siret,
                        siren=partner.company_registry,
                    )
                )

    @api.depends("credit_revenue", "credit_net_result", "credit_equity", "credit_fiscal_year_end")
    def _compute_credit_financials_known(self):
        for partner in self:
            partner.credit_financials_known = bool(
                partner.credit_revenue
                or partner.credit_net_result
                or partner.credit_equity
                or partner.credit_fiscal_year_end
            )

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        """Unknown scores (0) and financial figures never entered sort last, not as zeros."""
        if field_name == "credit_score":
            return SQL(
                "NULLIF(%s, 0) %s NULLS LAST",
                self._field_to_sql(alias, field_name, query),
                direction,
            )
        if field_name in ("credit_revenue", "credit_net_result", "credit_equity"):
            return SQL(
                "CASE WHEN %s THEN COALESCE(%s, 0) END %s NULLS LAST",
                self._field_to_sql(alias, "credit_financials_known", query),
                self._field_to_sql(alias, field_name, query),
                direction,
            )
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    @api.constrains("credit_score")
    def _check_credit_score(self):
        for partner in self:
            if not 0.0 <= partner.credit_score <= 20.0:
                raise ValidationError(
                    self.env._(
                        "The solvency score of %(partner)s must lie between 0 and 20 (AFDCC scale), "
                        "not %(score)s.",
                        partner=partner.display_name,
                        score=partner.credit_score,
                    )
                )

    @api.constrains("credit_deposit_percent")
    def _check_credit_deposit_percent(self):
        for partner in self:
            if not 0.0 <= partner.credit_deposit_percent <= 100.0:
                raise ValidationError(
                    self.env._(
                        "The deposit of %(partner)s is a percentage between 0 and 100, not %(percent)s.",
                        partner=partner.display_name,
                        percent=partner.credit_deposit_percent,
                    )
                )

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

    def action_credit_mark_reviewed(self):
        """Record today's review by the current user and close the open review activities."""
        if not self.env.user.has_group("account_credit_recovery.group_credit_controller"):
            raise AccessError(self.env._("Only Credit Controllers can record a credit review."))
        today = fields.Date.context_today(self)
        review_type = self.env.ref("account_credit_recovery.mail_activity_type_credit_review")
        for partner in self.commercial_partner_id:
            partner.write({"credit_last_review_date": today, "credit_last_reviewer_id": self.env.user.id})
            partner.activity_ids.filtered(
                lambda activity: activity.activity_type_id == review_type
            ).action_done()
            partner.message_post(
                body=self.env._(
                    "Credit review done by %(user)s: risk level %(level)s, next review on %(date)s.",
                    user=self.env.user.name,
                    level=partner._credit_level_label(partner.credit_risk_level),
                    date=fields.Date.to_string(partner.credit_next_review_date),
                )
            )
        return True

    def action_credit_open_receivables(self):
        """The customer's open receivable journal items in the current company."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_account_moves_all")
        action.update(
            {
                "domain": [
                    ("partner_id", "child_of", self.commercial_partner_id.id),
                    ("company_id", "=", self.env.company.id),
                    ("account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                ],
                "context": {"search_default_group_by_move": 0},
                "name": self.env._("Open Items of %(customer)s", customer=self.commercial_partner_id.name),
            }
        )
        return action

    # Business logic

    def _credit_today(self):
        return fields.Date.to_date(self.env.context.get("credit_recovery_date")) or fields.Date.context_today(
            self
        )

    def _credit_format(self, amount):
        return self.env.company.currency_id.format(amount)

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
        self.message_post(body=body)
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

    def _credit_search_by(self, field_name, operator, value, blank):
        """Domain for a computed credit figure, evaluated once over every customer that can have one.

        Customers with no activity and no risk profile all share the ``blank`` value.
        """
        profiled = self.search(
            [
                ("parent_id", "=", False),
                "|",
                "|",
                "|",
                ("credit_collective_proceeding", "!=", "none"),
                ("credit_score", ">", 0),
                ("credit_risk_override", "!=", False),
                ("credit_warning_sign_count", ">", 0),
            ]
        )
        candidates = self.browse(self._credit_active_customer_ids()) | profiled
        candidates.fetch(["commercial_partner_id"])
        matching = [
            partner.id for partner in candidates if self._credit_compare(partner[field_name], operator, value)
        ]
        if self._credit_compare(blank, operator, value):
            others = set(candidates.ids) - set(matching)
            return [("commercial_partner_id", "not in", list(others))]
        return [("commercial_partner_id", "in", matching)]

    def _credit_compare(self, left, operator, right):
        """Evaluate ``left <operator> right`` as a search domain leaf would."""
        if operator in ("in", "not in"):
            found = left in (right or [])
            return found if operator == "in" else not found
        if operator in ("=", "!="):
            equal = left == right or (not left and not right)
            return equal if operator == "=" else not equal
        comparisons = {
            ">": lambda: left > right,
            ">=": lambda: left >= right,
            "<": lambda: left < right,
            "<=": lambda: left <= right,
        }
        if operator not in comparisons:
            raise UserError(
                self.env._("Operator %(operator)s is not supported on this credit field.", operator=operator)
            )
        return comparisons[operator]()

    def _credit_active_customer_ids(self):
        """Commercial partners with receivables, draft invoices or open orders in the current company."""
        return self.env["credit.recovery.book"]._active_customer_ids(self.env.company)

    def _credit_read_amounts(self):
        """Credit figures of the commercial partners of ``self`` in the current company, from the book.

        A few queries for the whole recordset, never a query per partner.
        Returns {commercial_partner_id: {key: value}} with the keys of CREDIT_AMOUNT_KEYS.
        """
        partner_ids = sorted({partner_id for partner_id in self.commercial_partner_id.ids if partner_id})
        result = defaultdict(dict)
        if not partner_ids:
            return result
        company = self.env.company
        today = self._credit_today()
        book = self.env["credit.recovery.book"].with_context(
            credit_recovery_date=fields.Date.to_string(today)
        )
        for partner_id, values in book._exposure(company, partner_ids).items():
            result[partner_id].update(values)
        for partner_id, values in book._days_late(company, today, partner_ids)["partners"].items():
            result[partner_id].update(values)
        dso = book._dso(company, today, partner_ids)
        for partner_id, days in dso["partners"].items():
            result[partner_id]["dso"] = days
        for partner_id in dso["with_sales"]:
            result[partner_id]["dso_known"] = True
        # Reminders carried out over the last 12 months.
        reminders = (
            self.env["credit.recovery.action"]
            .sudo()
            ._read_group(  # counts only, for any reader
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", partner_ids),
                    ("state", "=", "done"),
                    ("date", ">", today - timedelta(days=365)),
                    ("date", "<=", today),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner, count in reminders:
            result[partner.id]["reminders_12m"] = count
        return result

    def _credit_recovery_promised(self, date):
        """The customers among ``self`` whose payment promise still runs on ``date``."""
        groups = self.env["credit.recovery.promise"]._read_group(
            [
                ("partner_id", "in", self.ids),
                ("company_id", "=", self.env.company.id),
                ("state", "=", "open"),
                ("date", ">=", date),
            ],
            ["partner_id"],
        )
        return self.browse([partner.id for [partner] in groups])

    def _credit_recovery_in_plan(self):
        """The customers among ``self`` with a signed payment plan still running."""
        groups = self.env["credit.recovery.plan"]._read_group(
            [
                ("partner_id", "in", self.ids),
                ("company_id", "=", self.env.company.id),
                ("state", "=", "running"),
            ],
            ["partner_id"],
        )
        return self.browse([partner.id for [partner] in groups])

    def action_credit_log_call(self):
        """Log a call with this customer."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_credit_recovery.credit_recovery_call_wizard_action"
        )
        action["context"] = {
            "default_partner_id": self.commercial_partner_id.id,
            "default_contact_id": self.id,
        }
        return action

    def action_credit_recovery_history(self):
        """The customer's recovery actions, newest first."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_credit_recovery.credit_recovery_action_action"
        )
        action.update(
            {
                "domain": [("partner_id", "=", self.commercial_partner_id.id)],
                "context": {"default_partner_id": self.commercial_partner_id.id},
                "name": self.env._("Recovery of %(customer)s", customer=self.commercial_partner_id.name),
            }
        )
        return action

    def _credit_recovery_letter_contact(self):
        """Who reminders are addressed to: the customer's accountant, else its invoicing address."""
        self.ensure_one()
        return self._credit_recovery_contact("accountant")

    def _credit_notify_level_change(self):
        """Tell the salesperson when the customer's risk level changed since they were last told."""
        for partner in self:
            level = partner.credit_risk_level
            if level == partner.credit_risk_level_notified:
                continue
            previous = partner.credit_risk_level_notified
            partner.sudo().credit_risk_level_notified = level  # technical memo, any user may trigger it
            if not previous or not partner.user_id:
                continue
            partner.message_post(
                body=self.env._(
                    "Risk level changed from %(old)s to %(new)s.\n%(reasons)s",
                    old=partner._credit_level_label(previous),
                    new=partner._credit_level_label(level),
                    reasons=partner.credit_risk_reasons,
                ),
                partner_ids=partner.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )

    @api.model
    def _cron_credit_review(self):
        """Daily: schedule the due credit reviews and tell salespeople about risk level changes."""
        review_type = self.env.ref("account_credit_recovery.mail_activity_type_credit_review")
        today = fields.Date.context_today(self)
        companies = [
            company
            for [company] in self.env["account.move.line"]._read_group(
                [("account_type", "=", "asset_receivable"), ("parent_state", "=", "posted")], ["company_id"]
            )
        ]
        for company in companies:
            partners = self.with_company(company).browse(
                self.with_company(company)._credit_active_customer_ids()
            )
            if not partners:
                continue
            partners._credit_notify_level_change()
            due = partners.filtered(
                lambda partner: (
                    not partner.credit_next_review_date or partner.credit_next_review_date <= today
                )
            )
            already = set(
                self.env["mail.activity"]
                .search(
                    [
                        ("res_model", "=", "res.partner"),
                        ("res_id", "in", due.ids),
                        ("activity_type_id", "=", review_type.id),
                    ]
                )
                .mapped("res_id")
            )
            for partner in due:
                if partner.id in already:
                    continue
                user = partner.credit_controller_id or partner.user_id or self.env.ref("base.user_admin")
                partner.activity_schedule(
                    act_type_xmlid="account_credit_recovery.mail_activity_type_credit_review",
                    date_deadline=today,
                    summary=self.env._(
                        "Credit review of %(customer)s (%(company)s)",
                        customer=partner.name,
                        company=company.name,
                    ),
                    note=self.env._(
                        "Risk level %(level)s. Check the score, the published accounts, the BODACC and the "
                        "warning signs, then mark the review as done.",
                        level=partner._credit_level_label(partner.credit_risk_level),
                    ),
                    user_id=user.id,
                )
        return True

    def _credit_recovery_contact(self, role):
        """The contact of the customer for ``role`` (invoice_approver, accountant, legal_signatory).

        Falls back to the legal representative for the legal signatory, then to the invoice address, then
        to the customer itself. Dunning calls and letters address it.
        """
        self.ensure_one()
        commercial = self.commercial_partner_id
        contacts = commercial.child_ids.filtered(lambda contact: contact.credit_contact_role == role)
        if contacts:
            return contacts[:1]
        if role == "legal_signatory" and commercial.credit_legal_representative_id:
            return commercial.credit_legal_representative_id
        invoice_contacts = commercial.child_ids.filtered(lambda contact: contact.type == "invoice")
        return invoice_contacts[:1] or commercial

    # ----------------------------------------------------------------------------------------------------
    # Customer type for late-payment rules (issue #5): businesses owe penalties and the 40 EUR indemnity,
    # consumers legal interest from the formal notice.
    # ----------------------------------------------------------------------------------------------------
    credit_customer_type = fields.Selection(
        [("b2b", "Business (B2B)"), ("b2c", "Consumer (B2C)")],
        string="Customer Type",
        compute="_compute_credit_customer_type",
        store=True,
        readonly=False,
        recursive=True,
        help="Business customers owe late-payment penalties and the fixed recovery indemnity; consumers owe "
        "legal interest from the formal notice. Derived from the SIREN / SIRET: a company or an individual "
        "registered as a sole trader or liberal profession is a business; a Credit Manager may correct it. "
        "Contacts follow their company.",
    )

    @api.depends("is_company", "company_registry", "siret", "parent_id.credit_customer_type")
    def _compute_credit_customer_type(self):
        for partner in self:
            if partner.parent_id and not partner.is_company:
                partner.credit_customer_type = partner.parent_id.credit_customer_type
            else:
                partner.credit_customer_type = partner._credit_derived_customer_type()
