"""Issue #14: retention of title (C. civ. 2367; C. com. L624-9, L624-16)."""

import re
from datetime import date

from freezegun import freeze_time
from lxml import html

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestRetentionOfTitle(CreditRecoveryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_retention_of_title = True
        cls.service = cls.env["product.product"].create(
            {"name": "Audit", "type": "service", "list_price": 100.0}
        )
        cls.goods = cls.env["product.product"].create(
            {"name": "Four à pain", "type": "consu", "list_price": 100.0}
        )

    @classmethod
    def _sell(cls, product, amount, invoice_date, post=True):
        return cls._invoice(
            cls.customer,
            amount,
            invoice_date,
            post=post,
            invoice_line_ids=[(0, 0, {"product_id": product.id, "quantity": 1, "price_unit": amount})],
        )

    def _clause(self, invoice):
        content = self.env["ir.actions.report"]._render_qweb_html("account.report_invoice", invoice.ids)[0]
        nodes = html.fromstring(content).xpath("//p[@name='credit_retention_of_title']")
        return re.sub(r"\s+", " ", nodes[0].text_content()).strip() if nodes else None

    def test_clause_on_invoices_of_goods(self):
        goods_invoice = self._sell(self.goods, 1000.0, "2026-03-02")
        service_invoice = self._sell(self.service, 1000.0, "2026-03-02")
        self.assertTrue(goods_invoice.credit_retention_of_title)
        self.assertFalse(service_invoice.credit_retention_of_title)
        # The French customer reads the French clause.
        self.assertEqual(
            self._clause(goods_invoice),
            "Les marchandises vendues demeurent notre propriété jusqu'au paiement intégral du prix en principal "
            "et accessoires (clause de réserve de propriété, Code civil, articles 2367 et suivants ; Code de "
            "commerce, article L624-16). Les risques sont transférés à l'acheteur dès la livraison.",
        )
        self.assertIsNone(self._clause(service_invoice), "a service is no goods to retain")
        # The setting turned off: later invoices bear no clause, those issued under it keep it.
        self.company.credit_retention_of_title = False
        later = self._sell(self.goods, 500.0, "2026-03-03")
        self.assertFalse(later.credit_retention_of_title)
        self.assertIsNone(self._clause(later))
        self.assertTrue(self._clause(goods_invoice))
        # Only a Credit Manager turns it on.
        with self.assertRaises(AccessError):
            self.company.with_user(self.credit_controller).write({"credit_retention_of_title": True})
        self.company.with_user(self.credit_manager).write({"credit_retention_of_title": True})
        self.assertTrue(self.company.credit_retention_of_title)

    def test_claim_of_goods_in_collective_proceedings(self):
        goods_invoice = self._sell(self.goods, 1000.0, "2026-03-02")
        paid_invoice = self._sell(self.goods, 300.0, "2026-03-05")
        self._pay(paid_invoice, payment_date="2026-03-20")
        service_invoice = self._sell(self.service, 700.0, "2026-03-06")
        after_opening = self._sell(self.goods, 400.0, "2026-04-20")
        with freeze_time("2026-04-25"):
            self.customer.write(
                {
                    "credit_collective_proceeding": "receivership",
                    "credit_opening_judgment_date": "2026-04-15",
                    "credit_collective_proceeding_date": "2026-04-25",
                }
            )
        activity_type = self.env.ref("account_credit_recovery.mail_activity_type_credit_goods_claim")
        # The claim lists the company's unpaid invoices: on its credit trail, never on the shared customer.
        self.assertFalse(
            self.customer.activity_ids.filtered(lambda act: act.activity_type_id == activity_type)
        )
        trail = self.env["credit.recovery.partner.log"]._credit_log_of(self.customer, self.company)
        activity = trail.activity_ids.filtered(lambda act: act.activity_type_id == activity_type)
        self.assertEqual(len(activity), 1)
        # Published on 25 April 2026: the goods are claimed by 25 July 2026 (L624-9).
        self.assertEqual(activity.date_deadline, date(2026, 7, 25))
        note = activity.note
        # 1,000.00 + 20 % VAT = 1,200.00 unpaid, sold before the opening under the clause.
        self.assertIn(goods_invoice.name, note)
        self.assertIn("1,200.00", note)
        for other in (paid_invoice, service_invoice, after_opening):
            self.assertNotIn(other.name, note)
        self.assertIn("L624-9", note)
        # Recorded again, the proceedings do not schedule it twice.
        self.customer.write({"credit_collective_proceeding_date": "2026-04-25"})
        self.assertEqual(
            len(trail.activity_ids.filtered(lambda act: act.activity_type_id == activity_type)), 1
        )
