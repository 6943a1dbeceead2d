from odoo import api, models

# Channels of a written claim to the debtor: each interrupts the four-year lapse of a public person's debt
# (loi n° 68-1250 du 31 décembre 1968, art. 2), unlike a claim on a private debtor (C. civ. 2240-2244).
WRITTEN_CLAIM_CHANNELS = ("email", "letter", "registered_letter")


class AccountMove(models.Model):
    """A public buyer's late payment bears moratory interest, whatever the terms of sale (R2192-31)."""

    _inherit = "account.move"

    def _credit_penalty_terms(self):
        if self.partner_id.commercial_partner_id.credit_public_buyer_kind:
            return "public_moratory", None
        return super()._credit_penalty_terms()

    @api.depends("invoice_date", "partner_id.commercial_partner_id.credit_public_buyer_kind")
    def _compute_credit_prescription_date(self):
        # A public buyer's claim lapses under the four-year rule, from the year of the invoice.
        return super()._compute_credit_prescription_date()

    def _credit_prescription_events(self):
        """A written claim to a public buyer (reminder letter, e-mail, formal notice sent) interrupts its
        four-year lapse on the day it was sent (loi n° 68-1250, art. 2)."""
        events = super()._credit_prescription_events()
        # sudo: the prescription date must not depend on who can read the recovery actions. One search for
        # the recordset: the events are read in batch.
        actions = (
            self.env["credit.recovery.action"]
            .sudo()
            .search_fetch(
                [
                    # The debt wherever it is booked: the invoice's items, or its 416 item once reclassified.
                    "|",
                    ("line_ids.move_id", "in", self.ids),
                    ("line_ids", "in", self.sudo().credit_doubtful_move_line_id.ids),
                    ("partner_id.commercial_partner_id.credit_public_buyer_kind", "!=", False),
                    ("state", "=", "done"),
                    ("channel", "in", WRITTEN_CLAIM_CHANNELS),
                ],
                ["line_ids", "date"],
            )
        )
        for action in actions:
            for move in action.line_ids.credit_debt_move_id & self.sudo():
                events[move.with_env(self.env)].append(action.date)
        return events
