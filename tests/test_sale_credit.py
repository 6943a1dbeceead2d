from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestSaleCredit(CreditRecoveryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, credit_recovery_date="2026-03-15"))
        cls.company.write(
            {
                "account_use_credit_limit": True,
                "credit_deposit_percent_low": 0.0,
                "credit_deposit_percent_medium": 10.0,
                "credit_deposit_percent_high": 30.0,
                "credit_deposit_min_amount": 1000.0,
                "credit_hold_overdue_days": 30,
            }
        )
        cls.immediate_term = cls.env.ref("account.account_payment_term_immediate")
        cls.schedule = cls._deposit_schedule()

    # Helpers

    def _order(self, amount, partner=None, user=None, lines=1, **values):
        """A quotation of ``lines`` lines worth ``amount`` in all, excluding 20 % VAT, by the salesman."""
        order_model = self.env["sale.order"].with_user(user or self.salesman)
        return order_model.create(
            {
                "partner_id": (partner or self.customer).id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product_a.id, "product_uom_qty": 1, "price_unit": amount / lines}
                    )
                    for _index in range(lines)
                ],
                **values,
            }
        )

    def _set_level(self, level, partner=None):
        (partner or self.customer).with_user(self.credit_manager).write(
            {"credit_risk_override": level, "credit_risk_override_reason": "Test"}
        )

    def _approve(self, order, reason="Long-standing customer, guaranteed by its parent company."):
        wizard = (
            self.env["credit.recovery.hold.approval.wizard"]
            .with_user(self.credit_manager)
            .create({"order_id": order.id, "reason": reason})
        )
        return wizard.action_approve()

    def _confirm_refused(self, order):
        with self.assertRaises(UserError) as error:
            order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "draft")
        return str(error.exception)

    # Deposit rules

    @freeze_time("2026-03-15")
    def test_deposit_per_risk_level(self):
        order = self._order(1000.0)
        self.assertEqual(order.amount_total, 1200.0)
        self.assertEqual(order.credit_deposit_percent, 0.0)
        self.assertFalse(order.credit_deposit_reason)

        self._set_level("medium")
        order = self._order(1000.0)
        self.assertEqual(order.credit_deposit_percent, 10.0)
        self.assertAlmostEqual(order.credit_deposit_amount, 120.0)

        self._set_level("high")
        order = self._order(1000.0)
        self.assertEqual(order.credit_deposit_percent, 30.0)
        self.assertAlmostEqual(order.credit_deposit_amount, 360.0)
        self.assertIn("Risk level High: 30.00 % deposit", order.credit_deposit_reason)
        # Below the minimum order amount (1,000.00 incl. taxes), no deposit by risk level.
        small = self._order(500.0)
        self.assertEqual(small.credit_deposit_percent, 0.0)
        self.assertEqual(small.credit_deposit_amount, 0.0)

    @freeze_time("2026-03-15")
    def test_deposit_customer_rule(self):
        self.customer.with_user(self.credit_controller).write(
            {
                "credit_deposit_custom": True,
                "credit_deposit_percent": 50.0,
                "credit_deposit_min_amount": 2000.0,
            }
        )
        self.assertEqual(self._order(1000.0).credit_deposit_percent, 0.0)  # 1,200.00 < 2,000.00
        order = self._order(2000.0)
        self.assertEqual(order.credit_deposit_percent, 50.0)
        self.assertAlmostEqual(order.credit_deposit_amount, 1200.0)
        self.assertIn("Customer's deposit rule", order.credit_deposit_reason)
        # Critical customers prepay in full, whatever their own rule.
        self._set_level("critical")
        order = self._order(100.0, credit_prepayment_required=False)
        self.assertEqual(order.credit_deposit_percent, 100.0)
        self.assertIn("critical", order.credit_deposit_reason)
        # Salespeople do not set deposit rules.
        with self.assertRaises(AccessError):
            self.customer.with_user(self.salesman).credit_deposit_percent = 0.0

    @freeze_time("2026-03-15")
    def test_deposit_invoice_and_waiting_state(self):
        self._set_level("high")
        order = self._order(1000.0)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        invoice = order.credit_deposit_invoice_id
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertAlmostEqual(invoice.amount_total, 360.0)
        self.assertEqual(invoice.invoice_payment_term_id, self.immediate_term)
        self.assertEqual(invoice.invoice_date_due, fields.Date.to_date("2026-03-15"))
        self.assertTrue(order.order_line.filtered("is_downpayment"))
        self.assertEqual(order.credit_deposit_state, "waiting")
        self.assertTrue(order._credit_work_blocked())
        self.assertTrue(order.credit_work_blocked)
        with self.assertRaisesRegex(UserError, "wait for their deposit"):
            order.with_user(self.salesman)._create_invoices()
        # A partial payment does not release the work; the full payment does.
        self._pay(invoice, amount=100.0)
        self.assertEqual(order.credit_deposit_state, "waiting")
        self._pay(invoice)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(order.credit_deposit_state, "paid")
        self.assertFalse(order._credit_work_blocked())
        final = order.with_user(self.salesman)._create_invoices(final=True)
        self.assertAlmostEqual(final.amount_total, 1200.0 - 360.0)

    @freeze_time("2026-03-15")
    def test_deposit_lifted_by_credit_manager(self):
        self._set_level("high")
        order = self._order(1000.0)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.credit_deposit_state, "waiting")
        with self.assertRaises(AccessError):
            self.env["credit.recovery.deposit.lift.wizard"].with_user(self.salesman).create(
                {"order_id": order.id, "reason": "Trust me"}
            )
        with self.assertRaises(AccessError):
            order.with_user(self.salesman)._credit_lift_deposit("Trust me")
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).credit_deposit_lifted = True
        action = order.with_user(self.credit_manager).action_credit_open_deposit_lift()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.credit_manager).with_context(**action["context"])
        )
        wizard.reason = "The bank guarantee arrived this morning."
        wizard.save().action_lift()
        self.assertEqual(order.credit_deposit_state, "lifted")
        self.assertFalse(order._credit_work_blocked())
        self.assertIn("The bank guarantee arrived this morning.", order.message_ids[0].body)
        self.assertTrue(order.with_user(self.salesman)._create_invoices(final=True))

    @freeze_time("2026-03-15")
    def test_schedule_instalments(self):
        self.customer.with_user(self.credit_controller).write(
            {"credit_deposit_custom": True, "credit_deposit_schedule_id": self.schedule.id}
        )
        order = self._order(10000.0)
        self.assertEqual(order.credit_deposit_percent, 30.0)
        self.assertEqual(order.credit_deposit_schedule_id, self.schedule)
        order.with_user(self.salesman).action_confirm()
        deposit = order.credit_deposit_invoice_id
        self.assertAlmostEqual(deposit.amount_total, 3600.0)
        self.assertEqual(order.credit_instalment_next_percent, 40.0)
        with self.assertRaisesRegex(UserError, "waits for its deposit"):
            order.with_user(self.salesman).action_credit_invoice_next_instalment()
        self._pay(deposit)
        order.with_user(self.salesman).action_credit_invoice_next_instalment()
        self.assertEqual(order.credit_instalment_count, 1)
        self.assertEqual(order.credit_instalment_next_percent, 30.0)
        order.with_user(self.salesman).action_credit_invoice_next_instalment()
        invoices = order.invoice_ids.sorted("id")
        self.assertEqual(len(invoices), 3)
        self.assertEqual(invoices.mapped("state"), ["posted"] * 3)
        self.assertEqual(
            [round(amount, 2) for amount in invoices.mapped("amount_total")], [3600.0, 4800.0, 3600.0]
        )
        self.assertEqual(order.credit_instalment_next_percent, 0.0)
        with self.assertRaisesRegex(UserError, "no payment left"):
            order.with_user(self.salesman).action_credit_invoice_next_instalment()

    # Credit holds

    @freeze_time("2026-03-15")
    def test_hold_critical_customer(self):
        self._set_level("critical")
        order = self._order(100.0)
        self.assertIn("is at critical risk", order.credit_hold_message)
        message = self._confirm_refused(order)
        self.assertIn("cannot be confirmed on credit", message)
        self.assertIn("Boulangerie Martin SARL is at critical risk:", message)
        self.assertIn("Overridden by a Credit Manager: Test", message)

    @freeze_time("2026-03-15")
    def test_hold_collective_proceedings(self):
        self.customer.with_user(self.credit_controller).credit_collective_proceeding = "receivership"
        message = self._confirm_refused(self._order(100.0))
        self.assertIn(
            "Boulangerie Martin SARL is in collective proceedings (Receivership (redressement judiciaire)).",
            message,
        )

    @freeze_time("2026-03-15")
    def test_hold_credit_limit(self):
        self.customer.with_user(self.credit_manager).credit_limit = 3000.0
        self._invoice(self.customer, 1500.0, "2026-03-10", due_date="2026-04-09")  # 1,800.00 exposure
        order = self._order(1000.0)  # 1,800.00 + 1,200.00 = 3,000.00: at the limit
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        message = self._confirm_refused(self._order(10.0))  # 3,012.00
        self.assertIn("would exceed its credit limit: exposure with this order", message)
        # Without credit limits in the company, no hold.
        self.company.account_use_credit_limit = False
        order = self._order(10.0)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    @freeze_time("2026-03-15")
    def test_hold_overdue_beyond_tolerance(self):
        invoice = self._invoice(self.customer, 100.0, "2026-01-15", due_date="2026-02-13")  # 30 days overdue
        order = self._order(100.0)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.company.credit_hold_overdue_days = 20
        message = self._confirm_refused(self._order(100.0))
        self.assertIn("has 120.00", message)
        self.assertIn("overdue, the oldest for 30 days (tolerance 20 days)", message)
        # Once paid, the customer may order again.
        self._pay(invoice)
        order = self._order(100.0)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    @freeze_time("2026-03-15")
    def test_hold_approval_by_credit_manager(self):
        self.customer.with_user(self.credit_manager).credit_limit = 500.0
        order = self._order(1000.0)
        self.assertIn("would exceed its credit limit", order.credit_hold_message)
        # The salesperson sees why, without access to the accounting figures.
        banners = order.with_user(self.salesman).read(["credit_hold_message", "credit_warning_message"])[0]
        self.assertIn("would exceed its credit limit", banners["credit_hold_message"])
        self._confirm_refused(order)
        # A salesperson approves nothing.
        with self.assertRaises(AccessError):
            self.env["credit.recovery.hold.approval.wizard"].with_user(self.salesman).create(
                {"order_id": order.id, "reason": "Please"}
            )
        with self.assertRaises(AccessError):
            order.with_user(self.salesman)._credit_approve_hold("Please")
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).write({"credit_hold_approved": True})
        with self.assertRaises(UserError):
            self._approve(order, reason=" ")

        action = order.with_user(self.credit_manager).action_credit_open_hold_approval()
        self.assertEqual(action["res_model"], "credit.recovery.hold.approval.wizard")
        wizard = Form(
            self.env[action["res_model"]].with_user(self.credit_manager).with_context(**action["context"])
        )
        self.assertIn("would exceed its credit limit", wizard.hold_message)
        wizard.reason = "Parent company guarantee signed."
        wizard.save().action_approve()
        self.assertTrue(order.credit_hold_approved)
        self.assertEqual(order.credit_hold_approved_by_id, self.credit_manager)
        self.assertFalse(order.credit_hold_message)
        self.assertIn("Parent company guarantee signed.", order.message_ids[0].body)
        self.assertIn("Parent company guarantee signed.", self.customer._credit_trail().message_ids[0].body)
        self.assertNotIn(
            "Parent company guarantee signed.", " ".join(self.customer.message_ids.mapped("body"))
        )
        # The approval covers this order as approved, not a larger one.
        order.order_line[0].with_user(self.salesman).price_unit = 1100.0
        self._confirm_refused(order)
        order.order_line[0].with_user(self.salesman).price_unit = 1000.0
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        # The approval belongs to this order only.
        self.assertFalse(order.copy().credit_hold_approved)
        self._confirm_refused(self._order(1000.0))

    @freeze_time("2026-03-15")
    def test_request_approval_activity(self):
        other_company = self.env["res.company"].create({"name": "Other Company"})
        other_manager = self._company_user(
            "other_credit_manager",
            "base.group_user,account_credit_recovery.group_credit_manager",
            company=other_company,
        )
        self._set_level("critical")
        order = self._order(100.0)
        todo = self.env.ref("mail.mail_activity_data_todo")
        order.with_user(self.salesman).action_credit_request_approval()
        activities = order.activity_ids.filtered(lambda activity: activity.activity_type_id == todo)
        self.assertIn(self.credit_manager, activities.user_id)
        self.assertNotIn(other_manager, activities.user_id)
        self.assertNotIn(self.salesman, activities.user_id)
        self.assertIn(
            "is at critical risk", activities.filtered(lambda a: a.user_id == self.credit_manager).note
        )
        self.assertIn("Credit approval requested by Sam Salesman", order.message_ids[0].body)
        self._approve(order)
        self.assertFalse(order.activity_ids.filtered(lambda activity: activity.activity_type_id == todo))
        # Nothing to request for a customer in good standing.
        self._set_level("low")
        with self.assertRaisesRegex(UserError, "is not on credit hold"):
            self._order(100.0).with_user(self.salesman).action_credit_request_approval()

    @freeze_time("2026-03-15")
    def test_prepay_in_full(self):
        self._set_level("critical")
        order = self._order(100.0)
        self._confirm_refused(order)
        with Form(order.with_user(self.salesman)) as form:
            self.assertIn("is at critical risk", form.credit_hold_message)
            form.credit_prepayment_required = True
            self.assertFalse(form.credit_hold_message)
            self.assertEqual(form.credit_deposit_percent, 100.0)
            self.assertAlmostEqual(form.credit_deposit_amount, 120.0)
        self.assertTrue(order.credit_prepayment_required)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertAlmostEqual(order.credit_deposit_invoice_id.amount_total, 120.0)
        self.assertEqual(order.credit_deposit_state, "waiting")
        self._pay(order.credit_deposit_invoice_id)
        self.assertEqual(order.credit_deposit_state, "paid")

    @freeze_time("2026-03-15")
    def test_paid_online_lifts_hold(self):
        self._set_level("critical")
        order = self._order(100.0)
        transaction = self._online_transaction(order, "TX-CREDIT-1", order.amount_total)
        transaction.state = "done"
        self.assertFalse(order.credit_hold_message)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.credit_deposit_invoice_id)
        self.assertEqual(order.credit_deposit_state, "not_required")
        self.assertFalse(order._credit_work_blocked())

    @freeze_time("2026-03-15")
    def test_order_reference_required(self):
        self.customer.with_user(self.credit_controller).credit_require_order_reference = True
        order = self._order(100.0)
        message = self._confirm_refused(order)
        self.assertIn("requires a signed quotation or its purchase order reference", message)
        order.with_user(self.salesman).client_order_ref = "PO-2026-042"
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        # An online signature does as well.
        signed = self._order(100.0)
        signed.write({"signature": "R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs=", "signed_by": "Jeanne"})
        signed.with_user(self.salesman).action_confirm()
        self.assertEqual(signed.state, "sale")

    @freeze_time("2026-03-15")
    def test_one_exposure_read_per_order(self):
        self.customer.with_user(self.credit_manager).credit_limit = 100000.0
        order = self._order(1000.0, lines=10)
        partner_class = type(self.env["res.partner"])
        original = partner_class._credit_read_amounts
        with patch.object(partner_class, "_credit_read_amounts", autospec=True, side_effect=original) as read:
            order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(read.call_count, 1)

    @freeze_time("2026-03-15")
    def test_multi_company(self):
        other = self.setup_other_company(name="Filiale Lyon SAS")["company"]
        other.write({"credit_deposit_percent_high": 50.0, "credit_deposit_min_amount": 0.0})
        other_manager = self._company_user(
            "lyon_credit_manager",
            "base.group_user,account_credit_recovery.group_credit_manager",
            company=other,
        )
        other_salesman = self._company_user(
            "lyon_salesman", "base.group_user,sales_team.group_sale_salesman", company=other
        )
        # High risk in the main company only; in Lyon, the customer pays a specific 20 % deposit.
        self._set_level("high")
        self.customer.with_company(other).with_user(other_manager).write(
            {"credit_deposit_custom": True, "credit_deposit_percent": 20.0}
        )
        order = self._order(1000.0, user=other_salesman, company_id=other.id)
        self.assertEqual(order.company_id, other)
        self.assertEqual(order.credit_deposit_percent, 20.0)
        self.assertEqual(self._order(1000.0).credit_deposit_percent, 30.0)
        # A Lyon customer at high risk pays Lyon's 50 %.
        self.customer.with_company(other).with_user(other_manager).write(
            {
                "credit_deposit_custom": False,
                "credit_risk_override": "high",
                "credit_risk_override_reason": "x",
            }
        )
        order = self._order(1000.0, user=other_salesman, company_id=other.id)
        self.assertEqual(order.credit_deposit_percent, 50.0)
        order.with_user(other_salesman).action_confirm()
        self.assertEqual(order.credit_deposit_invoice_id.company_id, other)
        self.assertAlmostEqual(order.credit_deposit_invoice_id.amount_total, order.amount_total / 2)
        # A hold in Lyon is for Lyon's Credit Managers.
        self.customer.with_company(other).with_user(other_manager).credit_risk_override = "critical"
        held = self._order(100.0, user=other_salesman, company_id=other.id)
        self.assertIn("critical", held.credit_hold_message)
        self.assertFalse(self._order(100.0).credit_hold_message)
        held.with_user(other_salesman).action_credit_request_approval()
        self.assertIn(other_manager, held.activity_ids.user_id)
        self.assertNotIn(self.credit_manager, held.activity_ids.user_id)
        with self.assertRaises(AccessError):
            self.env["credit.recovery.hold.approval.wizard"].with_user(self.credit_manager).create(
                {"order_id": held.id, "reason": "Not my company"}
            ).action_approve()

    @freeze_time("2026-03-15")
    def test_other_currency(self):
        usd = self.setup_other_currency("USD", rates=[("2026-01-01", 2.0)])  # 1 EUR = 2 USD
        pricelist = self.env["product.pricelist"].create({"name": "USD", "currency_id": usd.id})
        self._set_level("high")
        # 1,000.00 USD excluding taxes = 1,200.00 USD = 600.00 EUR: below the 1,000.00 EUR minimum.
        order = self._order(1000.0, pricelist_id=pricelist.id)
        self.assertEqual(order.currency_id, usd)
        self.assertEqual(order.credit_deposit_percent, 0.0)
        # 2,000.00 USD excluding taxes = 2,400.00 USD = 1,200.00 EUR: a deposit of 720.00 USD.
        order = self._order(2000.0, pricelist_id=pricelist.id)
        self.assertEqual(order.credit_deposit_percent, 30.0)
        self.assertAlmostEqual(order.credit_deposit_amount, 720.0)
        # The limit is in euros: 1,200.00 EUR is within a 1,500.00 EUR limit, 2,400.00 EUR is not.
        self.customer.with_user(self.credit_manager).credit_limit = 1500.0
        self.assertFalse(order.credit_hold_message)
        order.with_user(self.salesman).action_confirm()
        invoice = order.credit_deposit_invoice_id
        self.assertEqual(invoice.currency_id, usd)
        self.assertAlmostEqual(invoice.amount_total, 720.0)
        self.assertAlmostEqual(invoice.amount_total_signed, 360.0)
        self.assertEqual(order.credit_deposit_state, "waiting")
        message = self._confirm_refused(self._order(1000.0, pricelist_id=pricelist.id))
        self.assertIn("would exceed its credit limit", message)

    @freeze_time("2026-03-15")
    def test_delivery_held_until_the_deposit_is_paid(self):
        self._set_level("high")
        order = self._order(1000.0)
        order.with_user(self.salesman).action_confirm()
        picking = order.picking_ids
        self.assertEqual(len(picking), 1)
        self.assertEqual(picking.picking_type_code, "outgoing")
        self.assertIn(order.credit_deposit_invoice_id.name, picking.credit_hold_message)
        picking.move_ids.write({"quantity": 1.0, "picked": True})
        with self.assertRaisesRegex(UserError, "Delivery held"):
            picking.button_validate()
        self.assertNotEqual(picking.state, "done")
        self._pay(order.credit_deposit_invoice_id)
        picking.invalidate_recordset(["credit_hold_message"])
        self.assertFalse(picking.credit_hold_message)
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    @freeze_time("2026-03-15")
    def test_delivery_released_when_the_deposit_is_lifted(self):
        self._set_level("high")
        order = self._order(1000.0)
        order.with_user(self.salesman).action_confirm()
        picking = order.picking_ids
        picking.move_ids.write({"quantity": 1.0, "picked": True})
        self.assertTrue(picking.credit_hold_message)
        order.with_user(self.credit_manager)._credit_lift_deposit("Bank guarantee received.")
        picking.invalidate_recordset(["credit_hold_message"])
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        # Low-risk customers' deliveries are never held.
        low_risk = self.env["res.partner"].create({"name": "Menuiserie Roux", "is_company": True})
        other = self._order(1000.0, partner=low_risk)
        other.with_user(self.salesman).action_confirm()
        self.assertEqual(other.credit_deposit_state, "not_required")
        self.assertFalse(other.picking_ids.credit_hold_message)
