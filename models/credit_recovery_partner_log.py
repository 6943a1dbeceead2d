from odoo import api, fields, models
from odoo.exceptions import AccessError


class CreditRecoveryPartnerLog(models.Model):
    """The credit trail of one customer in one company.

    A customer is shared between the companies of the database, and so is its chatter: what one company
    decides about it (its credit limit, a hold and why, a risk override, the level its rules give, a hold
    approval, the claim to declare in collective proceedings) is logged here, where the record rule lets
    only that company's users read it.
    """

    _name = "credit.recovery.partner.log"
    _description = "Customer Credit Trail"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _rec_name = "partner_id"
    _order = "id desc"
    _check_company_auto = True
    # The company's users read the trail, its activities (the claim to declare) and add notes to it.
    _mail_post_access = "read"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, ondelete="cascade", index=True)

    _sql_constraints = [
        (
            "partner_company_unique",
            "UNIQUE(partner_id, company_id)",
            "A customer has one credit trail per company.",
        ),
    ]

    @api.depends("partner_id", "company_id")
    def _compute_display_name(self):
        for log in self:
            log.display_name = self.env._(
                "Credit trail of %(customer)s (%(company)s)",
                customer=log.partner_id.name or "",
                company=log.company_id.name or "",
            )

    def message_post(self, **kwargs):
        # Old and new values are the module's to log (res_partner_audit.py): nobody posts forged ones.
        if kwargs.get("tracking_value_ids") and not self.env.su:
            raise AccessError(self.env._("The changes in a credit trail are logged by Odoo only."))
        return super().message_post(**kwargs)

    @api.model
    def _credit_log_of(self, partner, company):
        """The trail of ``partner`` in ``company``, created the first time something is logged there.

        Returned as sudo: the trail is written by the module's code only, for whoever changed the customer
        (each caller has checked that user's right to make the change it logs).
        """
        return self._credit_logs_of([(partner.id, company.id)])[partner.id, company.id]

    @api.model
    def _credit_logs_of(self, pairs):
        """``{(partner id, company id): trail}`` for ``pairs``, in one search and one create (sudo)."""
        Log = self.sudo()
        pairs = set(pairs)
        if not pairs:
            return {}
        logs = Log.search(
            [
                ("partner_id", "in", list({partner_id for partner_id, _company_id in pairs})),
                ("company_id", "in", list({company_id for _partner_id, company_id in pairs})),
            ]
        )
        result = {(log.partner_id.id, log.company_id.id): log for log in logs}
        missing = sorted(pairs - result.keys())
        for log in Log.create(
            [{"partner_id": partner_id, "company_id": company_id} for partner_id, company_id in missing]
        ):
            result[log.partner_id.id, log.company_id.id] = log
        return result

    def _credit_log_post(self, body, partner_ids=None):
        """A note on the trail, notifying ``partner_ids`` (users of the trail's company) when given."""
        self.ensure_one()
        return self.message_post(
            body=body,
            partner_ids=partner_ids or [],
            subtype_xmlid="mail.mt_note",
            author_id=self.env.user.partner_id.id,
        )
