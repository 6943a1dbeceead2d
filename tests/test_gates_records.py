from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestGatesRecords(CreditRecoveryCommon):
    """Legal records are never deleted, whoever asks: done actions, signed plans, billed penalties, evidence."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.level = cls.company.credit_default_policy_id.level_ids.filtered(
            lambda level: level.channel == "letter"
        )[:1]
        cls.invoice = cls._invoice(cls.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        cls.receivable = cls.invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")

    def _action(self, state):
        return self.env["credit.recovery.action"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "level_id": self.level.id,
                "channel": "letter",
                "state": state,
                "date": "2026-04-15",
                "line_ids": [Command.set(self.receivable.ids)],
                "amount_due": 1200.0,
            }
        )

    @freeze_time("2026-04-20")
    def test_done_action_is_kept(self):
        done = self._action("done")
        with self.assertRaisesRegex(UserError, "never deleted"):
            done.with_user(self.credit_manager).unlink()
        self.assertTrue(done.exists())
        with self.assertRaises(UserError):
            done.with_user(self.credit_controller).write({"line_ids": [Command.clear()]})
        self.assertEqual(done.line_ids, self.receivable)
        # What was never carried out may go.
        draft = self.env["credit.recovery.action"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "level_id": self.level.id,
                "channel": "letter",
                "date": "2026-04-16",
            }
        )
        draft.with_user(self.credit_manager).unlink()
        self.assertFalse(draft.exists())

    @freeze_time("2026-04-20")
    def test_signed_plan_is_kept(self):
        plan = self.env["credit.recovery.plan"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "line_ids": [Command.set(self.receivable.ids)],
                "amount_total": 1200.0,
                "instalment_ids": [
                    Command.create({"date": "2026-05-01", "amount": 600.0}),
                    Command.create({"date": "2026-06-01", "amount": 600.0}),
                ],
            }
        )
        plan.sudo().write({"state": "running", "date_signed": "2026-04-20"})
        with self.assertRaisesRegex(UserError, "signed by the customer"):
            plan.with_user(self.credit_manager).unlink()
        self.assertTrue(plan.exists())
        self.assertEqual(len(plan.instalment_ids), 2)
        plan.action_cancel()
        plan.with_user(self.credit_manager).unlink()
        self.assertFalse(plan.exists())

    @freeze_time("2026-04-20")
    def test_billed_penalties_are_kept(self):
        penalty_invoice = self._invoice(self.customer, 13.58, "2026-04-20")
        line = self.env["credit.recovery.penalty.line"].create(
            {
                "penalty_move_line_id": penalty_invoice.invoice_line_ids.id,
                "receivable_line_id": self.receivable.id,
                "date_from": "2026-04-01",
                "date_to": "2026-04-20",
                "amount": 13.58,
            }
        )
        with self.assertRaisesRegex(UserError, "posted invoice"):
            line.with_user(self.credit_controller).unlink()
        self.assertTrue(line.exists())
        penalty_invoice.button_draft()
        line.with_user(self.credit_controller).unlink()
        self.assertFalse(line.exists())

    @freeze_time("2026-04-20")
    def test_evidence_of_a_claim_is_archived_not_deleted(self):
        Proof = self.env["credit.recovery.proof"].with_user(self.credit_controller)
        proof = Proof.create({"name": "Signed order", "kind": "signed_order", "move_id": self.invoice.id})
        other_invoice = self._invoice(self.customer, 300.0, "2026-03-01", due_date="2026-03-31")
        free = Proof.create({"name": "Delivery note", "kind": "delivery_note", "move_id": other_invoice.id})
        self._action("done")
        with self.assertRaisesRegex(UserError, "archive them"):
            proof.unlink()
        self.assertTrue(proof.exists())
        self.assertEqual(self.invoice.credit_proof_count, 1)
        proof.action_archive()
        self.assertFalse(proof.active)
        self.invoice.invalidate_recordset(["credit_proof_count"])
        self.assertEqual(self.invoice.credit_proof_count, 0)
        # A proof no claim relied on may still be deleted.
        free.unlink()
        self.assertFalse(free.exists())
