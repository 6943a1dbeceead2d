from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare
from odoo.tools.misc import format_date

from .credit_recovery_proof import DELIVERY_PROOF_KINDS, ORDER_PROOF_KINDS

PROOF_STATUSES = [
    ("complete", "Complete"),
    ("partial", "Partial"),
    ("missing", "Missing"),
]
PRESEND_STATUSES = [
    ("ok", "Ready to Send"),
    ("warning", "Warning"),
    ("blocked", "Blocked"),
]
BAP_STATES = [
    ("pending", "Pending"),
    ("received", "Received"),
    ("approved", "Approved for Payment"),
    ("disputed", "Disputed"),
]
PRESEND_OVERRIDE_FIELDS = frozenset(
    {
        "credit_presend_override",
        "credit_presend_override_reason",
        "credit_presend_override_user_id",
        "credit_presend_override_date",
    }
)


class AccountMove(models.Model):
    _inherit = "account.move"

    # Proof documents: on the invoice itself or on the sale orders it invoices.
    credit_proof_ids = fields.One2many("credit.recovery.proof", "move_id", string="Proof Documents")
    credit_proof_count = fields.Integer(string="Proofs", compute="_compute_credit_proof_status")
    credit_proof_status = fields.Selection(
        PROOF_STATUSES,
        string="Proof Status",
        compute="_compute_credit_proof_status",
        help="Complete: the order (signed order or quotation), the delivery (signed delivery note, acceptance "
        "report or e-mail confirming receipt) and, when the customer requires it, its order reference are "
        "documented. Proofs attached to the invoiced sale orders count.",
    )
    # Pre-send check.
    credit_presend_status = fields.Selection(
        PRESEND_STATUSES, string="Pre-send Check", compute="_compute_credit_presend_status"
    )
    credit_presend_issues = fields.Text(
        string="Pre-send Issues", compute="_compute_credit_presend_status", groups="base.group_user"
    )
    credit_presend_override = fields.Boolean(
        string="Pre-send Check Overridden", copy=False, tracking=True, groups="base.group_user"
    )
    credit_presend_override_reason = fields.Char(
        string="Override Reason", copy=False, groups="base.group_user", tracking=True
    )
    credit_presend_override_user_id = fields.Many2one(
        "res.users", string="Overridden By", copy=False, ondelete="set null", groups="base.group_user"
    )
    credit_presend_override_date = fields.Datetime(
        string="Overridden On", copy=False, groups="base.group_user"
    )
    # "Bon à payer": the customer confirmed it received and approved the invoice before its due date.
    credit_bap_state = fields.Selection(
        BAP_STATES, string="Bon à Payer", copy=False, tracking=True, index="btree_not_null"
    )
    credit_bap_date = fields.Date(string="Bon à Payer Date", copy=False)
    credit_bap_contact_id = fields.Many2one(
        "res.partner", string="Approved By", copy=False, ondelete="set null"
    )
    # Disputes.
    credit_dispute_ids = fields.One2many("credit.recovery.dispute", "move_id", string="Disputes")
    credit_in_dispute = fields.Boolean(
        string="In Dispute",
        compute="_compute_credit_in_dispute",
        store=True,
        help="An open dispute suspends the dunning of the invoice.",
    )
    credit_dispute_count = fields.Integer(string="Dispute Count", compute="_compute_credit_dispute_count")

    def _compute_credit_proof_status(self):
        proof_data = self._credit_proof_data()
        for move in self:
            data = proof_data.get(move.id)
            if not data:
                move.credit_proof_count = 0
                move.credit_proof_status = False
                continue
            move.credit_proof_count = len(data["proofs"])
            kinds = set(data["proofs"].mapped("kind"))
            expected = [bool(kinds & ORDER_PROOF_KINDS), bool(kinds & DELIVERY_PROOF_KINDS)]
            if move.commercial_partner_id.with_company(move.company_id).credit_require_order_ref:
                expected.append(bool(data["order_refs"]))
            if all(expected):
                move.credit_proof_status = "complete"
            elif data["proofs"]:
                move.credit_proof_status = "partial"
            else:
                move.credit_proof_status = "missing"

    @api.depends(
        "ref",
        "partner_id",
        "invoice_date",
        "invoice_date_due",
        "invoice_line_ids.quantity",
        "invoice_line_ids.price_unit",
        "invoice_line_ids.discount",
        "credit_proof_ids",
        "credit_presend_override",
    )
    def _compute_credit_presend_status(self):
        issues_by_move = self._credit_presend_issues()
        for move in self:
            issues = issues_by_move.get(move.id, [])
            move.credit_presend_issues = "\n".join(issues) or False
            if not issues:
                move.credit_presend_status = "ok"
            elif move.company_id.credit_presend_mode == "block" and not move.credit_presend_override:
                move.credit_presend_status = "blocked"
            else:
                move.credit_presend_status = "warning"

    @api.depends("credit_dispute_ids.state")
    def _compute_credit_in_dispute(self):
        for move in self:
            move.credit_in_dispute = any(dispute.state == "open" for dispute in move.credit_dispute_ids)

    def _compute_credit_dispute_count(self):
        Dispute = self.env["credit.recovery.dispute"]
        # A salesperson reads the invoice, not its disputes: no count, hence no button, rather than an error.
        counts = (
            dict(Dispute._read_group([("move_id", "in", self.ids)], ["move_id"], ["__count"]))
            if Dispute.has_access("read")
            else {}
        )
        for move in self:
            move.credit_dispute_count = counts.get(move, 0)

    def write(self, vals):
        if (
            PRESEND_OVERRIDE_FIELDS & set(vals)
            and not self.env.su
            and not self.env.user.has_group("account_credit_recovery.group_credit_controller")
        ):
            raise AccessError(
                self.env._("Only a Credit Controller can override the pre-send check of an invoice.")
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Proofs
    # ------------------------------------------------------------------
    def _credit_proof_data(self):
        """Proofs and order references of the customer invoices in ``self``, in one search.

        Returns {move_id: {"orders": sale.order, "proofs": credit.recovery.proof, "order_refs": [str]}}.
        """
        invoices = self.filtered(lambda move: move.move_type == "out_invoice")
        if not invoices:
            return {}
        orders_by_move = {move.id: move.invoice_line_ids.sale_line_ids.order_id for move in invoices}
        all_orders = self.env["sale.order"].union(*orders_by_move.values())
        domain = [("move_id", "in", invoices.ids)]
        if all_orders:
            domain = ["|", ("sale_order_id", "in", all_orders.ids), *domain]
        proofs = self.env["credit.recovery.proof"].search(domain)
        by_move = defaultdict(lambda: self.env["credit.recovery.proof"])
        by_order = defaultdict(lambda: self.env["credit.recovery.proof"])
        for proof in proofs:
            if proof.move_id:
                by_move[proof.move_id.id] |= proof
            if proof.sale_order_id:
                by_order[proof.sale_order_id.id] |= proof
        result = {}
        for move in invoices:
            orders = orders_by_move[move.id]
            move_proofs = by_move[move.id]
            for order in orders:
                move_proofs |= by_order[order.id]
            order_refs = [ref for ref in [move.ref, *orders.mapped("client_order_ref")] if ref]
            result[move.id] = {"orders": orders, "proofs": move_proofs, "order_refs": order_refs}
        return result

    def action_credit_proofs(self):
        """The proof documents of the invoice and of its sale orders."""
        self.ensure_one()
        orders = self.invoice_line_ids.sale_line_ids.order_id
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_credit_recovery.credit_recovery_proof_action"
        )
        action.update(
            {
                "domain": ["|", ("move_id", "=", self.id), ("sale_order_id", "in", orders.ids)],
                "context": {"default_move_id": self.id, "default_name": self.name},
            }
        )
        return action

    # ------------------------------------------------------------------
    # Pre-send check
    # ------------------------------------------------------------------
    def _credit_presend_issues(self):
        """What is wrong with each customer invoice before it goes to the customer: {move_id: [message]}."""
        proof_data = self._credit_proof_data()
        result = {}
        for move in self.filtered(lambda move: move.id in proof_data):
            data = proof_data[move.id]
            customer = move.commercial_partner_id.with_company(move.company_id)
            kinds = set(data["proofs"].mapped("kind"))
            issues = []
            if customer.credit_require_order_ref and not data["order_refs"]:
                issues.append(
                    self.env._(
                        "%(customer)s requires its order reference on invoices: enter it in the Customer "
                        "Reference field or on the sale order.",
                        customer=customer.name,
                    )
                )
            issues += move._credit_presend_order_issues()
            if customer.credit_require_delivery_proof and not kinds & DELIVERY_PROOF_KINDS:
                issues.append(
                    self.env._(
                        "%(customer)s requires a proof of delivery: attach a signed delivery note, an acceptance "
                        "report or its e-mail confirming receipt.",
                        customer=customer.name,
                    )
                )
            if customer.credit_require_signed_order:
                order_proofs = data["proofs"].filtered(lambda proof: proof.kind in ORDER_PROOF_KINDS)
                if not order_proofs:
                    issues.append(
                        self.env._(
                            "%(customer)s requires a signed order: attach the signed order or quotation.",
                            customer=customer.name,
                        )
                    )
                elif not any(order_proofs.mapped("can_bind")):
                    issues.append(
                        self.env._(
                            "The signed order of %(customer)s is not signed by a person who can bind it.",
                            customer=customer.name,
                        )
                    )
            issues += move._credit_presend_payment_term_issues()
            result[move.id] = issues
        return result

    def _credit_presend_order_issues(self):
        """Quantities invoiced beyond what was ordered (or delivered) and prices that differ from the order."""
        self.ensure_one()
        issues = []
        price_digits = self.env["decimal.precision"].precision_get("Product Price")
        for line in self.invoice_line_ids.filtered(lambda line: line.display_type == "product"):
            for order_line in line.sale_line_ids.filtered(lambda order_line: not order_line.is_downpayment):
                rounding = order_line.product_uom.rounding
                if order_line.product_id.invoice_policy == "delivery":
                    limit, limit_label = order_line.qty_delivered, self.env._("delivered")
                else:
                    limit, limit_label = order_line.product_uom_qty, self.env._("ordered")
                # qty_invoiced counts every invoice not cancelled, this one included.
                if float_compare(order_line.qty_invoiced, limit, precision_rounding=rounding) > 0:
                    issues.append(
                        self.env._(
                            "%(product)s: %(invoiced)s invoiced in all for %(limit)s %(limit_label)s on %(order)s.",
                            product=line.name or line.product_id.display_name,
                            invoiced=order_line.qty_invoiced,
                            limit=limit,
                            limit_label=limit_label,
                            order=order_line.order_id.name,
                        )
                    )
                if order_line.currency_id != self.currency_id:
                    continue
                if (
                    float_compare(line.price_unit, order_line.price_unit, precision_digits=price_digits) != 0
                    or float_compare(line.discount, order_line.discount, precision_digits=2) != 0
                ):
                    issues.append(
                        self.env._(
                            "%(product)s: unit price %(invoiced)s (discount %(invoiced_discount)s %%) differs from "
                            "the order %(order)s: %(ordered)s (discount %(ordered_discount)s %%).",
                            product=line.name or line.product_id.display_name,
                            invoiced=line.price_unit,
                            invoiced_discount=line.discount,
                            order=order_line.order_id.name,
                            ordered=order_line.price_unit,
                            ordered_discount=order_line.discount,
                        )
                    )
        return issues

    def _credit_presend_payment_term_issues(self):
        """Payment terms beyond the legal cap of French business customers or public buyers (the book's
        definition, ``credit.recovery.book._payment_term_legal_limit``)."""
        self.ensure_one()
        book = self.env["credit.recovery.book"]
        invoice_date = self.invoice_date or fields.Date.context_today(self)
        cap, rule = book._payment_term_legal_limit(self, invoice_date)
        if not cap:
            return []
        due_dates = self.line_ids.filtered(
            lambda line: line.display_type == "payment_term" and line.date_maturity
        ).mapped("date_maturity") or [self.invoice_date_due]
        due_date = max(date for date in due_dates if date) if any(due_dates) else False
        if not due_date or due_date <= cap:
            return []
        if rule == "public":
            return [
                self.env._(
                    "Due on %(due)s: beyond the legal payment period of a public buyer (%(days)s days from the "
                    "receipt of the invoice), here %(cap)s (Code de la commande publique R2192-10 and "
                    "R2192-11).",
                    due=format_date(self.env, due_date),
                    days=self.commercial_partner_id.credit_public_payment_days,
                    cap=format_date(self.env, cap),
                )
            ]
        return [
            self.env._(
                "Due on %(due)s: beyond the legal cap for French companies (60 days from the invoice date or 45 "
                "days end of month), here %(cap)s (Code de commerce L441-10).",
                due=format_date(self.env, due_date),
                cap=format_date(self.env, cap),
            )
        ]

    def _credit_presend_check_allowed(self):
        """Refuse to send or print customer invoices whose pre-send check blocks them."""
        blocked = self.filtered(lambda move: move.credit_presend_status == "blocked")
        if blocked:
            raise UserError(
                self.env._(
                    "The pre-send check blocks these invoices; fix them, or ask a Credit Controller to override "
                    "the check with a reason:\n%(issues)s",
                    issues="\n".join(f"{move.name}:\n{move.credit_presend_issues}" for move in blocked),
                )
            )

    def action_print_pdf(self):
        self._credit_presend_check_allowed()
        return super().action_print_pdf()

    def action_invoice_download_pdf(self):
        self._credit_presend_check_allowed()
        return super().action_invoice_download_pdf()

    def action_credit_presend_override(self):
        """Ask a Credit Controller for the reason to send the invoices despite the pre-send check."""
        if not self.env.user.has_group("account_credit_recovery.group_credit_controller"):
            raise AccessError(
                self.env._("Only a Credit Controller can override the pre-send check of an invoice.")
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override the Pre-send Check"),
            "res_model": "credit.recovery.presend.override.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_ids": self.ids},
        }

    # ------------------------------------------------------------------
    # Bon à payer
    # ------------------------------------------------------------------
    def action_credit_bap(self):
        """Record the customer's answer: invoice received, approved for payment, or disputed."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Bon à Payer"),
            "res_model": "credit.recovery.bap.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_id": self.id},
        }

    @api.model
    def _cron_credit_bon_a_payer(self):
        """Daily: before the due date of large invoices, ask the customer whether it approved them."""
        today = fields.Date.context_today(self)
        open_domain = [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("credit_bap_state", "=", False),
            ("credit_in_dispute", "=", False),
            ("invoice_date_due", ">=", today),
        ]
        companies = [company for [company] in self._read_group(open_domain, ["company_id"])]
        for company in companies:
            if any(level.delay_days < 0 for level in company.credit_default_policy_id.level_ids):
                continue  # the dunning policy's pre-due call level asks for the bon à payer instead
            moves = self.with_company(company).search(
                [
                    *open_domain,
                    ("company_id", "=", company.id),
                    ("invoice_date_due", "<=", today + timedelta(days=company.credit_bap_days_before_due)),
                    ("amount_total_signed", ">=", company.credit_bap_min_amount),
                ]
            )
            moves._credit_activity_schedule_once(
                "account_credit_recovery.mail_activity_type_credit_bap",
                today,
                lambda move: move._credit_bap_activity(),
            )
            moves.credit_bap_state = "pending"
        return True

    def _credit_bap_activity(self):
        """``(summary, note, user)`` of the activity asking whether the customer approved the invoice."""
        self.ensure_one()
        contact = self.commercial_partner_id._credit_recovery_contact("invoice_approver")
        note = self.env._(
            "Call %(contact)s before %(due)s: did the customer receive the invoice, and approve "
            "it for payment? Record the answer with the Bon à Payer button.",
            contact=contact.display_name,
            due=format_date(self.env, self.invoice_date_due),
        )
        return self.env._("Bon à payer of %(invoice)s", invoice=self.name), note, self._credit_einvoice_user()

    # ------------------------------------------------------------------
    # Disputes
    # ------------------------------------------------------------------
    def action_credit_open_dispute(self):
        """Open a dispute on the invoice (all of it, some lines, or an amount)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Open a Dispute"),
            "res_model": "credit.recovery.dispute.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_id": self.id},
        }

    def action_credit_disputes(self):
        """The disputes of the invoice."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_credit_recovery.credit_recovery_dispute_action"
        )
        action.update({"domain": [("move_id", "=", self.id)], "context": {"default_move_id": self.id}})
        return action


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _check_move_constrains(self, moves):
        result = super()._check_move_constrains(moves)
        moves._credit_presend_check_allowed()
        return result

    def _get_alerts(self, moves, moves_data):
        alerts = super()._get_alerts(moves, moves_data)
        warned = moves.filtered(lambda move: move.credit_presend_status == "warning")
        if warned:
            alerts["account_credit_recovery_presend"] = {
                "level": "warning",
                "message": self.env._(
                    "The pre-send check found issues on %(invoices)s:\n%(issues)s",
                    invoices=", ".join(warned.mapped("name")),
                    issues="\n".join(warned.mapped("credit_presend_issues")),
                ),
            }
        return alerts
