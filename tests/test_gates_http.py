from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestGatesHttp(CreditRecoveryCommon, HttpCase):
    """The two reproduced cases, through Odoo's JSON-RPC as any logged-in user may call it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.account_use_credit_limit = True
        cls.customer.with_user(cls.credit_controller).write(
            {
                "credit_score": 2.0,
                "credit_collective_proceeding": "liquidation",
                "credit_collective_proceeding_date": "2026-03-01",
            }
        )
        cls.portal = cls._company_user(
            "portal_rpc", "base.group_portal", name=cls.customer.name, partner_id=cls.customer.id
        )
        cls.order = cls._quotation(cls.customer, 1000.0, credit_prepayment_required=True)
        cls.order.with_user(cls.salesman).action_confirm()
        cls.deposit = cls.order.credit_deposit_invoice_id

    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_salesperson_cannot_clear_the_deposit_invoice_over_rpc(self):
        self.assertEqual(self.order.credit_deposit_state, "waiting")
        self.authenticate("salesman", "salesman")
        read = self._call_kw("sale.order", "read", [self.order.ids, ["credit_deposit_state"]])
        self.assertEqual(read[0]["credit_deposit_state"], "waiting")
        for values in ({"credit_deposit_invoice_id": False}, {"credit_deposit_state": "not_required"}):
            with (
                self.subTest(values=values),
                mute_logger("odoo.http"),
                self.assertRaises(JsonRpcException) as error,
            ):
                self._call_kw("sale.order", "write", [self.order.ids, values])
            self.assertEqual(error.exception.args[0], "odoo.exceptions.AccessError")
        self.order.invalidate_recordset()
        self.assertEqual(self.order.credit_deposit_invoice_id, self.deposit)
        self.assertEqual(self.order.credit_deposit_state, "waiting")
        self.assertTrue(self.order._credit_work_blocked())
        self.assertEqual(self.order.invoice_ids, self.deposit)

    def test_portal_customer_cannot_read_its_credit_file_over_rpc(self):
        self.authenticate("portal_rpc", "portal_rpc")
        read = self._call_kw("res.partner", "read", [self.customer.ids, ["name"]])
        self.assertEqual(read[0]["name"], "Boulangerie Martin SARL")
        for fname in ("credit_score", "credit_risk_level", "credit_exposure"):
            with (
                self.subTest(field=fname),
                mute_logger("odoo.http"),
                self.assertRaises(JsonRpcException) as error,
            ):
                self._call_kw("res.partner", "read", [self.customer.ids, [fname]])
            self.assertEqual(error.exception.args[0], "odoo.exceptions.AccessError")
