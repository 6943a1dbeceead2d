from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools.misc import format_date

# Creditors declare their claims to the mandataire within two months of the BODACC publication of the
# judgment opening the proceedings (Code de commerce L622-24, R622-24).
CLAIM_DECLARATION_MONTHS = 2


class ResPartner(models.Model):
    _inherit = "res.partner"

    credit_claim_declaration_deadline = fields.Date(
        string="Declare Claims By",
        compute="_compute_credit_claim_declaration_deadline",
        store=True,
        help="Last day to declare the claims to the mandataire judiciaire: two months from the BODACC "
        "publication of the collective proceedings.",
    )

    @api.depends("credit_collective_proceeding", "credit_collective_proceeding_date")
    def _compute_credit_claim_declaration_deadline(self):
        for partner in self:
            partner.credit_claim_declaration_deadline = (
                partner.credit_collective_proceeding != "none"
                and partner.credit_collective_proceeding_date
                and partner.credit_collective_proceeding_date + relativedelta(months=CLAIM_DECLARATION_MONTHS)
            )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners._credit_schedule_claim_declaration()
        return partners

    def write(self, vals):
        result = super().write(vals)
        if {"credit_collective_proceeding", "credit_collective_proceeding_date"} & set(vals):
            self._credit_schedule_claim_declaration()
        return result

    def _credit_schedule_claim_declaration(self):
        """One activity per company holding a claim on customers entering collective proceedings.

        Its deadline is the last day to declare the claim to the mandataire; never scheduled twice for the
        same customer, company and deadline.
        """
        partners = self.filtered(
            lambda partner: (
                partner.commercial_partner_id == partner and partner.credit_claim_declaration_deadline
            )
        )
        if not partners:
            return
        # sudo: each company of the database holding a claim must declare it, whoever records the proceedings.
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "child_of", partners.ids),
                    ("account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                ],
                ["partner_id", "company_id"],
                ["amount_residual:sum"],
            )
        )
        claims = defaultdict(float)
        for partner, company, residual in groups:
            claims[partner.commercial_partner_id, company] += residual
        activity_type = self.env.ref("account_credit_recovery.mail_activity_type_credit_claim_declaration")
        existing = {
            (activity.res_id, activity.date_deadline, activity.summary)
            for activity in self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", partners.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        }
        for (partner, company), amount in sorted(
            claims.items(), key=lambda item: (item[0][0].id, item[0][1].id)
        ):
            if partner not in partners or company.currency_id.compare_amounts(amount, 0.0) <= 0:
                continue
            partner = partner.with_env(self.env)
            deadline = partner.credit_claim_declaration_deadline
            summary = self.env._("Declare the claim of %(company)s to the mandataire", company=company.name)
            if (partner.id, deadline, summary) in existing:
                continue
            proceeding = dict(self._fields["credit_collective_proceeding"]._description_selection(self.env))[
                partner.credit_collective_proceeding
            ]
            # sudo: the controller of another company than the user's follows that company's declaration.
            controller = partner.sudo().with_company(company).credit_controller_id
            partner.activity_schedule(
                act_type_xmlid="account_credit_recovery.mail_activity_type_credit_claim_declaration",
                date_deadline=deadline,
                summary=summary,
                note=self.env._(
                    "%(customer)s is in %(proceeding)s, published in the BODACC on %(published)s. Declare the "
                    "claim of %(company)s (%(amount)s outstanding, including the items not yet due) to the "
                    "mandataire judiciaire by %(deadline)s: two months from the publication (Code de commerce "
                    "L622-24 and R622-24). A claim declared late is barred unless the court relieves it. "
                    "The dunning of this customer has stopped.",
                    customer=partner.name,
                    proceeding=proceeding,
                    published=format_date(self.env, partner.credit_collective_proceeding_date),
                    company=company.name,
                    amount=company.currency_id.format(amount),
                    deadline=format_date(self.env, deadline),
                ),
                user_id=(controller or partner.user_id or self.env.ref("base.user_admin")).id,
            )
            existing.add((partner.id, deadline, summary))
