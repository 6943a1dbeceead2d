from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_date

from ..tools import interest


class CreditRecoveryRateSemesterWizard(models.TransientModel):
    """Enter the official rates of a new semester, the ECB rate being confirmed unchanged in one click."""

    _name = "credit.recovery.rate.semester.wizard"
    _description = "Official Rates of a New Semester"

    date_start = fields.Date(
        string="Semester Start",
        required=True,
        default=lambda self: interest.semester_start(fields.Date.context_today(self)),
        help="1 January or 1 July.",
    )
    semester = fields.Char(compute="_compute_ecb_last")
    ecb_last_date = fields.Date(string="Last ECB Change", compute="_compute_ecb_last")
    ecb_last_rate = fields.Float(string="ECB Rate in Force (%)", digits=(6, 3), compute="_compute_ecb_last")
    ecb_unchanged = fields.Boolean(
        string="ECB Rate Unchanged",
        default=True,
        help="The ECB main refinancing rate has not changed since its last recorded change: it is recorded "
        "again on the first day of the semester.",
    )
    ecb_rate = fields.Float(string="New ECB Rate (%)", digits=(6, 3))
    legal_private_rate = fields.Float(string="Legal Rate, Private Creditor (%)", digits=(6, 3))
    legal_other_rate = fields.Float(string="Legal Rate, Other Cases (%)", digits=(6, 3))
    legal_note = fields.Char(
        string="Source of the Legal Rates", help="The arrêté and its Journal officiel date."
    )

    @api.depends("date_start")
    def _compute_ecb_last(self):
        rates = self.env["credit.recovery.rate"].search_fetch(
            [("kind", "=", "ecb_mro")], ["date_start", "rate"], order="date_start"
        )
        for wizard in self:
            before = rates.filtered(
                lambda rate, wizard=wizard: wizard.date_start and rate.date_start < wizard.date_start
            )
            # The last change, not the semester confirmations recorded with the same rate.
            last = before[-1:] if before else rates.browse()
            for rate in reversed(before):
                if rate.rate != last.rate:
                    break
                last = rate
            wizard.ecb_last_date = last.date_start
            wizard.ecb_last_rate = last.rate
            wizard.semester = interest.semester_name(wizard.date_start) if wizard.date_start else False

    def action_confirm(self):
        """Record the rates of the semester that are not recorded yet."""
        self.ensure_one()
        if not self.env.user.has_group("account_credit_recovery.group_credit_manager"):
            raise AccessError(self.env._("Only a Credit Manager can enter the official rates."))
        start = self.date_start
        if not start or start != interest.semester_start(start):
            raise UserError(self.env._("A semester starts on 1 January or 1 July."))
        Rate = self.env["credit.recovery.rate"]
        existing = set(Rate.search([("date_start", "=", start)]).mapped("kind"))
        values = []
        if "ecb_mro" not in existing:
            if self.ecb_unchanged:
                if not self.ecb_last_date:
                    raise UserError(self.env._("No ECB rate is recorded before this semester: enter it."))
                values.append(
                    {
                        "kind": "ecb_mro",
                        "date_start": start,
                        "rate": self.ecb_last_rate,
                        "note": self.env._(
                            "ECB rate unchanged since %(date)s",
                            date=format_date(self.env, self.ecb_last_date),
                        ),
                    }
                )
            elif self.ecb_rate <= 0:
                raise UserError(
                    self.env._(
                        "Enter the ECB main refinancing rate in force on %(date)s.",
                        date=format_date(self.env, start),
                    )
                )
            else:
                values.append({"kind": "ecb_mro", "date_start": start, "rate": self.ecb_rate})
        for kind, rate in (
            ("legal_private", self.legal_private_rate),
            ("legal_other", self.legal_other_rate),
        ):
            if kind not in existing and rate > 0:
                values.append({"kind": kind, "date_start": start, "rate": rate, "note": self.legal_note})
        if not values:
            raise UserError(
                self.env._("The rates of %(semester)s are already recorded.", semester=self.semester)
            )
        rates = Rate.create(values)
        # The reminders of the semester are done once all its rates are in.
        if not Rate._missing_kinds(start):
            self._credit_close_missing_rate_activities(start)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Official Rates"),
            "res_model": "credit.recovery.rate",
            "view_mode": "list,form",
            "domain": [("id", "in", rates.ids)],
        }

    def _credit_close_missing_rate_activities(self, start):
        # The reminders are assigned to every accounting manager: the one who entered the rates closes them.
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "credit.recovery.rate"),
                    ("summary", "ilike", interest.semester_name(start)),
                ]
            )
        )
        activities.action_feedback(feedback=self.env._("Rates entered."))
        return True
