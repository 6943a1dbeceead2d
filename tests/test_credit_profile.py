from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestCreditExposure(CreditRecoveryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.account_use_credit_limit = True
        cls.env = cls.env(context=dict(cls.env.context, credit_recovery_date="2026-03-15"))

    def _exposure(self, partner):
        partner.invalidate_recordset()
        return partner.with_context(credit_recovery_date="2026-03-15")

    @freeze_time("2026-03-15")
    def test_exposure_components(self):
        customer = self.customer
        # 1,200.00 incl. VAT, due 2026-02-13: overdue; 200.00 paid on it.
        overdue = self._invoice(customer, 1000.0, "2026-01-14", due_date="2026-02-13")
        self._pay(overdue, amount=200.0, payment_date="2026-02-20")
        # 600.00 incl. VAT, not due yet.
        self._invoice(customer, 500.0, "2026-03-10", due_date="2026-04-09")
        # A posted credit note of 120.00 left unreconciled, a draft invoice of 240.00.
        self._invoice(customer, 100.0, "2026-03-11", move_type="out_refund")
        self._invoice(customer, 200.0, "2026-03-12", post=False)
        # A confirmed order of 360.00 incl. VAT not invoiced yet.
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product_a.id, "product_uom_qty": 1, "price_unit": 300.0}
                    )
                ],
            }
        )
        order.action_confirm()
        # An unreconciled incoming payment of 100.00.
        payment = self.env["account.payment"].create(
            {
                "partner_id": customer.id,
                "amount": 100.0,
                "payment_type": "inbound",
                "partner_type": "customer",
                "date": "2026-03-14",
            }
        )
        payment.action_post()
        customer.credit_limit = 2000.0

        partner = self._exposure(customer)
        self.assertAlmostEqual(partner.credit_receivable_amount, 1000.0 + 600.0)
        self.assertAlmostEqual(partner.credit_unreconciled_amount, 120.0 + 100.0)
        self.assertAlmostEqual(partner.credit_draft_invoice_amount, 240.0)
        self.assertAlmostEqual(partner.credit_order_amount, 360.0)
        self.assertAlmostEqual(partner.credit_exposure, 1600.0 + 240.0 + 360.0 - 220.0)
        self.assertAlmostEqual(partner.credit_overdue_amount, 1000.0)
        self.assertEqual(partner.credit_oldest_overdue_days, 30)
        self.assertAlmostEqual(partner.credit_available, 2000.0 - 1980.0)
        self.assertFalse(partner.credit_over_limit)
        # A contact of the customer shows the figures of its company.
        contact = self.env["res.partner"].create({"name": "Jeanne Martin", "parent_id": customer.id})
        self.assertAlmostEqual(self._exposure(contact).credit_exposure, 1980.0)

        customer.credit_limit = 1500.0
        partner = self._exposure(customer)
        self.assertTrue(partner.credit_over_limit)
        self.assertIn("over its credit limit", partner.credit_warning_message)
        over = self.env["res.partner"].search([("credit_over_limit", "=", True)])
        self.assertIn(customer, over)
        self.assertNotIn(customer, self.env["res.partner"].search([("credit_over_limit", "=", False)]))
        self.assertIn(customer, self.env["res.partner"].search([("credit_overdue_amount", ">", 999)]))
        self.assertEqual(order.credit_warning_message, partner.credit_warning_message)

    @freeze_time("2026-03-15")
    def test_exposure_multi_currency(self):
        usd = self.setup_other_currency("USD", rates=[("2026-01-01", 2.0)])
        invoice = self._invoice(
            self.customer, 1000.0, "2026-02-01", due_date="2026-03-01", currency_id=usd.id
        )
        self.assertEqual(invoice.amount_total, 1200.0)
        partner = self._exposure(self.customer)
        # 1,200.00 USD at 2 USD for 1 EUR.
        self.assertAlmostEqual(partner.credit_exposure, 600.0)
        self.assertAlmostEqual(partner.credit_overdue_amount, 600.0)

    @freeze_time("2026-03-15")
    def test_payment_behaviour(self):
        late = self._invoice(self.customer, 1000.0, "2026-01-01", due_date="2026-01-31")
        self._pay(late, payment_date="2026-02-10")  # 10 days late, 1,200.00
        on_time = self._invoice(self.customer, 500.0, "2026-01-05", due_date="2026-02-04")
        self._pay(on_time, payment_date="2026-02-01")  # on time, 600.00
        self._invoice(self.customer, 250.0, "2026-03-01", due_date="2026-03-31")  # open 300.00
        partner = self._exposure(self.customer)
        self.assertAlmostEqual(partner.credit_avg_days_late, 10 * 1200.0 / 1800.0, places=1)
        self.assertAlmostEqual(partner.credit_late_invoice_ratio, 50.0)
        # DSO by the countback method: the 300.00 open are March's sales (15 days to the 15th).
        self.assertAlmostEqual(partner.credit_dso, 15.0, places=1)

    @freeze_time("2026-03-15")
    def test_exposure_per_company(self):
        other = self.setup_other_company(name="Filiale Lyon SAS")["company"]
        self._invoice(self.customer, 1000.0, "2026-01-14", due_date="2026-02-13")
        self.assertAlmostEqual(self._exposure(self.customer).credit_exposure, 1200.0)
        in_other = self.customer.with_company(other).with_context(credit_recovery_date="2026-03-15")
        self.assertAlmostEqual(in_other.credit_exposure, 0.0)
        self.assertEqual(in_other.credit_overdue_amount, 0.0)


@tagged("post_install", "-at_install")
class TestCreditRisk(CreditRecoveryCommon):
    def _level(self, partner):
        partner.invalidate_recordset()
        return partner.credit_risk_level

    def test_rules(self):
        customer = self.customer.with_user(self.credit_controller)
        self.assertEqual(self._level(customer), "low")
        customer.credit_score = 13.0
        self.assertEqual(self._level(customer), "low")
        customer.credit_score = 11.0
        self.assertEqual(self._level(customer), "medium")
        customer.credit_score = 7.5
        self.assertEqual(self._level(customer), "high")
        self.assertIn("Score 7.5 below 8.0", customer.credit_risk_reasons)
        customer.credit_score = 3.0
        self.assertEqual(self._level(customer), "critical")
        customer.credit_score = 15.0
        customer.credit_ws_late_payer = True
        self.assertEqual(self._level(customer), "medium")
        customer.write({"credit_ws_refuses_deposit": True, "credit_ws_management_change": True})
        self.assertEqual(self._level(customer), "high")
        self.assertIn(customer, self.env["res.partner"].search([("credit_risk_level", "=", "high")]))
        customer.credit_collective_proceeding = "receivership"
        self.assertEqual(self._level(customer), "critical")
        self.assertIn("collective proceedings", customer.credit_warning_message)
        # The company's thresholds are the Credit Manager's to tune.
        self.company.with_user(self.credit_manager).credit_risk_signs_high = 5
        customer.credit_collective_proceeding = "none"
        self.assertEqual(self._level(customer), "medium")

    @freeze_time("2026-03-15")
    def test_behaviour_rules(self):
        invoice = self._invoice(self.customer, 1000.0, "2025-12-01", due_date="2025-12-31")
        self._pay(invoice, amount=600.0, payment_date="2026-02-04")  # 35 days late
        # 600.00 still open, 74 days overdue: high (critical from 90 days).
        self.assertEqual(self._level(self.customer), "high")
        self.assertIn("74 days overdue", self.customer.credit_risk_reasons)
        self.company.credit_risk_overdue_days_critical = 70
        self.assertEqual(self._level(self.customer), "critical")
        self._pay(invoice, payment_date="2026-03-01")
        # Paid: 600.00 35 days late and 600.00 60 days late, 47.5 days on average.
        self.assertEqual(self._level(self.customer), "high")
        self.assertIn("Pays 48 days late on average", self.customer.credit_risk_reasons)
        self.assertIn(self.customer, self.env["res.partner"].search([("credit_risk_level", "in", ["high"])]))
        self.assertNotIn(self.customer, self.env["res.partner"].search([("credit_risk_level", "=", "low")]))

    def test_override(self):
        customer = self.customer
        customer.user_id = self.salesman
        customer.with_user(self.credit_controller).credit_score = 3.0
        self.assertEqual(self._level(customer), "critical")
        with self.assertRaises(AccessError):
            customer.with_user(self.credit_controller).write(
                {"credit_risk_override": "medium", "credit_risk_override_reason": "Guarantee from the parent"}
            )
        with self.assertRaises(UserError):
            customer.with_user(self.credit_manager).credit_risk_override = "medium"
        customer.with_user(self.credit_manager).write(
            {"credit_risk_override": "medium", "credit_risk_override_reason": "Guarantee from the parent"}
        )
        self.assertEqual(self._level(customer), "medium")
        self.assertEqual(customer.credit_risk_level_computed, "critical")
        # Logged in the company's credit trail of the customer, not in the chatter every company shares.
        message = customer._credit_trail().message_ids.filtered(lambda message: "overridden" in message.body)
        self.assertIn("Guarantee from the parent", message.body)
        self.assertIn("Critical", message.body)
        # The override is per company.
        other = self.setup_other_company(name="Filiale Lyon SAS")["company"]
        self.assertEqual(customer.with_company(other).credit_risk_level, "critical")

    def test_siren_siret(self):
        partner = self.env["res.partner"].with_user(self.credit_controller)
        # 732 829 320 is Danone's SIREN; its head office SIRET 732 829 320 00074.
        valid = partner.create(
            {
                "name": "Danone SA",
                "is_company": True,
                "company_registry": "732829320",
                "siret": "73282932000074",
            }
        )
        self.assertTrue(valid)
        with self.assertRaisesRegex(ValidationError, "SIREN .* is not valid"):
            partner.create({"name": "Bad SIREN", "is_company": True, "company_registry": "732829321"})
        with self.assertRaisesRegex(ValidationError, "SIRET .* is not valid"):
            partner.create({"name": "Bad SIRET", "is_company": True, "siret": "73282932000075"})
        with self.assertRaisesRegex(ValidationError, "does not start with its SIREN"):
            partner.create(
                {
                    "name": "Mismatch",
                    "is_company": True,
                    "company_registry": "552032534",
                    "siret": "73282932000074",
                }
            )
        # Foreign companies keep their own registry format.
        partner.create(
            {
                "name": "Acme GmbH",
                "is_company": True,
                "company_registry": "HRB 12345",
                "country_id": self.env.ref("base.de").id,
            }
        )

    def test_score_bounds_and_import(self):
        with self.assertRaises(ValidationError):
            self.customer.with_user(self.credit_controller).credit_score = 21.0
        partners = self.env["res.partner"].with_user(self.credit_controller)
        result = partners.load(
            ["name", "is_company", "credit_score", "credit_score_source", "credit_score_date"],
            [
                ["Imported One SAS", "1", "14.5", "AFDCC", "2026-02-01"],
                ["Imported Two SARL", "1", "6", "Altares", "2026-01-15"],
            ],
        )
        self.assertFalse([m for m in result["messages"] if m["type"] == "error"], result["messages"])
        imported = partners.browse(result["ids"])
        self.assertEqual(imported.mapped("credit_score"), [14.5, 6.0])
        self.assertEqual(imported.mapped("credit_score_source"), ["AFDCC", "Altares"])
        self.assertEqual(imported.mapped("credit_risk_level"), ["low", "high"])

    def test_profile_rights(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.salesman).credit_score = 12.0
        with self.assertRaises(AccessError):
            self.customer.with_user(self.invoicing_user).credit_ws_late_payer = True
        with self.assertRaises(AccessError):
            self.customer.with_user(self.credit_controller).credit_limit = 5000.0
        self.customer.with_user(self.credit_manager).credit_limit = 5000.0
        self.assertEqual(self.customer.credit_limit, 5000.0)
        # Everyone who sells or invoices reads the credit page.
        self.assertEqual(self.customer.with_user(self.salesman).credit_risk_level, "low")
        with self.assertRaises(AccessError):
            self.company.with_user(self.credit_controller).credit_risk_score_high = 9.0
        with self.assertRaises(AccessError):
            self.company.with_user(self.credit_manager).name = "Renamed"
        form = Form(self.customer.with_user(self.credit_controller))
        form.credit_score = 12.0
        form.save()
        self.assertEqual(self.customer.credit_score, 12.0)


@tagged("post_install", "-at_install")
class TestCreditReview(CreditRecoveryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("account_credit_recovery.ir_cron_credit_recovery_review")
        cls.review_type = cls.env.ref("account_credit_recovery.mail_activity_type_credit_review")
        cls.customer.write({"credit_controller_id": cls.credit_controller.id, "user_id": cls.salesman.id})

    def _reviews(self):
        trail = self.env["credit.recovery.partner.log"]._credit_log_of(self.customer, self.company)
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", trail._name),
                ("res_id", "=", trail.id),
                ("activity_type_id", "=", self.review_type.id),
            ]
        )

    def test_review_cycle(self):
        with freeze_time("2026-01-10"):
            self._invoice(self.customer, 1000.0, "2026-01-05", due_date="2026-02-04")
            self.customer.write({"credit_last_review_date": "2025-03-01"})
            self.cron.method_direct_trigger()
            self.assertFalse(self._reviews())  # low risk: reviewed every 12 months, next on 2026-03-01
            self.customer.write({"credit_last_review_date": "2024-12-01"})
            self.cron.method_direct_trigger()
            review = self._reviews()
            self.assertEqual(len(review), 1)
            self.assertEqual(review.user_id, self.credit_controller)
            self.cron.method_direct_trigger()
            self.assertEqual(len(self._reviews()), 1)
            self.customer.with_user(self.credit_controller).action_credit_mark_reviewed()
            self.assertFalse(self._reviews())
            self.assertEqual(str(self.customer.credit_next_review_date), "2027-01-10")
            self.assertEqual(self.customer.credit_last_reviewer_id, self.credit_controller)
        with freeze_time("2026-05-01"):
            # A high-risk customer is reviewed every 3 months.
            self.customer.with_user(self.credit_controller).credit_score = 7.0
            self.customer.invalidate_recordset()
            self.assertEqual(str(self.customer.credit_next_review_date), "2026-04-10")
            self.cron.method_direct_trigger()
            self.assertEqual(len(self._reviews()), 1)
        with self.assertRaises(AccessError):
            self.customer.with_user(self.salesman).action_credit_mark_reviewed()

    def _level_notices(self):
        # The notice goes to the company's credit trail of the customer (res_partner_audit.py).
        self.customer.invalidate_recordset(["message_ids"])
        return self.customer._credit_trail().message_ids.filtered(
            lambda m: "Risk level changed" in (m.body or "")
        )

    @freeze_time("2026-01-10")
    def test_level_change_notifies_salesperson(self):
        self._invoice(self.customer, 1000.0, "2026-01-05", due_date="2026-02-04")
        self.cron.method_direct_trigger()  # remembers the current level, nothing to tell yet
        self.assertFalse(self._level_notices())
        self.customer.with_user(self.credit_controller).credit_collective_proceeding = "safeguard"
        self.cron.method_direct_trigger()
        notice = self._level_notices()
        self.assertEqual(len(notice), 1)
        self.assertIn(self.salesman.partner_id, notice.partner_ids)
        self.cron.method_direct_trigger()
        self.assertEqual(len(self._level_notices()), 1)
        self.assertFalse(self.customer.message_ids.filtered(lambda m: "Risk level changed" in (m.body or "")))
