from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from .credit_recovery_case import SERVICE_LIMIT_MONTHS

CASE_READERS = "account_credit_recovery.group_credit_controller,account.group_account_readonly"


class AccountMove(models.Model):
    _inherit = "account.move"

    credit_case_ids = fields.Many2many(
        "credit.recovery.case",
        "credit_recovery_case_move_rel",
        "move_id",
        "case_id",
        string="Litigation Cases",
        copy=False,
        readonly=True,
        groups=CASE_READERS,
    )
    credit_case_count = fields.Integer(
        string="Litigation Case Count", compute="_compute_credit_case_count", groups=CASE_READERS
    )
    credit_in_litigation = fields.Boolean(
        string="In Litigation",
        compute="_compute_credit_in_litigation",
        store=True,
        help="The invoice is claimed in an open litigation case.",
    )

    @api.depends("credit_case_ids.state")
    def _compute_credit_in_litigation(self):
        for move in self:
            move.credit_in_litigation = any(case.state == "open" for case in move.credit_case_ids)

    def _compute_credit_case_count(self):
        counts = dict(
            self.env["credit.recovery.case"]._read_group(
                [("move_ids", "in", self.ids)], ["move_ids"], ["__count"]
            )
        )
        for move in self:
            move.credit_case_count = counts.get(move, 0)

    def action_credit_cases(self):
        """The litigation cases claiming the invoice."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_credit_recovery.credit_recovery_case_action"
        )
        action.update(
            {
                "domain": [("move_ids", "in", self.ids)],
                "context": {
                    "default_partner_id": self.commercial_partner_id.id,
                    "default_move_ids": self.ids,
                    "default_company_id": self.company_id.id,
                },
            }
        )
        return action

    @api.model
    def _credit_recovery_block_fields(self):
        """Invoices claimed in an open litigation case are out of the amicable run: the case leads now."""
        return [*super()._credit_recovery_block_fields(), "credit_in_litigation"]

    @api.depends(
        "credit_case_ids.filing_date",
        "credit_case_ids.route",
        "credit_case_ids.injonction_outcome",
        "credit_case_ids.order_date",
        "credit_case_ids.service_date",
    )
    def _compute_credit_prescription_date(self):
        return super()._compute_credit_prescription_date()

    def _credit_prescription_events(self):
        """A claim brought before a court (injonction de payer, référé, assignation) interrupts prescription."""
        events = super()._credit_prescription_events()
        # sudo: the prescription date must not depend on who can read the litigation cases.
        for move, dates in self.env["credit.recovery.case"].sudo()._credit_filing_dates(self).items():
            events[move.with_env(self.env)].extend(dates)
        return events

    @api.model
    def _credit_prescription_refresh(self, today):
        """An order for payment left unserved six months after its date lapses (CPC 1411): the date of its
        invoices goes back to what it was without the request."""
        result = super()._credit_prescription_refresh(today)
        # sudo: the daily job refreshes every company's invoices, whoever can read the cases.
        cases = (
            self.env["credit.recovery.case"]
            .sudo()
            .search(
                [
                    ("route", "=", "injonction"),
                    ("order_date", "!=", False),
                    ("order_date", "<", today - relativedelta(months=SERVICE_LIMIT_MONTHS)),
                    ("service_date", "=", False),
                ]
            )
        )
        moves = cases.move_ids
        if moves:
            self.env.add_to_compute(self._fields["credit_prescription_date"], moves)
            moves.flush_recordset(["credit_prescription_date"])
        return result
