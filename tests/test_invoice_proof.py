import base64
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.account_credit_recovery.tools.payment_terms import exceeds_legal_cap, legal_due_date_cap

from .common import CreditRecoveryCommon

PDF = base64.b64encode(b"%PDF-1.4 signed document")


@tagged("post_install", "-at_install")
class TestInvoiceProof(CreditRecoveryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.product_a.id, "product_uom_qty": 5, "price_unit": 100.0}
                    ),
                ],
            }
        )
        cls.order.action_confirm()
        cls.approver = cls.env["res.partner"].create(
            {
                "name": "Jeanne Martin",
                "parent_id": cls.customer.id,
                "credit_contact_role": "invoice_approver",
                "email": "jeanne@martin.example.com",
            }
        )

    def _order_invoice(self):
        """A draft invoice of the whole order, dated 2026-03-15, due 30 days later."""
        invoice = self.order._create_invoices()
        invoice.write({"invoice_date": "2026-03-15", "invoice_date_due": "2026-04-14"})
        return invoice

    def _proof(self, user, kind, **values):
        return (
            self.env["credit.recovery.proof"]
            .with_user(user)
            .create({"name": kind, "kind": kind, "file": PDF, "file_name": f"{kind}.pdf", **values})
        )

    def _require(self, **requirements):
        self.customer.with_user(self.credit_controller).write(requirements)

    @freeze_time("2026-03-15")
    def test_proof_status_from_attachments(self):
        invoice = self._order_invoice()
        self.assertEqual(invoice.credit_proof_status, "missing")
        # The signed order, attached to the sale order, counts for its invoices.
        signed = self._proof(
            self.credit_controller,
            "signed_order",
            sale_order_id=self.order.id,
            signatory_name="Jean Martin",
            signatory_function="Gérant",
            can_bind=True,
        )
        self.assertEqual(signed.partner_id, self.customer)
        self.assertEqual(signed.company_id, self.company)
        self.assertEqual(signed.attachment_id.res_model, "credit.recovery.proof")
        self.assertEqual(signed.attachment_id.res_id, signed.id)
        self.assertEqual(base64.b64decode(signed.attachment_id.datas), b"%PDF-1.4 signed document")
        self.assertEqual(self.order.credit_proof_count, 1)
        invoice.invalidate_recordset(["credit_proof_status", "credit_proof_count"])
        self.assertEqual(invoice.credit_proof_status, "partial")
        # The customer's e-mail confirming receipt, on the invoice itself.
        self._proof(self.credit_controller, "receipt_email", move_id=invoice.id)
        invoice.invalidate_recordset(["credit_proof_status", "credit_proof_count"])
        self.assertEqual(invoice.credit_proof_status, "complete")
        self.assertEqual(invoice.credit_proof_count, 2)
        # A customer that requires its order reference: complete only with it.
        self._require(credit_require_order_ref=True)
        self.assertTrue(self.customer.credit_require_order_reference)
        invoice.invalidate_recordset(["credit_proof_status"])
        self.assertEqual(invoice.credit_proof_status, "partial")
        self.order.client_order_ref = "PO-2026-118"
        invoice.invalidate_recordset(["credit_proof_status"])
        self.assertEqual(invoice.credit_proof_status, "complete")
        # Invoicing users read proofs, only Credit Controllers record them.
        self.assertEqual(
            self.env["credit.recovery.proof"]
            .with_user(self.invoicing_user)
            .search([("move_id", "=", invoice.id)])
            .kind,
            "receipt_email",
        )
        with self.assertRaises(AccessError):
            self._proof(self.invoicing_user, "delivery_note", move_id=invoice.id)

    @freeze_time("2026-03-15")
    def test_presend_order_reference(self):
        invoice = self._order_invoice()
        self.assertEqual(invoice.credit_presend_status, "ok")
        self.assertFalse(invoice.credit_presend_issues)
        self._require(credit_require_order_ref=True)
        invoice.invalidate_recordset(["credit_presend_status", "credit_presend_issues"])
        self.assertEqual(invoice.credit_presend_status, "warning")
        self.assertIn("requires its order reference", invoice.credit_presend_issues)
        invoice.ref = "PO-2026-118"
        self.assertEqual(invoice.credit_presend_status, "ok")
        # Another customer has no such requirement.
        other = self.env["res.partner"].create({"name": "Other SAS", "is_company": True})
        self.assertEqual(self._invoice(other, 100.0, "2026-03-15", post=False).credit_presend_status, "ok")

    @freeze_time("2026-03-15")
    def test_presend_quantity_and_price(self):
        invoice = self._order_invoice()
        line = invoice.invoice_line_ids
        self.assertEqual(line.sale_line_ids, self.order.order_line)
        line.write({"quantity": 7, "price_unit": 120.0})
        self.assertEqual(invoice.credit_presend_status, "warning")
        issues = invoice.credit_presend_issues.splitlines()
        self.assertEqual(len(issues), 2)
        self.assertIn("7.0 invoiced in all for 5.0 ordered on " + self.order.name, issues[0])
        self.assertIn("unit price 120.0", issues[1])
        self.assertIn("differs from the order", issues[1])
        line.write({"quantity": 5, "price_unit": 100.0})
        self.assertEqual(invoice.credit_presend_status, "ok")

    @freeze_time("2026-03-15")
    def test_presend_proofs_required(self):
        invoice = self._order_invoice()
        self._require(credit_require_delivery_proof=True, credit_require_signed_order=True)
        invoice.invalidate_recordset(["credit_presend_status", "credit_presend_issues"])
        issues = invoice.credit_presend_issues
        self.assertIn("requires a proof of delivery", issues)
        self.assertIn("requires a signed order", issues)
        self._proof(self.credit_controller, "delivery_note", move_id=invoice.id, signatory_name="Magasinier")
        self._proof(
            self.credit_controller, "signed_quote", sale_order_id=self.order.id, signatory_name="Stagiaire"
        )
        invoice.invalidate_recordset(["credit_presend_status", "credit_presend_issues"])
        self.assertEqual(
            invoice.credit_presend_issues,
            "The signed order of Boulangerie Martin SARL is not signed by a person who can bind it.",
        )
        self.order.credit_proof_ids.with_user(self.credit_controller).can_bind = True
        invoice.invalidate_recordset(["credit_presend_status", "credit_presend_issues"])
        self.assertEqual(invoice.credit_presend_status, "ok")
        # Requirements are per company: the other company's invoices do not need them.
        self.assertFalse(
            self.customer.with_company(self.setup_other_company()["company"]).credit_require_signed_order
        )

    def test_legal_payment_term_cap(self):
        self.assertEqual(legal_due_date_cap(date(2026, 3, 15)), date(2026, 5, 15))
        # 60 days (1 April) is later than 45 days end of month (31 March) here.
        self.assertEqual(legal_due_date_cap(date(2026, 1, 31)), date(2026, 4, 1))
        self.assertFalse(exceeds_legal_cap(date(2026, 3, 15), date(2026, 5, 15)))
        self.assertTrue(exceeds_legal_cap(date(2026, 3, 15), date(2026, 5, 16)))

    @freeze_time("2026-03-15")
    def test_presend_payment_terms(self):
        invoice = self._invoice(self.customer, 100.0, "2026-03-15", due_date="2026-06-30", post=False)
        self.assertEqual(invoice.credit_presend_status, "warning")
        self.assertIn("beyond the legal cap for French companies", invoice.credit_presend_issues)
        self.assertIn("05/15/2026", invoice.credit_presend_issues)
        invoice.invoice_date_due = "2026-05-15"
        self.assertEqual(invoice.credit_presend_status, "ok")
        # Not a French company: the French cap does not apply.
        foreign = self.env["res.partner"].create(
            {"name": "Bäckerei Müller GmbH", "is_company": True, "country_id": self.env.ref("base.de").id}
        )
        foreign_invoice = self._invoice(foreign, 100.0, "2026-03-15", due_date="2026-06-30", post=False)
        self.assertEqual(foreign_invoice.credit_presend_status, "ok")

    @freeze_time("2026-03-15")
    def test_presend_warn_then_block_then_override(self):
        invoice = self._order_invoice()
        invoice.action_post()
        self._require(credit_require_delivery_proof=True)
        invoice = invoice.with_user(self.invoicing_user)
        # Warn: the invoice can be sent and printed, the send wizard shows the issue.
        self.assertEqual(invoice.credit_presend_status, "warning")
        self.assertEqual(invoice.action_invoice_sent()["res_model"], "account.move.send.wizard")
        self.assertTrue(invoice.action_print_pdf())
        send_wizard = (
            self.env["account.move.send.wizard"]
            .with_user(self.invoicing_user)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({})
        )
        self.assertIn(
            "requires a proof of delivery", send_wizard.alerts["account_credit_recovery_presend"]["message"]
        )
        # Block: neither sending nor printing until fixed or overridden.
        self.company.with_user(self.credit_manager).credit_presend_mode = "block"
        invoice.invalidate_recordset(["credit_presend_status"])
        self.assertEqual(invoice.credit_presend_status, "blocked")
        with self.assertRaisesRegex(UserError, "requires a proof of delivery"):
            invoice.action_invoice_sent()
        with self.assertRaises(UserError):
            invoice.action_print_pdf()
        with self.assertRaises(UserError):
            invoice.action_invoice_download_pdf()
        # The Print menu renders the report directly: blocked too.
        report = self.env.ref("account.account_invoices")
        with self.assertRaises(UserError):
            report.with_context(force_report_rendering=True)._render_qweb_pdf(report.report_name, invoice.ids)
        # A plain invoicing user cannot override.
        with self.assertRaises(AccessError):
            invoice.action_credit_presend_override()
        with self.assertRaises(AccessError):
            self.env["credit.recovery.presend.override.wizard"].with_user(self.invoicing_user).create(
                {"move_ids": [Command.set(invoice.ids)], "reason": "Urgent"}
            )
        with self.assertRaises(AccessError):
            invoice.credit_presend_override = True
        # A Credit Controller overrides with a reason, logged in the chatter.
        action = invoice.with_user(self.credit_controller).action_credit_presend_override()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.credit_controller)
            .with_context(**action["context"])
            .create({"reason": "Delivery note signed on paper, scan to follow"})
        )
        self.assertIn("requires a proof of delivery", wizard.issues)
        wizard.action_override()
        invoice.invalidate_recordset()
        self.assertEqual(invoice.credit_presend_status, "warning")
        self.assertEqual(invoice.credit_presend_override_user_id, self.credit_controller)
        self.assertIn("Delivery note signed on paper", invoice.message_ids[0].body)
        self.assertEqual(invoice.action_invoice_sent()["res_model"], "account.move.send.wizard")
        # Fixed: nothing left to report.
        self._proof(self.credit_controller, "delivery_note", move_id=invoice.id)
        invoice.invalidate_recordset(["credit_presend_status"])
        self.assertEqual(invoice.credit_presend_status, "ok")

    def test_contact_roles(self):
        customer = self.customer
        self.assertEqual(customer._credit_recovery_contact("invoice_approver"), self.approver)
        self.assertEqual(self.approver._credit_recovery_contact("invoice_approver"), self.approver)
        # No accountant: the invoice address, then the customer itself.
        self.assertEqual(customer._credit_recovery_contact("accountant"), customer)
        address = self.env["res.partner"].create(
            {"name": "Comptabilité", "parent_id": customer.id, "type": "invoice"}
        )
        self.assertEqual(customer._credit_recovery_contact("accountant"), address)
        gerant = self.env["res.partner"].create({"name": "Jean Martin", "parent_id": customer.id})
        customer.with_user(self.credit_controller).credit_legal_representative_id = gerant
        self.assertEqual(customer._credit_recovery_contact("legal_signatory"), gerant)
        # Only credit controllers give contacts their credit role.
        with self.assertRaises(AccessError):
            address.with_user(self.invoicing_user).credit_contact_role = "accountant"

    def test_bon_a_payer_cron(self):
        # Without a pre-due call in its dunning policy, the company gets the bon-à-payer reminders.
        self.company.credit_default_policy_id.level_ids.filtered("pre_due").unlink()
        self.customer.with_user(self.credit_controller).credit_controller_id = self.credit_controller
        with freeze_time("2026-03-01"):
            large = self._invoice(self.customer, 5000.0, "2026-02-01", due_date="2026-03-10")
            small = self._invoice(self.customer, 1000.0, "2026-02-01", due_date="2026-03-10")
            later = self._invoice(self.customer, 6000.0, "2026-02-28", due_date="2026-04-28")
            cron = self.env.ref("account_credit_recovery.ir_cron_credit_recovery_bon_a_payer")
            cron.method_direct_trigger()
            cron.method_direct_trigger()
        activity_type = self.env.ref("account_credit_recovery.mail_activity_type_credit_bap")
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "account.move"), ("activity_type_id", "=", activity_type.id)]
        )
        self.assertEqual(activities.res_id, large.id)
        self.assertEqual(activities.user_id, self.credit_controller)
        self.assertIn("Jeanne Martin", str(activities.note))
        self.assertEqual(large.credit_bap_state, "pending")
        self.assertFalse(small.credit_bap_state)
        self.assertFalse(later.credit_bap_state)
        # The days before the due date are set per company.
        self.company.with_user(self.credit_manager).credit_bap_days_before_due = 60
        with freeze_time("2026-03-01"):
            cron.method_direct_trigger()
        self.assertEqual(later.credit_bap_state, "pending")

    @freeze_time("2026-03-01")
    def test_bon_a_payer_answer(self):
        invoice = self._invoice(self.customer, 5000.0, "2026-02-01", due_date="2026-03-10")
        action = invoice.with_user(self.credit_controller).action_credit_bap()
        Wizard = (
            self.env[action["res_model"]].with_user(self.credit_controller).with_context(**action["context"])
        )
        wizard = Wizard.create({"answer": "approved"})
        self.assertEqual(wizard.contact_id, self.approver)
        wizard.action_confirm()
        self.assertEqual(invoice.credit_bap_state, "approved")
        self.assertEqual(str(invoice.credit_bap_date), "2026-03-01")
        self.assertEqual(invoice.credit_bap_contact_id, self.approver)
        # Disputed: a dispute opens and the invoice leaves the dunning.
        action = Wizard.create(
            {"answer": "disputed", "dispute_reason": "quantity", "dispute_amount": 1200.0}
        ).action_confirm()
        dispute = self.env["credit.recovery.dispute"].browse(action["res_id"])
        self.assertEqual(invoice.credit_bap_state, "disputed")
        self.assertEqual(dispute.reason, "quantity")
        self.assertEqual(dispute.amount_disputed, 1200.0)
        self.assertTrue(invoice.credit_in_dispute)
        with self.assertRaises(AccessError):
            self.env["credit.recovery.bap.wizard"].with_user(self.invoicing_user).create(
                {"move_id": invoice.id, "answer": "approved"}
            )

    @freeze_time("2026-03-15")
    def test_multi_company(self):
        invoice = self._order_invoice()
        proof = self._proof(self.credit_controller, "signed_order", sale_order_id=self.order.id)
        other_company = self.setup_other_company()["company"]
        other_controller = self.env["res.users"].create(
            {
                "name": "Other Controller",
                "login": "other_controller",
                "company_id": other_company.id,
                "company_ids": [Command.set(other_company.ids)],
                "groups_id": [
                    Command.set(
                        [
                            self.env.ref("base.group_user").id,
                            self.env.ref("account_credit_recovery.group_credit_controller").id,
                        ]
                    )
                ],
            }
        )
        Proof = self.env["credit.recovery.proof"].with_user(other_controller)
        self.assertFalse(Proof.search([("id", "=", proof.id)]))
        with self.assertRaises(AccessError):
            proof.with_user(other_controller).read(["name"])
        self.assertIn(proof, self.env["credit.recovery.proof"].with_user(self.credit_controller).search([]))
        self.assertEqual(invoice.credit_proof_status, "partial")
