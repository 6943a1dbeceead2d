"""Issue #14: a payment plan over a reclassified invoice shows the invoice as the debt, not the 416 entry."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .test_law_edges import LawEdgesCommon


@tagged("post_install", "-at_install")
class TestReclassifiedPlan(LawEdgesCommon):
    PLAN = "account_credit_recovery.action_report_credit_recovery_plan"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(cls.customer, 1000.0, "2026-01-10", due_date="2026-02-10")
        cls.other = cls._invoice(cls.customer, 250.0, "2026-02-01", due_date="2026-03-03")
        with freeze_time("2026-03-15"):
            cls.env["credit.recovery.doubtful.line"].with_user(cls.credit_manager)._credit_reclassify(
                cls.invoice, date(2026, 3, 15)
            )
        cls.item_416 = cls.invoice.credit_doubtful_move_line_id
        other_item = cls.other.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        with freeze_time("2026-04-10"):
            cls.plan = (
                cls.env["credit.recovery.plan"]
                .with_user(cls.credit_controller)
                .create(
                    {
                        "partner_id": cls.customer.id,
                        "line_ids": [Command.set((cls.item_416 | other_item).ids)],
                        "late_amounts": "waived",
                    }
                )
            )

    def test_plan_prints_the_invoice(self):
        with freeze_time("2026-04-10"):
            tree = self._render(self.PLAN, self.plan.with_user(self.credit_controller))
        rows = [
            (
                self._texts(row, ".//td[@name='item_invoice']")[0],
                self._texts(row, ".//td[@name='item_invoice_date']")[0],
                self._texts(row, ".//td[@name='item_due_date']")[0],
            )
            for row in tree.xpath("//table[@name='invoices']//tr[@name='item']")
        ]
        # The 416 item is the invoice of 10 January due 10 February, not the entry of 15 March.
        self.assertEqual(
            rows,
            [
                (self.invoice.name, "10/01/2026", "10/02/2026"),
                (self.other.name, "01/02/2026", "03/03/2026"),
            ],
        )
        self.assertNotIn(self.item_416.move_id.name, tree.text_content())
        # 1,000.00 + 20 % = 1,200.00 still owed on the 416 item, 250.00 + 20 % = 300.00 on the other: 1,500.00.
        self.assertEqual(
            self._texts(tree, "//table[@name='invoices']//td[@class='text-end']"), ["1 200,00 €", "300,00 €"]
        )
