from datetime import date

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

DOUBTFUL_STATES = [
    ("doubtful", "Doubtful"),
    ("provisioned", "Provisioned"),
    ("paid", "Paid"),
    ("written_off", "Written Off"),
]
OPEN_STATES = ("doubtful", "provisioned")


class CreditRecoveryDoubtfulLine(models.Model):
    """One doubtful invoice: its reclassification to 416, its provision (491) and its write-off (654)."""

    _name = "credit.recovery.doubtful.line"
    _description = "Doubtful Receivable"
    _order = "id desc"

    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    partner_id = fields.Many2one(
        related="move_id.commercial_partner_id", string="Customer", store=True, index=True
    )
    company_id = fields.Many2one(related="move_id.company_id", string="Company", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    invoice_date = fields.Date(related="move_id.invoice_date")
    invoice_date_due = fields.Date(related="move_id.invoice_date_due", string="Due Date")
    amount_total = fields.Monetary(
        related="move_id.amount_total_signed", string="Invoice Total", currency_field="currency_id"
    )
    state = fields.Selection(
        DOUBTFUL_STATES, string="Status", required=True, readonly=True, default="doubtful"
    )
    reclass_date = fields.Date(string="Reclassified On", readonly=True, copy=False)
    reclass_move_id = fields.Many2one(
        "account.move", string="Reclassification Entry", readonly=True, copy=False, ondelete="restrict"
    )
    doubtful_move_line_id = fields.Many2one(
        "account.move.line",
        string="Doubtful Item",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        help="The 416 debit of the reclassification entry: the invoice stays open through it.",
    )
    amount_at_risk = fields.Monetary(
        string="At Risk (incl. taxes)",
        currency_field="currency_id",
        compute="_compute_amount_at_risk",
        store=True,
        help="What the customer still owes on the invoice, taxes included.",
    )
    amount_untaxed_at_risk = fields.Monetary(
        string="At Risk (excl. taxes)",
        currency_field="currency_id",
        compute="_compute_amount_at_risk",
        store=True,
        help="The amount at risk without the VAT: the basis of the provision.",
    )
    provision_percent = fields.Float(string="Provision (%)", readonly=True, digits=(5, 2))
    provision_amount = fields.Monetary(
        string="Provisioned",
        currency_field="currency_id",
        readonly=True,
        help="Balance of 491 for the invoice.",
    )
    provision_move_ids = fields.Many2many(
        "account.move",
        "credit_recovery_doubtful_line_provision_move_rel",
        "doubtful_line_id",
        "move_id",
        string="Provision Entries",
        readonly=True,
        copy=False,
    )
    writeoff_date = fields.Date(string="Written Off On", readonly=True, copy=False)
    writeoff_move_id = fields.Many2one(
        "account.move", string="Write-off Entry", readonly=True, copy=False, ondelete="restrict"
    )

    _sql_constraints = [
        ("move_unique", "UNIQUE(move_id)", "An invoice has one doubtful receivable record only."),
        (
            "provision_percent_range",
            "CHECK(provision_percent >= 0 AND provision_percent <= 100)",
            "The provision percentage lies between 0 and 100.",
        ),
        ("provision_amount_positive", "CHECK(provision_amount >= 0)", "The provision cannot be negative."),
    ]

    @api.depends("move_id.amount_residual_signed", "move_id.amount_total_signed", "move_id.amount_tax_signed")
    def _compute_amount_at_risk(self):
        for line in self:
            at_risk = line.move_id.amount_residual_signed
            line.amount_at_risk = at_risk
            line.amount_untaxed_at_risk = at_risk - line._credit_vat_at_risk(at_risk)

    @api.depends("move_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = line.move_id.name or ""

    @api.ondelete(at_uninstall=False)
    def _unlink_except_booked(self):
        if any(line.reclass_move_id or line.provision_move_ids or line.writeoff_move_id for line in self):
            raise UserError(self.env._("A doubtful receivable with accounting entries cannot be deleted."))

    def action_view_entries(self):
        """Every entry booked for the doubtful receivable."""
        self.ensure_one()
        moves = self.reclass_move_id | self.provision_move_ids | self.writeoff_move_id
        return moves._get_records_action(name=self.env._("Entries of %(invoice)s", invoice=self.move_id.name))

    def action_open_wizard(self):
        """Adjust the provision or write off, through the wizard (operation given by the button's context)."""
        return self.env["credit.recovery.doubtful.wizard"]._credit_action(
            self.move_id, self.env.context.get("credit_doubtful_operation", "provision")
        )

    # ------------------------------------------------------------------
    # Business logic
    # ------------------------------------------------------------------

    def _credit_vat_at_risk(self, amount, rounded=True):
        """The VAT share of ``amount`` (taxes included), in the invoice's ratio tax / total."""
        self.ensure_one()
        invoice = self.move_id
        if not invoice.amount_total_signed:
            return 0.0
        vat = amount * invoice.amount_tax_signed / invoice.amount_total_signed
        return self.currency_id.round(vat) if rounded else vat

    @api.model
    def _credit_check_manager(self):
        if not self.env.user.has_group("account_credit_recovery.group_credit_manager"):
            raise AccessError(self.env._("Only a Credit Manager can book doubtful receivable entries."))

    @api.model
    def _credit_check_invoices(self, invoices):
        if not invoices:
            raise UserError(self.env._("Select at least one customer invoice."))
        for invoice in invoices:
            if invoice.move_type != "out_invoice" or invoice.state != "posted":
                raise UserError(
                    self.env._(
                        "%(invoice)s is not a posted customer invoice: only those can become doubtful.",
                        invoice=invoice.display_name,
                    )
                )
        invoices.company_id._credit_check_french_chart()

    @api.model
    def _credit_get_or_create(self, invoices):
        """The doubtful records of ``invoices``, created for those that have none."""
        self._credit_check_invoices(invoices)
        existing = self.search([("move_id", "in", invoices.ids)])
        missing = invoices - existing.move_id
        return existing | self.create([{"move_id": invoice.id} for invoice in missing])

    def _credit_check_open(self):
        for line in self:
            if line.state not in OPEN_STATES:
                raise UserError(
                    self.env._(
                        "The doubtful receivable %(invoice)s is closed (%(state)s).",
                        invoice=line.move_id.name,
                        state=dict(self._fields["state"]._description_selection(self.env))[line.state],
                    )
                )

    def _credit_labels_env(self, company):
        # Entry labels in the company's language: they are read by its accountants and auditors.
        return self.with_context(lang=company.partner_id.lang or self.env.lang).env

    def _credit_post_entry(self, company, journal, date, ref, line_vals):
        """Create and post one balanced miscellaneous entry."""
        move = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "entry",
                    "company_id": company.id,
                    "journal_id": journal.id,
                    "date": date,
                    "ref": ref,
                    "line_ids": [Command.create(vals) for vals in line_vals],
                }
            )
        )
        move.action_post()
        return move

    @api.model
    def _credit_reclassify(self, invoices, date, journal=None):
        """Move the open receivables of ``invoices`` from 411 to 416: one entry per company, two lines per invoice."""
        self._credit_check_manager()
        self._credit_check_invoices(invoices)
        # Everything is checked before the first write: a refusal leaves nothing behind.
        for invoice in invoices:
            if invoice.credit_doubtful_move_line_id:
                raise UserError(
                    self.env._("%(invoice)s is already a doubtful receivable.", invoice=invoice.name)
                )
            if invoice.currency_id.is_zero(
                sum(invoice._credit_open_receivables().mapped("amount_residual_currency"))
            ):
                raise UserError(
                    self.env._(
                        "%(invoice)s has nothing left to pay: nothing to reclassify.", invoice=invoice.name
                    )
                )
        for company in invoices.company_id:
            company._credit_doubtful_account("credit_doubtful_account_id")
            if not journal:
                company._credit_doubtful_journal()
        records = self._credit_get_or_create(invoices)
        records._credit_check_open()
        result = self.browse()
        for company, company_records in records.grouped("company_id").items():
            env = self._credit_labels_env(company)
            account_416 = company._credit_doubtful_account("credit_doubtful_account_id")
            journal_used = journal or company._credit_doubtful_journal()
            line_vals = []
            for record in company_records:
                invoice = record.move_id
                receivables = invoice._credit_open_receivables()
                label = env._("Reclassification as doubtful receivable - %(invoice)s", invoice=invoice.name)
                line_vals.append(
                    {
                        "name": label,
                        "account_id": account_416.id,
                        "partner_id": invoice.commercial_partner_id.id,
                        "currency_id": invoice.currency_id.id,
                        "amount_currency": sum(receivables.mapped("amount_residual_currency")),
                        "balance": sum(receivables.mapped("amount_residual")),
                        **record._credit_debt_values(receivables),
                    }
                )
                line_vals += [
                    {
                        "name": label,
                        "account_id": receivable.account_id.id,
                        "partner_id": receivable.partner_id.id,
                        "currency_id": receivable.currency_id.id,
                        "amount_currency": -receivable.amount_residual_currency,
                        "balance": -receivable.amount_residual,
                    }
                    for receivable in receivables
                ]
            ref = env._(
                "Reclassification as doubtful receivables - %(invoices)s",
                invoices=", ".join(company_records.move_id.mapped("name")),
            )
            move = self._credit_post_entry(company, journal_used, date, ref, line_vals)
            # The entry's lines keep the order of creation: per invoice, the 416 debit then its 411 credits.
            move_lines = iter(move.line_ids.sorted("id"))
            for record in company_records:
                line_416 = next(move_lines)
                for receivable in record.move_id._credit_open_receivables():
                    # Not a receipt: no cash-basis entry, the VAT due on receipt stays pending until the
                    # customer pays the 416 item (``account_partial_reconcile_doubtful``) or the write-off.
                    (receivable | next(move_lines)).with_context(
                        credit_doubtful_internal=True, no_cash_basis=True
                    ).reconcile()
                record.write(
                    {
                        "reclass_move_id": move.id,
                        "reclass_date": date,
                        "doubtful_move_line_id": line_416.id,
                    }
                )
                record.move_id.credit_doubtful_move_line_id = line_416
                record.move_id.message_post(
                    body=self.env._(
                        "Reclassified as a doubtful receivable (416) by %(entry)s.", entry=move.name
                    ),
                    subtype_xmlid="mail.mt_note",
                )
            result |= company_records
        return result

    def _credit_debt_values(self, receivables):
        """What the 416 item keeps of the invoice's open ``receivables``: it is the same debt, not a new one.

        Its due date is the earliest one of the instalments it carries (the days late of the debt go on),
        and the dunning level the most advanced of them reached (the run goes on from it, it does not
        start again); an item excluded from the dunning stays excluded.
        """
        self.ensure_one()
        leveled = receivables.filtered("credit_recovery_level_id").sorted(
            lambda line: (
                line.credit_recovery_level_id.delay_days,
                line.credit_recovery_level_date or date.min,
            )
        )
        excluded = receivables.filtered("credit_recovery_excluded")[:1]
        dues = [line.date_maturity for line in receivables if line.date_maturity]
        return {
            "date_maturity": min(dues) if dues else self.move_id.invoice_date_due,
            "credit_recovery_level_id": leveled[-1:].credit_recovery_level_id.id,
            "credit_recovery_level_date": leveled[-1:].credit_recovery_level_date,
            "credit_recovery_excluded": bool(excluded),
            "credit_recovery_exclusion_reason": excluded.credit_recovery_exclusion_reason,
        }

    def _credit_set_provision(self, percent, date, journal=None):
        """Bring the provision of each record to ``percent`` of its amount at risk excluding taxes."""
        self._credit_check_manager()
        if percent is None or not 0.0 <= percent <= 100.0:
            raise UserError(self.env._("The provision percentage lies between 0 and 100."))
        self.move_id.company_id._credit_check_french_chart()
        self._credit_check_open()
        for record in self:
            if record.currency_id.is_zero(record.amount_at_risk):
                raise UserError(
                    self.env._(
                        "%(invoice)s has nothing left at risk to provision.", invoice=record.move_id.name
                    )
                )
            # From the unrounded amount excluding taxes, so that 80 % of 1,000.00 incl. 20 % VAT is 666.67.
            untaxed = record.amount_at_risk - record._credit_vat_at_risk(record.amount_at_risk, rounded=False)
            target = record.currency_id.round(untaxed * percent / 100.0)
            record._credit_book_provision(target - record.provision_amount, date, journal)
            record.write(
                {
                    "provision_percent": percent,
                    "provision_amount": target,
                    "state": "provisioned" if not record.currency_id.is_zero(target) else "doubtful",
                }
            )
        return True

    def _credit_book_provision(self, difference, date, journal=None):
        """Post a dotation (6817 / 491) for a positive ``difference``, a reversal (491 / 7817) for a negative one."""
        self.ensure_one()
        if self.currency_id.is_zero(difference):
            return self.env["account.move"]
        company = self.company_id
        env = self._credit_labels_env(company)
        account_491 = company._credit_doubtful_account("credit_provision_account_id")
        partner = self.move_id.commercial_partner_id
        if difference > 0:
            counterpart = company._credit_doubtful_account("credit_provision_expense_account_id")
            label = env._("Impairment of doubtful receivable - %(invoice)s", invoice=self.move_id.name)
        else:
            counterpart = company._credit_doubtful_account("credit_provision_income_account_id")
            label = env._(
                "Impairment reversal of doubtful receivable - %(invoice)s", invoice=self.move_id.name
            )
        move = self._credit_post_entry(
            company,
            journal or company._credit_doubtful_journal(),
            date,
            label,
            [
                {
                    "name": label,
                    "account_id": counterpart.id,
                    "partner_id": partner.id,
                    "balance": difference,
                },
                {
                    "name": label,
                    "account_id": account_491.id,
                    "partner_id": partner.id,
                    "balance": -difference,
                },
            ],
        )
        self.provision_move_ids = [Command.link(move.id)]
        return move

    def _credit_reverse_provision(self, date, journal=None):
        """Reverse what remains of the provision (491 / 7817)."""
        for record in self:
            record._credit_book_provision(-record.provision_amount, date, journal)
        self.write({"provision_amount": 0.0})

    def _credit_write_off(self, date, journal=None):
        """Book the definitive loss: 654 for the amount excluding taxes, the VAT (44571, or 44574 for a tax due
        on receipt), against 416 (or 411)."""
        self._credit_check_manager()
        self.move_id.company_id._credit_check_french_chart()
        self._credit_check_open()
        for record in self:
            invoice = record.move_id
            company = record.company_id
            env = self._credit_labels_env(company)
            open_items = (record.doubtful_move_line_id | invoice.line_ids).filtered(
                lambda line, doubtful_item=record.doubtful_move_line_id: (
                    (line.account_type == "asset_receivable" or line == doubtful_item)
                    and not line.reconciled
                    and line.amount_residual
                )
            )
            at_risk = sum(open_items.mapped("amount_residual"))
            if record.currency_id.compare_amounts(at_risk, 0.0) <= 0:
                raise UserError(
                    self.env._("%(invoice)s has nothing left to write off.", invoice=invoice.name)
                )
            # The VAT of the unpaid amount, per tax: recovered on 44571, or cancelled on the pending account of
            # a tax due on receipt (CGI 269-2-c, 272-1); refused without the evidence the law asks for.
            vat_lines = record._credit_writeoff_vat_lines(at_risk, env)
            vat = sum(vals["balance"] for vals in vat_lines)
            fiscal_year_start = company.compute_fiscalyear_dates(date)["date_from"]
            loss_prefixes = ("6544", "654") if invoice.date < fiscal_year_start else ("6541", "654")
            loss_account = company._credit_doubtful_account("credit_loss_account_id", loss_prefixes)
            partner = invoice.commercial_partner_id
            label = env._("Irrecoverable receivable written off - %(invoice)s", invoice=invoice.name)
            line_vals = [
                {
                    "name": label,
                    "account_id": loss_account.id,
                    "partner_id": partner.id,
                    "balance": at_risk - vat,
                },
                *vat_lines,
            ]
            for item in open_items:
                line_vals.append(
                    {
                        "name": label,
                        "account_id": item.account_id.id,
                        "partner_id": item.partner_id.id,
                        "currency_id": item.currency_id.id,
                        "amount_currency": -item.amount_residual_currency,
                        "balance": -item.amount_residual,
                    }
                )
            move = self._credit_post_entry(
                company, journal or company._credit_doubtful_journal(), date, label, line_vals
            )
            for item in open_items:
                counterpart = move.line_ids.filtered(
                    lambda line, item=item: line.account_id == item.account_id and line.balance < 0
                )
                # Not a receipt: no cash basis entry, the pending VAT is reversed by the write-off itself.
                (item | counterpart).with_context(
                    credit_doubtful_internal=True, no_cash_basis=True
                ).reconcile()
            record._credit_reverse_provision(date, journal)
            record.write({"state": "written_off", "writeoff_move_id": move.id, "writeoff_date": date})
            invoice.message_post(
                body=self.env._("Written off as irrecoverable by %(entry)s.", entry=move.name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    @api.model
    def _credit_settle_paid(self, move_lines):
        """Close the doubtful records whose invoice ``move_lines`` just paid, reversing their provision."""
        if not move_lines:
            return
        # sudo: whoever reconciles the payment (an accountant without the credit rights) releases the provision.
        records = self.sudo().search(
            [
                ("state", "in", OPEN_STATES),
                "|",
                ("doubtful_move_line_id", "in", move_lines.ids),
                ("move_id", "in", move_lines.move_id.ids),
            ]
        )
        paid = records.filtered(
            lambda record: record.currency_id.is_zero(record.move_id.amount_residual_signed)
        )
        today = fields.Date.context_today(self)
        for company_records in paid.grouped("company_id").values():
            company_records._credit_reverse_provision(today)
            company_records.write({"state": "paid"})
