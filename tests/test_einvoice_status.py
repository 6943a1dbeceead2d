from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .einvoice_common import EinvoiceCommon, day


@tagged("post_install", "-at_install")
class TestEinvoiceStatusEffects(EinvoiceCommon):
    """What each lifecycle status does to the dunning run (the company's default effects)."""

    def _einvoice_activities(self, invoice):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "account.move"),
                ("res_id", "=", invoice.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("account_credit_recovery.mail_activity_type_credit_einvoice").id,
                ),
            ]
        )

    def test_205_approved_records_the_bon_a_payer_and_the_run_goes_on(self):
        invoice = self._new_invoice()
        messages = self._receive(invoice, "205", when=-10)
        self.assertEqual(messages.mapped("state"), ["applied"])
        self.assertEqual(invoice.credit_bap_state, "approved")
        self.assertEqual(invoice.credit_bap_date, day(-10))
        self.assertEqual(invoice.credit_einvoice_status, "205")
        status = invoice.credit_einvoice_status_ids
        self.assertEqual(len(status), 1)
        self.assertEqual((status.sender_name, status.sender_role), ("Boulangerie Martin SARL", "BY"))
        self.assertFalse(invoice.credit_einvoice_on_hold)
        # Approved and overdue: the strongest claim, reminded as usual.
        self.assertEqual(len(self._run(7)), 1)

    def test_204_in_hand_records_the_bon_a_payer(self):
        invoice = self._new_invoice()
        self._receive(invoice, "204", when=-12)
        self.assertEqual((invoice.credit_bap_state, invoice.credit_bap_date), ("approved", day(-12)))
        self.assertEqual(len(self._run(7)), 1)

    def test_206_partial_approval_disputes_the_rest(self):
        invoice = self._new_invoice(1000.0)  # 1,200.00 with VAT
        self._receive(
            invoice,
            "206",
            when=-5,
            reason_code="QTE_ERR",
            reason="2 cartons manquants",
            amounts={"MAP": 900.0},
        )
        self.assertEqual(invoice.credit_einvoice_approved_amount, 900.0)
        self.assertEqual(invoice.credit_bap_state, "approved")
        dispute = invoice.credit_dispute_ids
        self.assertEqual(len(dispute), 1)
        self.assertEqual(dispute.amount_disputed, 300.0)
        self.assertEqual(dispute.reason, "quantity")
        self.assertIn("2 cartons manquants", dispute.description)
        self.assertEqual(dispute.owner_id, self.credit_controller)
        self.assertTrue(invoice.credit_in_dispute)
        self.assertFalse(self._run(7))

    def test_207_in_dispute_opens_a_dispute_and_pauses_the_reminders(self):
        invoice = self._new_invoice()
        self._receive(
            invoice, "207", when=2, reason_code="PRIX_ERR", reason="Prix unitaire non conforme au devis"
        )
        dispute = invoice.credit_dispute_ids
        self.assertEqual((dispute.state, dispute.reason, dispute.amount_disputed), ("open", "price", 1200.0))
        self.assertFalse(self._run(7))
        # The dispute rejected, the reminders resume.
        dispute.resolution_note = "Prix du devis signé."
        dispute.with_user(self.credit_controller).action_reject()
        self.assertEqual(len(self._run(8)), 1)

    def test_210_refused_asks_for_a_credit_note(self):
        invoice = self._new_invoice()
        self._receive(invoice, "210", when=-15, reason_code="LIVR_INCOMP", reason="Livraison incomplète")
        dispute = invoice.credit_dispute_ids
        self.assertEqual((dispute.reason, dispute.amount_disputed), ("not_delivered", 1200.0))
        activity = self._einvoice_activities(invoice)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.credit_controller)
        self.assertIn("credit note", activity.note)
        self.assertFalse(self._run(7))

    def test_208_suspended_pauses_until_completed(self):
        invoice = self._new_invoice()
        self.env["credit.recovery.proof"].create(
            {"name": "BL 4521 signé", "kind": "delivery_note", "move_id": invoice.id}
        )
        self._receive(invoice, "208", when=1, reason_code="JUSTIF_ABS", reason="Bon de livraison demandé")
        self.assertTrue(invoice.credit_einvoice_on_hold)
        self.assertEqual(invoice.credit_einvoice_hold_reason, "suspended")
        activity = self._einvoice_activities(invoice)
        self.assertEqual(len(activity), 1)
        self.assertIn("BL 4521 signé", activity.note)
        self.assertFalse(self._run(7))
        self._receive(invoice, "209", when=8)
        self.assertFalse(invoice.credit_einvoice_on_hold)
        self.assertEqual(invoice.credit_einvoice_status, "209")
        self.assertEqual(len(self._run(9)), 1)

    def test_211_grace_period_then_reconcile_first(self):
        self.assertEqual(self.company.credit_einvoice_grace_days, 10)
        invoice = self._new_invoice()
        self._receive(invoice, "211", when=2, amounts={"MPA": 1200.0})
        self.assertEqual(invoice.credit_einvoice_hold_until, day(12))
        grace = self.env.ref("account_credit_recovery.ir_cron_credit_recovery_einvoice_grace")
        self.assertFalse(self._run(7))
        with freeze_time(day(12)):
            grace.method_direct_trigger()
        self.assertEqual(invoice.credit_einvoice_hold_reason, "payment_sent")
        with freeze_time(day(13)):
            grace.method_direct_trigger()
        # No payment arrived: not reminded, the credit controller reconciles first.
        self.assertEqual(invoice.credit_einvoice_hold_reason, "reconcile")
        self.assertFalse(self._run(13))
        reconcile = self.env["mail.activity"].search(
            [
                ("res_model", "=", "credit.recovery.partner.log"),
                ("res_id", "=", self.customer.with_company(invoice.company_id)._credit_trail().id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("account_credit_recovery.mail_activity_type_credit_reconcile").id,
                ),
            ]
        )
        self.assertEqual(len(reconcile), 1)
        self.assertIn(invoice.name, reconcile.note)
        with self.assertRaises(AccessError):
            invoice.with_user(self.salesman).action_credit_einvoice_resume()
        invoice.with_user(self.credit_controller).action_credit_einvoice_resume()
        self.assertEqual(len(self._run(14)), 1)

    def test_211_paid_during_the_grace_period(self):
        invoice = self._new_invoice()
        self._receive(invoice, "211", when=2)
        self._pay(invoice, payment_date=day(5))
        with freeze_time(day(13)):
            self.env.ref(
                "account_credit_recovery.ir_cron_credit_recovery_einvoice_grace"
            ).method_direct_trigger()
        self.assertFalse(invoice.credit_einvoice_on_hold)
        self.assertFalse(
            self.env["mail.activity"].search(
                [
                    "|",
                    "&",
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", self.customer.id),
                    "&",
                    ("res_model", "=", "credit.recovery.partner.log"),
                    (
                        "res_id",
                        "in",
                        self.env["credit.recovery.partner.log"]
                        .search([("partner_id", "=", self.customer.id)])
                        .ids,
                    ),
                ]
            )
        )

    def test_213_rejected_is_not_due(self):
        invoice = self._new_invoice()
        self._receive(
            invoice, "213", when=-25, reason_code="SIRET_ERR", reason="SIRET du destinataire inconnu"
        )
        self.assertEqual(invoice.credit_einvoice_hold_reason, "rejected")
        activity = self._einvoice_activities(invoice)
        self.assertEqual(len(activity), 1)
        self.assertIn("SIRET du destinataire inconnu", activity.note)
        self.assertFalse(self._run(7))
        self.assertFalse(self._run(30))

    def test_informative_statuses_change_nothing(self):
        invoice = self._new_invoice()
        for when, code in ((-29, "200"), (-28, "202"), (-27, "203")):
            self._receive(invoice, code, when=when)
        self.assertEqual(invoice.credit_einvoice_status, "203")
        self.assertEqual(len(invoice.credit_einvoice_status_ids), 3)
        self.assertFalse(invoice.credit_bap_state)
        self.assertEqual(len(self._run(7)), 1)

    def test_effect_configured_per_company(self):
        effect = self.env["credit.recovery.einvoice.effect"].with_user(self.credit_manager)
        with self.assertRaises(AccessError):
            effect.with_user(self.credit_controller).create(
                {"company_id": self.company.id, "code": "207", "effect": "none"}
            )
        effect.create({"company_id": self.company.id, "code": "207", "effect": "none"})
        invoice = self._new_invoice()
        self._receive(invoice, "207", when=2, reason_code="PRIX_ERR")
        self.assertEqual(invoice.credit_einvoice_status, "207")
        self.assertFalse(invoice.credit_dispute_ids)
        self.assertEqual(len(self._run(7)), 1)
