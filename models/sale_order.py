from psycopg2.errors import LockNotAvailable

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, formatLang, mute_logger

DEPOSIT_STATES = [
    ("not_required", "Not Required"),
    ("waiting", "Waiting for Deposit"),
    ("paid", "Deposit Paid"),
    ("lifted", "Lifted by a Credit Manager"),
]
# Only a Credit Manager decides on these, through the approval and lift wizards.
MANAGER_ORDER_FIELDS = frozenset(
    {
        "credit_hold_approved",
        "credit_hold_approval_reason",
        "credit_hold_approved_by_id",
        "credit_hold_approved_amount",
        "credit_hold_approved_partner_id",
        "credit_hold_approved_company_id",
        "credit_hold_approved_currency_id",
        "credit_hold_approved_company_amount",
        "credit_deposit_lifted",
        "credit_deposit_lift_reason",
    }
)
# Whether the work is blocked: written by the module's own code (as superuser) or a Credit Manager only.
PROTECTED_ORDER_FIELDS = MANAGER_ORDER_FIELDS | frozenset(
    {
        "credit_deposit_state",
        "credit_deposit_invoice_id",
        "credit_deposit_percent",
        "credit_deposit_amount",
        "credit_deposit_reason",
        "credit_deposit_schedule_id",
        "credit_instalment_count",
    }
)
# Changing one of these on a quotation changes what a Credit Manager approved.
APPROVAL_BOUND_FIELDS = frozenset({"partner_id", "pricelist_id", "company_id", "currency_id", "order_line"})
MANAGER_GROUP = "account_credit_recovery.group_credit_manager"
DEPOSIT_FIELDS = (
    "credit_deposit_percent",
    "credit_deposit_amount",
    "credit_deposit_reason",
    "credit_deposit_schedule_id",
)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    credit_warning_message = fields.Text(
        string="Credit Warning",
        compute="_compute_credit_warning_message",
        help="Why the customer's credit deserves attention before this order is confirmed.",
        groups="base.group_user",
    )
    # Credit hold at confirmation.
    credit_hold_message = fields.Text(
        string="Credit Hold",
        compute="_compute_credit_hold_message",
        help="Why confirming this quotation is refused until a Credit Manager approves it.",
        groups="base.group_user",
    )
    credit_hold_approved = fields.Boolean(copy=False, readonly=True, tracking=True)
    credit_hold_approval_reason = fields.Text(
        string="Approval Reason", copy=False, readonly=True, groups="base.group_user"
    )
    credit_hold_approved_by_id = fields.Many2one(
        "res.users", string="Approved By", copy=False, readonly=True, ondelete="set null"
    )
    credit_hold_approved_amount = fields.Monetary(
        string="Approved Amount",
        currency_field="currency_id",
        copy=False,
        readonly=True,
        help="The approval covers the order up to this total.",
    )
    # What the approval binds: the customer, company and currency approved, the amount in company currency.
    credit_hold_approved_partner_id = fields.Many2one(
        "res.partner", string="Approved Customer", copy=False, readonly=True, ondelete="set null"
    )
    credit_hold_approved_company_id = fields.Many2one(
        "res.company", string="Approved Company", copy=False, readonly=True, ondelete="set null"
    )
    credit_hold_approved_currency_id = fields.Many2one(
        "res.currency", string="Approved Currency", copy=False, readonly=True, ondelete="set null"
    )
    credit_hold_approved_company_amount = fields.Float(
        string="Approved Amount (Company Currency)",
        digits="Account",
        copy=False,
        readonly=True,
        help="The order's total in the company currency when the Credit Manager approved it.",
    )
    credit_prepayment_required = fields.Boolean(
        string="Prepay in Full",
        copy=False,
        help="The customer pays the whole order before the work starts: a credit hold becomes a 100 % "
        "deposit invoice, without a Credit Manager's approval.",
    )
    # Deposit.
    credit_deposit_percent = fields.Float(
        string="Required Deposit (%)",
        digits=(5, 2),
        compute="_compute_credit_deposit",
        store=True,
        readonly=True,
    )
    credit_deposit_amount = fields.Monetary(
        string="Required Deposit",
        currency_field="currency_id",
        compute="_compute_credit_deposit",
        store=True,
        readonly=True,
        help="Invoiced as a down payment, with immediate payment, when the order is confirmed.",
    )
    credit_deposit_reason = fields.Char(
        string="Why This Deposit",
        compute="_compute_credit_deposit",
        store=True,
        readonly=True,
        groups="base.group_user",
    )
    credit_deposit_schedule_id = fields.Many2one(
        "credit.recovery.deposit.schedule",
        string="Payment Schedule",
        compute="_compute_credit_deposit",
        store=True,
        readonly=True,
        ondelete="restrict",
    )
    credit_deposit_invoice_id = fields.Many2one(
        "account.move", string="Deposit Invoice", copy=False, readonly=True, ondelete="set null"
    )
    credit_deposit_state = fields.Selection(
        DEPOSIT_STATES,
        string="Deposit Status",
        compute="_compute_credit_deposit_state",
        store=True,
        help="While the deposit is awaited, the order is neither invoiced (except the deposit) nor "
        "delivered.",
    )
    credit_deposit_lifted = fields.Boolean(string="Deposit Lifted", copy=False, readonly=True, tracking=True)
    credit_deposit_lift_reason = fields.Text(
        string="Lift Reason", copy=False, readonly=True, groups="base.group_user", tracking=True
    )
    credit_instalment_count = fields.Integer(
        string="Instalments Invoiced",
        copy=False,
        readonly=True,
        help="Payments of the schedule invoiced after the deposit.",
    )
    credit_instalment_next_percent = fields.Float(
        string="Next Instalment (%)", compute="_compute_credit_instalment_next_percent"
    )
    credit_work_blocked = fields.Boolean(string="Work Blocked", compute="_compute_credit_work_blocked")

    @api.depends("partner_id", "company_id")
    def _compute_credit_warning_message(self):
        for order in self:
            order.credit_warning_message = (
                order.partner_id.with_company(order.company_id).commercial_partner_id.credit_warning_message
                if order.partner_id
                else False
            )

    @api.depends(
        "partner_id",
        "company_id",
        "amount_total",
        "currency_id",
        "credit_prepayment_required",
        "credit_hold_approved",
        "credit_hold_approved_amount",
        "credit_hold_approved_partner_id",
        "credit_hold_approved_company_id",
        "credit_hold_approved_currency_id",
        "credit_hold_approved_company_amount",
    )
    def _compute_credit_hold_message(self):
        quotations = self.filtered(lambda order: order.state in ("draft", "sent") and order.partner_id)
        reasons = quotations._credit_hold_reasons() if quotations else {}
        for order in self:
            order.credit_hold_message = "\n".join(reasons.get(order, []))

    @api.depends("partner_id", "company_id", "amount_total", "currency_id", "credit_prepayment_required")
    def _compute_credit_deposit(self):
        # Confirmed orders keep the deposit they were confirmed with.
        for order in self.filtered(lambda order: order.state in ("draft", "sent")):
            percent, schedule, reason = order._credit_deposit_rule()
            order.credit_deposit_percent = percent
            order.credit_deposit_amount = order.currency_id.round(order.amount_total * percent / 100.0)
            order.credit_deposit_reason = reason
            order.credit_deposit_schedule_id = schedule

    @api.depends(
        "state",
        "credit_deposit_amount",
        "credit_deposit_invoice_id.payment_state",
        "credit_deposit_invoice_id.state",
        "credit_deposit_lifted",
        "transaction_ids.state",
        "transaction_ids.amount",
    )
    def _compute_credit_deposit_state(self):
        for order in self:
            order.credit_deposit_state = order._credit_deposit_state_now()

    @api.depends("state", "credit_deposit_schedule_id", "credit_instalment_count")
    def _compute_credit_instalment_next_percent(self):
        for order in self:
            lines = (
                order.credit_deposit_schedule_id._credit_instalment_lines()
                if order.state == "sale" and order.credit_deposit_schedule_id
                else []
            )
            count = order.credit_instalment_count
            order.credit_instalment_next_percent = lines[count].percent if count < len(lines) else 0.0

    @api.depends("credit_deposit_state")
    def _compute_credit_work_blocked(self):
        for order in self:
            order.credit_work_blocked = order._credit_work_blocked()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._credit_check_write_rights(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._credit_check_write_rights(vals)
        approved = (
            self.filtered(lambda order: order.credit_hold_approved and order.state in ("draft", "sent"))
            if APPROVAL_BOUND_FIELDS & vals.keys()
            else self.browse()
        )
        result = super().write(vals)
        if approved:
            approved._credit_void_changed_approvals()
        return result

    def action_confirm(self):
        if self.env.context.get("send_email"):
            # Confirmed online (signature or payment, see sale's _validate_order and
            # _check_amount_and_confirm_order): a held quotation waits for the Credit Managers.
            held = self.filtered(lambda order: order.state in ("draft", "sent"))._credit_hold_online()
            if held:
                remaining = self - held
                return remaining.action_confirm() if remaining else True
        quotations = self.filtered(lambda order: order.state in ("draft", "sent"))
        if quotations:
            quotations._credit_check_confirmation()
        result = super().action_confirm()
        if quotations:
            quotations._credit_collect_deposits()
        return result

    def action_credit_request_approval(self):
        """Ask the Credit Managers of the order's company to approve the credit hold."""
        for order in self:
            if not order.credit_hold_message:
                raise UserError(
                    self.env._("%(order)s is not on credit hold: it can be confirmed.", order=order.name)
                )
        self._credit_request_approval()
        return True

    def _credit_request_approval(self, online=False):
        """Schedule the approval activity of the Credit Managers of each order's company.

        ``online``: the customer signed or paid the quotation on the portal; without a Credit Manager in
        the company, nobody is told but the order waits all the same.
        """
        group = self.env.ref(MANAGER_GROUP)
        # Salespeople may not read who belongs to the credit groups: only the managers' ids are read.
        managers = group.sudo().users.filtered(lambda user: not user.share)
        for order in self:
            reasons = order.sudo().credit_hold_message
            company_managers = managers.filtered(
                lambda user, order=order: order.company_id in user.company_ids
            )
            if not company_managers:
                if online:
                    continue
                raise UserError(
                    self.env._(
                        "No Credit Manager of %(company)s can approve %(order)s.",
                        company=order.company_id.name,
                        order=order.name,
                    )
                )
            if online:
                note = self.env._(
                    "%(customer)s signed or paid %(order)s (%(amount)s) online; it waits for your approval:"
                    "\n%(reasons)s",
                    customer=order.partner_id.commercial_partner_id.name,
                    order=order.name,
                    amount=order.currency_id.format(order.amount_total),
                    reasons=reasons,
                )
            else:
                note = self.env._(
                    "%(user)s asks you to approve %(order)s (%(amount)s) for %(customer)s:\n%(reasons)s",
                    user=self.env.user.name,
                    order=order.name,
                    amount=order.currency_id.format(order.amount_total),
                    customer=order.partner_id.commercial_partner_id.name,
                    reasons=reasons,
                )
            # Portal customers confirm through Odoo's sudo: the activities and the internal note are the
            # module's own, never shown to them.
            order_sudo = order.sudo()
            for manager in company_managers:
                order_sudo.activity_schedule(
                    act_type_xmlid="mail.mail_activity_data_todo",
                    summary=order._credit_approval_summary(),
                    note=note,
                    user_id=manager.id,
                )
            order_sudo.message_post(
                body=self.env._(
                    "Credit approval requested by %(user)s from %(managers)s:\n%(reasons)s",
                    user=self.env.user.name,
                    managers=", ".join(company_managers.mapped("name")),
                    reasons=reasons,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _credit_hold_online(self):
        """The quotations of ``self`` held on credit, left unconfirmed with a neutral word to the customer.

        The customer never reads why (its risk, limit or exposure): it is told the accounts department
        confirms the order, and the Credit Managers get the approval activity.
        """
        held = self.browse([order.id for order in self.sudo()._credit_hold_reasons()])
        if not held:
            return held
        held._credit_request_approval(online=True)
        for order in held.sudo():
            order.message_post(
                body=self.env._(
                    "Thank you for your order. It will be confirmed by our accounts department, who will "
                    "contact you shortly."
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return held

    def action_credit_open_hold_approval(self):
        """Open the approval wizard of a Credit Manager."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Approve Credit Hold"),
            "res_model": "credit.recovery.hold.approval.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def action_credit_open_deposit_lift(self):
        """Open the wizard with which a Credit Manager lets the work start before the deposit is paid."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Lift Deposit"),
            "res_model": "credit.recovery.deposit.lift.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def action_credit_invoice_next_instalment(self):
        """Invoice the next payment of the order's schedule as a down payment.

        Only a salesperson or an invoicing user who may edit the order invoices it. The order's row is
        locked first, so that two clicks or two users never post the same instalment twice.
        """
        if not (
            self.env.user.has_group("sales_team.group_sale_salesman")
            or self.env.user.has_group("account.group_account_invoice")
        ):
            raise AccessError(self.env._("Only salespeople and invoicing users invoice an instalment."))
        self.check_access("write")
        self._credit_lock_orders()
        invoices = self.env["account.move"]
        for order in self:
            percent = order.credit_instalment_next_percent
            if not percent:
                raise UserError(
                    self.env._("%(order)s has no payment left to invoice on its schedule.", order=order.name)
                )
            if order._credit_work_blocked():
                raise UserError(
                    self.env._(
                        "%(order)s still waits for its deposit: the next instalment is invoiced once it is "
                        "paid.",
                        order=order.name,
                    )
                )
            invoices |= order._credit_issue_down_payment(percent)
            # The count decides what is invoiced next: only the module's code writes it.
            order.sudo().credit_instalment_count += 1
        return self.action_view_invoice(invoices=invoices)

    # Business logic

    def _create_invoices(self, grouped=False, final=False, date=None):
        blocked = self.filtered(lambda order: order._credit_work_blocked())
        if blocked:
            raise UserError(
                self.env._(
                    "%(orders)s wait for their deposit invoice to be paid: nothing else can be invoiced "
                    "until then, unless a Credit Manager lifts the deposit.",
                    orders=", ".join(blocked.mapped("name")),
                )
            )
        return super()._create_invoices(grouped=grouped, final=final, date=date)

    def _credit_work_blocked(self):
        """Whether the work on the order may not go ahead yet: its deposit is awaited.

        While it is, the order is not invoiced further (the deposit invoice excepted) and its deliveries
        are not validated (``stock.picking.button_validate``). Derived now from the deposit invoice's
        payment, never from the stored status.
        """
        self.ensure_one()
        return self._credit_deposit_state_now() == "waiting"

    def _credit_deposit_state_now(self):
        """The deposit status of the order, from the deposit invoice's payment as it stands.

        A confirmed order requiring a deposit waits until its deposit invoice is paid, the whole order was
        paid online or a Credit Manager lifted the deposit; a deposit invoice gone missing (or cancelled,
        reversed) is a deposit still awaited.
        """
        self.ensure_one()
        invoice = self.credit_deposit_invoice_id.sudo()  # salespeople may not read invoices
        if self.state != "sale" or (not invoice and self.currency_id.is_zero(self.credit_deposit_amount)):
            return "not_required"
        if self.credit_deposit_lifted:
            return "lifted"
        if self._credit_paid_online():
            return "paid" if invoice else "not_required"
        if invoice.state == "posted" and invoice.payment_state in ("paid", "in_payment"):
            return "paid"
        return "waiting"

    def _credit_check_write_rights(self, vals):
        if self.env.su or not PROTECTED_ORDER_FIELDS & vals.keys():
            return
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Only a Credit Manager can approve a credit hold, lift a deposit or change what an order's "
                    "deposit requires."
                )
            )

    def _credit_lock_orders(self):
        """Lock the orders' rows until the end of the transaction; refuse if another one holds them."""
        if not self.ids:
            return
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL("SELECT id FROM sale_order WHERE id IN %s FOR UPDATE NOWAIT", tuple(self.ids))
                )
        except LockNotAvailable as error:
            raise UserError(
                self.env._("These orders are being invoiced by another user: try again in a moment.")
            ) from error
        # The values of the locked rows, not those read before the lock.
        self.invalidate_recordset(["credit_instalment_count"])

    def _credit_void_changed_approvals(self):
        """Void the approvals that no longer match the order (customer, company, currency, amount)."""
        for order in self.filtered(lambda order: not order._credit_hold_approval_valid()):
            # The approval fields are written by the module only.
            order.sudo().write(
                {
                    "credit_hold_approved": False,
                    "credit_hold_approved_by_id": False,
                    "credit_hold_approved_amount": 0.0,
                    "credit_hold_approved_partner_id": False,
                    "credit_hold_approved_company_id": False,
                    "credit_hold_approved_currency_id": False,
                    "credit_hold_approved_company_amount": 0.0,
                }
            )
            order.message_post(
                body=self.env._(
                    "Credit approval of %(order)s voided: its customer, company, currency or amount changed "
                    "since a Credit Manager approved it.",
                    order=order.name,
                )
            )

    def _credit_paid_online(self):
        """Whether the order's paid online transactions cover its total."""
        self.ensure_one()
        return self.amount_total > 0 and self._is_paid()

    def _credit_hold_approval_valid(self):
        """Whether the approval still covers the order: same customer, company and currency, and a total
        in company currency no larger than approved."""
        self.ensure_one()
        if not self.credit_hold_approved:
            return False
        company = self.company_id
        return (
            self.credit_hold_approved_partner_id == self.partner_id.commercial_partner_id
            and self.credit_hold_approved_company_id == company
            and self.credit_hold_approved_currency_id == self.currency_id
            and company.currency_id.compare_amounts(
                self._credit_company_amount(self.amount_total), self.credit_hold_approved_company_amount
            )
            <= 0
        )

    def _credit_approval_summary(self):
        self.ensure_one()
        return self.env._("Approve the credit hold of %(order)s", order=self.name)

    def _credit_commercial_partner(self):
        """The customer whose credit the order uses, in the order's company.

        Salespeople see neither credit limits nor receivables: the credit figures are read as superuser.
        """
        self.ensure_one()
        return self.partner_id.commercial_partner_id.with_company(self.company_id).sudo()

    def _credit_company_amount(self, amount):
        """``amount`` of the order's currency in its company's currency."""
        self.ensure_one()
        company = self.company_id
        return self.currency_id._convert(
            amount, company.currency_id, company, self.date_order or fields.Date.context_today(self)
        )

    def _credit_deposit_rule(self):
        """(percentage, schedule, reason) of the deposit the order requires."""
        self.ensure_one()
        no_schedule = self.env["credit.recovery.deposit.schedule"]
        if not self.partner_id:
            return 0.0, no_schedule, False
        if self.credit_prepayment_required:
            return 100.0, no_schedule, self.env._("Prepayment in full chosen for this order.")
        customer = self._credit_commercial_partner()
        if customer.credit_collective_proceeding != "none":
            return (
                100.0,
                no_schedule,
                self.env._("Full prepayment: the customer is in collective proceedings."),
            )
        level = customer.credit_risk_level
        if level == "critical":
            return 100.0, no_schedule, self.env._("Full prepayment: the customer's risk level is critical.")
        company = self.company_id
        if customer.credit_deposit_custom:
            schedule = customer.credit_deposit_schedule_id
            percent = schedule.order_percent if schedule else customer.credit_deposit_percent
            minimum = customer.credit_deposit_min_amount
        else:
            schedule = no_schedule
            percent = company[f"credit_deposit_percent_{level}"]
            minimum = company.credit_deposit_min_amount
        if (not percent and not schedule) or self._credit_company_amount(self.amount_total) < minimum:
            return 0.0, no_schedule, False
        values = {
            "percent": formatLang(self.env, percent),
            "minimum": company.currency_id.format(minimum),
        }
        if schedule:
            reason = self.env._(
                "Customer's payment schedule %(schedule)s: %(percent)s %% at order, from %(minimum)s.",
                schedule=schedule.name,
                **values,
            )
        elif customer.credit_deposit_custom:
            reason = self.env._("Customer's deposit rule: %(percent)s %% from %(minimum)s.", **values)
        else:
            reason = self.env._(
                "Risk level %(level)s: %(percent)s %% deposit from %(minimum)s.",
                level=customer._credit_level_label(level),
                **values,
            )
        return percent, schedule, reason

    def _credit_hold_reasons(self):
        """{order: [reason, ...]} of the quotations of ``self`` that may not be confirmed.

        The customers' credit figures are read once per company for all the orders (one exposure
        computation, never one per order line). Orders confirmed together add up against the limit.
        """
        result = {}
        for company, orders in self.grouped("company_id").items():
            checked = orders.filtered(
                lambda order: (
                    order.partner_id
                    and not order.credit_prepayment_required
                    and not order._credit_paid_online()
                    and not order._credit_hold_approval_valid()
                )
            )
            if not checked:
                continue
            # Salespeople see neither credit limits nor receivables: the figures are read as superuser.
            customers = checked.partner_id.commercial_partner_id.with_company(company).sudo()
            customers.mapped("credit_exposure")  # one batch of queries for all the customers
            customers.mapped("credit_risk_level")
            use_limit = company.account_use_credit_limit
            tolerance = company.credit_hold_overdue_days
            by_id = {customer.id: customer for customer in customers}
            exposures = {customer.id: customer.credit_exposure for customer in customers}
            for order in checked:
                customer = by_id[order.partner_id.commercial_partner_id.id]
                reasons = []
                if customer.credit_collective_proceeding != "none":
                    reasons.append(
                        self.env._(
                            "%(customer)s is in collective proceedings (%(kind)s).",
                            customer=customer.name,
                            kind=dict(
                                customer._fields["credit_collective_proceeding"]._description_selection(
                                    self.env
                                )
                            )[customer.credit_collective_proceeding],
                        )
                    )
                if customer.credit_risk_level == "critical":
                    reasons.append(
                        self.env._(
                            "%(customer)s is at critical risk: %(why)s",
                            customer=customer.name,
                            why=customer.credit_risk_reasons.replace("\n", " "),
                        )
                    )
                if customer.credit_on_hold:
                    reasons.append(
                        self.env._(
                            "%(customer)s is on credit hold: %(why)s",
                            customer=customer.name,
                            why=customer.credit_hold_reason or "",
                        )
                    )
                exposures[customer.id] += order._credit_company_amount(order.amount_total)
                exposure = exposures[customer.id]
                limit = customer.credit_limit
                if use_limit and limit and company.currency_id.compare_amounts(exposure, limit) > 0:
                    reasons.append(
                        self.env._(
                            "%(customer)s would exceed its credit limit: exposure with this order "
                            "%(exposure)s for a limit of %(limit)s.",
                            customer=customer.name,
                            exposure=company.currency_id.format(exposure),
                            limit=company.currency_id.format(limit),
                        )
                    )
                if customer.credit_overdue_amount > 0 and customer.credit_oldest_overdue_days > tolerance:
                    reasons.append(
                        self.env._(
                            "%(customer)s has %(amount)s overdue, the oldest for %(days)s days (tolerance "
                            "%(tolerance)s days).",
                            customer=customer.name,
                            amount=company.currency_id.format(customer.credit_overdue_amount),
                            days=customer.credit_oldest_overdue_days,
                            tolerance=tolerance,
                        )
                    )
                if reasons:
                    result[order] = reasons
        return result

    def _credit_check_confirmation(self):
        """Refuse to confirm quotations without the required reference or on credit hold."""
        # The customers' figures of now, not those cached earlier in the transaction.
        self.partner_id.commercial_partner_id.invalidate_recordset()
        for order in self:
            customer = order.partner_id.commercial_partner_id.with_company(order.company_id)
            if (
                customer.credit_require_order_reference
                and not order.client_order_ref
                and not order.signature
                and not order._credit_paid_online()
            ):
                raise UserError(
                    self.env._(
                        "%(customer)s requires a signed quotation or its purchase order reference: enter "
                        "the customer reference of %(order)s or have it signed online before confirming it.",
                        customer=customer.name,
                        order=order.name,
                    )
                )
        held = self._credit_hold_reasons()
        if held:
            raise UserError(
                "\n\n".join(
                    self.env._(
                        "%(order)s cannot be confirmed on credit:\n%(reasons)s\nAsk a Credit Manager for "
                        "approval, or have the customer prepay the whole order (Prepay in Full).",
                        order=order.name,
                        reasons="\n".join(f"- {reason}" for reason in reasons),
                    )
                    for order, reasons in held.items()
                )
            )
        # The deposit follows the customer's profile of today, not of when the quotation was written.
        for fname in DEPOSIT_FIELDS:
            self.env.add_to_compute(self._fields[fname], self)
        self._recompute_recordset(DEPOSIT_FIELDS)

    def _credit_collect_deposits(self):
        """Issue and post the deposit invoice of the orders just confirmed that require one."""
        for order in self:
            if order.currency_id.is_zero(order.credit_deposit_amount) or order._credit_paid_online():
                continue
            invoice = order._credit_issue_down_payment(order.credit_deposit_percent, immediate=True)
            # The deposit invoice decides whether the work is blocked: only the module's code links it.
            order.sudo().credit_deposit_invoice_id = invoice
            order.message_post(
                body=self.env._(
                    "Deposit of %(amount)s (%(percent)s %%) invoiced on %(invoice)s: the work waits for its "
                    "payment. %(reason)s",
                    amount=order.currency_id.format(invoice.amount_total),
                    percent=formatLang(self.env, order.credit_deposit_percent),
                    invoice=invoice.name,
                    reason=order.credit_deposit_reason or "",
                )
            )

    def _credit_issue_down_payment(self, percent, immediate=False):
        """Create and post a down payment invoice of ``percent`` of the order through Odoo's wizard."""
        self.ensure_one()
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=self.ids)
            .create(
                {
                    "sale_order_ids": [Command.set(self.ids)],
                    "advance_payment_method": "percentage",
                    "amount": percent,
                }
            )
        )
        invoice = wizard._create_invoices(self)
        # Salespeople confirm orders but may not post invoices: the deposit is issued on their behalf.
        invoice_sudo = invoice.sudo()
        if immediate:
            immediate_term = self.env.ref("account.account_payment_term_immediate", raise_if_not_found=False)
            invoice_sudo.invoice_payment_term_id = immediate_term
            if not immediate_term:
                invoice_sudo.invoice_date_due = fields.Date.context_today(self)
        invoice_sudo.action_post()
        return invoice

    def _credit_approve_hold(self, reason):
        """Let a Credit Manager approve the credit hold of the orders, with a reason."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a Credit Manager can approve a credit hold."))
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason why you approve the credit hold."))
        for order in self:
            if order.state not in ("draft", "sent"):
                raise UserError(
                    self.env._(
                        "%(order)s is no longer a quotation: there is no hold to approve.", order=order.name
                    )
                )
            reasons = order.credit_hold_message or ""
            order.write(
                {
                    "credit_hold_approved": True,
                    "credit_hold_approval_reason": reason,
                    "credit_hold_approved_by_id": self.env.user.id,
                    "credit_hold_approved_amount": order.amount_total,
                    "credit_hold_approved_partner_id": order.partner_id.commercial_partner_id.id,
                    "credit_hold_approved_company_id": order.company_id.id,
                    "credit_hold_approved_currency_id": order.currency_id.id,
                    "credit_hold_approved_company_amount": order._credit_company_amount(order.amount_total),
                }
            )
            body = self.env._(
                "Credit hold of %(order)s (%(amount)s) approved by %(user)s. Reason: %(reason)s\n"
                "Hold: %(reasons)s",
                order=order.name,
                amount=order.currency_id.format(order.amount_total),
                user=self.env.user.name,
                reason=reason,
                reasons=reasons,
            )
            order.message_post(body=body)
            # The customer is shared between companies: the approval goes to the credit trail of the order's
            # company, which only its users read, never to the customer's chatter.
            order.partner_id.commercial_partner_id.with_company(
                order.company_id
            )._credit_trail()._credit_log_post(
                self.env._(
                    "Credit hold of %(order)s (%(company)s) approved by %(user)s. Reason: %(reason)s",
                    order=order.name,
                    company=order.company_id.name,
                    user=self.env.user.name,
                    reason=reason,
                )
            )
            summary = order._credit_approval_summary()
            order.activity_ids.filtered(
                lambda activity, summary=summary: activity.summary == summary
            ).action_feedback(feedback=self.env._("Approved by %(user)s.", user=self.env.user.name))
        return True

    def _credit_lift_deposit(self, reason):
        """Let a Credit Manager start the work before the deposit is paid, with a reason."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a Credit Manager can lift a deposit."))
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason why you lift the deposit."))
        for order in self:
            if order.credit_deposit_state != "waiting":
                raise UserError(self.env._("%(order)s is not waiting for a deposit.", order=order.name))
            order.write({"credit_deposit_lifted": True, "credit_deposit_lift_reason": reason})
            order.message_post(
                body=self.env._(
                    "Deposit of %(order)s lifted by %(user)s: the work may go ahead before %(invoice)s is "
                    "paid. Reason: %(reason)s",
                    order=order.name,
                    user=self.env.user.name,
                    invoice=order.credit_deposit_invoice_id.name,
                    reason=reason,
                )
            )
        return True
