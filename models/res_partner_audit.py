from odoo import Command, models

# Company-dependent credit decisions kept in the customer's credit trail of the company (who, when, old and
# new values). Odoo's field tracking cannot keep them: it stores one initial value per record and
# transaction, read in the company of the first write, and compares it with the value read in that same
# company when the transaction ends. A change made in another company is compared with the first company's
# value (lost, or logged with another company's figures), and the message lands in the chatter of the
# shared customer, which every company reads.
CREDIT_TRAIL_FIELDS = (
    "credit_limit",
    "credit_on_hold",
    "credit_hold_reason",
    "credit_risk_override",
    "credit_risk_override_reason",
    "credit_recovery_paused_until",
    "credit_deposit_custom",
    "credit_deposit_percent",
    "credit_deposit_min_amount",
    "credit_deposit_schedule_id",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    def write(self, vals):
        fnames = [fname for fname in CREDIT_TRAIL_FIELDS if fname in vals]
        if not fnames:
            return super().write(vals)
        # sudo: the values are read to be logged; the write below checks the user's rights to change them.
        before = {partner.id: {fname: partner.sudo()[fname] for fname in fnames} for partner in self}
        result = super().write(vals)
        self._credit_trail_log(fnames, before)
        return result

    def _credit_trail_log(self, fnames, before, body=""):
        """Log in the current company's credit trail what changed in ``fnames`` since ``before``.

        ``before``: ``{partner id: {field name: value}}`` read in the same company. The message carries one
        tracking value per changed field (old and new value), its author is the current user and its date
        the moment of the change; ``body`` (or the context's ``credit_trail_body``) says why.
        """
        body = body or self.env.context.get("credit_trail_body") or ""
        company = self.env.company
        Tracking = self.env["mail.tracking.value"].sudo()
        col_info = self.sudo().fields_get(
            fnames, attributes=("string", "type", "selection", "currency_field")
        )
        changes = {}
        for partner in self:
            trackings = []
            for fname in fnames:
                old, new = before[partner.id][fname], partner.sudo()[fname]
                if old == new or (not old and not new):
                    continue
                trackings.append(
                    Command.create(
                        Tracking._create_tracking_values(old, new, fname, col_info[fname], partner)
                    )
                )
            if trackings:
                changes[partner.id] = trackings
        trails = self.env["credit.recovery.partner.log"]._credit_logs_of(
            (partner_id, company.id) for partner_id in changes
        )
        for partner_id, trackings in changes.items():
            trails[partner_id, company.id]._message_log(
                body=body, author_id=self.env.user.partner_id.id, tracking_value_ids=trackings
            )

    def _credit_trail(self):
        """The current company's credit trail of the customer (sudo, created when missing)."""
        self.ensure_one()
        return self.env["credit.recovery.partner.log"]._credit_log_of(self, self.env.company)

    def action_credit_open_trail(self):
        """Open the credit trail of the customer in the current company."""
        self.ensure_one()
        # The trail is created on first use; the user then reads it with their own rights.
        log = self.commercial_partner_id._credit_trail().sudo(False)
        return {
            "type": "ir.actions.act_window",
            "name": log.display_name,
            "res_model": "credit.recovery.partner.log",
            "res_id": log.id,
            "view_mode": "form",
            "target": "current",
        }
