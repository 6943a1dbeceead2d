from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class CreditRecoveryAction(models.Model):
    """No formal notice for claims born before an opening judgment (C. com. L622-21)."""

    _inherit = "credit.recovery.action"

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        notices = actions.filtered(lambda action: action.channel == "registered_letter")
        if notices:
            self.env["res.partner"]._credit_check_no_pursuit(
                notices.line_ids.move_id, self.env._("A formal notice")
            )
        return actions

    def write(self, vals):
        result = super().write(vals)
        if vals.get("registered_mail_ack_date"):
            self._credit_apply_ack_date()
        return result


class CreditRecoveryCase(models.Model):
    """No litigation case for claims born before an opening judgment (C. com. L622-21).

    The judgment won and its service: two months after it became enforceable, the legal interest rate is
    raised by 5 points (Code monétaire et financier L313-3).
    """

    _inherit = "credit.recovery.case"

    judgment_date = fields.Date(tracking=True, copy=False)
    judgment_service_date = fields.Date(
        string="Judgment Served On",
        tracking=True,
        copy=False,
        help="The day the judgment was served (signifié): it is enforceable from then, and the legal interest "
        "rate is raised by 5 points two months later (Code monétaire et financier L313-3).",
    )
    interest_majoration_date = fields.Date(
        string="Legal Rate + 5 Points From",
        compute="_compute_interest_majoration_date",
        store=True,
    )

    @api.depends("judgment_service_date")
    def _compute_interest_majoration_date(self):
        for case in self:
            case.interest_majoration_date = case.judgment_service_date and (
                case.judgment_service_date + relativedelta(months=2)
            )

    @api.model_create_multi
    def create(self, vals_list):
        cases = super().create(vals_list)
        self.env["res.partner"]._credit_check_no_pursuit(cases.move_ids, self.env._("A litigation case"))
        return cases

    def write(self, vals):
        result = super().write(vals)
        if "move_ids" in vals:
            self.env["res.partner"]._credit_check_no_pursuit(self.move_ids, self.env._("A litigation case"))
        return result


class CreditRecoveryPlan(models.Model):
    """No payment plan for claims born before an opening judgment: paying them is forbidden (C. com. L622-7)."""

    _inherit = "credit.recovery.plan"

    @api.model_create_multi
    def create(self, vals_list):
        plans = super().create(vals_list)
        self.env["res.partner"]._credit_check_no_pursuit(plans.line_ids.move_id, self.env._("A payment plan"))
        return plans

    def write(self, vals):
        result = super().write(vals)
        if "line_ids" in vals or vals.get("state") == "running":
            self.env["res.partner"]._credit_check_no_pursuit(
                self.line_ids.move_id, self.env._("A payment plan")
            )
        return result
