"""Server gates on the models added since issue 14, as any logged-in user may call them through JSON-RPC.

- The credit trail (``credit.recovery.partner.log``) is append-only: its messages are written by the module,
  and the notes its users add are signed by them; nobody edits, deletes or backdates one.
- A payment plan's status and its notice before forfeiture change through the plan's own actions only
  (signing, cancelling, the daily check, the notice, the forfeiture); a context key a caller can send
  never opens them.
- A prescription event belongs to a posted customer invoice.
"""

from odoo import api, models
from odoo.exceptions import AccessError, ValidationError

TRAIL_MODEL = "credit.recovery.partner.log"
# The plan's actions put this object in the context: JSON-RPC carries only JSON values, so a caller cannot.
PLAN_TRANSITION = object()
PLAN_GUARDED_FIELDS = {
    "state",
    "forfeiture_notice_date",
    "forfeiture_notice_deadline",
    "forfeiture_notice_amount",
}


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            author = self.env.user.partner_id.id
            for vals in vals_list:
                if vals.get("model") != TRAIL_MODEL:
                    continue
                # A message its user adds to a trail is theirs, dated now, without old and new values.
                if (
                    vals.get("author_id", author) != author
                    or vals.get("tracking_value_ids")
                    or vals.get("date")
                ):
                    raise AccessError(
                        self.env._("A credit trail keeps what happened: only Odoo writes in it for others.")
                    )
        return super().create(vals_list)

    def write(self, vals):
        # Starring, reading and the like go through sudo in Odoo; anything else changes what was logged.
        if not self.env.su and self._credit_trail_messages():
            raise AccessError(self.env._("A message of a credit trail cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_credit_trail(self):
        if not self.env.su and self._credit_trail_messages():
            raise AccessError(self.env._("A message of a credit trail cannot be deleted."))

    def _credit_trail_messages(self):
        # sudo: the model of the message decides, whatever the user may read of it.
        return self.sudo().filtered(lambda message: message.model == TRAIL_MODEL)


class CreditRecoveryPartnerLog(models.Model):
    _inherit = "credit.recovery.partner.log"

    def message_post(self, **kwargs):
        if not self.env.su and (
            kwargs.get("author_id") not in (None, self.env.user.partner_id.id) or kwargs.get("date")
        ):
            raise AccessError(
                self.env._(
                    "A note of a credit trail is signed by the user who writes it, on the day it is written."
                )
            )
        return super().message_post(**kwargs)

    def _message_update_content(self, message, body, *args, **kwargs):
        if not self.env.su:
            raise AccessError(self.env._("A message of a credit trail cannot be changed."))
        return super()._message_update_content(message, body, *args, **kwargs)


class CreditRecoveryPlan(models.Model):
    _inherit = "credit.recovery.plan"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # A plan starts as a draft, without notice: what follows is the actions'.
            if {key for key, value in vals.items() if value and not (key == "state" and value == "draft")} & (
                PLAN_GUARDED_FIELDS
            ):
                self._credit_check_transition()
        return super().create(vals_list)

    def write(self, vals):
        if PLAN_GUARDED_FIELDS & set(vals):
            self._credit_check_transition()
        return super().write(vals)

    def _credit_check_transition(self):
        if not self.env.su and self.env.context.get("credit_plan_transition") is not PLAN_TRANSITION:
            raise AccessError(
                self.env._(
                    "The status of a payment plan and its notice before forfeiture change through the plan's "
                    "actions (sign, cancel, send the notice, forfeit), not by writing them."
                )
            )

    def _credit_transition(self):
        return self.with_context(credit_plan_transition=PLAN_TRANSITION)

    # Each action checks its own conditions, then writes the status through the guard. The private steps
    # (forfeiture, notice, the notice spent) are wrapped too: JSON-RPC never reaches a private method.
    def action_sign(self):
        return super(CreditRecoveryPlan, self._credit_transition()).action_sign()

    def action_cancel(self):
        return super(CreditRecoveryPlan, self._credit_transition()).action_cancel()

    def action_credit_portal_decline(self):
        return super(CreditRecoveryPlan, self._credit_transition()).action_credit_portal_decline()

    @api.model
    def _check_running_plans(self, date, company=None):
        return super(CreditRecoveryPlan, self._credit_transition())._check_running_plans(
            date, company=company
        )

    def _credit_forfeit(self, paid, due):
        return super(CreditRecoveryPlan, self._credit_transition())._credit_forfeit(paid, due)

    def _credit_send_forfeiture_notice(self, date, arrears):
        return super(CreditRecoveryPlan, self._credit_transition())._credit_send_forfeiture_notice(
            date, arrears
        )

    def _credit_on_instalments_kept(self):
        return super(CreditRecoveryPlan, self._credit_transition())._credit_on_instalments_kept()


class CreditRecoveryPrescriptionEvent(models.Model):
    _inherit = "credit.recovery.prescription.event"

    @api.constrains("move_id")
    def _check_move_is_posted_invoice(self):
        for event in self:
            if event.move_id.move_type != "out_invoice" or event.move_id.state != "posted":
                raise ValidationError(
                    self.env._("A prescription event is recorded on a posted customer invoice.")
                )
