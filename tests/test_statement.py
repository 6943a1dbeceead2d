import re
from datetime import date
from io import BytesIO

from freezegun import freeze_time
from lxml import html
from openpyxl import load_workbook

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CreditRecoveryCommon

AS_OF = date(2026, 4, 15)


def amount_of(element):
    """The figure of a rendered French amount ("1 000,00 €", "-120,00 €") as a float."""
    text = "".join(element.itertext())
    digits = re.sub(r"[^0-9,\-]", "", text).replace(",", ".")
    return float(digits)


@tagged("post_install", "-at_install")
class TestStatement(CreditRecoveryCommon):
    """The statement of account on a known-answer book: three invoices, a credit note, a receipt."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"credit_aged_bucket_1": 30, "credit_aged_bucket_2": 60, "credit_aged_bucket_3": 90}
        )
        cls.customer.write({"email": "compta@boulangerie-martin.fr", "comment": "Internal: slow payer"})
        # 1,200.00 due 9 Feb, 200.00 paid on 20 Feb: 1,000.00 left, 65 days overdue on 15 Apr.
        cls.inv_1 = cls._invoice(cls.customer, 1000.0, "2026-01-10", due_date="2026-02-09")
        cls._pay(cls.inv_1, amount=200.0, payment_date="2026-02-20")
        # 600.00 due 31 Mar: 15 days overdue.
        cls.inv_2 = cls._invoice(cls.customer, 500.0, "2026-03-01", due_date="2026-03-31")
        # 300.00 due 1 May: not due.
        cls.inv_3 = cls._invoice(cls.customer, 250.0, "2026-04-01", due_date="2026-05-01")
        # An unapplied credit note of 120.00 and an unapplied receipt of 50.00.
        cls.refund = cls._invoice(
            cls.customer, 100.0, "2026-03-15", due_date="2026-03-15", move_type="out_refund"
        )
        payment = cls.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": cls.customer.id,
                "amount": 50.0,
                "date": "2026-04-10",
                "memo": "Virement Martin",
            }
        )
        payment.action_post()
        cls.payment = payment
        # An invoice after the statement date is not on it.
        cls._invoice(cls.customer, 999.0, "2026-04-20", due_date="2026-05-20")

    def _render(self, user=None):
        report = self.env.ref("account_credit_recovery.action_report_credit_statement")
        env = self.env(user=user) if user else self.env
        content, _type = (
            env["ir.actions.report"]
            .with_company(self.company)
            ._render_qweb_html(
                report.report_name,
                self.customer.ids,
                data={"company_id": self.company.id, "date": "2026-04-15"},
            )
        )
        return html.fromstring(content)

    def test_statement_figures(self):
        with freeze_time(AS_OF):
            tree = self._render(self.credit_controller)
        rows = tree.xpath("//tr[@name='statement_item']")
        self.assertEqual(
            [row.get("data-kind") for row in rows],
            ["invoice", "credit_note", "invoice", "receipt", "invoice"],
        )
        self.assertEqual(
            [row.xpath("td[@name='reference']")[0].text_content().strip() for row in rows[::2]],
            [self.inv_1.name, self.inv_2.name, self.inv_3.name],
        )
        figures = [
            [
                amount_of(row.xpath(f"td[@name='{name}']")[0])
                for name in ("amount", "paid", "residual", "balance")
            ]
            for row in rows
        ]
        self.assertEqual(
            figures,
            [
                [1200.0, 200.0, 1000.0, 1000.0],
                [-120.0, 0.0, -120.0, 880.0],
                [600.0, 0.0, 600.0, 1480.0],
                [-50.0, 0.0, -50.0, 1430.0],
                [300.0, 0.0, 300.0, 1730.0],
            ],
        )
        days = [row.xpath("td[@name='days_overdue']")[0].text_content().strip() for row in rows]
        self.assertEqual(days, ["65", "", "15", "", ""])
        total = {
            name: amount_of(tree.xpath(f"//tr[@name='{name}']/td[@name='amount']")[0])
            for name in ("total_due", "total_credits", "statement_balance")
        }
        self.assertEqual(total, {"total_due": 1900.0, "total_credits": -170.0, "statement_balance": 1730.0})
        buckets = [amount_of(td) for td in tree.xpath("//table[@name='statement_buckets']//td")]
        # Not due 300; 1-30: 600 - 50; 31-60: the credit note; 61-90: the first invoice.
        self.assertEqual(buckets, [300.0, 550.0, -120.0, 1000.0, 0.0, 0.0])
        self.assertAlmostEqual(sum(buckets), total["statement_balance"], places=2)

    def test_statement_late_amounts_and_language(self):
        """A French business customer: French labels, the letters' penalties, 40 EUR per late invoice."""
        with freeze_time(AS_OF):
            tree = self._render(self.credit_controller)
            details = (self.inv_1 | self.inv_2)._credit_late_details(AS_OF, unbilled_only=True)
        penalties = round(sum(item["amount"] for d in details.values() for item in d["penalties"]), 2)
        self.assertGreater(penalties, 0.0)
        late = tree.xpath("//table[@name='statement_late']")[0]
        self.assertEqual(
            amount_of(late.xpath(".//tr[@name='late_penalties']/td[@name='amount']")[0]), penalties
        )
        self.assertEqual(
            amount_of(late.xpath(".//tr[@name='recovery_indemnity']/td[@name='amount']")[0]), 80.0
        )
        text = tree.text_content()
        self.assertIn("Relevé de compte au", text)
        self.assertIn("Pénalités de retard", text)
        self.assertIn(
            self.env["account.move"]
            .new({"partner_id": self.customer.id})
            ._get_invoice_reference_euro_partner(),
            text,
        )
        # No internal credit information on a document sent to the customer.
        self.assertNotIn("slow payer", text)

    def test_consumer_has_no_penalties(self):
        self.customer.credit_customer_type = "b2c"
        with freeze_time(AS_OF):
            tree = self._render(self.credit_controller)
        self.assertFalse(tree.xpath("//table[@name='statement_late']"))

    def test_statement_xlsx(self):
        with freeze_time(AS_OF):
            content = self.customer._credit_statement_xlsx(self.company, AS_OF)
        sheet = load_workbook(BytesIO(content)).active
        residuals = [sheet.cell(row=row, column=7).value for row in range(4, 9)]
        self.assertEqual(residuals, [1000.0, -120.0, 600.0, -50.0, 300.0])
        self.assertEqual(sheet.cell(row=8, column=9).value, 1730.0)
        self.assertEqual(sheet.cell(row=3, column=7).value, "Reste dû")

    def test_print_rights(self):
        action = self.customer.with_user(self.credit_controller).action_credit_statement_print()
        self.assertEqual(action["report_name"], "account_credit_recovery.report_credit_statement")
        with self.assertRaises(AccessError):
            self.env["credit.recovery.portal.access"].with_user(self.invoicing_user).search([])

    def test_reminder_carries_statement_and_link(self):
        """A level asking for it attaches the statement; its e-mail and letter carry the customer's link."""
        self.company.credit_portal_enabled = True
        level = self.company.credit_default_policy_id.level_ids.filtered(
            lambda level: level.channel == "email"
        )[:1]
        level.attach_statement = True
        line = self.inv_1.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        # The credit note and the receipt applied first: a customer who may have paid is not reminded.
        receivable = (self.inv_3 + self.refund + self.payment.move_id).line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        )
        receivable.reconcile()
        with freeze_time(AS_OF):
            action = self.env["credit.recovery.action"].create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "level_id": level.id,
                    "channel": "email",
                    "date": AS_OF,
                    "line_ids": [(6, 0, line.ids)],
                    "amount_due": 1000.0,
                }
            )
            action._execute()
            # The run queues the e-mail; its next call sends it.
            self.env["credit.recovery.action"]._send_queued()
            letter, _type = self.env["ir.actions.report"]._render_qweb_html(
                "account_credit_recovery.report_credit_recovery_letter", action.ids
            )
        access = self.env["credit.recovery.portal.access"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(access), 1)
        mail = self.env["mail.mail"].search([("model", "=", action._name), ("res_id", "=", action.id)])
        self.assertIn(f"/my/credit/{access.access_token}", mail.body_html)
        self.assertIn("Relevé de compte - Boulangerie Martin SARL.pdf", mail.attachment_ids.mapped("name"))
        block = html.fromstring(letter).xpath("//div[@name='credit_portal_link']")
        self.assertEqual(len(block), 1)
        self.assertTrue(block[0].xpath(".//img")[0].get("src").startswith("data:image/png;base64,"))
        self.assertIn(access.access_token, block[0].text_content())
        # Without the page, neither the link nor the QR code.
        self.company.credit_portal_enabled = False
        letter, _type = self.env["ir.actions.report"]._render_qweb_html(
            "account_credit_recovery.report_credit_recovery_letter", action.ids
        )
        self.assertFalse(html.fromstring(letter).xpath("//div[@name='credit_portal_link']"))
