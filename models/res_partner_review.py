from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .res_company import RISK_LEVELS


class ResPartner(models.Model):
    """Credit reviews: the cycle of the risk level (12/6/3/1 months), the daily job that schedules them,
    and the salesperson told when the level changes."""

    _inherit = "res.partner"

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
    credit_next_review_date = fields.Date(
        string="Next Review", compute="_compute_credit_next_review_date", groups="base.group_user"
    )

    @api.depends_context("company", "credit_recovery_date")
    @api.depends("commercial_partner_id.credit_last_review_date", "credit_risk_level")
    def _compute_credit_next_review_date(self):
        """The last review plus the cycle of the risk level (``res.company._credit_review_months``)."""
        company = self.env.company
        for partner in self:
            last_review = partner.commercial_partner_id.credit_last_review_date
            partner.credit_next_review_date = (
                last_review + relativedelta(months=company._credit_review_months(partner.credit_risk_level))
                if last_review
                else False
            )

    def action_credit_mark_reviewed(self):
        """Record today's review by the current user and close the open review activities."""
        if not self.env.user.has_group("account_credit_recovery.group_credit_controller"):
            raise AccessError(self.env._("Only Credit Controllers can record a credit review."))
        today = fields.Date.context_today(self)
        review_type = self.env.ref("account_credit_recovery.mail_activity_type_credit_review")
        for partner in self.commercial_partner_id:
            partner.write({"credit_last_review_date": today, "credit_last_reviewer_id": self.env.user.id})
            # The review, its activity and the level are the company's: on its credit trail of the customer.
            trail = partner._credit_trail()
            trail.activity_ids.filtered(
                lambda activity: activity.activity_type_id == review_type
            ).action_done()
            trail._credit_log_post(
                self.env._(
                    "Credit review done by %(user)s: risk level %(level)s, next review on %(date)s.",
                    user=self.env.user.name,
                    level=partner._credit_level_label(partner.credit_risk_level),
                    date=fields.Date.to_string(partner.credit_next_review_date),
                )
            )
        return True

    def _credit_notify_level_change(self):
        """Tell the salesperson, in the company's credit trail, when the customer's risk level changed."""
        for partner in self:
            level = partner.credit_risk_level
            if level == partner.credit_risk_level_notified:
                continue
            previous = partner.credit_risk_level_notified
            partner.sudo().credit_risk_level_notified = level  # technical memo, any user may trigger it
            if not previous or not partner.user_id:
                continue
            partner._credit_trail()._credit_log_post(
                self.env._(
                    "Risk level changed from %(old)s to %(new)s.\n%(reasons)s",
                    old=partner._credit_level_label(previous),
                    new=partner._credit_level_label(level),
                    reasons=partner.credit_risk_reasons,
                ),
                partner_ids=partner.user_id.partner_id.ids,
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
            # The review of the company's risk level is scheduled on the company's credit trail.
            trails = self.env["credit.recovery.partner.log"]._credit_logs_of(
                (partner.id, company.id) for partner in due
            )
            already = {
                trail.partner_id.id
                for trail in trails.values()
                if review_type in trail.activity_ids.activity_type_id
            }
            for partner in due:
                if partner.id in already:
                    continue
                user = partner.credit_controller_id or partner.user_id or self.env.ref("base.user_admin")
                trails[partner.id, company.id].activity_schedule(
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
