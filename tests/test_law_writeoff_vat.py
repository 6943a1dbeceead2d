"""Issue #14, item 5: the VAT of a written-off receivable (CGI 269-2-c, 272-1)."""

import base64
import re

from freezegun import freeze_time
from lxml import html

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditRecoveryCommon

RECTIFYING = "account_credit_recovery.action_report_credit_recovery_rectifying_invoice"


@tagged("post_install", "-at_install")
class TestWriteOffVat(CreditRecoveryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "compta@boulangerie-martin.example.com"
        cls.Doubtful = cls.env["credit.recovery.doubtful.line"]
        cls.service_tax = (
            cls.env["account.chart.template"].with_company(cls.company).ref("tva_normale_encaissement")
        )
        cls.goods_tax = cls.env["account.chart.template"].with_company(cls.company).ref("tva_normale")
        cls.pending_account = cls.service_tax.cash_basis_transition_account_id
        cls.company.tax_exigibility = True
        with freeze_time("2026-03-01"):
            # Services taxed on receipt: 1,000.00 + 20 % VAT = 1,200.00, of which 600.00 paid. The payment made
            # 100.00 of VAT due (44574 -> 44571); 500.00 + 100.00 of pending VAT remain unpaid.
            cls.service_invoice = cls._invoice(
                cls.customer,
                1000.0,
                "2026-01-10",
                due_date="2026-02-10",
                invoice_line_ids=[
                    (
                        0,
                        0,
                        {
                            "name": "Maintenance",
                            "quantity": 1,
                            "price_unit": 1000.0,
                            "tax_ids": [(6, 0, cls.service_tax.ids)],
                        },
                    )
                ],
            )
            cls._pay(cls.service_invoice, amount=600.0, payment_date="2026-02-15")
            # Goods taxed on invoicing: 500.00 + 100.00 VAT, unpaid.
            cls.goods_invoice = cls._invoice(cls.customer, 500.0, "2026-01-20", due_date="2026-02-20")

    def _write_off(self, invoice, user=None, **values):
        user = user or self.credit_manager
        Wizard = self.env["credit.recovery.doubtful.wizard"].with_user(user)
        action = Wizard._credit_action(invoice, "writeoff")
        Wizard.with_context(**action["context"]).create({"date": "2026-06-30", **values}).action_apply()
        return self.Doubtful.search([("move_id", "=", invoice.id)])

    def _balance(self, moves, account):
        return round(
            sum(moves.line_ids.filtered(lambda line: line.account_id == account).mapped("balance")), 2
        )

    def _evidence(self):
        return {
            "irrecoverability_evidence": "liquidation_closed",
            "irrecoverability_date": "2026-06-15",
            "irrecoverability_file": base64.b64encode(b"%PDF-1.4 jugement de cloture"),
            "irrecoverability_filename": "Jugement de clôture pour insuffisance d'actif.pdf",
        }

    @freeze_time("2026-06-30")
    def test_cash_basis_vat_reverses_the_pending_account(self):
        self.assertEqual(self.service_tax.tax_exigibility, "on_payment")
        self.assertTrue(self.pending_account.code.startswith("44574"))
        # Nothing to recover from the Treasury: no evidence needed, no rectifying document.
        record = self._write_off(self.service_invoice)
        move = record.writeoff_move_id
        vat_collected = self.company._credit_doubtful_account("credit_loss_vat_account_id")
        # 600.00 unpaid: 654 500.00, 44574 100.00 (the pending VAT reversed), 411 -600.00; nothing on 44571.
        self.assertEqual(self._balance(move, self.pending_account), 100.0)
        self.assertEqual(self._balance(move, vat_collected), 0.0)
        loss = move.line_ids.filtered(lambda line: line.account_id.code.startswith("654"))
        self.assertEqual(round(sum(loss.mapped("balance")), 2), 500.0)
        self.assertEqual((record.writeoff_vat_cancelled, record.writeoff_vat_recovered), (100.0, 0.0))
        self.assertFalse(record.rectifying_attachment_id)
        # The pending VAT of the invoice is back to zero: -200.00 invoiced, +100.00 paid, +100.00 written off;
        # the write-off made no cash basis entry (no VAT became due on it).
        pending = self.env["account.move.line"].search(
            [("account_id", "=", self.pending_account.id), ("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(round(sum(pending.mapped("balance")), 2), 0.0)
        self.assertEqual(self.service_invoice.payment_state, "paid")

    @freeze_time("2026-06-30")
    def test_vat_recovery_needs_the_evidence_and_produces_the_rectifying_invoice(self):
        # Without the evidence of irrecoverability the write-off is refused and nothing is booked.
        with self.assertRaisesRegex(UserError, "272-1"):
            self._write_off(self.goods_invoice)
        self.assertFalse(self.Doubtful.search([("move_id", "=", self.goods_invoice.id)]).writeoff_move_id)
        self.assertEqual(self.goods_invoice.payment_state, "not_paid")
        # A Credit Controller cannot write off.
        with self.assertRaises(AccessError):
            self._write_off(self.goods_invoice, user=self.credit_controller, **self._evidence())
        record = self._write_off(self.goods_invoice, **self._evidence())
        # 600.00 unpaid: 654 500.00, 44571 100.00 recovered, 411 -600.00.
        vat_collected = self.company._credit_doubtful_account("credit_loss_vat_account_id")
        self.assertEqual(self._balance(record.writeoff_move_id, vat_collected), 100.0)
        self.assertEqual((record.writeoff_untaxed_amount, record.writeoff_vat_recovered), (500.0, 100.0))
        self.assertEqual(record.irrecoverability_evidence, "liquidation_closed")
        self.assertEqual(record.irrecoverability_attachment_id.res_id, record.id)
        # The rectifying document is attached to the invoice and sent to the customer.
        attachment = record.rectifying_attachment_id
        self.assertEqual((attachment.res_model, attachment.res_id), ("account.move", self.goods_invoice.id))
        message = self.goods_invoice.message_ids.filtered(lambda msg: attachment in msg.attachment_ids)
        self.assertIn(self.customer, message.partner_ids)
        # In French, whatever the customer's language, referencing the original invoice.
        self.customer.lang = "en_US"
        report = self.env.ref(RECTIFYING)
        tree = html.fromstring(report._render_qweb_html(report.id, record.ids)[0])

        def text(xpath):
            return re.sub(r"\s+", " ", tree.xpath(xpath)[0].text_content().replace("\u202f", " ")).strip()

        self.assertEqual(text("//h3[@name='title']"), "Facture rectificative")
        self.assertIn(self.goods_invoice.name, text("//p[@name='reference']"))
        self.assertEqual(
            text("//p[@name='mention']"),
            f"Facture n° {self.goods_invoice.name} du 20/01/2026 demeurée impayée pour la somme de 500,00 € hors "
            "taxes et pour la somme de 100,00 € de TVA correspondante, qui ne peut faire l'objet d'une déduction.",
        )
        self.assertIn(
            "clôture de la liquidation judiciaire pour insuffisance d'actif du 15/06/2026",
            text("//p[@name='evidence']"),
        )
        self.assertIn("272-1", text("//p[@name='evidence']"))
        self.assertEqual(text("//span[@name='unpaid_total']"), "600,00 €")
