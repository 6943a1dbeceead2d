from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CreditRecoveryPromise(models.Model):
    """A customer's promise to pay an amount by a date: the dunning run waits until then."""

    _name = "credit.recovery.promise"
    _description = "Payment Promise"
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, ondelete="cascade", index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(currency_field="currency_id", required=True)
    date = fields.Date(string="Promised For", required=True)
    action_id = fields.Many2one(
        "credit.recovery.action", string="Recorded During", ondelete="set null", check_company=True
    )
    residual_at_promise = fields.Monetary(
        currency_field="currency_id", help="What the customer owed when it promised, to tell whether it paid."
    )
    state = fields.Selection(
        [("open", "Running"), ("kept", "Kept"), ("broken", "Broken")],
        default="open",
        required=True,
        index=True,
    )
    note = fields.Text()

    @api.constrains("amount")
    def _check_amount(self):
        for promise in self:
            if promise.amount <= 0:
                raise ValidationError(self.env._("A promise is for a positive amount."))

    @api.model_create_multi
    def create(self, vals_list):
        promises = super().create(vals_list)
        receivables = promises._current_receivables()
        for promise in promises:
            promise.residual_at_promise = receivables.get(promise.partner_id.id, 0.0)
        return promises

    def _current_receivables(self):
        """{customer id: residual of its open items in its company (the book's), one query per company."""
        result = {}
        for company, promises in self.grouped("company_id").items():
            groups = self.env["account.move.line"]._read_group(
                [
                    *self.env["credit.recovery.book"]._open_items_domain(company),
                    ("partner_id", "child_of", promises.partner_id.ids),
                ],
                ["partner_id"],
                ["amount_residual:sum"],
            )
            for partner, residual in groups:
                commercial = partner.commercial_partner_id.id
                result[commercial] = result.get(commercial, 0.0) + residual
        return result

    @api.model
    def _check_due_promises(self, date, company=None):
        """Close the promises whose date has passed: kept when the debt fell by the amount, else broken.

        ``company`` narrows the check to that company's promises (the daily run checks company by company).
        """
        domain = [("state", "=", "open"), ("date", "<", date)]
        if company:
            domain.append(("company_id", "=", company.id))
        due = self.search(domain)
        if not due:
            return due
        receivables = due._current_receivables()
        # The amount promised is the company's: the note goes to its credit trail of the customer.
        trails = self.env["credit.recovery.partner.log"]._credit_logs_of(
            (promise.partner_id.id, promise.company_id.id) for promise in due
        )
        for promise in due:
            paid = promise.residual_at_promise - receivables.get(promise.partner_id.id, 0.0)
            kept = promise.currency_id.compare_amounts(paid, promise.amount) >= 0
            promise.state = "kept" if kept else "broken"
            trails[promise.partner_id.id, promise.company_id.id]._credit_log_post(
                self.env._(
                    "Promise to pay %(amount)s by %(date)s %(outcome)s.",
                    amount=promise.currency_id.format(promise.amount),
                    date=fields.Date.to_string(promise.date),
                    outcome=self.env._("kept") if kept else self.env._("broken: recovery resumes"),
                )
            )
        return due
