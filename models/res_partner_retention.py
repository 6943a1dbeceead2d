from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.tools.misc import format_date

# The owner claims its goods from a debtor in collective proceedings within three months of the publication
# of the opening judgment (Code de commerce L624-9), or loses the claim in kind.
GOODS_CLAIM_MONTHS = 3


class ResPartner(models.Model):
    """Goods sold under retention of title are claimed in the customer's collective proceedings (L624-16)."""

    _inherit = "res.partner"

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners._credit_schedule_goods_claim()
        return partners

    def write(self, vals):
        result = super().write(vals)
        if {"credit_collective_proceeding", "credit_collective_proceeding_date"} & set(vals):
            self._credit_schedule_goods_claim()
        return result

    def _credit_goods_claim_deadline(self):
        """Last day to claim the goods sold under retention of title: 3 months from the BODACC publication."""
        self.ensure_one()
        published = self.credit_collective_proceeding_date
        if self.credit_collective_proceeding == "none" or not published:
            return False
        return published + relativedelta(months=GOODS_CLAIM_MONTHS)

    def _credit_schedule_goods_claim(self):
        """One activity per company whose unpaid invoices of goods to the customer bear a retention of title,
        listing them, due on the last day of the claim (L624-9); never scheduled twice for the same deadline.
        """
        partners = self.filtered(
            lambda partner: (
                partner.commercial_partner_id == partner and partner._credit_goods_claim_deadline()
            )
        )
        if not partners:
            return
        # sudo: each company of the database owning goods at the customer claims them, whoever records the
        # proceedings.
        invoices = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "in", partners.ids),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("credit_retention_of_title", "=", True),
                    ("payment_state", "in", ("not_paid", "partial")),
                ],
                order="invoice_date, name",
            )
        )
        by_key = defaultdict(lambda: self.env["account.move"])
        for invoice in invoices:
            opening = invoice.commercial_partner_id.credit_opening_judgment_date
            # Only the goods sold before the opening judgment are claimed in the proceedings.
            if opening and (invoice.invoice_date or invoice.date) >= opening:
                continue
            by_key[invoice.commercial_partner_id, invoice.company_id] |= invoice
        # The claim lists one company's unpaid invoices: it goes to that company's credit trail of the customer,
        # not to the customer's chatter every company of the database reads.
        activity_type = self.env.ref("account_credit_recovery.mail_activity_type_credit_goods_claim")
        trails = self.env["credit.recovery.partner.log"]._credit_logs_of(
            (partner.id, company.id) for partner, company in by_key
        )
        existing = {
            (activity.res_id, activity.date_deadline, activity.summary)
            for activity in self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "credit.recovery.partner.log"),
                    ("res_id", "in", [trail.id for trail in trails.values()]),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        }
        for (partner, company), moves in sorted(
            by_key.items(), key=lambda item: (item[0][0].id, item[0][1].id)
        ):
            partner = partner.with_env(self.env)
            trail = trails[partner.id, company.id]
            deadline = partner._credit_goods_claim_deadline()
            summary = self.env._(
                "Claim the goods sold by %(company)s under retention of title", company=company.name
            )
            if (trail.id, deadline, summary) in existing:
                continue
            listing = "; ".join(
                self.env._(
                    "%(invoice)s of %(date)s, %(residual)s unpaid",
                    invoice=move.name,
                    date=format_date(self.env, move.invoice_date),
                    residual=move.currency_id.format(move.amount_residual),
                )
                for move in moves
            )
            # sudo: the controller of another company than the user's follows that company's claim.
            controller = partner.sudo().with_company(company).credit_controller_id
            trail.activity_schedule(
                act_type_xmlid="account_credit_recovery.mail_activity_type_credit_goods_claim",
                date_deadline=deadline,
                summary=summary,
                note=self.env._(
                    "%(customer)s is in collective proceedings published in the BODACC on %(published)s. The goods "
                    "of these invoices were sold under retention of title: claim them from the administrator, or "
                    "failing one the debtor, by registered letter by %(deadline)s, three months from the "
                    "publication (Code de commerce L624-9, L624-16, R624-13), while they are still in kind: "
                    "%(invoices)s.",
                    customer=partner.name,
                    published=format_date(self.env, partner.credit_collective_proceeding_date),
                    deadline=format_date(self.env, deadline),
                    invoices=listing,
                ),
                user_id=(controller or partner.user_id or self.env.ref("base.user_admin")).id,
            )
            existing.add((trail.id, deadline, summary))
