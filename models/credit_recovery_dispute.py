from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.misc import format_date, formatLang

DISPUTE_REASONS = [
    ("price", "Price"),
    ("quantity", "Quantity"),
    ("quality", "Quality"),
    ("not_delivered", "Not Delivered"),
    ("missing_document", "Missing Document"),
    ("duplicate", "Duplicate Invoice"),
    ("other", "Other"),
]
DISPUTE_STATES = [
    ("open", "Open"),
    ("resolved", "Resolved"),
    ("rejected", "Rejected"),
]
DISPUTE_RESOLUTIONS = [
    ("credit_note", "Credit Note"),
    ("correction", "Correction"),
    ("rejected", "Rejected"),
]
MEDIATION_URL = "https://www.economie.gouv.fr/mediateur-des-entreprises"


class CreditRecoveryDispute(models.Model):
    _name = "credit.recovery.dispute"
    _description = "Invoice Dispute"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state, expected_date, id desc"

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
    )
    line_ids = fields.Many2many(
        "account.move.line",
        "credit_recovery_dispute_move_line_rel",
        "dispute_id",
        "line_id",
        string="Disputed Lines",
        domain="[('move_id', '=', move_id), ('display_type', '=', 'product')]",
        help="Leave empty when the whole invoice, or an amount only, is disputed.",
    )
    partner_id = fields.Many2one(
        related="move_id.commercial_partner_id", string="Customer", store=True, index=True
    )
    company_id = fields.Many2one(related="move_id.company_id", string="Company", store=True, index=True)
    currency_id = fields.Many2one(related="move_id.currency_id", string="Currency")
    reason = fields.Selection(DISPUTE_REASONS, required=True, tracking=True)
    description = fields.Text(string="Customer's Complaint")
    amount_disputed = fields.Monetary(
        currency_field="currency_id",
        compute="_compute_amount_disputed",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Taxes included: the part of the invoice the customer refuses to pay.",
    )
    owner_id = fields.Many2one(
        "res.users",
        required=True,
        default=lambda self: self.env.user,
        ondelete="restrict",
        tracking=True,
    )
    expected_date = fields.Date(string="Expected Resolution", tracking=True)
    state = fields.Selection(DISPUTE_STATES, string="Status", required=True, default="open", tracking=True)
    resolution = fields.Selection(DISPUTE_RESOLUTIONS, readonly=True, tracking=True)
    resolution_note = fields.Text(string="Resolution Details")
    resolution_date = fields.Date(string="Resolved On", readonly=True, copy=False)
    credit_note_id = fields.Many2one("account.move", readonly=True, copy=False, ondelete="set null")
    is_past_expected_date = fields.Boolean(
        string="Past Expected Date", compute="_compute_is_past_expected_date"
    )
    mediation_available = fields.Boolean(
        compute="_compute_mediation_available",
        help="The médiateur des entreprises handles disputes between companies only.",
    )
    mediation_requested = fields.Boolean(readonly=True, copy=False, tracking=True)
    mediation_date = fields.Date(string="Mediation Requested On", readonly=True, copy=False)
    mediation_note = fields.Text(string="Mediation Notes", copy=False)

    _sql_constraints = [
        (
            "amount_disputed_positive",
            "CHECK(amount_disputed >= 0)",
            "The disputed amount cannot be negative.",
        ),
    ]

    @api.depends("move_id", "line_ids")
    def _compute_amount_disputed(self):
        for dispute in self:
            dispute.amount_disputed = self._amount_disputed_of(dispute.move_id, dispute.line_ids)

    @api.model
    def _amount_disputed_of(self, move, lines):
        """What a dispute on ``move`` contests by default: its ``lines`` (taxes included), or else what remains
        due on the invoice."""
        return sum(lines.mapped("price_total")) if lines else move.amount_residual

    @api.depends("expected_date", "state")
    @api.depends_context("tz")
    def _compute_is_past_expected_date(self):
        today = fields.Date.context_today(self)
        for dispute in self:
            dispute.is_past_expected_date = (
                dispute.state == "open" and bool(dispute.expected_date) and dispute.expected_date < today
            )

    @api.depends("company_id", "partner_id")
    def _compute_mediation_available(self):
        for dispute in self:
            dispute.mediation_available = bool(
                dispute.company_id.partner_id.is_company and dispute.partner_id.is_company
            )

    @api.constrains("move_id", "line_ids", "amount_disputed")
    def _check_lines_and_amount(self):
        for dispute in self:
            if dispute.move_id.move_type != "out_invoice":
                raise ValidationError(self.env._("Only customer invoices can be disputed."))
            if dispute.line_ids.move_id - dispute.move_id:
                raise ValidationError(
                    self.env._(
                        "The disputed lines must belong to the invoice %(invoice)s.",
                        invoice=dispute.move_id.name,
                    )
                )
            if dispute.currency_id.compare_amounts(dispute.amount_disputed, dispute.move_id.amount_total) > 0:
                raise ValidationError(
                    self.env._(
                        "The disputed amount (%(amount)s) exceeds the invoice total (%(total)s).",
                        amount=dispute.amount_disputed,
                        total=dispute.move_id.amount_total,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("credit.recovery.dispute") or "/"
        disputes = super().create(vals_list)
        for dispute in disputes:
            dispute.move_id.message_post(
                body=self.env._(
                    "Dispute %(dispute)s opened: %(reason)s, %(amount)s disputed.",
                    dispute=dispute.name,
                    reason=dispute._credit_reason_label(),
                    amount=dispute._credit_format_amount(),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return disputes

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed(self):
        if any(dispute.state != "open" or dispute.credit_note_id for dispute in self):
            raise UserError(
                self.env._("A resolved or rejected dispute is kept as evidence; it cannot be deleted.")
            )

    def _credit_check_controller(self):
        if not self.env.user.has_group("account_credit_recovery.group_credit_controller"):
            raise AccessError(self.env._("Only a Credit Controller can resolve or reject a dispute."))

    def _credit_check_open(self):
        for dispute in self:
            if dispute.state != "open":
                raise UserError(
                    self.env._("The dispute %(dispute)s is already closed.", dispute=dispute.name)
                )

    def _credit_reason_label(self):
        self.ensure_one()
        return dict(self._fields["reason"]._description_selection(self.env))[self.reason]

    def _credit_format_amount(self):
        self.ensure_one()
        return formatLang(self.env, self.amount_disputed, currency_obj=self.currency_id)

    def _credit_close(self, state, resolution, message):
        self.write(
            {
                "state": state,
                "resolution": resolution,
                "resolution_date": fields.Date.context_today(self),
            }
        )
        self.activity_unlink(["account_credit_recovery.mail_activity_type_credit_dispute"])
        for dispute in self:
            dispute.move_id.message_post(body=message(dispute), subtype_xmlid="mail.mt_note")

    def action_resolve_credit_note(self):
        """Settle the dispute by a credit note of the disputed lines or amount, reconciled with the invoice."""
        self._credit_check_controller()
        self._credit_check_open()
        credit_notes = self.env["account.move"]
        for dispute in self:
            credit_note = dispute._credit_create_credit_note()
            dispute.credit_note_id = credit_note
            credit_notes |= credit_note
        self._credit_close(
            "resolved",
            "credit_note",
            lambda dispute: self.env._(
                "Dispute %(dispute)s resolved by the credit note %(credit_note)s.",
                dispute=dispute.name,
                credit_note=dispute.credit_note_id.name,
            ),
        )
        return credit_notes._get_records_action(name=self.env._("Credit Notes"))

    def _credit_create_credit_note(self):
        """Reverse the disputed lines (or the disputed amount) of the invoice, post and reconcile."""
        self.ensure_one()
        invoice = self.move_id
        if invoice.state != "posted":
            raise UserError(self.env._("The invoice %(invoice)s is not posted.", invoice=invoice.name))
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "move_ids": [Command.set(invoice.ids)],
                    "journal_id": invoice.journal_id.id,
                    "reason": self.env._(
                        "Dispute %(dispute)s: %(reason)s",
                        dispute=self.name,
                        reason=self._credit_reason_label(),
                    ),
                    "date": fields.Date.context_today(self),
                }
            )
        )
        reversal.reverse_moves()
        credit_note = reversal.new_move_ids
        credit_note.ensure_one()
        if credit_note.state == "posted":
            credit_note.button_draft()
        invoice_lines = invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        note_lines = credit_note.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        if self.line_ids:
            # The reversal copies the lines in the same order: keep the copies of the disputed ones.
            to_drop = [
                note_line.id
                for invoice_line, note_line in zip(invoice_lines, note_lines, strict=True)
                if invoice_line not in self.line_ids
            ]
            credit_note.invoice_line_ids = [Command.delete(line_id) for line_id in to_drop]
        elif self.currency_id.compare_amounts(self.amount_disputed, invoice.amount_total):
            # An amount only: one line at the disputed amount, with the taxes of the invoice's first line.
            first = note_lines[:1]
            untaxed = first.tax_ids._get_tax_details(
                self.amount_disputed,
                1.0,
                precision_rounding=self.currency_id.rounding,
                product=first.product_id,
                special_mode="total_included",
            )["total_excluded"]
            credit_note.invoice_line_ids = [Command.delete(line.id) for line in note_lines - first] + [
                Command.update(
                    first.id,
                    {
                        "name": self.env._("Dispute %(dispute)s", dispute=self.name),
                        "quantity": 1.0,
                        "discount": 0.0,
                        "price_unit": self.currency_id.round(untaxed),
                    },
                )
            ]
        credit_note.action_post()
        receivables = (invoice.line_ids | credit_note.line_ids).filtered(
            lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
        )
        receivables.reconcile()
        return credit_note

    def action_view_credit_note(self):
        """The credit note that resolved the dispute."""
        self.ensure_one()
        return self.credit_note_id._get_records_action(name=self.env._("Credit Note"))

    def action_resolve_correction(self):
        """The invoice was corrected otherwise (new invoice, agreement with the customer)."""
        self._credit_check_controller()
        self._credit_check_open()
        for dispute in self:
            if not dispute.resolution_note:
                raise UserError(
                    self.env._(
                        "Describe the correction of the dispute %(dispute)s first.", dispute=dispute.name
                    )
                )
        self._credit_close(
            "resolved",
            "correction",
            lambda dispute: self.env._(
                "Dispute %(dispute)s resolved by a correction: %(note)s",
                dispute=dispute.name,
                note=dispute.resolution_note,
            ),
        )
        return True

    def action_reject(self):
        """The dispute is unfounded: tell the customer, the dunning resumes."""
        self._credit_check_controller()
        self._credit_check_open()
        self._credit_close(
            "rejected",
            "rejected",
            lambda dispute: self.env._(
                "Dispute %(dispute)s rejected; the dunning resumes.", dispute=dispute.name
            ),
        )
        for dispute in self:
            contact = dispute.partner_id._credit_recovery_contact("invoice_approver")
            # The customer is told in French when established in France (loi Toubon), else in its language.
            dispute = dispute.with_context(lang=dispute.partner_id._credit_document_lang(contact))
            dispute.move_id.message_post(
                body=dispute.env._(
                    "Dear customer, we examined your dispute about the invoice %(invoice)s (reason: %(reason)s, "
                    "amount disputed: %(amount)s) and could not accept it: %(note)s The full amount of "
                    "%(residual)s remains due on %(due)s.",
                    invoice=dispute.move_id.name,
                    reason=dispute._credit_reason_label(),
                    amount=dispute._credit_format_amount(),
                    note=dispute.resolution_note or "",
                    residual=formatLang(
                        dispute.env, dispute.move_id.amount_residual, currency_obj=dispute.currency_id
                    ),
                    due=format_date(dispute.env, dispute.move_id.invoice_date_due),
                ),
                partner_ids=contact.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def action_request_mediation(self):
        """Record that the case went to the médiateur des entreprises (free, between companies)."""
        self._credit_check_controller()
        self._credit_check_open()
        for dispute in self:
            if not dispute.mediation_available:
                raise UserError(
                    self.env._(
                        "The médiateur des entreprises only handles disputes between companies: %(customer)s "
                        "is not a company.",
                        customer=dispute.partner_id.name,
                    )
                )
        today = fields.Date.context_today(self)
        for dispute in self:
            dispute.write(
                {
                    "mediation_requested": True,
                    "mediation_date": today,
                    "mediation_note": dispute.mediation_note
                    or self.env._(
                        "Referral to the médiateur des entreprises, a free and confidential public service for "
                        "disputes between companies: %(url)s. Mediation suspends prescription.",
                        url=MEDIATION_URL,
                    ),
                }
            )
        return True

    @api.model
    def _cron_credit_dispute_overdue(self):
        """Daily: an activity for the owner of each open dispute past its expected resolution date."""
        today = fields.Date.context_today(self)
        disputes = self.search([("state", "=", "open"), ("expected_date", "<", today)])
        disputes._credit_activity_schedule_once(
            "account_credit_recovery.mail_activity_type_credit_dispute",
            today,
            lambda dispute: (
                self.env._("Dispute %(dispute)s past its expected date", dispute=dispute.name),
                self.env._(
                    "The dispute on %(invoice)s was expected to be resolved on %(date)s: resolve it, reject it "
                    "or set a new date.",
                    invoice=dispute.move_id.name,
                    date=format_date(self.env, dispute.expected_date),
                ),
                dispute.owner_id,
            ),
        )
        return True
