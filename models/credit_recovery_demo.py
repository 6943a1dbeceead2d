from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models

DEMO_PENDING = "account_credit_recovery.demo_book_pending"
# (customer xml id, untaxed amount, days since the invoice, days of payment term, days late it was paid or None)
PAID_HISTORY = [
    ("partner_on_time_demo", 1800.0, 150, 30, -3),
    ("partner_on_time_demo", 2400.0, 110, 30, -1),
    ("partner_on_time_demo", 950.0, 75, 30, -2),
    ("partner_late_payer_demo", 3200.0, 160, 30, 12),
    ("partner_late_payer_demo", 1500.0, 120, 30, 8),
    ("partner_late_payer_demo", 2750.0, 85, 30, 15),
    ("partner_late_payer_demo", 980.0, 60, 30, 4),
]


class CreditRecoveryDemo(models.AbstractModel):
    """Demo data only: the receivable book of the demo company, dated relative to today."""

    _name = "credit.recovery.demo"
    _description = "Credit Recovery Demo Data"

    @api.model
    def _schedule_demo_book(self):
        """Called by the demo data: the book is loaded once the registry is complete (see _register_hook),
        as a chart of accounts must not be loaded into a company while modules are still loading."""
        self.env["ir.config_parameter"].sudo().set_param(DEMO_PENDING, "1")

    def _register_hook(self):
        result = super()._register_hook()
        params = self.env["ir.config_parameter"].sudo()
        if params.get_param(DEMO_PENDING):
            params.set_param(DEMO_PENDING, False)
            self.sudo()._load_demo_book()
        return result

    @api.model
    def _load_demo_book(self):
        company = self.env.ref(
            "account_credit_recovery.company_ateliers_dupont_demo", raise_if_not_found=False
        )
        if not company or self.env["account.move"].search_count([("company_id", "=", company.id)], limit=1):
            return  # not a demo database, or already loaded
        self.env["account.chart.template"].try_loading("fr", company=company, install_demo=False)
        env = (
            self.with_company(company)
            .with_context(tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
            .env
        )
        ref = self.env.ref
        admin = ref("base.user_admin")
        # The demo's Credit Controller follows the demo customers (admin when that user was removed).
        controller = (
            ref("account_credit_recovery.user_credit_controller_demo", raise_if_not_found=False) or admin
        )
        company.partner_id.bank_ids = [
            Command.create({"acc_number": "FR76 3000 6000 0112 3456 7890 189", "company_id": company.id})
        ]
        customers = {
            xmlid: ref(f"account_credit_recovery.{xmlid}").with_company(company)
            for xmlid in (
                "partner_on_time_demo",
                "partner_late_payer_demo",
                "partner_ten_days_demo",
                "partner_broken_promise_demo",
                "partner_dispute_demo",
                "partner_payment_plan_demo",
                "partner_formal_notice_demo",
                "partner_consumer_demo",
                "partner_proceedings_demo",
                "partner_english_demo",
            )
        }
        for partner in customers.values():
            partner.sudo().write(
                {
                    "credit_controller_id": controller.id,
                    "user_id": admin.id,
                    "credit_limit": 20000.0 if partner.is_company else 3000.0,
                }
            )
        today = fields.Date.context_today(self)
        tax = env["account.tax"].search(
            [("company_id", "=", company.id), ("type_tax_use", "=", "sale"), ("amount", "=", 20.0)], limit=1
        )
        product = env["product.product"].create(
            {
                "name": "Agencement sur mesure",
                "type": "service",
                "list_price": 1000.0,
                "taxes_id": [Command.set(tax.ids)],
                "company_id": company.id,
            }
        )

        def invoice(partner, amount, days_ago, term_days, post=True):
            move = env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "invoice_date": today - relativedelta(days=days_ago),
                    "invoice_date_due": today - relativedelta(days=days_ago - term_days),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "price_unit": amount,
                                "tax_ids": [Command.set(tax.ids)],
                            }
                        )
                    ],
                }
            )
            if post:
                move.action_post()
            return move

        def pay(moves, on, amount=None):
            values = {"payment_date": on}
            if amount is not None:
                values["amount"] = amount
            wizard = (
                env["account.payment.register"]
                .with_context(active_model="account.move", active_ids=moves.ids)
                .create(values)
            )
            return wizard._create_payments()

        for xmlid, amount, days_ago, term, late in PAID_HISTORY:
            move = invoice(customers[xmlid], amount, days_ago, term)
            pay(move, move.invoice_date_due + relativedelta(days=late))
        # Open, not due yet.
        invoice(customers["partner_on_time_demo"], 2100.0, 10, 30)
        invoice(customers["partner_late_payer_demo"], 1750.0, 12, 30)
        invoice(customers["partner_english_demo"], 4200.0, 20, 30)
        # 10 days overdue: the first reminder goes today.
        invoice(customers["partner_ten_days_demo"], 1350.0, 40, 30)
        # 45 days overdue, called at J+3, promised to pay 10 days ago, did not.
        levels = company.credit_default_policy_id._ordered_levels()
        by_delay = {level.delay_days: level for level in levels}
        morel = customers["partner_broken_promise_demo"]
        late = invoice(morel, 4800.0, 75, 30)
        late_line = late.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        # And a second invoice, not due yet: on its page it pays the late one and promises this one.
        invoice(morel, 1200.0, 5, 30)
        call = env["credit.recovery.action"].create(
            {
                "partner_id": morel.id,
                "company_id": company.id,
                "level_id": by_delay[3].id,
                "channel": "phone",
                "state": "done",
                "date": today - relativedelta(days=42),
                "user_id": controller.id,
                "line_ids": [Command.set(late_line.ids)],
                "amount_due": late.amount_residual,
                "amount_overdue": late.amount_residual,
                "outcome": "Cash-flow difficulties, promised to pay the whole invoice.",
            }
        )
        late_line.credit_recovery_level_id = by_delay[3]
        env["credit.recovery.promise"].create(
            {
                "partner_id": morel.id,
                "company_id": company.id,
                "amount": late.amount_residual,
                "date": today - relativedelta(days=10),
                "action_id": call.id,
                "residual_at_promise": late.amount_residual,
            }
        )
        # A disputed invoice: the customer contests the quantities; it is not reminded meanwhile.
        disputed = invoice(customers["partner_dispute_demo"], 2600.0, 50, 30)
        env["credit.recovery.dispute"].create(
            {
                "move_id": disputed.id,
                "reason": "quantity",
                "amount_disputed": 1560.0,
                "owner_id": controller.id,
                "expected_date": today + relativedelta(days=5),
                "description": "Two doors invoiced, one delivered: the customer awaits a credit note.",
            }
        )
        # A signed payment plan: 30 % paid at signature, the rest in two payments to come.
        bellevue = customers["partner_payment_plan_demo"]
        planned = invoice(bellevue, 5000.0, 55, 30)
        plan = env["credit.recovery.plan"].create(
            {
                "partner_id": bellevue.id,
                "company_id": company.id,
                "line_ids": [
                    Command.set(
                        planned.line_ids.filtered(lambda line: line.account_type == "asset_receivable").ids
                    )
                ],
                "instalment_count": 3,
                "first_percent": 30.0,
                "interval_days": 15,
            }
        )
        plan.with_context(credit_recovery_date=today - relativedelta(days=10)).action_generate_instalments()
        for index, instalment in enumerate(plan.instalment_ids.sorted("date")):
            instalment.date = today - relativedelta(days=10) + relativedelta(days=15 * index)
        plan.date_signed = today - relativedelta(days=10)
        plan.action_sign()
        pay(planned, today - relativedelta(days=10), amount=plan.instalment_ids.sorted("date")[0].amount)
        # 36 days overdue, reminded at J+7, J+14 and J+21 (letter): today's run proposes the formal
        # notice, to validate by a Credit Manager. Its new quotation cannot be confirmed on credit.
        bernard = customers["partner_formal_notice_demo"]
        notice = invoice(bernard, 7400.0, 66, 30)
        notice_line = notice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        # A sound claim: the signed order and the signed delivery note, so the notice can be validated.
        env["credit.recovery.proof"].create(
            [
                {
                    "name": "Bon de commande signé",
                    "kind": "signed_order",
                    "move_id": notice.id,
                    "date": notice.invoice_date - relativedelta(days=10),
                    "signatory_name": "Luc Bernard",
                    "signatory_function": "Président",
                    "can_bind": True,
                },
                {
                    "name": "Bon de livraison signé",
                    "kind": "delivery_note",
                    "move_id": notice.id,
                    "date": notice.invoice_date,
                },
            ]
        )
        for delay in (7, 14, 21):
            level = by_delay[delay]
            env["credit.recovery.action"].create(
                {
                    "partner_id": bernard.id,
                    "company_id": company.id,
                    "level_id": level.id,
                    "channel": level.channel,
                    "state": "done",
                    "date": notice.invoice_date_due + relativedelta(days=delay),
                    "user_id": controller.id,
                    "line_ids": [Command.set(notice_line.ids)],
                    "amount_due": notice.amount_residual,
                    "amount_overdue": notice.amount_residual,
                    "printed": level.channel == "letter",
                }
            )
        notice_line.credit_recovery_level_id = by_delay[21]
        env["sale.order"].create(
            {
                "partner_id": bernard.id,
                "company_id": company.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 3, "price_unit": 1000.0})
                ],
            }
        )
        # A good customer's order, confirmed: it counts in its exposure until invoiced.
        order = env["sale.order"].create(
            {
                "partner_id": customers["partner_on_time_demo"].id,
                "company_id": company.id,
                "client_order_ref": "BC-2026-0417",
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 2, "price_unit": 1450.0})
                ],
            }
        )
        order.action_confirm()
        # Odoo's demo payment provider, when installed, lets the customer pay on its page.
        self._credit_demo_payment_provider(company)
        # A consumer, 15 days late.
        invoice(customers["partner_consumer_demo"], 850.0, 45, 30)
        # In receivership: the run leaves it alone, the claim goes to the mandataire.
        invoice(customers["partner_proceedings_demo"], 6300.0, 70, 30)
        return True

    @api.model
    def _credit_demo_payment_provider(self, company):
        """Odoo's demo payment provider (add-on ``payment_demo``) in ``company``, in test mode and published,
        paying into the company's bank journal; an empty recordset when ``payment_demo`` is not installed.

        The demo and the tests pay on the customer's page with it; the module itself needs no provider.
        """
        Provider = self.env["payment.provider"].sudo()
        if self.env["ir.module.module"]._get("payment_demo").state != "installed":
            return Provider
        provider = Provider.search([("code", "=", "demo"), ("company_id", "=", company.id)], limit=1)
        if not provider:
            template = Provider.search([("code", "=", "demo")], order="id", limit=1)
            provider = template.copy({"company_id": company.id})
        journal = self.env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "bank")], order="id", limit=1
        )
        provider.write({"state": "test", "is_published": True, "journal_id": journal.id})
        return provider
