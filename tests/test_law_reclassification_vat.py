"""Issue #14: reclassifying a receivable to 416 is no receipt, so it makes no VAT due on receipt (CGI 269-2-c)."""

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestReclassificationCashBasis(CreditRecoveryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Doubtful = cls.env["credit.recovery.doubtful.line"]
        cls.service_tax = (
            cls.env["account.chart.template"].with_company(cls.company).ref("tva_normale_encaissement")
        )
        cls.pending_account = cls.service_tax.cash_basis_transition_account_id
        cls.vat_account = cls.service_tax.invoice_repartition_line_ids.filtered(
            lambda line: line.repartition_type == "tax"
        ).account_id
        cls.company.tax_exigibility = True
        with freeze_time("2026-03-15"):
            # Services taxed on receipt: 1,000.00 + 20 % VAT = 1,200.00, unpaid; 200.00 of VAT pending on 44574.
            cls.invoice = cls._invoice(
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
            cls.Doubtful.with_user(cls.credit_manager)._credit_reclassify(cls.invoice, date(2026, 3, 15))

    def _balance(self, account, moves=None):
        lines = (
            moves.line_ids
            if moves is not None
            else self.env["account.move.line"].search(
                [
                    ("account_id", "=", account.id),
                    ("partner_id", "=", self.customer.id),
                    ("parent_state", "=", "posted"),
                ]
            )
        )
        return round(sum(lines.filtered(lambda line: line.account_id == account).mapped("balance")), 2)

    def test_reclassification_makes_no_vat_due(self):
        self.assertTrue(self.pending_account.code.startswith("44574"))
        self.assertTrue(self.vat_account.code.startswith("44571"))
        self.assertTrue(self.invoice.credit_doubtful_move_line_id)
        # No cash-basis entry: the 200.00 of VAT stays pending on 44574, nothing became due on 44571.
        self.assertFalse(self.invoice.tax_cash_basis_created_move_ids)
        self.assertEqual(self._balance(self.pending_account), -200.0)
        self.assertEqual(self._balance(self.vat_account), 0.0)

    def test_payment_on_416_makes_its_share_due_and_write_off_reverses_the_rest(self):
        # The customer pays 600.00 on 10 April, applied to the 416 item: half the invoice is received, so
        # 1,000.00 x 20 % x 600 / 1,200 = 100.00 of VAT becomes due (44574 -> 44571) on 10 April.
        with freeze_time("2026-04-10"):
            self.env["account.payment.register"].with_user(self.invoicing_user).with_context(
                active_model="account.move", active_ids=self.invoice.ids
            ).create({"payment_date": "2026-04-10", "amount": 600.0})._create_payments()
        caba = self.invoice.tax_cash_basis_created_move_ids
        self.assertEqual(len(caba), 1)
        self.assertEqual(caba.date, date(2026, 4, 10))
        self.assertEqual(self._balance(self.vat_account, caba), -100.0)
        self.assertEqual(self._balance(self.pending_account), -100.0)
        self.assertEqual(self._balance(self.vat_account), -100.0)
        # The write-off of the 600.00 left reverses the 100.00 still pending, and makes nothing due.
        with freeze_time("2026-06-30"):
            Wizard = self.env["credit.recovery.doubtful.wizard"].with_user(self.credit_manager)
            action = Wizard._credit_action(self.invoice, "writeoff")
            Wizard.with_context(**action["context"]).create({"date": "2026-06-30"}).action_apply()
        record = self.Doubtful.search([("move_id", "=", self.invoice.id)])
        self.assertEqual(record.state, "written_off")
        self.assertEqual((record.writeoff_vat_cancelled, record.writeoff_vat_recovered), (100.0, 0.0))
        self.assertEqual(self.invoice.tax_cash_basis_created_move_ids, caba)
        self.assertEqual(self._balance(self.pending_account), 0.0)
        self.assertEqual(self._balance(self.vat_account), -100.0)
