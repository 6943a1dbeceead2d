from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

# Creditors declare their claims to the mandataire within two months of the BODACC publication of the
# judgment opening the proceedings, four months for creditors established outside metropolitan France
# (Code de commerce L622-24, R622-24).
CLAIM_DECLARATION_MONTHS = 2
CLAIM_DECLARATION_MONTHS_OVERSEAS = 4
# Overseas departments and territories: their postcodes start with 97 or 98.
OVERSEAS_ZIP_PREFIXES = ("97", "98")


class ResPartner(models.Model):
    _inherit = "res.partner"

    credit_opening_judgment_date = fields.Date(
        string="Opening Judgment Date",
        tracking=True,
        help="The date of the judgment opening the sauvegarde, redressement or liquidation judiciaire (not "
        "its BODACC publication): penalties and interest stop on the claims born before it, and those claims "
        "can only be declared, never chased.",
    )
    credit_claim_declaration_deadline = fields.Date(
        string="Declare Claims By",
        compute="_compute_credit_claim_declaration_deadline",
        help="Last day for the current company to declare its claims to the mandataire judiciaire: two months "
        "from the BODACC publication of the collective proceedings, four months for a creditor established "
        "outside metropolitan France (R622-24).",
    )

    @api.depends("credit_collective_proceeding", "credit_collective_proceeding_date")
    @api.depends_context("company")
    def _compute_credit_claim_declaration_deadline(self):
        # The creditor is the current company: its seat decides between 2 and 4 months.
        company = self.env.company
        for partner in self:
            partner.credit_claim_declaration_deadline = partner._credit_claim_declaration_deadline(company)

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
        # The activity, with the company's claim, goes to the company's credit trail of the customer, which
        # only that company's users read (the customer's chatter is shared by every company).
        Log = self.env["credit.recovery.partner.log"].sudo()
        existing = {
            (log.partner_id.id, activity.date_deadline, activity.summary)
            for log in Log.search([("partner_id", "in", partners.ids)])
            for activity in log.activity_ids
            if activity.activity_type_id == activity_type
        }
        for (partner, company), amount in sorted(
            claims.items(), key=lambda item: (item[0][0].id, item[0][1].id)
        ):
            if partner not in partners or company.currency_id.compare_amounts(amount, 0.0) <= 0:
                continue
            partner = partner.with_env(self.env)
            deadline = partner._credit_claim_declaration_deadline(company)
            summary = self.env._("Declare the claim of %(company)s to the mandataire", company=company.name)
            if (partner.id, deadline, summary) in existing:
                continue
            proceeding = dict(self._fields["credit_collective_proceeding"]._description_selection(self.env))[
                partner.credit_collective_proceeding
            ]
            # sudo: the controller of another company than the user's follows that company's declaration.
            controller = partner.sudo().with_company(company).credit_controller_id
            Log._credit_log_of(partner, company).activity_schedule(
                act_type_xmlid="account_credit_recovery.mail_activity_type_credit_claim_declaration",
                date_deadline=deadline,
                summary=summary,
                note=self.env._(
                    "%(customer)s is in %(proceeding)s, published in the BODACC on %(published)s. Declare the "
                    "claim of %(company)s (%(amount)s outstanding, including the items not yet due) to the "
                    "mandataire judiciaire by %(deadline)s: two months from the publication, four months for a "
                    "creditor established outside metropolitan France (Code de commerce L622-24 and R622-24). "
                    "A claim not declared in time is not extinguished but cannot be set up against the "
                    "proceedings unless the juge-commissaire grants relief, to be requested within six months "
                    "(L622-26). Print the claim declaration statement from the customer. The dunning of this "
                    "customer has stopped.",
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

    def _credit_claim_declaration_deadline(self, company):
        """Last day for ``company`` to declare its claim: 2 months from the BODACC, 4 outside metropolitan France."""
        self.ensure_one()
        published = self.credit_collective_proceeding_date
        if self.credit_collective_proceeding == "none" or not published:
            return False
        return published + relativedelta(months=self._credit_claim_declaration_months(company))

    @api.model
    def _credit_claim_declaration_months(self, company):
        """2 months for a creditor established in metropolitan France, 4 for one outside it (R622-24)."""
        country = company.country_id.code
        overseas = (country and country != "FR") or (company.zip or "").startswith(OVERSEAS_ZIP_PREFIXES)
        return CLAIM_DECLARATION_MONTHS_OVERSEAS if overseas else CLAIM_DECLARATION_MONTHS

    def _credit_pre_opening_moves(self, moves):
        """The invoices of ``moves`` born before the opening judgment of their customer's proceedings."""
        return moves.filtered(
            lambda move: (
                move.commercial_partner_id.credit_collective_proceeding != "none"
                and move.commercial_partner_id.credit_opening_judgment_date
                and (move.invoice_date or move.date) < move.commercial_partner_id.credit_opening_judgment_date
            )
        )

    @api.model
    def _credit_check_no_pursuit(self, moves, what):
        """Refuse to pursue (``what``) claims born before an opening judgment: they are only declared.

        C. com. L622-21 (no individual action), L622-7 (no payment of pre-opening claims), L622-17.
        """
        blocked = self._credit_pre_opening_moves(moves)
        if blocked:
            raise UserError(
                self.env._(
                    "%(what)s cannot be started for %(invoices)s: %(customer)s is in collective proceedings "
                    "opened on %(opening)s and claims born before that judgment can only be declared to the "
                    "mandataire judiciaire (Code de commerce L622-21 and L622-24). Print the claim declaration "
                    "statement instead.",
                    what=what,
                    invoices=", ".join(blocked.mapped("name")),
                    customer=blocked[:1].commercial_partner_id.name,
                    opening=format_date(
                        self.env, blocked[:1].commercial_partner_id.credit_opening_judgment_date
                    ),
                )
            )
        return True

    def _credit_claim_declaration_values(self):
        """The claim declaration statement of ``self`` for the current company, amounts in its currency.

        Each open invoice born before the opening judgment: principal due, penalties accrued up to the day
        before the judgment and the 40 EUR when it was already late then (what the engine computes on the
        opening date). A claim in a foreign currency is listed in it too (``*_currency``), converted at the
        rate of the opening judgment's date (C. com. R622-23); the 40 EUR is a fixed amount in euros.
        """
        self.ensure_one()
        company = self.env.company
        opening = self.credit_opening_judgment_date
        if self.credit_collective_proceeding == "none" or not opening:
            raise UserError(
                self.env._("Record the opening judgment date of %(customer)s first.", customer=self.name)
            )
        moves = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", self.id),
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("amount_residual", ">", 0),
                ("invoice_date", "<", opening),
            ],
            order="invoice_date, id",
        )
        details = moves._credit_claimable_details(opening)
        currency = company.currency_id
        rows = []
        for move in moves:
            detail = details.get(move, {})
            penalties = sum(item["amount"] for item in detail.get("penalties", [])) + detail.get(
                "billed_penalties", 0.0
            )
            billed_indemnity = detail.get("billed_indemnity", 0.0)
            indemnity = detail.get("indemnity", 0.0) + billed_indemnity
            principal = 0.0 if move.credit_is_penalty_invoice else move.amount_residual
            rows.append(
                {
                    "move": move,
                    "due": move.invoice_date_due,
                    "currency": move.currency_id,
                    "principal_currency": move.currency_id.round(principal),
                    "penalties_currency": move.currency_id.round(penalties),
                    "indemnity_currency": move.currency_id.round(indemnity),
                    "principal": move.currency_id._convert(principal, currency, company, opening),
                    "penalties": move.currency_id._convert(penalties, currency, company, opening),
                    "indemnity": currency.round(
                        detail.get("indemnity_company", 0.0)
                        + move.currency_id._convert(billed_indemnity, currency, company, opening)
                    ),
                }
            )
        totals = {
            key: currency.round(sum(row[key] for row in rows))
            for key in ("principal", "penalties", "indemnity")
        }
        foreign = {}
        for row in rows:
            if row["currency"] != currency:
                in_currency, in_company = foreign.get(row["currency"], (0.0, 0.0))
                foreign[row["currency"]] = (
                    in_currency + row["principal_currency"] + row["penalties_currency"],
                    in_company + row["principal"] + row["penalties"],
                )
        return {
            "company": company,
            "currency": currency,
            "opening": opening,
            "deadline": self._credit_claim_declaration_deadline(company),
            "rows": rows,
            "totals": totals,
            # Principal and penalties claimed in each foreign currency, with their euro equivalent.
            "foreign_totals": [
                (foreign_currency, foreign_currency.round(in_currency), currency.round(in_company))
                for foreign_currency, (in_currency, in_company) in sorted(
                    foreign.items(), key=lambda total: total[0].name
                )
            ],
            "total": currency.round(sum(totals.values())),
        }
