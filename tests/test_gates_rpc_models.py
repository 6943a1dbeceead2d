from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import CreditRecoveryCommon

REPORT_VIEWS = (
    "credit.recovery.dso.report",
    "credit.recovery.forecast.report",
    "credit.recovery.effectiveness.report",
    "credit.recovery.aged.balance.report",
)


class RpcGatesCommon(CreditRecoveryCommon):
    """A salesperson, a portal customer and a Credit Controller of another company, against the models added
    since issue 14."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.setup_other_company(name="Filiale Lyon SAS")["company"]
        cls.lyon_controller = new_test_user(
            cls.env,
            login="lyon_controller",
            name="Lea Lyon",
            groups="base.group_user,account_credit_recovery.group_credit_controller",
            company_id=cls.other_company.id,
            company_ids=[cls.other_company.id],
        )
        cls.portal = new_test_user(
            cls.env,
            login="portal_customer",
            groups="base.group_portal",
            name=cls.customer.name,
            partner_id=cls.customer.id,
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.invoice = cls._invoice(cls.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        # A decision of the company, logged in its credit trail of the customer.
        cls.customer.with_user(cls.credit_manager).credit_limit = 5000.0
        cls.trail = cls.env["credit.recovery.partner.log"].search(
            [("partner_id", "=", cls.customer.id), ("company_id", "=", cls.company.id)]
        )

    def _plan(self):
        plan = (
            self.env["credit.recovery.plan"]
            .with_user(self.credit_controller)
            .create(
                {
                    "partner_id": self.customer.id,
                    "line_ids": [Command.set(self.invoice.line_ids.filtered("date_maturity").ids)],
                    "instalment_count": 2,
                    "interval_days": 15,
                    "first_percent": 0.0,
                }
            )
        )
        plan.action_generate_instalments()
        return plan


@tagged("post_install", "-at_install")
class TestGatesRpcModels(RpcGatesCommon):
    def test_credit_trail_is_append_only(self):
        self.assertEqual(len(self.trail.message_ids), 1)
        message = self.trail.message_ids
        body = message.body
        for user in (self.credit_manager, self.credit_controller):  # its author, a user of the company
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    message.with_user(user).write({"body": "<p>Limit 500 000</p>"})
                with self.assertRaises(AccessError):
                    message.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    self.trail.with_user(user).write({"partner_id": self.partner_a.id})
                with self.assertRaises(AccessError):
                    self.trail.with_user(user).unlink()
        # A user of the company adds a note, signed by them, dated now; never on behalf of someone else,
        # nor backdated, nor edited afterwards.
        trail = self.trail.with_user(self.credit_controller)
        note = trail.message_post(body="Called the accountant.", subtype_xmlid="mail.mt_note")
        self.assertEqual(note.author_id, self.credit_controller.partner_id)
        with self.assertRaises(AccessError):
            trail.message_post(body="Agreed by the manager.", author_id=self.credit_manager.partner_id.id)
        with self.assertRaises(AccessError):
            trail.message_post(body="Old note.", date="2025-01-01 10:00:00")
        with self.assertRaises(AccessError):
            trail._message_update_content(note, "<p>Nothing said.</p>")
        with self.assertRaises(AccessError):
            self.env["mail.message"].with_user(self.credit_controller).create(
                {
                    "model": self.trail._name,
                    "res_id": self.trail.id,
                    "body": "Limit approved",
                    "author_id": self.credit_manager.partner_id.id,
                }
            )
        self.trail.invalidate_recordset(["message_ids"])
        self.assertEqual(self.trail.message_ids, note | message)
        self.assertEqual((message.body, note.body), (body, "<p>Called the accountant.</p>"))
        # The portal customer and the other company read nothing of it.
        for user in (self.portal, self.lyon_controller):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.trail.with_user(user).read(["partner_id"])
        self.assertFalse(self.env["credit.recovery.partner.log"].with_user(self.lyon_controller).search([]))
        with self.assertRaises(AccessError):
            self.env["credit.recovery.partner.log"].with_user(self.portal).search([])

    def test_court_reference_data(self):
        court = self.env["credit.recovery.court"].search([], limit=1)
        self.assertTrue(court)
        for user in (self.salesman, self.portal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                court.with_user(user).read(["name"])
        for user in (self.credit_controller, self.lyon_controller):
            with self.subTest(user=user.login):
                self.assertEqual(court.with_user(user).name, court.name)
                with self.assertRaises(AccessError):
                    court.with_user(user).write({"department_codes": "75"})
                with self.assertRaises(AccessError):
                    self.env["credit.recovery.court"].with_user(user).create(
                        {
                            "name": "Tribunal de Nulle-Part",
                            "kind": "commerce",
                            "city": "X",
                            "department_codes": "99",
                        }
                    )
        with self.assertRaises(AccessError):
            court.with_user(self.credit_manager).unlink()
        self.assertTrue(court.exists())

    def test_court_confirmed_by_a_manager_only(self):
        case = (
            self.env["credit.recovery.case"]
            .with_user(self.credit_manager)
            .create({"partner_id": self.customer.id, "move_ids": [Command.set(self.invoice.ids)]})
        )
        court = self.env["credit.recovery.court"].search([("kind", "in", ("commerce", "tae"))], limit=1)
        for values in (
            {"court_confirmed": True},
            {"court_jurisdiction": "commercial", "court_id": court.id, "court_confirmed": True},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                case.with_user(self.credit_controller).write(values)
        with self.assertRaises(AccessError):
            case.with_user(self.credit_controller).action_confirm_court()
        self.assertFalse(case.court_confirmed)
        case.with_user(self.credit_manager).write({"court_jurisdiction": "commercial", "court_id": court.id})
        with self.assertRaises(AccessError):
            case.with_user(self.lyon_controller).read(["court_id"])
        with self.assertRaises(AccessError):
            case.with_user(self.salesman).read(["court_id"])
        case.with_user(self.credit_manager).action_confirm_court()
        self.assertTrue(case.court_confirmed)

    @freeze_time("2026-04-10")
    def test_plan_status_through_its_actions_only(self):
        plan = self._plan()
        controller = plan.with_user(self.credit_controller)
        for values in (
            {"state": "running"},
            {"state": "done"},
            {"forfeiture_notice_date": "2026-04-01", "forfeiture_notice_deadline": "2026-04-02"},
        ):
            for context in ({}, {"credit_plan_notice": True, "credit_plan_transition": True}):
                with self.subTest(values=values, context=context), self.assertRaises(AccessError):
                    controller.with_context(**context).write(values)
        with self.assertRaises(AccessError):
            self.env["credit.recovery.plan"].with_user(self.credit_controller).create(
                {"partner_id": self.customer.id, "state": "running"}
            )
        self.assertEqual((plan.state, plan.forfeiture_notice_date), ("draft", False))
        for user in (self.salesman, self.portal, self.lyon_controller):
            for method in ("action_sign", "action_forfeit", "action_send_forfeiture_notice", "action_cancel"):
                with self.subTest(user=user.login, method=method), self.assertRaises(AccessError):
                    getattr(plan.with_user(user), method)()
        self.assertEqual(plan.state, "draft")
        controller.action_sign()
        self.assertEqual((plan.state, plan.date_signed.isoformat()), ("running", "2026-04-10"))
        controller.action_cancel()
        self.assertEqual(plan.state, "cancel")

    @freeze_time("2026-04-10")
    def test_prescription_events(self):
        Event = self.env["credit.recovery.prescription.event"]
        values = {"move_id": self.invoice.id, "kind": "commandement", "date": "2026-04-09"}
        for user in (self.salesman, self.portal, self.lyon_controller):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Event.with_user(user).create(values)
        draft = self._invoice(self.customer, 100.0, "2026-03-01", post=False)
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.customer.id,
                "invoice_date": "2026-03-01",
                "invoice_line_ids": [Command.create({"name": "Service", "price_unit": 50.0})],
            }
        )
        bill.action_post()
        for move in (draft, bill):
            with self.subTest(move=move.move_type), self.assertRaises(ValidationError):
                Event.with_user(self.credit_controller).create({**values, "move_id": move.id})
        event = Event.with_user(self.credit_controller).create(values)
        for user in (self.salesman, self.portal, self.lyon_controller):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                event.with_user(user).read(["date"])
        with self.assertRaises(AccessError):
            event.with_user(self.credit_controller).unlink()
        self.assertTrue(event.exists())

    def test_report_views_are_read_only_and_per_company(self):
        for model in REPORT_VIEWS:
            Report = self.env[model]
            for user in (self.salesman, self.portal):
                with self.subTest(model=model, user=user.login), self.assertRaises(AccessError):
                    Report.with_user(user).search([])
            rows = Report.with_user(self.credit_controller).search([])
            theirs = Report.with_user(self.lyon_controller).search([])
            self.assertFalse(theirs & rows)
            self.assertNotIn(self.company, theirs.company_id)
            for operation in ("write", "unlink"):
                with self.subTest(model=model, operation=operation), self.assertRaises(AccessError):
                    rows.with_user(self.credit_controller).check_access(operation)
            with self.subTest(model=model), self.assertRaises(AccessError):
                Report.with_user(self.credit_controller).check_access("create")
        self.assertTrue(
            self.env["credit.recovery.aged.balance.report"].with_user(self.credit_controller).search([])
        )


@tagged("post_install", "-at_install")
class TestGatesRpcModelsHttp(RpcGatesCommon, HttpCase):
    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_controller_cannot_rewrite_the_trail_nor_force_a_plan_over_rpc(self):
        plan = self._plan()
        message = self.trail.message_ids
        body = message.body
        self.authenticate("credit_controller", "credit_controller")
        calls = [
            ("mail.message", "write", [message.ids, {"body": "<p>Limit 500 000</p>"}], {}),
            ("mail.message", "unlink", [message.ids], {}),
            ("credit.recovery.partner.log", "unlink", [self.trail.ids], {}),
            (
                "credit.recovery.plan",
                "write",
                [plan.ids, {"state": "running"}],
                {"context": {"credit_plan_notice": True, "credit_plan_transition": True}},
            ),
        ]
        for model, method, args, kwargs in calls:
            with (
                self.subTest(model=model, method=method),
                mute_logger("odoo.http"),
                self.assertRaises(JsonRpcException) as error,
            ):
                self._call_kw(model, method, args, kwargs)
            self.assertEqual(error.exception.args[0], "odoo.exceptions.AccessError")
        message.invalidate_recordset()
        plan.invalidate_recordset()
        self.assertEqual(
            (message.exists().body, self.trail.exists(), plan.state), (body, self.trail, "draft")
        )
