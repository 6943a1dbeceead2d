from datetime import timedelta

from freezegun import freeze_time
from lxml import html

from odoo.tests import tagged

from .portal_common import PDF, CreditPortalCase


@tagged("post_install", "-at_install")
class TestPortalActions(CreditPortalCase):
    """Each action of the customer's page through its real HTTP route, with the customer's link."""

    def _mails_to_customer(self):
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", self.customer.ids), ("model", "=", "credit.recovery.portal.access")]
        )

    def _trail(self):
        return self.env["credit.recovery.partner.log"]._credit_log_of(self.customer, self.company)

    def _controller_activities(self, record):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("user_id", "=", self.credit_controller.id),
            ]
        )

    def test_page_shows_statement_without_internal_information(self):
        response = self.url_open(self._url())
        self.assertEqual(response.status_code, 200)
        tree = html.fromstring(response.content)
        references = [
            td.text_content().strip()
            for td in tree.xpath("//tr[@name='statement_item']/td[@name='reference']")
        ]
        self.assertEqual(references, [self.overdue.name, self.not_due.name])
        self.assertIn("votre compte", response.text)
        self.assertIn(f"/logo.png?company={self.company.id}", response.text)
        self.assertNotIn("slow payer", response.text)
        self.assertNotIn("credit_risk_level", response.text)
        pdf = self.url_open(self._url("/statement.pdf"))
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        # Tests render reports as HTML (Odoo's test mode): the customer's statement, not another one.
        self.assertIn(self.overdue.name, pdf.text)

    def test_promise_pauses_the_run_then_breaks(self):
        self.assertIn(self.customer, self._decided_today())
        date = self.today + timedelta(days=10)
        response = self._post("/promise", {"amount": "1200.00", "date": str(date), "note": "Virement prévu"})
        self.assertEqual(response.status_code, 303)
        promise = self.env["credit.recovery.promise"].search([("partner_id", "=", self.customer.id)])
        self.assertRecordValues(
            promise,
            [
                {
                    "amount": 1200.0,
                    "date": date,
                    "state": "open",
                    "company_id": self.company.id,
                    "residual_at_promise": 1800.0,
                }
            ],
        )
        self.assertNotIn(self.customer, self._decided_today())
        self.assertIn("Promesse de payer 1", self._trail().message_ids[0].body)
        self.assertTrue(self._controller_activities(self._trail()))
        mail = self._mails_to_customer()
        self.assertEqual(len(mail), 1)
        self.assertIn("promesse", mail.body_html)
        # Nothing paid by the promised date: broken, and the run reminds the customer again.
        with freeze_time(date + timedelta(days=1)):
            self.cron.method_direct_trigger()
        self.assertEqual(promise.state, "broken")
        actions = self.env["credit.recovery.action"].search([("partner_id", "=", self.customer.id)])
        self.assertTrue(actions)

    def test_promise_beyond_the_limit_is_refused(self):
        self.company.credit_portal_promise_max_days = 15
        for data in (
            {"amount": "100", "date": str(self.today + timedelta(days=16))},
            {"amount": "100", "date": str(self.today - timedelta(days=1))},
            {"amount": "1800.01", "date": str(self.today + timedelta(days=5))},
            {"amount": "-5", "date": str(self.today + timedelta(days=5))},
            {"amount": "abc", "date": "not a date"},
        ):
            response = self._post("/promise", data)
            self.assertEqual(response.status_code, 400, data)
        self.assertFalse(self.env["credit.recovery.promise"].search([("partner_id", "=", self.customer.id)]))
        self.assertFalse(self._mails_to_customer())

    def test_plan_request_accepted_then_printed(self):
        response = self._post(
            "/plan", {"instalment_count": "3", "interval_days": "15", "first_percent": "30"}
        )
        self.assertEqual(response.status_code, 303)
        plan = self.env["credit.recovery.plan"].search([("partner_id", "=", self.customer.id)])
        self.assertRecordValues(
            plan, [{"state": "draft", "portal_request_state": "requested", "amount_total": 1800.0}]
        )
        self.assertEqual(
            [(i.date, i.amount) for i in plan.instalment_ids],
            [
                (self.today, 540.0),
                (self.today + timedelta(days=15), 630.0),
                (self.today + timedelta(days=30), 630.0),
            ],
        )
        self.assertTrue(self._controller_activities(self._trail()))
        action = plan.with_user(self.credit_controller).action_credit_portal_accept()
        self.assertEqual(plan.portal_request_state, "accepted")
        self.assertEqual(action["report_name"], "account_credit_recovery.report_credit_recovery_plan")
        content, _type = self.env["ir.actions.report"]._render_qweb_html(action["report_name"], plan.ids)
        text = html.fromstring(content).text_content()
        self.assertIn("540,00", text)
        self.assertIn("630,00", text)
        self.assertEqual(len(self._mails_to_customer()), 2)  # the acknowledgement, then the answer
        # Once signed, as today, the plan holds the run.
        plan.with_user(self.credit_controller).action_sign()
        self.assertNotIn(self.customer, self._decided_today())

    def test_plan_outside_the_limits_is_refused(self):
        for data in (
            {"instalment_count": "7", "interval_days": "15", "first_percent": "30"},
            {"instalment_count": "3", "interval_days": "31", "first_percent": "30"},
            {"instalment_count": "3", "interval_days": "15", "first_percent": "10"},
        ):
            self.assertEqual(self._post("/plan", data).status_code, 400, data)
        self.assertFalse(self.env["credit.recovery.plan"].search([("partner_id", "=", self.customer.id)]))

    def test_plan_declined(self):
        self._post("/plan", {"instalment_count": "2", "interval_days": "10", "first_percent": "50"})
        plan = self.env["credit.recovery.plan"].search([("partner_id", "=", self.customer.id)])
        plan.with_user(self.credit_controller).action_credit_portal_decline()
        self.assertRecordValues(plan, [{"state": "cancel", "portal_request_state": "declined"}])

    def test_dispute_pauses_the_reminders(self):
        self.assertIn(self.customer, self._decided_today())
        response = self._post(
            "/dispute",
            {
                "invoice_id": str(self.overdue.id),
                "reason": "quality",
                "amount": "300",
                "message": "Pain rassis",
            },
            files=[("attachments", ("bon.pdf", PDF, "application/pdf"))],
        )
        self.assertEqual(response.status_code, 303)
        dispute = self.env["credit.recovery.dispute"].search([("move_id", "=", self.overdue.id)])
        self.assertRecordValues(
            dispute,
            [
                {
                    "state": "open",
                    "reason": "quality",
                    "amount_disputed": 300.0,
                    "owner_id": self.credit_controller.id,
                }
            ],
        )
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", dispute._name), ("res_id", "=", dispute.id)]
        )
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertTrue(self.overdue.credit_in_dispute)
        # The disputed invoice leaves the run; the other one is not due: nobody is reminded.
        self.assertNotIn(self.customer, self._decided_today())
        self.assertEqual(len(self._mails_to_customer()), 1)

    def test_dispute_with_a_bad_file_is_refused(self):
        for files in (
            [("attachments", ("virus.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"))],
            [("attachments", ("big.pdf", PDF + b"0" * (5 * 1024 * 1024), "application/pdf"))],
        ):
            response = self._post(
                "/dispute",
                {"invoice_id": str(self.overdue.id), "reason": "quality", "amount": "300", "message": "x"},
                files=files,
            )
            self.assertEqual(response.status_code, 400)
        response = self._post(
            "/dispute",
            {"invoice_id": str(self.overdue.id), "reason": "made_up", "amount": "300", "message": "x"},
        )
        self.assertEqual(response.status_code, 400)
        response = self._post(
            "/dispute",
            {"invoice_id": str(self.overdue.id), "reason": "price", "amount": "1200.01", "message": "x"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.env["credit.recovery.dispute"].search([("move_id", "=", self.overdue.id)]))
        self.assertFalse(self.overdue.credit_in_dispute)

    def test_pay_an_invoice_online(self):
        provider = self._demo_provider()
        self.assertIn(self.customer, self._decided_today())
        tx, status = self._pay_online(self._url(f"/pay?scope=invoices&invoice_ids={self.overdue.id}"))
        self.assertRecordValues(
            tx,
            [
                {
                    "provider_id": provider.id,
                    "amount": 1200.0,
                    "partner_id": self.customer.id,
                    "state": "done",
                    "is_post_processed": True,
                    "credit_portal_access_id": self.access.id,
                }
            ],
        )
        self.assertEqual(tx.invoice_ids, self.overdue)
        # Paid: the payment's entry is reconciled with the invoice; the other invoice is still due.
        receivable = self.overdue.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        self.assertTrue(receivable.reconciled)
        self.assertEqual(receivable.matched_credit_ids.credit_move_id.move_id, tx.payment_id.move_id)
        self.assertEqual(tx.payment_id.amount, 1200.0)
        self.assertEqual(self.overdue.amount_residual, 0.0)
        self.assertIn(self.overdue.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.not_due.amount_residual, 600.0)
        # Back on its page, which thanks the customer and shows only what remains.
        self.assertEqual(status["landing_route"], self._url("?done=pay"))
        landing = html.fromstring(self.url_open(status["landing_route"]).content)
        self.assertTrue(landing.xpath("//div[@name='done'][hasclass('alert-success')]"))
        references = [
            td.text_content().strip()
            for td in landing.xpath("//tr[@name='statement_item']/td[@name='reference']")
        ]
        self.assertNotIn(self.overdue.name, references)
        self.assertIn(self.not_due.name, references)
        # Logged in the customer's chatter, an activity for its controller, an acknowledgement to the customer.
        self.assertIn("Paiement en ligne de 1", self._trail().message_ids[0].body)
        self.assertTrue(self._controller_activities(self._trail()))
        self.assertIn("Nous avons bien reçu votre paiement", self._mails_to_customer().body_html)
        # The next run leaves the customer alone: nothing it owes is overdue any more.
        self.assertNotIn(self.customer, self._decided_today())

    def test_failed_online_payment_pays_nothing(self):
        self._demo_provider()
        tx, status = self._pay_online(
            self._url(f"/pay?scope=invoices&invoice_ids={self.overdue.id}"), simulated_state="error"
        )
        self.assertEqual((tx.state, status["state"]), ("error", "error"))
        self.assertFalse(tx.payment_id)
        self.assertEqual(self.overdue.amount_residual, 1200.0)
        self.assertFalse(self._mails_to_customer())
        self.assertIn(self.customer, self._decided_today())

    def test_promise_shows_on_the_controller_dashboard(self):
        Dashboard = self.env["credit.recovery.dashboard"].with_user(self.credit_controller)

        def requests():
            tiles = {tile["key"]: tile for tile in Dashboard.get_dashboard_data(everyone=False)["tiles"]}
            return tiles["portal_requests"]["count"]

        self.assertEqual(requests(), 0)
        date = self.today + timedelta(days=10)
        response = self._post("/promise", {"amount": "300.00", "date": str(date), "note": "Virement"})
        self.assertEqual(response.status_code, 303)
        self.assertEqual(requests(), 1)
        action = Dashboard.action_open_dashboard_tile("portal_requests")
        activity = self.env["mail.activity"].search(action["domain"])
        self.assertEqual(activity, self._controller_activities(self._trail()))
        self.assertEqual(
            (activity.res_model, activity.res_id), ("credit.recovery.partner.log", self._trail().id)
        )
        # Another controller's dashboard does not count it.
        other = Dashboard.with_user(self.credit_manager).get_dashboard_data(everyone=False)["tiles"]
        self.assertEqual({tile["key"]: tile["count"] for tile in other}["portal_requests"], 0)
