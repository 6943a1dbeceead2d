from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestGatesAudit(CreditRecoveryCommon):
    """Who changed a credit decision, when, from what to what, and only for the company concerned."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The trail of this module is not Odoo's field tracking: the standard tracking stays on for the
        # fields of company-bound records (orders, invoices) asserted below.
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_notrack=False))
        cls.other_company = cls.setup_other_company(name="Filiale Lyon SAS")["company"]
        cls.credit_manager.company_ids |= cls.other_company
        cls.other_user = cls._company_user(
            "lyon_controller",
            "base.group_user,account_credit_recovery.group_credit_controller",
            company=cls.other_company,
            name="Lea Lyon",
        )

    def _trail(self, company=None):
        log = self.env["credit.recovery.partner.log"].search(
            [("partner_id", "=", self.customer.id), ("company_id", "=", (company or self.company).id)]
        )
        return log.message_ids

    def _values(self, message):
        """{field name: (old, new)} of a trail message, as the chatter formats them."""
        return {
            value["fieldName"]: (value["oldValue"]["value"], value["newValue"]["value"])
            for value in message.sudo().tracking_value_ids._tracking_value_format()
        }

    @freeze_time("2026-04-20 09:30:00")
    def test_credit_limit_and_hold_per_company(self):
        manager = self.customer.with_user(self.credit_manager)
        manager.credit_limit = 5000.0
        manager.with_company(self.other_company).credit_limit = 3000.0
        manager.write({"credit_on_hold": True, "credit_hold_reason": "Cheque refused on 18 April."})
        mine, theirs = self._trail(), self._trail(self.other_company)
        self.assertEqual(len(mine), 2)
        self.assertEqual(self._values(mine[1]), {"credit_limit": (0.0, 5000.0)})
        self.assertEqual(
            self._values(mine[0]),
            {"credit_on_hold": (False, True), "credit_hold_reason": (False, "Cheque refused on 18 April.")},
        )
        self.assertEqual(self._values(theirs), {"credit_limit": (0.0, 3000.0)})
        self.assertEqual((mine | theirs).author_id, self.credit_manager.partner_id)
        self.assertEqual(set((mine | theirs).mapped("date")), {datetime(2026, 4, 20, 9, 30)})
        # The shared customer's chatter shows none of it.
        self.assertFalse(
            self.customer.message_ids.filtered(
                lambda message: (
                    message.sudo().tracking_value_ids.field_id.name in ("credit_limit", "credit_on_hold")
                )
            )
        )

    def test_refused_change_leaves_no_trail(self):
        for user in (self.salesman, self.credit_controller):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.customer.with_user(user).write({"credit_limit": 100000.0, "credit_on_hold": False})
        self.assertEqual(self.customer.credit_limit, 0.0)
        self.assertFalse(self._trail())

    @freeze_time("2026-04-20")
    def test_risk_override_and_level_change_stay_in_the_company(self):
        self.customer.user_id = self.salesman
        self.customer._credit_notify_level_change()  # the salesperson knows the current level
        self.customer.with_user(self.credit_manager).write(
            {
                "credit_risk_override": "critical",
                "credit_risk_override_reason": "Payment incidents at the bank.",
            }
        )
        trail = self._trail()
        override = trail.filtered(lambda message: "overridden" in message.body)
        self.assertIn("Payment incidents at the bank.", override.body)
        tracked = trail.filtered(lambda message: message.sudo().tracking_value_ids)
        self.assertEqual(self._values(tracked)["credit_risk_override"], ("", "Critical"))
        self.assertEqual(tracked.author_id, self.credit_manager.partner_id)
        notice = trail.filtered(lambda message: "Risk level changed" in message.body)
        self.assertIn(self.salesman.partner_id, notice.partner_ids)
        # A user of the other company reads the customer and its messages, not this company's trail.
        customer = self.customer.with_user(self.other_user)
        self.assertEqual(customer.name, "Boulangerie Martin SARL")
        bodies = " ".join(customer.message_ids.mapped("body"))
        self.assertNotIn("Payment incidents", bodies)
        self.assertNotIn("Risk level", bodies)
        self.assertFalse(self.env["credit.recovery.partner.log"].with_user(self.other_user).search([]))
        with self.assertRaises(AccessError):
            trail[0].with_user(self.other_user).read(["body"])
        # Nobody posts forged old and new values in a trail.
        log = self.env["credit.recovery.partner.log"].search([("partner_id", "=", self.customer.id)])
        field = self.env["ir.model.fields"]._get("res.partner", "credit_limit")
        with self.assertRaises(AccessError):
            log.with_user(self.credit_manager).message_post(
                body="Limit raised",
                tracking_value_ids=[
                    Command.create({"field_id": field.id, "old_value_float": 0.0, "new_value_float": 1e6})
                ],
            )
        self.assertEqual(len(log.message_ids), len(trail))

    def test_dunning_hold_says_why(self):
        level = self.company.credit_default_policy_id.level_ids.filtered("set_credit_hold")[:1]
        self.assertEqual(level.name, "Formal notice")
        invoice = self._invoice(self.customer, 1000.0, "2026-02-01", due_date="2026-03-01")
        action = self.env["credit.recovery.action"].create(
            {
                "partner_id": self.customer.id,
                "level_id": level.id,
                "channel": level.channel,
                "date": "2026-04-01",
                "line_ids": [Command.set(invoice.line_ids.filtered("date_maturity").ids)],
                "amount_due": 1200.0,
                "amount_overdue": 1200.0,
            }
        )
        action._apply_credit_hold()
        self.assertTrue(self.customer.credit_on_hold)
        message = self._trail()[0]
        self.assertIn("recovery level Formal notice reached on 04/01/2026", message.body)
        self.assertIn("1,200.00", message.body)
        self.assertEqual(self._values(message)["credit_on_hold"], (False, True))

    @freeze_time("2026-04-20")
    def test_exclusion_from_dunning(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        with self.assertRaises(AccessError):
            invoice.line_ids.with_user(self.salesman).write({"credit_recovery_excluded": True})
        self.assertFalse(invoice.credit_recovery_excluded)
        wizard = (
            self.env["credit.recovery.exclude.wizard"]
            .with_user(self.credit_controller)
            .create({"move_ids": [Command.set(invoice.ids)], "reason": "Disputed by phone"})
        )
        wizard.action_exclude()
        message = invoice.message_ids[0]
        self.assertEqual(message.author_id, self.credit_controller.partner_id)
        self.assertIn("Excluded from dunning by Paul Controller: Disputed by phone", message.body)
        self.assertEqual(
            self._values(message),
            {
                "credit_recovery_excluded": (False, True),
                "credit_recovery_exclusion_reason": (False, "Disputed by phone"),
            },
        )
        invoice.with_user(self.credit_controller).action_credit_recovery_include()
        self.assertEqual(self._values(invoice.message_ids[0])["credit_recovery_excluded"], (True, False))

    @freeze_time("2026-04-20")
    def test_presend_override_tracked(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-04-20", due_date="2026-05-20")
        with self.assertRaises(AccessError):
            invoice.with_user(self.salesman).write({"credit_presend_override": True})
        self.env["credit.recovery.presend.override.wizard"].with_user(self.credit_controller).create(
            {"move_ids": [Command.set(invoice.ids)], "reason": "Scan of the delivery note to follow"}
        ).action_override()
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = invoice.message_ids.filtered(lambda message: message.sudo().tracking_value_ids)[0]
        self.assertEqual(tracked.author_id, self.credit_controller.partner_id)
        values = self._values(tracked)
        self.assertEqual(values["credit_presend_override"], (False, True))
        self.assertEqual(
            values["credit_presend_override_reason"], (False, "Scan of the delivery note to follow")
        )

    @freeze_time("2026-03-15")
    def test_deposit_lift_tracked(self):
        self.company.write({"credit_deposit_percent_high": 30.0, "credit_deposit_min_amount": 0.0})
        self.customer.with_user(self.credit_manager).write(
            {"credit_risk_override": "high", "credit_risk_override_reason": "Test"}
        )
        order = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product_a.id, "product_uom_qty": 1, "price_unit": 1000.0}
                        )
                    ],
                }
            )
        )
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.credit_deposit_state, "waiting")
        with self.assertRaises(AccessError):
            order.with_user(self.salesman)._credit_lift_deposit("Trust me")
        action = order.with_user(self.credit_manager).action_credit_open_deposit_lift()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.credit_manager).with_context(**action["context"])
        )
        wizard.reason = "Bank guarantee received"
        wizard.save().action_lift()
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = order.message_ids.filtered(
            lambda message: (
                "credit_deposit_lifted" in message.sudo().tracking_value_ids.field_id.mapped("name")
            )
        )
        self.assertEqual(tracked.author_id, self.credit_manager.partner_id)
        values = self._values(tracked)
        self.assertEqual(values["credit_deposit_lifted"], (False, True))
        self.assertEqual(values["credit_deposit_lift_reason"], (False, "Bank guarantee received"))
