from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestDispute(CreditRecoveryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "compta@boulangerie-martin.example.com"
        with freeze_time("2026-03-01"):
            # 1,000.00 + 20 % VAT = 1,200.00
            cls.invoice = cls._invoice(cls.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
            # Two lines: 2 x 100.00 and 1 x 300.00, 600.00 incl. VAT.
            cls.two_lines = cls.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": cls.customer.id,
                    "invoice_date": "2026-03-01",
                    "invoice_line_ids": [
                        Command.create({"product_id": cls.product_a.id, "quantity": 2, "price_unit": 100.0}),
                        Command.create(
                            {
                                "product_id": cls.product_a.id,
                                "name": "Installation",
                                "quantity": 1,
                                "price_unit": 300.0,
                            }
                        ),
                    ],
                }
            )
            cls.two_lines.action_post()

    def _open_dispute(self, user, invoice, **values):
        """Open a dispute through the invoice's wizard, as ``user``."""
        action = invoice.with_user(user).action_credit_open_dispute()
        wizard = (
            self.env[action["res_model"]].with_user(user).with_context(**action["context"]).create(values)
        )
        action = wizard.action_open_dispute()
        return self.env["credit.recovery.dispute"].browse(action["res_id"])

    @freeze_time("2026-03-05")
    def test_dispute_resolved_by_credit_note(self):
        invoice = self.invoice
        dispute = self._open_dispute(self.invoicing_user, invoice, reason="price", amount_disputed=360.0)
        self.assertEqual(dispute.state, "open")
        self.assertEqual(dispute.owner_id, self.invoicing_user)
        self.assertEqual(str(dispute.expected_date), "2026-04-04")
        self.assertTrue(dispute.name.startswith("DISP/2026/"))
        self.assertTrue(invoice.credit_in_dispute)
        self.assertIn(invoice, self.env["account.move"].search([("credit_in_dispute", "=", True)]))
        self.assertEqual(invoice.credit_dispute_count, 1)
        # Only a Credit Controller resolves it.
        with self.assertRaises(AccessError):
            dispute.with_user(self.invoicing_user).action_resolve_credit_note()
        dispute.with_user(self.credit_controller).action_resolve_credit_note()
        credit_note = dispute.credit_note_id
        self.assertEqual(dispute.state, "resolved")
        self.assertEqual(dispute.resolution, "credit_note")
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.state, "posted")
        self.assertEqual(credit_note.reversed_entry_id, invoice)
        self.assertAlmostEqual(credit_note.amount_untaxed, 300.0)
        self.assertAlmostEqual(credit_note.amount_total, 360.0)
        self.assertAlmostEqual(invoice.amount_residual, 840.0)
        self.assertEqual(invoice.payment_state, "partial")
        self.assertFalse(invoice.credit_in_dispute)
        self.assertNotIn(invoice, self.env["account.move"].search([("credit_in_dispute", "=", True)]))
        self.assertIn("resolved by the credit note", invoice.message_ids[0].body)

    @freeze_time("2026-03-05")
    def test_partial_line_dispute(self):
        invoice = self.two_lines
        disputed_line = invoice.invoice_line_ids.filtered(lambda line: line.name == "Installation")
        dispute = self._open_dispute(
            self.invoicing_user,
            invoice,
            reason="quality",
            line_ids=[Command.set(disputed_line.ids)],
        )
        self.assertEqual(dispute.line_ids, disputed_line)
        self.assertAlmostEqual(dispute.amount_disputed, 360.0)
        dispute.with_user(self.credit_controller).action_resolve_credit_note()
        credit_note = dispute.credit_note_id
        self.assertEqual(credit_note.invoice_line_ids.mapped("name"), ["Installation"])
        self.assertAlmostEqual(credit_note.amount_total, 360.0)
        self.assertAlmostEqual(invoice.amount_residual, 600.0 - 360.0)

    @freeze_time("2026-03-05")
    def test_dispute_rejected_customer_told(self):
        approver = self.env["res.partner"].create(
            {
                "name": "Jeanne Martin",
                "parent_id": self.customer.id,
                "email": "jeanne@boulangerie-martin.example.com",
            }
        )
        approver.with_user(self.credit_controller).credit_contact_role = "invoice_approver"
        dispute = self._open_dispute(self.credit_controller, self.invoice, reason="not_delivered")
        self.assertAlmostEqual(dispute.amount_disputed, 1200.0)
        dispute.resolution_note = "The delivery note was signed on 2026-02-27."
        dispute.with_user(self.credit_controller).action_reject()
        self.assertEqual(dispute.state, "rejected")
        self.assertEqual(dispute.resolution, "rejected")
        self.assertFalse(self.invoice.credit_in_dispute)
        message = self.invoice.message_ids.filtered(lambda message: approver in message.partner_ids)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.message_type, "comment")
        # The customer is told in its language (French here).
        self.assertIn("Non livré", message.body)
        self.assertIn("signed on 2026-02-27", message.body)
        self.assertIn("ne pouvons pas l'accepter", message.body)
        with self.assertRaises(UserError):
            dispute.with_user(self.credit_controller).action_reject()

    @freeze_time("2026-03-05")
    def test_dispute_correction_needs_details(self):
        dispute = self._open_dispute(self.credit_controller, self.invoice, reason="missing_document")
        with self.assertRaises(UserError):
            dispute.with_user(self.credit_controller).action_resolve_correction()
        dispute.with_user(self.credit_controller).resolution_note = "Delivery note sent again."
        dispute.with_user(self.credit_controller).action_resolve_correction()
        self.assertEqual((dispute.state, dispute.resolution), ("resolved", "correction"))
        self.assertFalse(self.invoice.credit_in_dispute)
        self.assertAlmostEqual(self.invoice.amount_residual, 1200.0)

    def test_dispute_past_expected_date(self):
        with freeze_time("2026-03-05"):
            dispute = self._open_dispute(
                self.invoicing_user, self.invoice, reason="quantity", expected_date="2026-03-20"
            )
            self.assertFalse(dispute.is_past_expected_date)
        cron = self.env.ref("account_credit_recovery.ir_cron_credit_recovery_dispute_overdue")
        with freeze_time("2026-03-25"):
            dispute.invalidate_recordset(["is_past_expected_date"])
            self.assertTrue(dispute.is_past_expected_date)
            cron.method_direct_trigger()
            cron.method_direct_trigger()
        self.assertEqual(len(dispute.activity_ids), 1)
        self.assertEqual(dispute.activity_ids.user_id, self.invoicing_user)

    @freeze_time("2026-03-05")
    def test_mediation_between_companies(self):
        dispute = self._open_dispute(self.credit_controller, self.invoice, reason="quality")
        self.assertTrue(dispute.mediation_available)
        dispute.with_user(self.credit_controller).action_request_mediation()
        self.assertTrue(dispute.mediation_requested)
        self.assertEqual(str(dispute.mediation_date), "2026-03-05")
        self.assertIn("economie.gouv.fr/mediateur-des-entreprises", dispute.mediation_note)
        # A consumer cannot go to the médiateur des entreprises.
        consumer = self.env["res.partner"].create({"name": "Paul Dupont", "is_company": False})
        invoice = self._invoice(consumer, 100.0, "2026-03-01")
        consumer_dispute = self._open_dispute(self.credit_controller, invoice, reason="quality")
        self.assertFalse(consumer_dispute.mediation_available)
        with self.assertRaises(UserError):
            consumer_dispute.with_user(self.credit_controller).action_request_mediation()

    @freeze_time("2026-03-05")
    def test_access_rights(self):
        dispute = self._open_dispute(self.invoicing_user, self.invoice, reason="duplicate")
        # Invoicing users open and read disputes, but neither change nor close them.
        self.assertEqual(dispute.with_user(self.invoicing_user).reason, "duplicate")
        with self.assertRaises(AccessError):
            dispute.with_user(self.invoicing_user).write({"state": "resolved"})
        with self.assertRaises(AccessError):
            dispute.with_user(self.invoicing_user).action_reject()
        with self.assertRaises(AccessError):
            dispute.with_user(self.credit_controller).unlink()
        # Salespeople see no disputes.
        with self.assertRaises(AccessError):
            dispute.with_user(self.salesman).read(["reason"])
        # Managers delete an open dispute opened by mistake; a closed one is kept.
        dispute.with_user(self.credit_manager).unlink()
        self.assertFalse(self.invoice.credit_in_dispute)
        dispute = self._open_dispute(self.credit_controller, self.invoice, reason="duplicate")
        dispute.with_user(self.credit_controller).resolution_note = "Not a duplicate."
        dispute.with_user(self.credit_controller).action_reject()
        with self.assertRaises(UserError):
            dispute.with_user(self.credit_manager).unlink()

    @freeze_time("2026-03-05")
    def test_multi_company(self):
        dispute = self._open_dispute(self.credit_controller, self.invoice, reason="price")
        other_company = self.setup_other_company()["company"]
        other_user = self.env["res.users"].create(
            {
                "name": "Other Manager",
                "login": "other_credit_manager",
                "company_id": other_company.id,
                "company_ids": [Command.set(other_company.ids)],
                "groups_id": [
                    Command.set(
                        [
                            self.env.ref("base.group_user").id,
                            self.env.ref("account_credit_recovery.group_credit_manager").id,
                        ]
                    )
                ],
            }
        )
        Dispute = self.env["credit.recovery.dispute"].with_user(other_user)
        self.assertFalse(Dispute.search([]))
        with self.assertRaises(AccessError):
            dispute.with_user(other_user).read(["reason"])
        self.assertEqual(
            self.env["credit.recovery.dispute"].with_user(self.credit_manager).search([]), dispute
        )
