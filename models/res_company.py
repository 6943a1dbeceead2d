from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

RISK_LEVELS = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
]
RISK_RANK = {level: rank for rank, (level, _label) in enumerate(RISK_LEVELS)}


class ResCompany(models.Model):
    _inherit = "res.company"

    # Credit management relies on Odoo's customer credit limits: on in every new company (and in the
    # existing ones at install, see post_init_hook).
    account_use_credit_limit = fields.Boolean(default=True)
    # Risk rules: a customer's level is the worst level any rule gives it.
    credit_risk_score_critical = fields.Float(
        string="Score: critical below",
        default=5.0,
        help="A solvency score (0-20, AFDCC scale) below this makes the customer critical.",
    )
    credit_risk_score_high = fields.Float(
        string="Score: high below",
        default=8.0,
        help="A solvency score below this makes the customer high risk.",
    )
    credit_risk_score_medium = fields.Float(
        string="Score: medium below",
        default=12.0,
        help="A solvency score below this makes the customer medium risk.",
    )
    credit_risk_signs_medium = fields.Integer(
        string="Warning signs: medium from",
        default=1,
        help="Number of warning signs from which the customer is at least medium risk.",
    )
    credit_risk_signs_high = fields.Integer(
        string="Warning signs: high from",
        default=3,
        help="Number of warning signs from which the customer is at least high risk.",
    )
    credit_risk_late_days_medium = fields.Integer(
        string="Average days late: medium from",
        default=10,
        help="Average days late (last 12 months, weighted by amount) from which the customer is "
        "at least medium risk.",
    )
    credit_risk_late_days_high = fields.Integer(
        string="Average days late: high from",
        default=30,
        help="Average days late from which the customer is at least high risk.",
    )
    credit_risk_overdue_days_high = fields.Integer(
        string="Oldest overdue item: high from (days)",
        default=45,
        help="Days overdue of the oldest open item from which the customer is at least high risk.",
    )
    credit_risk_overdue_days_critical = fields.Integer(
        string="Oldest overdue item: critical from (days)",
        default=90,
        help="Days overdue of the oldest open item from which the customer is critical.",
    )
    credit_risk_over_limit_level = fields.Selection(
        RISK_LEVELS,
        string="Level when over the credit limit",
        default="high",
        help="Minimum risk level of a customer whose exposure exceeds its credit limit.",
    )
    credit_overdue_tolerance = fields.Monetary(
        string="Overdue tolerance",
        currency_field="currency_id",
        default=1.0,
        help="Overdue residuals below this amount are ignored (rounding differences, bank fees).",
    )
    # Review cycle, in months, per risk level.
    credit_review_months_low = fields.Integer(string="Review every (low, months)", default=12)
    credit_review_months_medium = fields.Integer(string="Review every (medium, months)", default=6)
    credit_review_months_high = fields.Integer(string="Review every (high, months)", default=3)
    credit_review_months_critical = fields.Integer(string="Review every (critical, months)", default=1)

    # Dunning
    credit_default_policy_id = fields.Many2one(
        "credit.recovery.policy",
        string="Default Dunning Policy",
        ondelete="restrict",
        help="The dunning policy of customers that have none of their own.",
    )

    _sql_constraints = [
        (
            "credit_review_months_positive",
            "CHECK(credit_review_months_low > 0 AND credit_review_months_medium > 0 "
            "AND credit_review_months_high > 0 AND credit_review_months_critical > 0)",
            "Review intervals must be at least one month.",
        ),
    ]

    @api.constrains("credit_risk_score_critical", "credit_risk_score_high", "credit_risk_score_medium")
    def _check_credit_risk_scores(self):
        for company in self:
            scores = (
                company.credit_risk_score_critical,
                company.credit_risk_score_high,
                company.credit_risk_score_medium,
            )
            if not all(0.0 <= score <= 20.0 for score in scores) or not (scores[0] <= scores[1] <= scores[2]):
                raise ValidationError(
                    self.env._(
                        "Score thresholds must lie between 0 and 20 and rise from critical to high to "
                        "medium (now %(critical)s, %(high)s, %(medium)s).",
                        critical=scores[0],
                        high=scores[1],
                        medium=scores[2],
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._credit_recovery_ensure_default_policy()
        companies._credit_legal_texts_add_french()
        return companies

    @api.model
    def _credit_manager_settings(self):
        """The company fields a Credit Manager writes: the stored credit settings, nothing computed."""
        return {
            name
            for name, field in self._fields.items()
            if name.startswith("credit_") and field.store and not field.compute and not field.related
        }

    @api.constrains(lambda self: self._credit_link_fields())
    def _check_credit_links(self):
        """The accounts, journals and policies of the credit settings belong to the company."""
        for company in self:
            for name in self._credit_link_fields():
                record = company[name]
                if not record:
                    continue
                # sudo: a record of another company may be unreadable to the user; only its company is compared.
                record = record.sudo()
                owners = record.company_ids if record._name == "account.account" else record.company_id
                if company not in owners:
                    raise ValidationError(
                        self.env._(
                            "%(setting)s of %(company)s must belong to %(company)s, not %(record)s.",
                            setting=self._fields[name]._description_string(self.env),
                            company=company.name,
                            record=record.display_name,
                        )
                    )

    @api.model
    def _credit_link_fields(self):
        return [
            name
            for name, field in self._fields.items()
            if name.startswith("credit_")
            and field.type == "many2one"
            and field.comodel_name in ("account.account", "account.journal", "credit.recovery.policy")
            and field.store
        ]

    def action_credit_open_rules(self):
        """Open the current company's credit rules (Configuration > Credit Rules)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit Rules"),
            "res_model": "res.company",
            "res_id": self.env.company.id,
            "view_mode": "form",
            "views": [
                (self.env.ref("account_credit_recovery.res_company_view_form_credit_rules").id, "form")
            ],
            "target": "current",
        }

    @api.model
    def _credit_recovery_install_policies(self):
        """At installation, every existing company gets the shipped policy."""
        self.search([("credit_default_policy_id", "=", False)])._credit_recovery_ensure_default_policy()

    def _credit_recovery_ensure_default_policy(self):
        """Give each company without a dunning policy its own copy of the shipped French policy."""
        # The shipped policy belongs to the main company: reading and copying it for another needs sudo.
        template = self.env.ref(
            "account_credit_recovery.credit_recovery_policy_default", raise_if_not_found=False
        )
        if not template:
            return
        template = template.sudo()
        for company in self.sudo().filtered(lambda company: not company.credit_default_policy_id):
            company.credit_default_policy_id = template.copy(
                {"company_id": company.id, "name": template.name}
            )

    def _credit_review_months(self, level):
        """Months between two reviews of a customer at risk ``level``."""
        self.ensure_one()
        return self[f"credit_review_months_{level}"]

    # Deposits and credit holds on sale orders (see sale_order.py).
    credit_deposit_percent_low = fields.Float(
        string="Deposit: low risk (%)",
        digits=(5, 2),
        default=0.0,
        help="Deposit required from low-risk customers.",
    )
    credit_deposit_percent_medium = fields.Float(
        string="Deposit: medium risk (%)",
        digits=(5, 2),
        default=0.0,
        help="Deposit required from medium-risk customers.",
    )
    credit_deposit_percent_high = fields.Float(
        string="Deposit: high risk (%)",
        digits=(5, 2),
        default=30.0,
        help="Deposit required from high-risk customers. Critical customers and customers in collective "
        "proceedings always prepay in full.",
    )
    credit_deposit_min_amount = fields.Monetary(
        string="Deposit from order amount",
        currency_field="currency_id",
        default=0.0,
        help="Orders below this total (taxes included) require no deposit by risk level.",
    )
    credit_hold_overdue_days = fields.Integer(
        string="Hold: overdue tolerance (days)",
        default=30,
        help="Confirming an order is refused when the customer has an item overdue for more days than this.",
    )

    @api.constrains(
        "credit_deposit_percent_low", "credit_deposit_percent_medium", "credit_deposit_percent_high"
    )
    def _check_credit_deposit_percents(self):
        for company in self:
            percents = (
                company.credit_deposit_percent_low,
                company.credit_deposit_percent_medium,
                company.credit_deposit_percent_high,
            )
            if not all(0.0 <= percent <= 100.0 for percent in percents):
                raise ValidationError(self.env._("Deposit percentages must lie between 0 and 100."))

    # Indisputable invoices (see account_move_proof.py).
    credit_presend_mode = fields.Selection(
        [("warn", "Warn"), ("block", "Block")],
        string="Pre-send check",
        default="warn",
        required=True,
        help="Warn: invoices with issues can still be sent. Block: they are sent or printed only once fixed, "
        "or when a Credit Controller overrides the check with a reason.",
    )
    credit_bap_days_before_due = fields.Integer(
        string="Bon à payer: days before due date",
        default=15,
        help="Days before the due date when the credit controller asks the customer whether it approved the "
        "invoice for payment.",
    )
    credit_bap_min_amount = fields.Monetary(
        string="Bon à payer: from invoice amount",
        currency_field="currency_id",
        default=5000.0,
        help="Only invoices of at least this amount (taxes included, company currency) are checked.",
    )

    # Aged balance (see credit_recovery_aged_balance.py): upper limits, in days overdue, of the buckets.
    credit_aged_bucket_1 = fields.Integer(string="Aged balance: bucket 1 up to (days)", default=30)
    credit_aged_bucket_2 = fields.Integer(string="Aged balance: bucket 2 up to (days)", default=60)
    credit_aged_bucket_3 = fields.Integer(string="Aged balance: bucket 3 up to (days)", default=90)
    credit_aged_bucket_4 = fields.Integer(string="Aged balance: bucket 4 up to (days)", default=120)

    @api.constrains(
        "credit_aged_bucket_1", "credit_aged_bucket_2", "credit_aged_bucket_3", "credit_aged_bucket_4"
    )
    def _check_credit_aged_buckets(self):
        for company in self:
            limits = company._credit_aged_bucket_limits()
            if limits[0] < 1 or any(limits[index] >= limits[index + 1] for index in range(len(limits) - 1)):
                raise ValidationError(
                    self.env._(
                        "The aged balance buckets must be positive numbers of days, each above the last."
                    )
                )

    def _credit_aged_bucket_limits(self):
        """Upper limits, in days overdue, of the first four aged balance buckets."""
        self.ensure_one()
        return (
            self.credit_aged_bucket_1,
            self.credit_aged_bucket_2,
            self.credit_aged_bucket_3,
            self.credit_aged_bucket_4,
        )

    # ----------------------------------------------------------------------------------------------------
    # Late-payment penalties, recovery indemnity and legal mentions on invoices (issue #5; see
    # credit_recovery_rate.py and account_move.py).
    # ----------------------------------------------------------------------------------------------------
    # French wording of the legal mentions, stored beside their English defaults.
    _credit_legal_texts_fr = {
        "credit_early_payment_discount_text": "Pas d'escompte pour paiement anticipé.",
        "credit_invoice_penalty_text": (
            "En cas de retard de paiement, des pénalités de retard sont exigibles de plein droit dès le "
            "lendemain de la date d'échéance, sans qu'un rappel soit nécessaire, au taux annuel de {rate}, "
            "calculées sur le montant TTC."
        ),
        "credit_invoice_indemnity_text": (
            "Tout retard de paiement rend en outre le client redevable d'une indemnité forfaitaire pour "
            "frais de recouvrement de {amount} (Code de commerce, articles L441-10 et D441-5)."
        ),
        "credit_invoice_legal_interest_text": (
            "En cas de retard de paiement, des intérêts au taux légal ({rate}) courent à compter de la "
            "mise en demeure."
        ),
    }

    credit_penalty_basis = fields.Selection(
        [
            ("legal_default", "Legal default rate (ECB rate + 10 points)"),
            ("contractual", "Contractual rate"),
            ("legal_triple", "3 times the legal interest rate"),
        ],
        string="Late-Payment Penalty Basis",
        default="legal_default",
        required=True,
        help="Legal default: the ECB main refinancing rate in force on 1 January / 1 July + 10 points "
        "(Code de commerce L441-10). Contractual: the rate of your terms of sale, raised in each semester to 3 "
        "times the legal interest rate when below it. 3 times the legal interest rate: the usual wording of "
        "terms of sale, the legal rate of each semester. Invoices keep the basis in force when posted.",
    )
    credit_penalty_rate = fields.Float(
        string="Contractual Penalty Rate (%)",
        digits=(6, 3),
        help="Annual rate of late-payment penalties stated in your terms of sale.",
    )
    credit_recovery_indemnity_amount = fields.Monetary(
        string="Recovery Indemnity",
        currency_field="currency_id",
        default=40.0,
        help="Fixed indemnity for recovery costs due by business customers for each invoice paid late "
        "(Code de commerce D441-5).",
    )
    credit_early_payment_discount_text = fields.Char(
        string="Early Payment Discount Mention",
        translate=True,
        default="No discount for early payment.",
        help="The early-payment discount conditions printed on invoices.",
    )
    credit_invoice_penalty_text = fields.Text(
        string="Penalty Mention",
        translate=True,
        default=(
            "In case of late payment, late-payment penalties are due by law from the day after the due "
            "date, without any reminder, at the annual rate of {rate}, on the amount including VAT."
        ),
        help="Printed on invoices to business customers; {rate} is replaced by the rate in force.",
    )
    credit_invoice_indemnity_text = fields.Text(
        string="Recovery Indemnity Mention",
        translate=True,
        default=(
            "Any late payment also makes the customer liable for a fixed recovery indemnity of {amount} "
            "(Code de commerce, articles L441-10 and D441-5)."
        ),
        help="Printed on invoices to business customers; {amount} is replaced by the indemnity.",
    )
    credit_invoice_legal_interest_text = fields.Text(
        string="Consumer Late Payment Mention",
        translate=True,
        default="In case of late payment, interest at the legal rate ({rate}) runs from the formal notice.",
        help="Printed on invoices to consumers; {rate} is replaced by the legal interest rate in force.",
    )
    credit_penalty_product_id = fields.Many2one(
        "product.product",
        string="Penalty Product",
        ondelete="restrict",
        help="Product (and its income account) of penalty invoices. Empty: the shipped product "
        "'Late-payment penalties'.",
    )
    credit_payment_term_cap_method = fields.Selection(
        [
            ("end_of_month_plus_45", "End of the month of issue + 45 days"),
            ("plus_45_then_end_of_month", "Issue date + 45 days, then end of that month"),
        ],
        string="45 Days End of Month Method",
        default="end_of_month_plus_45",
        required=True,
        help="How '45 days end of month' is counted in your contracts: payment terms beyond both this cap "
        "and 60 days from the invoice date are flagged on invoices to French business customers.",
    )

    @api.constrains("credit_penalty_basis", "credit_penalty_rate")
    def _check_credit_penalty_rate(self):
        today = fields.Date.context_today(self)
        for company in self.filtered(lambda company: company.credit_penalty_basis == "contractual"):
            try:
                legal_rate = self.env["credit.recovery.rate"]._rate_in_force("legal_other", today)
            except UserError:
                # The rate of the semester is not entered yet: penalties apply the floor per semester anyway.
                continue
            floor = 3 * legal_rate
            if company.credit_penalty_rate < floor:
                raise ValidationError(
                    self.env._(
                        "The contractual late-payment penalty rate (%(rate)s %%) cannot be lower than 3 "
                        "times the legal interest rate of %(semester)s, that is %(floor)s %% (3 x "
                        "%(legal)s %%).",
                        rate=company.credit_penalty_rate,
                        semester=self.env["credit.recovery.rate"]._semester_name(today),
                        floor=round(floor, 3),
                        legal=legal_rate,
                    )
                )

    def _credit_penalty_product(self):
        """The product of this company's penalty invoices."""
        self.ensure_one()
        return self.credit_penalty_product_id or self.env.ref(
            "account_credit_recovery.product_credit_late_penalty", raise_if_not_found=False
        )

    def _credit_legal_texts_add_french(self):
        """Give the untouched English defaults of the legal mentions their French wording.

        The texts are translatable company settings: a French company prints the French wording to
        French customers and the English one to English customers. The French value is written in the
        jsonb column even when French is not active yet, so it is there once it is.
        """
        if not self:
            return
        fnames = list(self._credit_legal_texts_fr)
        self.flush_recordset(fnames)
        for fname, french in self._credit_legal_texts_fr.items():
            column = SQL.identifier(fname)
            self.env.cr.execute(
                SQL(
                    "UPDATE res_company SET %s = %s || jsonb_build_object('fr_FR', %s::text) "
                    "WHERE id IN %s AND %s = jsonb_build_object('en_US', %s::text)",
                    column,
                    column,
                    french,
                    tuple(self.ids),
                    column,
                    self._fields[fname].default(self),
                )
            )
        self.invalidate_recordset(fnames)

    @api.model
    def _credit_legal_texts_install(self):
        """At installation, the companies that already exist get the French legal mentions."""
        self.with_context(active_test=False).search([("id", "!=", False)])._credit_legal_texts_add_french()

    # Formal notice (issue #7).
    credit_formal_notice_days = fields.Integer(
        string="Formal Notice Deadline (days)",
        default=8,
        help="Days the customer is given to pay in a formal notice, counted from the date of the letter.",
    )

    @api.constrains("credit_formal_notice_days")
    def _check_credit_formal_notice_days(self):
        for company in self:
            if company.credit_formal_notice_days < 1:
                raise ValidationError(self.env._("The deadline of a formal notice must be at least one day."))

    # Missing official rate (issue #14, item 11).
    credit_missing_rate_policy = fields.Selection(
        [
            ("accrued", "State the penalties accrued up to the last published semester"),
            ("block", "Block the letter until the rate is entered"),
        ],
        string="When an Official Rate Is Missing",
        default="accrued",
        required=True,
        help="What reminder letters and formal notices do when the official rate of a semester they cover "
        "is not entered yet: state the penalties accrued up to the last semester whose rate is known (the "
        "rest being claimed later), or refuse to print with the reason. The recovery indemnity never "
        "depends on a rate and is always stated.",
    )
