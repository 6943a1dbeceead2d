import re
import secrets
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, consteq, format_date
from odoo.tools.mimetypes import guess_mimetype

SCOPE_RE = re.compile(r"^(all|overdue|invoices(-\d{1,12}){1,50})$")


class CreditRecoveryPortalAccess(models.Model):
    """The secret link of one customer to its credit page in one company, sent in its reminders."""

    _name = "credit.recovery.portal.access"
    _description = "Customer's Credit Page Link"
    _order = "id desc"
    _check_company_auto = True
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade", index=True, readonly=True)
    access_token = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        groups="account_credit_recovery.group_credit_controller",
        default=lambda self: secrets.token_urlsafe(32),
    )
    active = fields.Boolean(default=True, readonly=True)
    revoked_date = fields.Datetime(string="Revoked On", readonly=True)
    revoked_by_id = fields.Many2one("res.users", readonly=True, ondelete="set null")
    last_access = fields.Datetime(string="Last Visit", readonly=True)
    url = fields.Char(
        string="Link", compute="_compute_url", groups="account_credit_recovery.group_credit_controller"
    )

    _sql_constraints = [
        ("access_token_unique", "UNIQUE(access_token)", "A link is unique."),
    ]

    def init(self):
        # One live link per customer and company.
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS credit_recovery_portal_access_active_unique
                    ON credit_recovery_portal_access (partner_id, company_id)
                 WHERE active
                """
            )
        )

    def _compute_url(self):
        for access in self:
            base = access.company_id.get_base_url()
            access.url = f"{base}/my/credit/{access.sudo().access_token}" if access.id else False

    @api.model
    def _credit_get(self, partner, company):
        """The live link of the commercial ``partner`` in ``company``, created the first time it is needed."""
        partner = partner.commercial_partner_id
        # Any user who sends a reminder may create the link; only the credit staff reads it back.
        access = (
            self.sudo()
            .with_context(active_test=True)
            .search([("partner_id", "=", partner.id), ("company_id", "=", company.id)], limit=1)
        )
        return access or self.sudo().create({"partner_id": partner.id, "company_id": company.id})

    @api.model
    def _credit_from_token(self, token):
        """The live link of ``token`` whose customer still owes something in a company offering the page.

        Returns an empty recordset otherwise: an unknown, revoked or expired token opens nothing.
        """
        if not token or not isinstance(token, str) or len(token) > 128:
            return self.browse()
        # The visitor is not logged in: the token itself is the credential, checked in constant time.
        access = self.sudo().search([("access_token", "=", token), ("active", "=", True)], limit=1)
        if (
            not access
            or not consteq(access.access_token, token)
            or not access.company_id.credit_portal_enabled
        ):
            return self.browse()
        if not access._credit_open_lines():
            return self.browse()  # nothing open: the link has expired
        return access

    def _credit_open_lines(self):
        """The customer's open receivable items in the link's company (invoices, credit notes, receipts)."""
        self.ensure_one()
        return (
            self.env["account.move.line"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("partner_id", "child_of", self.partner_id.id),
                    ("account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                    ("amount_residual", "!=", 0),
                ],
                order="date_maturity, id",
            )
        )

    def action_revoke(self):
        """Close the link: it opens nothing any more; the next reminder carries a new one."""
        if not self.env.user.has_group("account_credit_recovery.group_credit_controller"):
            raise AccessError(self.env._("Only a Credit Controller can revoke a customer's link."))
        for access in self.filtered("active"):
            access.write(
                {"active": False, "revoked_date": fields.Datetime.now(), "revoked_by_id": self.env.user.id}
            )
            self.env["credit.recovery.partner.log"]._credit_log_of(
                access.partner_id, access.company_id
            )._credit_log_post(
                self.env._(
                    "Link to the customer's credit page of %(company)s revoked by %(user)s.",
                    company=access.company_id.name,
                    user=self.env.user.name,
                )
            )
        return True

    # What the customer does on its page. ``self`` is the sudoed link (the visitor is not logged in):
    # every input is checked here, and only the link's customer and company are ever read or written.

    _CREDIT_PORTAL_ACTIONS = ("promise", "plan", "dispute", "pay")
    _CREDIT_PORTAL_MAX_FILES = 5
    _CREDIT_PORTAL_MAX_FILE_SIZE = 5 * 1024 * 1024
    _CREDIT_PORTAL_MIMETYPES = ("application/pdf", "image/png", "image/jpeg")

    def _credit_check_allowed(self, action):
        self.ensure_one()
        if not self.company_id[f"credit_portal_allow_{action}"]:
            raise UserError(self.env._("This action is not offered on this page."))

    def _credit_payable_invoices(self):
        """The customer's open invoices in the link's company, oldest due first."""
        self.ensure_one()
        return (
            self._credit_open_lines()
            .filtered(lambda line: line.amount_residual > 0)
            .move_id.filtered(lambda move: move.move_type == "out_invoice")
        )

    def _credit_dispute_reasons(self):
        field = self.env["credit.recovery.dispute"]._fields["reason"]
        return field._description_selection(self.env)

    @staticmethod
    def _credit_parse_amount(value, currency):
        try:
            amount = currency.round(float(str(value).replace(",", ".").strip()))
        except (TypeError, ValueError):
            return None
        return amount if amount > 0 else None

    @staticmethod
    def _credit_parse_int(value):
        try:
            return int(str(value).strip())
        except (TypeError, ValueError):
            return None

    def _credit_balance_due(self):
        self.ensure_one()
        return self.company_id.currency_id.round(
            sum(line.amount_residual for line in self._credit_open_lines() if line.amount_residual > 0)
        )

    def _credit_portal_promise(self, amount, date, note=None):
        """A promise to pay ``amount`` by ``date``, under the rules of a promise taken on the phone."""
        self.ensure_one()
        self._credit_check_allowed("promise")
        currency = self.company_id.currency_id
        today = fields.Date.context_today(self)
        amount = self._credit_parse_amount(amount, currency)
        try:
            date = fields.Date.to_date(date) if date else None
        except ValueError:
            date = None
        if not amount or not date:
            raise UserError(self.env._("A promise needs both an amount and a date."))
        if date < today:
            raise UserError(self.env._("A promise is for a date to come."))
        limit = today + timedelta(days=self.company_id.credit_portal_promise_max_days)
        if date > limit:
            raise UserError(
                self.env._(
                    "A promise can be made for %(date)s at the latest.", date=format_date(self.env, limit)
                )
            )
        due = self._credit_balance_due()
        if currency.compare_amounts(amount, due) > 0:
            raise UserError(
                self.env._("You promise more than what is due (%(due)s).", due=currency.format(due))
            )
        promise = self.env["credit.recovery.promise"].create(
            {
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "amount": amount,
                "date": date,
                "note": self.env._("Promised on the customer's page. %(note)s", note=(note or "")[:1000]),
            }
        )
        self._credit_portal_log(
            self.env._(
                "Promise to pay %(amount)s by %(date)s, made on the customer's page.",
                amount=currency.format(amount),
                date=format_date(self.env, date),
            ),
            self.env._(
                "We have recorded your promise to pay %(amount)s by %(date)s. Thank you.",
                amount=currency.format(amount),
                date=format_date(self.env, date),
            ),
        )
        return promise

    def _credit_portal_plan(self, instalment_count, interval_days, first_percent, note=None):
        """Ask for a payment plan: a draft plan within the company's limits, for a Credit Controller to accept."""
        self.ensure_one()
        self._credit_check_allowed("plan")
        company = self.company_id
        count = self._credit_parse_int(instalment_count)
        interval = self._credit_parse_int(interval_days)
        try:
            first = float(str(first_percent).replace(",", ".").strip())
        except (TypeError, ValueError):
            first = None
        if not count or not 1 < count <= company.credit_portal_plan_max_instalments:
            raise UserError(
                self.env._(
                    "A plan has from 2 to %(count)s payments.",
                    count=company.credit_portal_plan_max_instalments,
                )
            )
        if not interval or not 1 <= interval <= company.credit_portal_plan_max_interval_days:
            raise UserError(
                self.env._(
                    "Payments are at most %(days)s days apart.",
                    days=company.credit_portal_plan_max_interval_days,
                )
            )
        if first is None or not company.credit_portal_plan_min_first_percent <= first < 100:
            raise UserError(
                self.env._(
                    "The first payment, made now, is at least %(percent)s %% of the debt.",
                    percent=company.credit_portal_plan_min_first_percent,
                )
            )
        Plan = self.env["credit.recovery.plan"].with_company(company)
        if Plan.search_count(
            [
                ("partner_id", "=", self.partner_id.id),
                ("company_id", "=", company.id),
                ("state", "in", ("draft", "running")),
            ]
        ):
            raise UserError(self.env._("A payment plan is already being prepared or running for you."))
        lines = self._credit_open_lines().filtered(
            lambda line: line.amount_residual > 0 and not line.move_id._credit_recovery_blocked()
        )
        if not lines:
            raise UserError(self.env._("Nothing is due that a plan could settle."))
        plan = Plan.create(
            {
                "partner_id": self.partner_id.id,
                "company_id": company.id,
                "line_ids": [Command.set(lines.ids)],
                "instalment_count": count,
                "interval_days": interval,
                "first_percent": first,
                "portal_request_state": "requested",
                "note": self.env._("Asked on the customer's page. %(note)s", note=(note or "")[:1000]),
            }
        )
        plan.action_generate_instalments()
        self._credit_portal_log(
            self.env._(
                "Payment plan asked on the customer's page: %(debt)s in %(count)s payments, %(days)s days apart.",
                debt=company.currency_id.format(plan.amount_total),
                count=count,
                days=interval,
            ),
            self.env._(
                "We have received your request for a payment plan (%(debt)s in %(count)s payments). Our credit "
                "department will answer shortly; until then the amounts remain due.",
                debt=company.currency_id.format(plan.amount_total),
                count=count,
            ),
        )
        return plan

    def _credit_portal_dispute(self, invoice_id, reason, amount, message, files):
        """Dispute one open invoice of the customer: the reminders on it stop until the dispute is settled."""
        self.ensure_one()
        self._credit_check_allowed("dispute")
        invoice_id = self._credit_parse_int(invoice_id)
        invoice = self._credit_payable_invoices().filtered(lambda move: move.id == invoice_id)
        if not invoice:
            raise UserError(self.env._("Choose one of your open invoices."))
        if reason not in dict(self._credit_dispute_reasons()):
            raise UserError(self.env._("Choose the reason of the dispute."))
        amount = self._credit_parse_amount(amount, invoice.currency_id)
        if not amount or invoice.currency_id.compare_amounts(amount, invoice.amount_residual) > 0:
            raise UserError(
                self.env._(
                    "The disputed amount is between 0 and what remains due on the invoice (%(residual)s).",
                    residual=invoice.currency_id.format(invoice.amount_residual),
                )
            )
        if invoice.credit_in_dispute:
            raise UserError(
                self.env._("The invoice %(invoice)s is already in dispute.", invoice=invoice.name)
            )
        message = (message or "").strip()
        if not message:
            raise UserError(self.env._("Tell us what is wrong with the invoice."))
        files = files or []
        if len(files) > self._CREDIT_PORTAL_MAX_FILES:
            raise UserError(
                self.env._("Attach at most %(count)s files.", count=self._CREDIT_PORTAL_MAX_FILES)
            )
        for filename, content in files:
            if len(content) > self._CREDIT_PORTAL_MAX_FILE_SIZE:
                raise UserError(self.env._("The file %(file)s is larger than 5 MB.", file=filename))
            if guess_mimetype(content) not in self._CREDIT_PORTAL_MIMETYPES:
                raise UserError(
                    self.env._("The file %(file)s is not a PDF, PNG or JPEG document.", file=filename)
                )
        dispute = self.env["credit.recovery.dispute"].create(
            {
                "move_id": invoice.id,
                "reason": reason,
                "amount_disputed": amount,
                "description": message[:5000],
                "owner_id": self._credit_controller().id,
            }
        )
        if files:
            self.env["ir.attachment"].create(
                [
                    {
                        "name": filename[:200],
                        "raw": content,
                        "res_model": dispute._name,
                        "res_id": dispute.id,
                    }
                    for filename, content in files
                ]
            )
        reason_label = dispute._credit_reason_label()
        self._credit_portal_log(
            self.env._(
                "Dispute %(dispute)s opened on the customer's page on %(invoice)s: %(reason)s, %(amount)s.",
                dispute=dispute.name,
                invoice=invoice.name,
                reason=reason_label,
                amount=dispute._credit_format_amount(),
            ),
            self.env._(
                "We have received your dispute about the invoice %(invoice)s (%(reason)s, %(amount)s). Our "
                "reminders about this invoice stop while we examine it.",
                invoice=invoice.name,
                reason=reason_label,
                amount=dispute._credit_format_amount(),
            ),
        )
        return dispute

    def _credit_portal_pay_scope(self, scope):
        """``(invoices, amount)`` the customer pays for ``scope``: ``all``, ``overdue`` or ``invoices-<id>-<id>``."""
        self.ensure_one()
        self._credit_check_allowed("pay")
        match = SCOPE_RE.match(scope or "")
        if not match:
            raise UserError(self.env._("Choose what to pay."))
        invoices = self._credit_payable_invoices()
        if scope == "overdue":
            today = fields.Date.context_today(self)
            invoices = invoices.filtered(lambda move: move.invoice_date_due and move.invoice_date_due < today)
        elif scope.startswith("invoices"):
            wanted = {int(move_id) for move_id in scope.split("-")[1:]}
            if not wanted or wanted - set(invoices.ids):
                raise UserError(self.env._("Choose among your open invoices."))
            invoices = invoices.filtered(lambda move: move.id in wanted)
        if not invoices:
            raise UserError(self.env._("Nothing to pay."))
        currency = self.company_id.currency_id
        if invoices.currency_id != currency:
            raise UserError(self.env._("These invoices cannot be paid together online."))
        return invoices, currency.round(sum(invoices.mapped("amount_residual")))

    def _credit_controller(self):
        self.ensure_one()
        partner = self.partner_id.with_company(self.company_id)
        return partner.credit_controller_id or partner.user_id or self.env.ref("base.user_admin")

    def _credit_portal_log(self, note, acknowledgement):
        """Log the action in the company's credit trail of the customer (the amounts are the company's, the
        customer's chatter is shared by every company), tell its credit controller, acknowledge to the customer."""
        self.ensure_one()
        partner = self.partner_id
        trail = self.env["credit.recovery.partner.log"]._credit_log_of(partner, self.company_id)
        # The customer itself did it: it signs the note.
        trail.message_post(body=note, author_id=partner.id, subtype_xmlid="mail.mt_note")
        trail.activity_schedule(
            act_type_xmlid="account_credit_recovery.mail_activity_type_credit_portal_request",
            summary=self.env._("Customer's page: %(customer)s", customer=partner.name),
            note=note,
            user_id=self._credit_controller().id,
        )
        self._credit_acknowledge(acknowledgement)

    def _credit_acknowledge(self, message):
        """The acknowledgement e-mail to the customer, in its language, through the mail queue."""
        self.ensure_one()
        if not self.partner_id.email:
            return
        template = self.env.ref("account_credit_recovery.mail_template_credit_portal_acknowledgement")
        template.with_context(
            lang=self.partner_id._credit_document_lang(), credit_portal_message=message
        ).send_mail(self.id, force_send=False, email_layout_xmlid="mail.mail_notification_light")
