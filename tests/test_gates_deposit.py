from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestGatesDeposit(CreditRecoveryCommon):
    """Deposits and credit holds hold whoever calls the ORM: only the module and Credit Managers decide."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, credit_recovery_date="2026-03-15"))
        cls.company.write({"account_use_credit_limit": True, "credit_deposit_min_amount": 0.0})
        cls.liquidated = cls.env["res.partner"].create(
            {"name": "Menuiserie en Liquidation SAS", "is_company": True, "lang": "fr_FR"}
        )
        cls.liquidated.with_user(cls.credit_controller).write(
            {"credit_collective_proceeding": "liquidation", "credit_collective_proceeding_date": "2026-03-01"}
        )
        cls.other_salesman = cls._company_user(
            "other_salesman", "base.group_user,sales_team.group_sale_salesman"
        )
        cls.employee = cls._company_user("plain_employee", "base.group_user")
        cls.schedule = cls._deposit_schedule()

    def _order(self, partner, amount=1000.0, **values):
        """A quotation of ``amount`` excluding 20 % VAT, written by the salesman."""
        return (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product_a.id, "product_uom_qty": 1, "price_unit": amount}
                        )
                    ],
                    **values,
                }
            )
        )

    def _prepaid_order(self):
        """The reproduced case: a 100 % prepayment order of a customer in liquidation, confirmed."""
        order = self._order(self.liquidated, credit_prepayment_required=True)
        order.with_user(self.salesman).action_confirm()
        return order

    def _assert_blocked(self, order):
        self.assertTrue(order._credit_work_blocked())
        with self.assertRaisesRegex(UserError, "wait for their deposit"):
            order.with_user(self.salesman)._create_invoices(final=True)
        picking = order.picking_ids
        picking.move_ids.write({"quantity": 1.0, "picked": True})
        with self.assertRaisesRegex(UserError, "Delivery held"):
            picking.button_validate()
        self.assertNotEqual(picking.state, "done")
        self.assertEqual(order.invoice_ids, order.credit_deposit_invoice_id)

    @freeze_time("2026-03-15")
    def test_salesperson_cannot_unblock_a_prepayment_order(self):
        order = self._prepaid_order()
        deposit = order.credit_deposit_invoice_id
        self.assertEqual(order.credit_deposit_state, "waiting")
        self.assertAlmostEqual(deposit.amount_total, 1200.0)
        refused = (
            {"credit_deposit_invoice_id": False},
            {"credit_deposit_state": "not_required"},
            {"credit_deposit_percent": 0.0},
            {"credit_deposit_amount": 0.0},
            {"credit_deposit_reason": "None"},
            {"credit_instalment_count": 3},
            {"credit_deposit_lifted": True},
            {"credit_hold_approved": True},
            {"credit_hold_approved_company_amount": 1000000.0},
        )
        for values in refused:
            with self.subTest(values=values), self.assertRaises(AccessError):
                order.with_user(self.salesman).write(values)
        order.invalidate_recordset()
        self.assertEqual(order.credit_deposit_invoice_id, deposit)
        self.assertEqual(order.credit_deposit_state, "waiting")
        self.assertEqual(order.credit_deposit_percent, 100.0)
        self.assertAlmostEqual(order.credit_deposit_amount, 1200.0)
        self.assertEqual(order.credit_instalment_count, 0)
        self.assertFalse(order.credit_deposit_lifted)
        self._assert_blocked(order)
        # Nor can a salesperson create an order already approved or without its deposit.
        count = self.env["sale.order"].search_count([("partner_id", "=", self.liquidated.id)])
        for values in ({"credit_hold_approved": True}, {"credit_deposit_amount": 0.0}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                self._order(self.liquidated, **values)
        self.assertEqual(
            self.env["sale.order"].search_count([("partner_id", "=", self.liquidated.id)]), count
        )

    @freeze_time("2026-03-15")
    def test_work_released_by_the_payment_not_a_stored_flag(self):
        order = self._prepaid_order()
        deposit = order.credit_deposit_invoice_id
        # Even a stored status written behind the module's back does not release the work.
        order.sudo().write({"credit_deposit_state": "paid"})
        self._assert_blocked(order)
        # Nor does a deposit invoice unlinked by a Credit Manager: the deposit is still awaited.
        order.with_user(self.credit_manager).write({"credit_deposit_invoice_id": False})
        self.assertEqual(order.credit_deposit_state, "waiting")
        self.assertTrue(order._credit_work_blocked())
        order.with_user(self.credit_manager).write({"credit_deposit_invoice_id": deposit.id})
        self._pay(deposit)
        self.assertEqual(order.credit_deposit_state, "paid")
        self.assertFalse(order._credit_work_blocked())
        order.picking_ids.button_validate()
        self.assertEqual(order.picking_ids.state, "done")

    @freeze_time("2026-03-15")
    def test_next_instalment_rights_and_count(self):
        customer = self.env["res.partner"].create({"name": "Atelier Dupuis", "is_company": True})
        customer.with_user(self.credit_controller).write(
            {"credit_deposit_custom": True, "credit_deposit_schedule_id": self.schedule.id}
        )
        order = self._order(customer, amount=10000.0)
        order.with_user(self.salesman).action_confirm()
        self._pay(order.credit_deposit_invoice_id)
        self.assertEqual(order.credit_instalment_next_percent, 40.0)
        for user in (self.employee, self.other_salesman):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                order.with_user(user).action_credit_invoice_next_instalment()
        self.assertEqual(order.credit_instalment_count, 0)
        self.assertEqual(len(order.invoice_ids), 1)
        order.with_user(self.salesman).action_credit_invoice_next_instalment()
        self.assertEqual(order.credit_instalment_count, 1)
        # The count decides what is invoiced next: a salesperson cannot rewind it to invoice 40 % again.
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).write({"credit_instalment_count": 0})
        self.assertEqual(order.credit_instalment_count, 1)
        order.with_user(self.salesman).action_credit_invoice_next_instalment()
        with self.assertRaisesRegex(UserError, "no payment left"):
            order.with_user(self.salesman).action_credit_invoice_next_instalment()
        invoices = order.invoice_ids.sorted("id")
        self.assertEqual(
            [round(amount, 2) for amount in invoices.mapped("amount_total")], [3600.0, 4800.0, 3600.0]
        )
        self.assertEqual(invoices.mapped("state"), ["posted"] * 3)

    @freeze_time("2026-03-15")
    def test_approval_binds_customer_currency_and_amount(self):
        self.customer.with_user(self.credit_manager).credit_limit = 500.0
        order = self._order(self.customer)
        self.assertIn("would exceed its credit limit", order.credit_hold_message)
        order.with_user(self.credit_manager)._credit_approve_hold("Parent company guarantee.")
        self.assertEqual(order.credit_hold_approved_partner_id, self.customer)
        self.assertEqual(order.credit_hold_approved_company_id, self.company)
        self.assertEqual(order.credit_hold_approved_currency_id, self.currency)
        self.assertAlmostEqual(order.credit_hold_approved_company_amount, 1200.0)
        self.assertFalse(order.credit_hold_message)
        # The customer is shared between companies: the company's credit trail tells who approved, without
        # the figures; the customer's chatter tells nothing.
        note = self.customer._credit_trail().message_ids[0].body
        self.assertNotIn("Parent company guarantee.", " ".join(self.customer.message_ids.mapped("body")))
        self.assertIn("Parent company guarantee.", note)
        self.assertNotIn("€", note)
        self.assertNotIn("credit limit", note)

        # Another customer on the approved order: the approval is void, also once the customer is back.
        other = self.env["res.partner"].create({"name": "Garage Lemoine", "is_company": True})
        order.with_user(self.salesman).partner_id = other
        self.assertFalse(order.credit_hold_approved)
        self.assertIn("Credit approval of", order.message_ids[0].body)
        order.with_user(self.salesman).partner_id = self.customer
        self.assertIn("would exceed its credit limit", order.credit_hold_message)
        with self.assertRaises(UserError):
            order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "draft")

        # A line added after the approval voids it.
        order.with_user(self.credit_manager)._credit_approve_hold("Guarantee renewed.")
        order.with_user(self.salesman).write(
            {
                "order_line": [
                    Command.create(
                        {"product_id": self.product_a.id, "product_uom_qty": 1, "price_unit": 100.0}
                    )
                ]
            }
        )
        self.assertFalse(order.credit_hold_approved)
        with self.assertRaises(UserError):
            order.with_user(self.salesman).action_confirm()

        # A pricelist in another currency voids it too, even for a smaller amount.
        order.with_user(self.salesman).write({"order_line": [Command.unlink(order.order_line[-1].id)]})
        order.with_user(self.credit_manager)._credit_approve_hold("Guarantee renewed again.")
        other_currency = self.setup_other_currency("USD", rates=[("2026-01-01", 2.0)])
        pricelist = self.env["product.pricelist"].create(
            {"name": "USD", "currency_id": other_currency.id, "company_id": self.company.id}
        )
        order.with_user(self.salesman).pricelist_id = pricelist
        self.assertEqual(order.currency_id, other_currency)
        self.assertFalse(order.credit_hold_approved)
        self.assertFalse(order._credit_hold_approval_valid())
        # The approved order as it was approved is confirmed.
        order.with_user(self.salesman).pricelist_id = self.company.partner_id.property_product_pricelist
        order.with_user(self.credit_manager)._credit_approve_hold("Final approval.")
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    @freeze_time("2026-03-15")
    def test_portal_customer_confirming_a_held_quotation_gets_a_neutral_message(self):
        portal = self._company_user(
            "portal_liquidated", "base.group_portal", name=self.liquidated.name, partner_id=self.liquidated.id
        )
        order = self._order(self.liquidated)
        self.assertIn("collective proceedings", order.credit_hold_message)
        # What sale's portal does when the customer signs (or pays) the quotation online.
        order.with_user(portal).sudo()._validate_order()
        self.assertIn(order.state, ("draft", "sent"))
        activity = order.activity_ids.filtered(lambda activity: activity.user_id == self.credit_manager)
        self.assertEqual(len(activity), 1)
        self.assertIn("collective proceedings", activity.note)
        comment = order.message_ids.filtered(
            lambda message: message.subtype_id == self.env.ref("mail.mt_comment")
        )
        self.assertEqual(len(comment), 1)
        self.assertIn("confirmed by our accounts department", comment.body)
        # What the customer may read of the order says nothing of its file.
        for message in order.message_ids.filtered(lambda message: not message.subtype_id.internal):
            for word in ("liquidation", "collective", "critical", "limit", "exposure"):
                self.assertNotIn(word, message.body or "")

    @freeze_time("2026-03-15")
    def test_held_quotation_paid_in_part_online_stays_a_quotation(self):
        order = self._order(self.liquidated, require_payment=True, prepayment_percent=0.3)
        transaction = self._online_transaction(order, "TX-HELD-1", 360.0)
        transaction.state = "done"
        self.assertTrue(order._is_confirmation_amount_reached())
        # What the payment's post-processing does: no order confirmed, no confirmation e-mail.
        self.assertFalse(transaction._check_amount_and_confirm_order())
        self.assertIn(order.state, ("draft", "sent"))
        self.assertEqual(
            order.activity_ids.filtered(lambda activity: activity.user_id == self.credit_manager).summary,
            order._credit_approval_summary(),
        )
