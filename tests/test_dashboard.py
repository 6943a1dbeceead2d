from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditRecoveryCommon

SCRIPT = "Bonjour, je vous appelle au sujet de la facture échue."


@tagged("post_install", "-at_install")
class TestCreditRecoveryDashboardData(CreditRecoveryCommon):
    """The dashboard client action's one call: tiles, lists and graphs of the controller's day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.levels = cls.company.credit_default_policy_id.level_ids
        cls.levels[0].call_script = SCRIPT
        cls.customer.with_company(cls.company).credit_controller_id = cls.credit_controller
        cls.Dashboard = cls.env["credit.recovery.dashboard"]

    def _action(self, partner, level, channel, amount, **values):
        return self.env["credit.recovery.action"].create(
            {
                "partner_id": partner.id,
                "level_id": level.id,
                "channel": channel,
                "user_id": self.credit_controller.id,
                "amount_due": amount,
                "amount_overdue": amount,
                **values,
            }
        )

    def _book(self):
        """1,200.00 overdue 32 days (31-60 bucket) and 600.00 not due, on 2025-06-02."""
        self._invoice(self.customer, 1000.0, "2025-04-01", due_date="2025-05-01")
        self._invoice(self.customer, 500.0, "2025-05-20", due_date="2025-06-19")
        self._action(self.customer, self.levels[0], "phone", 1200.0, date="2025-06-01")
        self._action(self.customer, self.levels[1], "letter", 1200.0, state="done", date="2025-05-25")
        self._action(self.customer, self.levels[2], "letter", 1200.0, state="done", printed=True)
        self._action(self.customer, self.levels[3], "registered_letter", 1200.0, state="to_validate")

    @freeze_time("2025-06-02")
    def test_dashboard_data(self):
        self._book()
        data = self.Dashboard.with_user(self.credit_controller).get_dashboard_data()
        tiles = {tile["key"]: (tile["count"], tile["amount"]) for tile in data["tiles"]}
        self.assertEqual(tiles["calls"], (1, 1200.0))
        # The letter decided (done) but not printed yet waits for printing; the printed one does not.
        self.assertEqual(tiles["letters"], (1, 1200.0))
        self.assertEqual(tiles["to_validate"], (1, 1200.0))
        self.assertEqual(tiles["reviews"], (0, None))
        self.assertFalse(data["is_manager"])
        [call] = data["calls"]
        self.assertEqual(
            (call["partner"], call["amount"], call["script"]), (self.customer.name, 1200.0, SCRIPT)
        )
        self.assertEqual(
            [(letter["amount"], letter["formal_notice"]) for letter in data["letters"]], [(1200.0, False)]
        )
        self.assertEqual([notice["amount"] for notice in data["notices"]], [1200.0])
        self.assertEqual(
            [bucket["value"] for bucket in data["aged_buckets"]], [600.0, 0.0, 1200.0, 0.0, 0.0, 0.0]
        )
        self.assertEqual(len(data["overdue_trend"]), 12)
        self.assertEqual(data["overdue_trend"][-1]["value"], 1200.0)
        # Every controller's work: the manager's call shows up there only.
        self._action(self.customer, self.levels[4], "phone", 300.0, user_id=self.credit_manager.id)
        data = self.Dashboard.with_user(self.credit_controller).get_dashboard_data(everyone=True)
        tiles = {tile["key"]: (tile["count"], tile["amount"]) for tile in data["tiles"]}
        self.assertEqual(tiles["calls"], (2, 1500.0))

    @freeze_time("2025-06-02")
    def test_dashboard_tile_and_access(self):
        self._book()
        action = self.Dashboard.with_user(self.credit_controller).action_open_dashboard_tile("calls")
        self.assertEqual(self.env[action["res_model"]].search_count(action["domain"]), 1)
        with self.assertRaises(UserError):
            self.Dashboard.with_user(self.credit_controller).action_open_dashboard_tile("nothing")
        with self.assertRaises(AccessError):
            self.Dashboard.with_user(self.salesman).get_dashboard_data()
        # A Credit Manager validates the team's notices: the dashboard opens on every controller's work.
        data = self.Dashboard.with_user(self.credit_manager).get_dashboard_data()
        self.assertTrue(data["is_manager"] and data["everyone"])
        self.assertEqual([notice["amount"] for notice in data["notices"]], [1200.0])
        self.assertFalse(self.Dashboard.with_user(self.credit_controller).get_dashboard_data()["everyone"])

    @freeze_time("2025-06-02")
    def test_dashboard_queries(self):
        """One call reads the whole day in a bounded number of queries, whatever the number of calls."""
        self._book()
        dashboard = self.Dashboard.with_user(self.credit_controller)

        def count_queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            dashboard.get_dashboard_data()
            return self.env.cr.sql_log_count - before

        count_queries()  # warm the registry's caches (groups, translations)
        one_call = count_queries()
        for index in range(5):
            customer = self.customer.copy({"name": f"Client {index} SAS"})
            customer.with_company(self.company).credit_controller_id = self.credit_controller
            self._invoice(customer, 100.0, "2025-04-01", due_date="2025-05-01")
            self._action(customer, self.levels[0], "phone", 120.0, date="2025-06-01")
            self._action(customer, self.levels[1], "letter", 120.0, state="done")
        six_calls = count_queries()
        self.assertEqual(six_calls, one_call)
        # About a request's worth: a few grouped reads per tile (11 tiles), the calls, the graphs.
        self.assertLessEqual(one_call, 55)
        data = dashboard.get_dashboard_data()
        self.assertEqual(len(data["calls"]), 6)
        self.assertEqual({tile["key"]: tile["amount"] for tile in data["tiles"]}["calls"], 1800.0)


@tagged("post_install", "-at_install")
class TestCreditRecoveryDemoUsers(CreditRecoveryCommon):
    """The demo speaks French: its two credit users land on the dashboard; the English customer stays English."""

    def test_demo_users(self):
        controller = self.env.ref(
            "account_credit_recovery.user_credit_controller_demo", raise_if_not_found=False
        )
        if not controller:
            self.skipTest("The demo users come with the demo data.")
        manager = self.env.ref("account_credit_recovery.user_credit_manager_demo")
        home = self.env.ref("account_credit_recovery.credit_recovery_dashboard_client_action")
        for user, login in ((controller, "controleur"), (manager, "responsable")):
            self.assertEqual((user.login, user.lang, user.action_id.id), (login, "fr_FR", home.id))
        self.assertFalse(controller.has_group("account_credit_recovery.group_credit_manager"))
        self.assertTrue(controller.has_group("account_credit_recovery.group_credit_controller"))
        self.assertTrue(manager.has_group("account_credit_recovery.group_credit_manager"))
        company = self.env.ref("account_credit_recovery.company_ateliers_dupont_demo")
        # sudo: the test user is not a user of the demo company, whose company-dependent fields are read.
        bernard = (
            self.env.ref("account_credit_recovery.partner_formal_notice_demo").sudo().with_company(company)
        )
        self.assertEqual(bernard.credit_controller_id, controller)
        self.assertEqual(self.env.ref("account_credit_recovery.partner_english_demo").lang, "en_US")
        self.assertIn("RCS Paris 526 018 155", company._credit_letter_legal_mentions())
