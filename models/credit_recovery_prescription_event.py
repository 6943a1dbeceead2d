from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .account_move_prescription import ENFORCEMENT_KINDS

PRESCRIPTION_EVENT_KINDS = [
    ("commandement", "Commandement de payer (Enforcement Act)"),
    ("saisie", "Seizure (Enforcement Act)"),
    ("mediation", "Agreed Mediation or Conciliation"),
]


class CreditRecoveryPrescriptionEvent(models.Model):
    """An event recorded on an invoice that changes its prescription.

    An enforcement act (commandement de payer, saisie) interrupts it (Code civil 2244); a mediation or
    conciliation agreed by both parties suspends it from the day of their agreement, not from a one-sided
    request, until its end, leaving at least 6 months after it (Code civil 2238).
    """

    _name = "credit.recovery.prescription.event"
    _description = "Prescription Event"
    _order = "date desc, id desc"
    _check_company_auto = True

    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
    )
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="move_id.commercial_partner_id", string="Customer", store=True)
    kind = fields.Selection(PRESCRIPTION_EVENT_KINDS, required=True)
    date = fields.Date(
        required=True,
        help="The day of the enforcement act; for a mediation, the day both parties agreed to it (a request by "
        "one party alone suspends nothing).",
    )
    request_date = fields.Date(
        string="Requested On",
        help="For a mediation: the day one party asked for it. Informative: the suspension runs from the "
        "agreement of both.",
    )
    end_date = fields.Date(
        string="Ended On",
        help="For a mediation: the day it ended (agreement, failure noted by the mediator, or withdrawal). The "
        "prescription runs again from that day, for at least 6 months.",
    )
    reference = fields.Char(help="The act's or the mediator's reference.")
    note = fields.Text()

    @api.constrains("kind", "date", "request_date", "end_date")
    def _check_dates(self):
        today = fields.Date.context_today(self)
        for event in self:
            if event.date > today:
                raise ValidationError(self.env._("A prescription event is recorded once it has happened."))
            if event.kind in ENFORCEMENT_KINDS and (event.end_date or event.request_date):
                raise ValidationError(
                    self.env._("An enforcement act has one date: only a mediation is requested and ends.")
                )
            if event.kind == "mediation" and event.request_date and event.request_date > event.date:
                raise ValidationError(
                    self.env._("A mediation is agreed by both parties on or after the day it was requested.")
                )
            if event.kind == "mediation" and event.end_date and event.end_date < event.date:
                raise ValidationError(self.env._("A mediation ends on or after the day it was agreed."))

    @api.depends("kind", "date")
    def _compute_display_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for event in self:
            event.display_name = (
                f"{labels.get(event.kind, '')} {fields.Date.to_string(event.date) or ''}".strip()
            )
