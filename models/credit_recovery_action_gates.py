from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .credit_recovery_action_formal_notice import MANAGER_FIELDS as VALIDATOR_FIELDS

CONTROLLER_GROUP = "account_credit_recovery.group_credit_controller"
MANAGER_GROUP = "account_credit_recovery.group_credit_manager"
# The moves of an action's status a user may make by writing it (from, to). A registered letter is posted
# (done) only through action_record_registered_mail; nothing leaves done or cancelled.
CONTROLLER_TRANSITIONS = frozenset({("draft", "done"), ("draft", "cancel"), ("to_validate", "cancel")})
MANAGER_TRANSITIONS = CONTROLLER_TRANSITIONS | {("to_validate", "draft")}
# Written by the module's code only (as superuser).
MODULE_FIELDS = frozenset({"formal_notice_deadline"})
# What a done action recorded: the legal record of what was sent to whom, for which items.
DONE_FROZEN_FIELDS = frozenset(
    {
        "partner_id",
        "company_id",
        "level_id",
        "channel",
        "date",
        "line_ids",
        "amount_due",
        "amount_overdue",
        "contact_id",
        "registered_mail_number",
        "registered_mail_date",
    }
)


class CreditRecoveryAction(models.Model):
    """Server-side gates of the recovery actions: status, validator, covered items, deletion."""

    _inherit = "credit.recovery.action"

    @api.constrains("line_ids", "partner_id", "company_id")
    def _check_line_ids_customer(self):
        for action in self:
            customer = action.partner_id.commercial_partner_id
            foreign = action.line_ids.filtered(
                lambda line, action=action, customer=customer: (
                    line.company_id != action.company_id or line.partner_id.commercial_partner_id != customer
                )
            )
            if foreign:
                raise ValidationError(
                    self.env._(
                        "%(action)s may only cover items of %(customer)s in %(company)s, not %(items)s.",
                        action=action.name,
                        customer=customer.name,
                        company=action.company_id.name,
                        items=", ".join(foreign.mapped("move_id.name")),
                    )
                )

    @api.constrains("registered_mail_date", "registered_mail_ack_date")
    def _check_registered_mail_dates(self):
        today = fields.Date.context_today(self)
        for action in self:
            for value in (action.registered_mail_date, action.registered_mail_ack_date):
                if value and value > today:
                    raise ValidationError(
                        self.env._(
                            "%(action)s: a registered letter is recorded once posted, not on %(date)s, a date "
                            "to come.",
                            action=action.name,
                            date=fields.Date.to_string(value),
                        )
                    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._credit_check_create_values(vals)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._credit_check_write_values(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        done = self.filtered(lambda action: action.state == "done")
        if done:
            raise UserError(
                self.env._(
                    "%(actions)s were carried out: a reminder sent or a formal notice posted is the record of "
                    "the recovery and is never deleted.",
                    actions=", ".join(done.mapped("name")),
                )
            )

    def action_done(self):
        self._credit_check_group(CONTROLLER_GROUP)
        return super().action_done()

    def action_cancel(self):
        self._credit_check_group(CONTROLLER_GROUP)
        return super().action_cancel()

    def action_mark_printed(self):
        self._credit_check_group(CONTROLLER_GROUP)
        return super().action_mark_printed()

    def action_print_letter(self):
        self._credit_check_group(CONTROLLER_GROUP)
        return super().action_print_letter()

    def action_print_call_confirmation(self):
        self._credit_check_group(CONTROLLER_GROUP)
        return super().action_print_call_confirmation()

    def action_record_registered_mail(self):
        """Posting a formal notice is a Credit Controller's act on actions they may edit."""
        self._credit_check_group(CONTROLLER_GROUP)
        self.check_access("write")
        self._check_registered_mail_dates()
        # The posted status and the deadline are written by this method only (see write()).
        return super(CreditRecoveryAction, self.sudo()).action_record_registered_mail()

    # Business logic

    def _credit_check_group(self, group):
        if self.env.su or self.env.user.has_group(group):
            return
        if group == MANAGER_GROUP:
            raise AccessError(self.env._("Only a Credit Manager may do this on a recovery action."))
        raise AccessError(self.env._("Only Credit Controllers may send, print or post recovery actions."))

    def _credit_check_validator(self, vals):
        """The validator fields are a Credit Manager's, and name the manager who writes them."""
        if not VALIDATOR_FIELDS & vals.keys():
            return
        self._credit_check_group(MANAGER_GROUP)
        for fname in ("validated_by_id", "certainty_override_user_id"):
            if vals.get(fname) and vals[fname] != self.env.uid:
                raise AccessError(
                    self.env._("A Credit Manager validates or overrides in their own name only.")
                )

    def _credit_check_create_values(self, vals):
        self._credit_check_validator(vals)
        if MODULE_FIELDS & vals.keys():
            raise AccessError(self.env._("The payment deadline is fixed when the formal notice is posted."))
        state = vals.get("state", "draft")
        level = self.env["credit.recovery.level"].browse(vals.get("level_id"))
        channel = vals.get("channel") or level.channel
        is_manager = self.env.user.has_group(MANAGER_GROUP)
        if channel == "registered_letter" and state != "to_validate" and not is_manager:
            raise AccessError(
                self.env._("A formal notice is created waiting for a Credit Manager's validation.")
            )
        if state not in ("draft", "to_validate") and not is_manager:
            raise AccessError(
                self.env._("A recovery action is created to do or to validate; it is carried out afterwards.")
            )
        if level.sudo().needs_validation and state != "to_validate" and not is_manager:
            raise AccessError(
                self.env._(
                    "Actions of the level %(level)s wait for a Credit Manager's validation.", level=level.name
                )
            )

    def _credit_check_write_values(self, vals):
        self._credit_check_validator(vals)
        if MODULE_FIELDS & vals.keys():
            raise AccessError(self.env._("The payment deadline is fixed when the formal notice is posted."))
        frozen = DONE_FROZEN_FIELDS & vals.keys()
        if frozen and any(action.state in ("done", "cancel") for action in self):
            raise UserError(
                self.env._(
                    "A recovery action carried out or cancelled is a record: its customer, items, amounts and "
                    "letter details are not changed."
                )
            )
        if "state" not in vals:
            return
        allowed = MANAGER_TRANSITIONS if self.env.user.has_group(MANAGER_GROUP) else CONTROLLER_TRANSITIONS
        for action in self:
            move = (action.state, vals["state"])
            if move[0] == move[1]:
                continue
            if move not in allowed or (action.channel == "registered_letter" and move[1] == "done"):
                labels = dict(self._fields["state"]._description_selection(self.env))
                raise AccessError(
                    self.env._(
                        "%(action)s cannot go from %(old)s to %(new)s this way: formal notices are validated by "
                        "a Credit Manager and posted with their registered-mail number; nothing carried out or "
                        "cancelled is reopened.",
                        action=action.name,
                        old=labels.get(move[0], move[0]),
                        new=labels.get(move[1], move[1]),
                    )
                )
