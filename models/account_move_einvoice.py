from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools.misc import format_date, formatLang

from ..tools.cdar import AMOUNT_APPROVED, AMOUNT_NOT_APPROVED
from .credit_recovery_einvoice_status import EINVOICE_STATUSES

EINVOICE_HOLD_REASONS = [
    ("suspended", "Suspended by the Buyer"),
    ("payment_sent", "Payment Sent: Grace Period"),
    ("reconcile", "Payment Announced, Not Received: Reconcile First"),
    ("rejected", "Rejected by the Platform: Not Due"),
]
# Reason codes of the French lifecycle (buyer's refusal or dispute) to the module's dispute reasons.
REASON_CODE_DISPUTE = {
    "PRIX_ERR": "price",
    "PU_ERR": "price",
    "REM_ERR": "price",
    "CALCUL_ERR": "price",
    "MONTANTTOTAL_ERR": "price",
    "TX_TVA_ERR": "price",
    "QTE_ERR": "quantity",
    "QUALITE_ERR": "quality",
    "NON_CONFORME": "quality",
    "LIVR_INCOMP": "not_delivered",
    "JUSTIF_ABS": "missing_document",
    "REF_CT_ABSENT": "missing_document",
    "CMD_ERR": "missing_document",
    "REF_ERR": "missing_document",
    "DOUBLON": "duplicate",
    "DOUBLE_FACT": "duplicate",
}
EINVOICE_ACTIVITY = "account_credit_recovery.mail_activity_type_credit_einvoice"


class AccountMove(models.Model):
    _inherit = "account.move"

    credit_einvoice_status_ids = fields.One2many(
        "credit.recovery.einvoice.status", "move_id", string="Lifecycle Statuses"
    )
    credit_einvoice_status = fields.Selection(
        EINVOICE_STATUSES,
        string="Lifecycle Status",
        compute="_compute_credit_einvoice_status",
        store=True,
        index="btree_not_null",
        help="The last status of the invoice on the e-invoicing platforms.",
    )
    credit_einvoice_status_date = fields.Datetime(
        string="Lifecycle Status Date", compute="_compute_credit_einvoice_status", store=True
    )
    credit_einvoice_on_hold = fields.Boolean(
        string="Paused by Its Lifecycle",
        copy=False,
        readonly=True,
        help="A lifecycle status (suspended, payment sent, rejected) keeps the invoice out of the dunning run.",
    )
    credit_einvoice_hold_reason = fields.Selection(
        EINVOICE_HOLD_REASONS, string="Lifecycle Pause", copy=False, readonly=True
    )
    credit_einvoice_hold_until = fields.Date(
        string="Grace Period Until",
        copy=False,
        readonly=True,
        help="End of the grace period of a 211 status.",
    )
    credit_einvoice_approved_amount = fields.Monetary(
        string="Amount Approved by the Buyer", currency_field="currency_id", copy=False, readonly=True
    )
    credit_einvoice_outbound_ids = fields.One2many(
        "credit.recovery.einvoice.outbound", "move_id", string="Statuses Sent"
    )

    @api.model
    def _credit_recovery_block_fields(self):
        # A lifecycle pause (suspended, payment sent, rejected) is one more reason the run does not chase.
        return [*super()._credit_recovery_block_fields(), "credit_einvoice_on_hold"]

    @api.depends("credit_einvoice_status_ids.code", "credit_einvoice_status_ids.date")
    def _compute_credit_einvoice_status(self):
        for move in self:
            last = move.credit_einvoice_status_ids.sorted(lambda status: (status.date, status.id))[-1:]
            move.credit_einvoice_status = last.code
            move.credit_einvoice_status_date = last.date

    def action_credit_einvoice_resume(self):
        """The credit controller checked: the reminders of the invoices resume."""
        if not self.env.user.has_group("account_credit_recovery.group_credit_controller"):
            raise AccessError(self.env._("Only a Credit Controller can resume the reminders of an invoice."))
        moves = self.filtered("credit_einvoice_on_hold")
        moves.write({"credit_einvoice_on_hold": False, "credit_einvoice_hold_reason": False})
        for move in moves:
            move.message_post(
                body=self.env._("Reminders resumed by %(user)s.", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_credit_einvoice_statuses(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Lifecycle of %(invoice)s", invoice=self.name),
            "res_model": "credit.recovery.einvoice.status",
            "view_mode": "list,form",
            "domain": [("move_id", "=", self.id)],
            "context": {"create": False},
        }

    # ------------------------------------------------------------------
    # Applying a received status
    # ------------------------------------------------------------------
    def _credit_einvoice_apply(self, values, effect, message=False):
        """Record the status ``values`` (see ``tools.cdar``) on the invoice and carry out ``effect``.

        Returns the status line. The caller runs it in a savepoint: it is applied whole or not at all.
        """
        self.ensure_one()
        # sudo: the history is evidence, written by the import alone (no user creates or edits a status).
        status = (
            self.env["credit.recovery.einvoice.status"]
            .sudo()
            .create(
                {
                    "move_id": self.id,
                    "code": values["code"],
                    "label": values.get("label") or False,
                    "date": values.get("status_datetime") or fields.Datetime.now(),
                    "direction": "in",
                    "sender_name": values.get("sender_name") or False,
                    "sender_identifier": values.get("sender_id") or False,
                    "sender_role": values.get("sender_role") or False,
                    "reason_code": values.get("reason_code") or False,
                    "reason": "\n".join(filter(None, [values.get("reason"), values.get("note")])) or False,
                    "amount": sum((values.get("amounts") or {}).values()),
                    "message_id": message.id if message else False,
                }
            )
        )
        note = getattr(self, "_credit_einvoice_effect_%s" % effect)(status, values)
        status.effect_note = note or False
        self.message_post(
            body=self.env._(
                "E-invoicing status %(status)s received (%(sender)s). %(effect)s",
                status=status.display_name,
                sender=status.sender_name or status.sender_identifier or "-",
                effect=note or "",
            ),
            subtype_xmlid="mail.mt_note",
        )
        return status.sudo(False)

    def _credit_einvoice_status_day(self, status):
        # The platforms date a status in French time, as a day: no time zone conversion.
        return status.date.date()

    def _credit_einvoice_user(self):
        self.ensure_one()
        return (
            self.commercial_partner_id.credit_controller_id
            or self.invoice_user_id
            or self.env.ref("base.user_admin")
        )

    def _credit_einvoice_activity(self, summary, note):
        self.ensure_one()
        self.activity_schedule(
            act_type_xmlid=EINVOICE_ACTIVITY,
            date_deadline=fields.Date.context_today(self),
            summary=summary,
            note=note,
            user_id=self._credit_einvoice_user().id,
        )

    def _credit_einvoice_hold(self, reason, until=False):
        self.write(
            {
                "credit_einvoice_on_hold": True,
                "credit_einvoice_hold_reason": reason,
                "credit_einvoice_hold_until": until,
            }
        )

    def _credit_einvoice_effect_none(self, status, values):
        return ""

    def _credit_einvoice_record_bap(self, status, answer):
        """The bon à payer through the module's own wizard (one place records it)."""
        wizard = self.env["credit.recovery.bap.wizard"].create(
            {
                "move_id": self.id,
                "answer": answer,
                "date": self._credit_einvoice_status_day(status),
                "note": self.env._(
                    "Given through the e-invoicing platform (status %(code)s).", code=status.code
                ),
            }
        )
        wizard.action_confirm()
        if self.credit_einvoice_hold_reason == "suspended":
            self._credit_einvoice_resume_suspension()

    def _credit_einvoice_effect_bap_received(self, status, values):
        self._credit_einvoice_record_bap(status, "received")
        return self.env._("Bon à payer: invoice received by the buyer.")

    def _credit_einvoice_effect_bap_approved(self, status, values):
        self._credit_einvoice_record_bap(status, "approved")
        return self.env._("Bon à payer given on %(date)s.", date=format_date(self.env, self.credit_bap_date))

    def _credit_einvoice_effect_partial(self, status, values):
        amounts = values.get("amounts") or {}
        currency = self.currency_id
        if AMOUNT_APPROVED in amounts:
            approved = amounts[AMOUNT_APPROVED]
        elif AMOUNT_NOT_APPROVED in amounts:
            approved = self.amount_total - amounts[AMOUNT_NOT_APPROVED]
        else:
            approved = sum(amounts.values())
        approved = currency.round(min(max(approved, 0.0), self.amount_total))
        status.amount = approved
        self._credit_einvoice_record_bap(status, "approved")
        self.credit_einvoice_approved_amount = approved
        rest = currency.round(self.amount_residual - approved)
        if currency.compare_amounts(rest, 0.0) <= 0:
            return self.env._(
                "Approved for %(amount)s: nothing left to dispute.",
                amount=formatLang(self.env, approved, currency_obj=currency),
            )
        dispute = self._credit_einvoice_open_dispute(status, values, rest)
        return self.env._(
            "Approved for %(amount)s; dispute %(dispute)s opened for the remaining %(rest)s.",
            amount=formatLang(self.env, approved, currency_obj=currency),
            dispute=dispute.name,
            rest=formatLang(self.env, rest, currency_obj=currency),
        )

    def _credit_einvoice_open_dispute(self, status, values, amount):
        """The open dispute of the invoice, or a new one with the buyer's reason (one open dispute at a time)."""
        self.ensure_one()
        open_dispute = self.credit_dispute_ids.filtered(lambda dispute: dispute.state == "open")[:1]
        complaint = self.env._(
            "Status %(status)s from the e-invoicing platform. Reason %(code)s: %(reason)s",
            status=status.display_name,
            code=status.reason_code or "-",
            reason=status.reason or "-",
        )
        if open_dispute:
            open_dispute.message_post(body=complaint, subtype_xmlid="mail.mt_note")
            return open_dispute
        amount = self.currency_id.round(min(max(amount, 0.0), self.amount_total))
        return self.env["credit.recovery.dispute"].create(
            {
                "move_id": self.id,
                "reason": REASON_CODE_DISPUTE.get((status.reason_code or "").upper(), "other"),
                "description": complaint,
                "amount_disputed": amount,
                "owner_id": self._credit_einvoice_user().id,
                "expected_date": self._credit_einvoice_status_day(status) + timedelta(days=30),
            }
        )

    def _credit_einvoice_dispute_amount(self, values):
        amount = sum((values.get("amounts") or {}).values())
        return amount if self.currency_id.compare_amounts(amount, 0.0) > 0 else self.amount_residual

    def _credit_einvoice_effect_dispute(self, status, values):
        dispute = self._credit_einvoice_open_dispute(
            status, values, self._credit_einvoice_dispute_amount(values)
        )
        return self.env._("Dispute %(dispute)s: the reminders wait for its outcome.", dispute=dispute.name)

    def _credit_einvoice_effect_refuse(self, status, values):
        dispute = self._credit_einvoice_open_dispute(status, values, self.amount_residual)
        self._credit_einvoice_activity(
            self.env._("Invoice %(invoice)s refused by the buyer", invoice=self.name),
            self.env._(
                "The buyer refused the invoice (reason %(code)s: %(reason)s). Issue a credit note or a corrected "
                "invoice, or reject the dispute %(dispute)s with your reasons.",
                code=status.reason_code or "-",
                reason=status.reason or "-",
                dispute=dispute.name,
            ),
        )
        return self.env._(
            "Refused: dispute %(dispute)s opened, credit note or correction to issue.", dispute=dispute.name
        )

    def _credit_einvoice_effect_suspend(self, status, values):
        self._credit_einvoice_hold("suspended")
        proofs = ", ".join(self.credit_proof_ids.mapped("name")) or self.env._("none attached yet")
        self._credit_einvoice_activity(
            self.env._("Send the documents the buyer asks for on %(invoice)s", invoice=self.name),
            self.env._(
                "The buyer suspended the invoice (reason %(code)s: %(reason)s). Send the documents asked for "
                "(proofs on the invoice: %(proofs)s); the reminders resume with the next status.",
                code=status.reason_code or "-",
                reason=status.reason or "-",
                proofs=proofs,
            ),
        )
        return self.env._("Suspended: reminders paused, documents to send.")

    def _credit_einvoice_resume_suspension(self):
        if self.credit_einvoice_hold_reason == "suspended":
            self.write({"credit_einvoice_on_hold": False, "credit_einvoice_hold_reason": False})

    def _credit_einvoice_effect_resume(self, status, values):
        if self.credit_einvoice_hold_reason != "suspended":
            return ""
        self._credit_einvoice_resume_suspension()
        return self.env._("Completed by the buyer: the reminders resume.")

    def _credit_einvoice_effect_payment_sent(self, status, values):
        until = self._credit_einvoice_status_day(status) + timedelta(
            days=self.company_id.credit_einvoice_grace_days
        )
        self._credit_einvoice_hold("payment_sent", until)
        return self.env._(
            "Payment sent by the buyer: no reminder until %(date)s.", date=format_date(self.env, until)
        )

    def _credit_einvoice_effect_rejected(self, status, values):
        self._credit_einvoice_hold("rejected")
        self._credit_einvoice_activity(
            self.env._("Re-issue the invoice %(invoice)s", invoice=self.name),
            self.env._(
                "The platform rejected the invoice (reason %(code)s: %(reason)s): for the buyer it was never "
                "issued, so it is not due. Correct it, cancel it by a credit note and issue it again.",
                code=status.reason_code or "-",
                reason=status.reason or "-",
            ),
        )
        return self.env._("Rejected by the platform: not due, no reminder, to re-issue.")

    @api.model
    def _cron_credit_einvoice_grace(self):
        """Daily: at the end of a 211 grace period, the unpaid invoices wait for a reconciliation first."""
        today = fields.Date.context_today(self)
        moves = self.search(
            [
                ("credit_einvoice_hold_reason", "=", "payment_sent"),
                ("credit_einvoice_hold_until", "<", today),
            ]
        )
        paid = moves.filtered(lambda move: move.payment_state in ("paid", "in_payment", "reversed"))
        paid.write({"credit_einvoice_on_hold": False, "credit_einvoice_hold_reason": False})
        unpaid = moves - paid
        unpaid.write({"credit_einvoice_hold_reason": "reconcile"})
        if not unpaid:
            return True
        # The activity goes to the company's credit trail of the customer, not to the chatter every company
        # of the database reads: one per customer and company, none if one is open.
        groups = unpaid.grouped(lambda move: (move.commercial_partner_id.id, move.company_id.id))
        trails = self.env["credit.recovery.partner.log"]._credit_logs_of(groups)
        invoices_of_trail = {trails[key].id: invoices for key, invoices in groups.items()}

        def describe(trail):
            invoices = invoices_of_trail[trail.id]
            summary = self.env._(
                "Payment announced by %(customer)s not received", customer=invoices.commercial_partner_id.name
            )
            note = self.env._(
                "The buyer's platform announced a payment (status 211) of %(invoices)s, and the grace period "
                "is over. Find the payment and reconcile it; if nothing arrived, resume the reminders of the "
                "invoice.",
                invoices=", ".join(invoices.mapped("name")),
            )
            return summary, note, invoices[0]._credit_einvoice_user()

        self.env["credit.recovery.partner.log"].sudo().union(*trails.values())._credit_activity_schedule_once(
            "account_credit_recovery.mail_activity_type_credit_reconcile", today, describe
        )
        return True
