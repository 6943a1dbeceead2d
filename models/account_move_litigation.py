from odoo import api, fields, models

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

    @api.depends("credit_case_ids.filing_date", "credit_case_ids.route", "credit_case_ids.injonction_outcome")
    def _compute_credit_prescription_date(self):
        return super()._compute_credit_prescription_date()

    def _credit_prescription_events(self):
        """A claim brought before a court (injonction de payer, référé, assignation) interrupts prescription."""
        events = super()._credit_prescription_events()
        # sudo: the prescription date must not depend on who can read the litigation cases.
        for move, dates in self.env["credit.recovery.case"].sudo()._credit_filing_dates(self).items():
            events[move.with_env(self.env)].extend(dates)
        return events
