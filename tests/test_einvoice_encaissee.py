from unittest.mock import patch

from lxml import etree

from odoo import Command
from odoo.tests import tagged

from ..tools.cdar import NS
from .einvoice_common import SELLER_SIREN, EinvoiceCommon, day


@tagged("post_install", "-at_install")
class TestEinvoiceEncaissee(EinvoiceCommon):
    """The 212 Encaissée the seller owes its platform for services taxed on receipt."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.tax_exigibility = True
        transition = cls.company_data["default_account_tax_sale"].copy()
        cls.tax_on_payment = cls.env["account.tax"].create(
            {
                "name": "TVA 20 % sur les encaissements",
                "amount": 20.0,
                "type_tax_use": "sale",
                "tax_exigibility": "on_payment",
                "cash_basis_transition_account_id": transition.id,
                "company_id": cls.company.id,
            }
        )
        cls.Outbound = cls.env["credit.recovery.einvoice.outbound"]

    def _service_invoice(self):
        invoice = self._new_invoice(1000.0)
        invoice.button_draft()
        invoice.invoice_line_ids.tax_ids = [Command.set(self.tax_on_payment.ids)]
        invoice.action_post()
        return invoice

    def test_212_once_per_payment_of_a_cash_basis_invoice(self):
        invoice = self._service_invoice()
        self.assertEqual(invoice.amount_total, 1200.0)
        first = self._pay(invoice, amount=500.0, payment_date=day(3))
        outbound = self.Outbound.search([("move_id", "=", invoice.id)])
        self.assertEqual(len(outbound), 1)
        self.assertEqual((outbound.amount, outbound.date, outbound.state), (500.0, day(3), "to_send"))
        self.assertEqual(outbound.payment_move_id, first.move_id)
        root = etree.fromstring(outbound.cdar_xml.encode())
        ref = root.find("rsm:AcknowledgementDocument/ram:ReferenceReferencedDocument", NS)
        self.assertEqual(ref.findtext("ram:ProcessConditionCode", namespaces=NS), "212")
        self.assertEqual(ref.findtext("ram:IssuerAssignedID", namespaces=NS), invoice.name)
        self.assertEqual(ref.findtext("ram:IssuerTradeParty/ram:GlobalID", namespaces=NS), SELLER_SIREN)
        characteristic = ref.find("ram:SpecifiedDocumentStatus/ram:SpecifiedDocumentCharacteristic", NS)
        self.assertEqual(characteristic.findtext("ram:TypeCode", namespaces=NS), "MEN")
        self.assertEqual(characteristic.findtext("ram:ValueAmount", namespaces=NS), "500.00")
        self.assertEqual(invoice.credit_einvoice_status, "212")
        # Unreconciled and reconciled again: the same payment is not announced twice.
        receivable = first.move_id.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        receivable.remove_move_reconcile()
        (
            receivable | invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        ).reconcile()
        self.assertEqual(len(self.Outbound.search([("move_id", "=", invoice.id)])), 1)
        # The second payment has its own.
        self._pay(invoice, amount=700.0, payment_date=day(9))
        outbounds = self.Outbound.search([("move_id", "=", invoice.id)], order="id")
        self.assertEqual(outbounds.mapped("amount"), [500.0, 700.0])
        self.assertEqual(
            len(invoice.credit_einvoice_status_ids.filtered(lambda status: status.direction == "out")), 2
        )

    def test_no_212_for_goods_nor_credit_notes(self):
        goods = self._new_invoice(1000.0)  # VAT on the invoice (goods)
        self._pay(goods, payment_date=day(3))
        self.assertIn(goods.payment_state, ("paid", "in_payment"))
        self.assertFalse(self.Outbound.search([("move_id", "=", goods.id)]))
        service = self._service_invoice()
        reversal = service._reverse_moves([{"invoice_date": day(1)}])
        reversal.action_post()  # a full credit note, matched with the invoice
        self.assertEqual(service.payment_state, "reversed")
        self.assertFalse(self.Outbound.search([("move_id", "=", service.id)]))

    def test_queue_retry_and_export(self):
        invoice = self._service_invoice()
        self._pay(invoice, payment_date=day(3))
        outbound = self.Outbound.search([("move_id", "=", invoice.id)])
        cron = self.env.ref("account_credit_recovery.ir_cron_credit_recovery_einvoice_send")
        # No platform connection: the message waits for the export file.
        cron.method_direct_trigger()
        self.assertEqual(outbound.state, "to_send")
        # A failing connection: logged, retried later.
        with patch.object(
            type(self.env["res.company"]),
            "_credit_einvoice_platform_send",
            side_effect=ConnectionError("plateforme indisponible"),
            autospec=True,
        ):
            cron.method_direct_trigger()
        self.assertEqual((outbound.state, outbound.attempt_count), ("error", 1))
        self.assertIn("plateforme indisponible", outbound.last_error)
        self.assertTrue(outbound.next_attempt)
        action = outbound.with_user(self.credit_controller).action_credit_export()
        self.assertIn("/web/content/", action["url"])
        self.assertEqual((outbound.state, outbound.transport), ("sent", "file"))
