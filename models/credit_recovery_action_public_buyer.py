from odoo import api, models
from odoo.tools.misc import format_date

from .account_move_public_buyer import WRITTEN_CLAIM_CHANNELS


class CreditRecoveryAction(models.Model):
    """Letters to a public buyer state the rule of the Code de la commande publique, not L441-10."""

    _inherit = "credit.recovery.action"

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        actions._credit_refresh_public_lapse()
        return actions

    def write(self, vals):
        public = self.filtered(lambda action: action._credit_is_public_buyer())
        result = super().write(vals)
        if public and {"state", "date", "channel", "line_ids"} & set(vals):
            public._credit_refresh_public_lapse(force=True)
        return result

    def _credit_refresh_public_lapse(self, force=False):
        """A written claim sent to a public buyer moves the lapse date of its invoices (loi n° 68-1250, art. 2):
        the stored prescription date is recomputed, as no field of the invoice depends on the action."""
        actions = self.filtered(
            lambda action: (
                action._credit_is_public_buyer()
                and (force or (action.state == "done" and action.channel in WRITTEN_CLAIM_CHANNELS))
            )
        )
        # The debt wherever it is booked: a letter on the 416 item of a reclassified invoice claims the invoice.
        moves = actions.line_ids.credit_debt_move_id.filtered(lambda move: move.move_type == "out_invoice")
        if moves:
            Move = self.env["account.move"]
            self.env.add_to_compute(Move._fields["credit_prescription_date"], moves)

    def _credit_is_public_buyer(self):
        self.ensure_one()
        return bool(self.partner_id.commercial_partner_id.credit_public_buyer_kind)

    def _formal_notice_rate_text(self, invoices, semesters):
        move = invoices[:1]
        if not semesters or move._credit_penalty_terms()[0] != "public_moratory":
            return super()._formal_notice_rate_text(invoices, semesters)
        rates = ", ".join(
            dict.fromkeys(move._credit_format_rate(rate) for _semester, rate in sorted(semesters))
        )
        return self.env._(
            "the ECB rate in force on the first day of the semester the delay started in + 8 points, that is "
            "%(rates)s",
            rates=rates,
        )

    def _formal_notice_values(self, strict=True):
        values = super()._formal_notice_values(strict=strict)
        if not self._credit_is_public_buyer():
            return values
        invoices = self.line_ids.move_id
        company = self.company_id
        semesters = []
        for detail in invoices._credit_claimable_details(values["letter_date"]).values():
            for item in detail.get("penalties", []):
                semesters += [semester for semester in item.get("semesters", []) if semester not in semesters]
        values["texts"]["penalties"] = self.env._(
            "Under articles L2192-13 and R2192-31 of the Code de la commande publique, moratory interest has been "
            "due by right, without any claim, since the day after the end of each payment period, at the annual "
            "rate of %(rates)s, on the amounts including VAT, on a 365-day basis; it is computed above up to "
            "%(date)s and keeps running until payment in full. A fixed indemnity for recovery costs of "
            "%(indemnity)s is also due by right for each invoice paid late (article D2192-35 of the same code).",
            rates=self._formal_notice_rate_text(invoices, semesters) or self.env._("the legal rate"),
            date=format_date(self.env, values["accrued_until"]),
            indemnity=self.currency_id.format(company.credit_recovery_indemnity_amount),
        )
        return values
