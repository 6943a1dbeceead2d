from odoo import models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from .credit_recovery_proof import DELIVERY_PROOF_KINDS, ORDER_PROOF_KINDS


class AccountMove(models.Model):
    _inherit = "account.move"

    def _credit_certainty_issues(self, as_of=None):
        """Why the invoices in ``self`` cannot be claimed yet: ``{move: [reasons]}``, clean invoices left out.

        A claim taken to a formal notice or to court must be certain (a signed order or quotation and a
        proof of delivery), liquid (a posted amount, no open dispute), due (an instalment past due and
        still unpaid on ``as_of``, today by default) and not time-barred. Proofs and disputes are read once
        for the whole recordset; the reasons are in the language of ``self.env``.
        """
        as_of = as_of or self._credit_recovery_date()
        proof_data = self._credit_proof_data()
        self.fetch(["move_type", "state", "credit_prescription_date", "credit_in_dispute"])
        disputes = self.credit_dispute_ids.filtered(lambda dispute: dispute.state == "open").grouped(
            "move_id"
        )
        issues = {}
        for move in self:
            reasons = []
            if move.move_type != "out_invoice" or move.state != "posted":
                reasons.append(self.env._("Not a posted customer invoice: its amount is not fixed."))
                issues[move] = reasons
                continue
            kinds = set(
                proof_data.get(move.id, {}).get("proofs", self.env["credit.recovery.proof"]).mapped("kind")
            )
            if not kinds & ORDER_PROOF_KINDS:
                reasons.append(self.env._("Not certain: no signed order or quotation among its proofs."))
            if not kinds & DELIVERY_PROOF_KINDS:
                reasons.append(
                    self.env._(
                        "Not certain: no proof of delivery (signed delivery note, acceptance report or e-mail "
                        "confirming receipt)."
                    )
                )
            for dispute in disputes.get(move, []):
                reasons.append(
                    self.env._(
                        "Not liquid: dispute %(dispute)s is open for %(amount)s.",
                        dispute=dispute.name,
                        amount=move.currency_id.format(dispute.amount_disputed or move.amount_residual),
                    )
                )
            receivables = move.line_ids.filtered(
                lambda line: line.account_type == "asset_receivable" and not line.reconciled
            )
            if move.currency_id.is_zero(move.amount_residual):
                reasons.append(self.env._("Nothing to claim: the invoice is paid."))
            elif not any(line.date_maturity and line.date_maturity < as_of for line in receivables):
                reasons.append(
                    self.env._(
                        "Not due: nothing is past due before %(date)s.",
                        date=format_date(self.env, min(receivables.mapped("date_maturity"), default=as_of)),
                    )
                )
            if move.credit_prescription_date and move.credit_prescription_date < as_of:
                reasons.append(
                    self.env._(
                        "Time-barred since %(date)s.",
                        date=format_date(self.env, move.credit_prescription_date),
                    )
                )
            if reasons:
                issues[move] = reasons
        return issues

    def _credit_certainty_message(self, issues):
        """The text listing ``issues`` (as returned by ``_credit_certainty_issues``), invoice by invoice."""
        return "\n".join(
            self.env._(
                "- %(invoice)s: %(reasons)s",
                invoice=move.name or move.display_name,
                reasons=" ".join(reasons),
            )
            for move, reasons in sorted(issues.items(), key=lambda item: item[0].id)
        )

    def _credit_certainty_check(self, as_of=None):
        """Refuse with the list of missing proofs when an invoice in ``self`` is not a sound claim."""
        issues = self._credit_certainty_issues(as_of=as_of)
        if issues:
            raise UserError(
                self.env._(
                    "These invoices are not certain, liquid, due and unprescribed claims:\n%(issues)s\n"
                    "Add the missing proofs, settle the disputes, or ask a Credit Manager to override the "
                    "check with a reason.",
                    issues=self._credit_certainty_message(issues),
                )
            )
        return True
