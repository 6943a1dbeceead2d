from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestCollectiveProceeding(CreditRecoveryCommon):
    """A customer in sauvegarde, redressement or liquidation: no more dunning, a claim to declare."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.credit_controller_id = cls.credit_controller
        cls.cron = cls.env.ref("account_credit_recovery.ir_cron_credit_recovery_run")
        cls.activity_type = cls.env.ref("account_credit_recovery.mail_activity_type_credit_claim_declaration")

    def _declarations(self, partner):
        """The declaration activities, on the credit trails of the customer (one per company)."""
        trails = self.env["credit.recovery.partner.log"].search([("partner_id", "=", partner.id)])
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "credit.recovery.partner.log"),
                ("res_id", "in", trails.ids),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def _run(self, day):
        with freeze_time(day):
            self.cron.method_direct_trigger()
        return self.env["credit.recovery.action"].search(
            [("partner_id", "=", self.customer.id), ("date", "=", day)]
        )

    def test_proceedings_stop_the_run_and_schedule_the_declaration(self):
        self._invoice(self.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        self._invoice(self.customer, 500.0, "2026-04-01", due_date="2026-05-31")  # not due yet: declared too
        self.assertTrue(self._run(date(2026, 4, 3)))
        customer = self.customer.with_user(self.credit_controller)
        customer.credit_collective_proceeding = "receivership"
        self.assertFalse(self._declarations(self.customer))  # waiting for the BODACC date
        customer.credit_collective_proceeding_date = "2026-04-10"
        self.assertEqual(self.customer.credit_claim_declaration_deadline, date(2026, 6, 10))
        declaration = self._declarations(self.customer)
        self.assertEqual(len(declaration), 1)
        self.assertEqual(declaration.date_deadline, date(2026, 6, 10))
        self.assertEqual(declaration.user_id, self.credit_controller)
        self.assertIn(self.company.name, declaration.summary)
        self.assertIn("1,800.00", str(declaration.note))  # both invoices, incl. VAT, in the user's language
        # The dunning run leaves the customer alone from now on.
        self.assertFalse(self._run(date(2026, 4, 10)))
        self.assertFalse(self._run(date(2026, 4, 20)))
        # Recording it again, or moving to liquidation with the same publication, does not repeat it.
        customer.credit_collective_proceeding_date = "2026-04-10"
        customer.credit_collective_proceeding = "liquidation"
        self.assertEqual(len(self._declarations(self.customer)), 1)
        # A new publication date is a new deadline.
        customer.credit_collective_proceeding_date = "2026-05-05"
        self.assertEqual(
            sorted(self._declarations(self.customer).mapped("date_deadline")),
            [date(2026, 6, 10), date(2026, 7, 5)],
        )

    def test_nothing_to_declare_without_a_claim(self):
        paid = self._invoice(self.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        self._pay(paid)
        self.customer.write(
            {"credit_collective_proceeding": "safeguard", "credit_collective_proceeding_date": "2026-04-10"}
        )
        self.assertEqual(self.customer.credit_claim_declaration_deadline, date(2026, 6, 10))
        self.assertFalse(self._declarations(self.customer))
        self.customer.credit_collective_proceeding = "none"
        self.assertFalse(self.customer.credit_claim_declaration_deadline)

    def test_one_declaration_per_company_holding_a_claim(self):
        other = self.setup_other_company(name="Filiale Lyon SAS")["company"]
        other_controller = self.env["res.users"].create(
            {
                "name": "Lea Lyon",
                "login": "lea_lyon",
                "company_id": other.id,
                "company_ids": [Command.set(other.ids)],
                "groups_id": [
                    Command.set([self.env.ref("account_credit_recovery.group_credit_controller").id])
                ],
            }
        )
        self.customer.with_company(other).credit_controller_id = other_controller
        self._invoice(self.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        invoice = (
            self.env["account.move"]
            .with_company(other)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "company_id": other.id,
                    "invoice_date": "2026-03-01",
                    "invoice_date_due": "2026-03-31",
                    "invoice_line_ids": [
                        Command.create({"name": "Service", "quantity": 1, "price_unit": 700.0})
                    ],
                }
            )
        )
        invoice.action_post()
        # Recorded by a controller of the first company only: the other company's claim is not forgotten.
        self.customer.with_user(self.credit_controller).write(
            {"credit_collective_proceeding": "liquidation", "credit_collective_proceeding_date": "2026-04-10"}
        )
        declarations = self._declarations(self.customer)
        self.assertEqual(len(declarations), 2)
        self.assertEqual(set(declarations.mapped("date_deadline")), {date(2026, 6, 10)})
        self.assertEqual(declarations.user_id, self.credit_controller | other_controller)
        by_user = {activity.user_id: activity for activity in declarations}
        self.assertIn("Filiale Lyon SAS", by_user[other_controller].summary)
        self.assertIn(self.company.name, by_user[self.credit_controller].summary)
        # Each company's claim is read by its own users only, never on the customer they share.
        self.assertIn("700.00", str(by_user[other_controller].note))
        self.assertIn("1,200.00", str(by_user[self.credit_controller].note))
        customer = self.customer.with_user(other_controller)
        self.assertFalse(customer.activity_ids)
        self.assertNotIn(self.company.name, " ".join(customer.message_ids.mapped("body")))
        trails = (
            self.env["mail.activity"]
            .with_user(other_controller)
            .search(
                [
                    ("res_model", "=", "credit.recovery.partner.log"),
                    ("activity_type_id", "=", self.activity_type.id),
                ]
            )
        )
        self.assertEqual(trails, by_user[other_controller])
        with self.assertRaises(AccessError):
            by_user[self.credit_controller].with_user(other_controller).read(["note"])
