import ast
from datetime import date

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestCreditRecoveryEffectiveness(CreditRecoveryCommon):
    """Dunning effectiveness, reconciliation to do, trends, dispute and litigation filters, accountants."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._reporting_fixture()
        levels = cls.company.credit_default_policy_id.level_ids
        cls.level_bap = levels.filtered(lambda level: level.delay_days < 0)[0]
        cls.level_reminder = levels.filtered(lambda level: level.channel == "email")[0]
        cls.level_notice = levels.filtered(lambda level: level.channel == "registered_letter")[0]
        cls.Effectiveness = cls.env["credit.recovery.effectiveness.wizard"]
        cls.Aged = cls.env["credit.recovery.aged.balance.wizard"]

    @classmethod
    def _receivable(cls, moves):
        return moves.line_ids.filtered(lambda line: line.account_type == "asset_receivable")

    @classmethod
    def _action(cls, partner, level, day, moves, state="done"):
        return cls.env["credit.recovery.action"].create(
            {
                "partner_id": partner.id,
                "level_id": level.id,
                "channel": level.channel,
                "date": day,
                "state": state,
                "line_ids": [Command.set(cls._receivable(moves).ids)],
                "amount_due": sum(moves.mapped("amount_total")),
            }
        )

    def _book(self):
        """Three customers reminded in 2025, paid at known dates.

        - Martin, 1,200 due 31 January: reminder 7 February, 200 paid 20 February (after the reminder),
          formal notice 2 March, 1,000 paid 20 March (after the notice): paid 41 days after the reminder;
        - Dupont, 600 due 14 February: reminder 21 February, a 120 credit note on 1 March (not a payment),
          480 paid 1 May (69 days after the reminder, outside the 30-day window);
        - Port, 360 due 31 March: pre-due call 16 March, reminder 7 April, paid 10 April (3 days).
        Promises: Martin's kept (reminder), Dupont's broken (reminder), Port's kept without an action.
        """
        martin = self._invoice(self.customer, 1000.0, "2025-01-01", due_date="2025-01-31")
        dupont = self._invoice(self.customer_b, 500.0, "2025-01-15", due_date="2025-02-14")
        port = self._invoice(self.customer_c, 300.0, "2025-03-01", due_date="2025-03-31")
        reminder = self._action(self.customer, self.level_reminder, "2025-02-07", martin)
        self._action(self.customer, self.level_notice, "2025-03-02", martin)
        dupont_reminder = self._action(self.customer_b, self.level_reminder, "2025-02-21", dupont)
        self._action(self.customer_c, self.level_bap, "2025-03-16", port)
        self._action(self.customer_c, self.level_reminder, "2025-04-07", port)
        # Neither a cancelled action nor a draft one counts.
        self._action(self.customer_c, self.level_notice, "2025-04-08", port, state="cancel")
        self._pay(martin, amount=200.0, payment_date="2025-02-20")
        self._pay(martin, amount=1000.0, payment_date="2025-03-20")
        refund = self._invoice(self.customer_b, 100.0, "2025-03-01", move_type="out_refund")
        self._receivable(dupont | refund).reconcile()
        self._pay(dupont, amount=480.0, payment_date="2025-05-01")
        self._pay(port, payment_date="2025-04-10")
        Promise = self.env["credit.recovery.promise"]
        Promise.create(
            {
                "partner_id": self.customer.id,
                "amount": 200.0,
                "date": "2025-02-20",
                "action_id": reminder.id,
                "state": "kept",
            }
        )
        Promise.create(
            {
                "partner_id": self.customer_b.id,
                "amount": 480.0,
                "date": "2025-03-15",
                "action_id": dupont_reminder.id,
                "state": "broken",
            }
        )
        Promise.create(
            {"partner_id": self.customer_c.id, "amount": 360.0, "date": "2025-04-05", "state": "kept"}
        )
        return martin, dupont, port

    def _figures(self, user=None, date_from="2025-01-01", date_to="2025-06-30", days=30, company=None):
        wizard = self.Effectiveness.with_user(user or self.env.user).create(
            {
                "date_from": date_from,
                "date_to": date_to,
                "recovery_days": days,
                "company_id": (company or self.company).id,
            }
        )
        wizard.action_compute()
        return wizard

    @freeze_time("2025-06-30")
    def test_effectiveness_known_answer(self):
        self._book()
        wizard = self._figures()
        lines = {line.level_id: line for line in wizard.line_ids}
        self.assertEqual(
            list(lines),
            [self.level_bap, self.level_reminder, self.level_notice, self.env["credit.recovery.level"]],
        )
        reminder = lines[self.level_reminder]
        self.assertEqual(reminder.action_count, 3)
        self.assertEqual(reminder.amount_due, 2160.0)
        # 200 from Martin and 360 from Port; Dupont's credit note is no payment, its payment came too late.
        self.assertEqual(reminder.amount_recovered, 560.0)
        self.assertAlmostEqual(reminder.recovery_rate, 25.9)
        self.assertEqual((reminder.promise_kept_count, reminder.promise_broken_count), (1, 1))
        self.assertAlmostEqual(reminder.promise_keep_rate, 50.0)
        # Days from the reminder to the payment of its items: 41, 69 and 3.
        self.assertEqual(reminder.items_paid_count, 3)
        self.assertAlmostEqual(reminder.days_to_payment_avg, 37.7)
        self.assertAlmostEqual(reminder.days_to_payment_median, 41.0)
        notice = lines[self.level_notice]
        self.assertEqual((notice.action_count, notice.amount_recovered), (1, 1000.0))
        self.assertAlmostEqual(notice.days_to_payment_median, 18.0)
        self.assertEqual(notice.channel, "Registered Letter")
        # Port's payment came 25 days after the pre-due call, but the reminder came later: it counts there.
        bap = lines[self.level_bap]
        self.assertEqual((bap.action_count, bap.amount_recovered), (1, 0.0))
        self.assertAlmostEqual(bap.days_to_payment_avg, 25.0)
        without = lines[self.env["credit.recovery.level"]]
        self.assertEqual((without.action_count, without.promise_kept_count), (0, 1))
        self.assertEqual(without.level_name, "Without a recovery action")
        self.assertEqual(wizard.action_count, 5)
        self.assertEqual(wizard.amount_recovered, 1560.0)
        self.assertEqual((wizard.promise_kept_count, wizard.promise_broken_count), (2, 1))
        # From the first reminder (the pre-due call is none): 41, 69 and 3 days.
        self.assertEqual(wizard.first_reminder_items, 3)
        self.assertAlmostEqual(wizard.first_reminder_days_avg, 37.7)
        self.assertAlmostEqual(wizard.first_reminder_days_median, 41.0)
        # A wider window catches Dupont's payment 69 days after its reminder.
        wide = self._figures(days=90)
        self.assertEqual(
            wide.line_ids.filtered(lambda line: line.level_id == self.level_reminder).amount_recovered, 1040.0
        )
        action = wizard.action_open_lines()
        self.assertEqual(self.env[action["res_model"]].search(action["domain"]), wizard.line_ids)

    @freeze_time("2025-06-30")
    def test_effectiveness_period(self):
        """Actions of February only: the notice of March is out, and so is the payment it brought."""
        self._book()
        wizard = self._figures(date_to="2025-02-28")
        self.assertEqual(wizard.line_ids.level_id, self.level_reminder)
        self.assertEqual((wizard.action_count, wizard.amount_recovered), (2, 200.0))
        self.assertEqual(wizard.first_reminder_items, 2)
        self.assertAlmostEqual(wizard.first_reminder_days_median, 55.0)
        with self.assertRaises(ValidationError):
            self._figures(date_from="2025-03-01", date_to="2025-02-01")
        with self.assertRaises(ValidationError):
            self._figures(days=0)

    @freeze_time("2025-06-30")
    def test_effectiveness_multi_company(self):
        self._book()
        other = self.setup_other_company(name="Filiale Lyon SAS")["company"]
        wizard = self._figures(company=other)
        self.assertFalse(wizard.line_ids)
        self.assertEqual(wizard.amount_recovered, 0.0)
        with self.assertRaises(AccessError):
            self._figures(user=self.accountant, company=other)

    @freeze_time("2025-06-30")
    def test_accountants_read_reports_without_dunning_rights(self):
        self._book()
        martin = self.env["account.move"].search(
            [("partner_id", "=", self.customer.id), ("move_type", "=", "out_invoice")]
        )
        self.env["credit.recovery.dispute"].create({"move_id": martin.id, "reason": "price"})
        expected = self._figures()
        for user in (self.accountant, self.invoicing_user):
            wizard = self._figures(user=user)
            self.assertEqual(wizard.amount_recovered, expected.amount_recovered)
            self.assertEqual(wizard.line_ids.mapped("level_name"), expected.line_ids.mapped("level_name"))
            self.assertAlmostEqual(wizard.first_reminder_days_median, 41.0)
            aged = self.Aged.with_user(user).create({"date": "2025-03-10", "in_dispute": True})
            aged.action_compute()
            self.assertEqual(aged.total, 1000.0)
            graph = self.Aged.with_user(user).action_open_report_graph("buckets")
            self.assertEqual(self.env[graph["res_model"]].with_user(user).search_count(graph["domain"]), 6)
            for xmlid in (
                "credit_recovery_overdue_trend_action",
                "credit_recovery_dso_trend_action",
                "credit_recovery_aged_buckets_action",
            ):
                menu_graph = self.env.ref(f"account_credit_recovery.{xmlid}").with_user(user).run()
                self.assertEqual(menu_graph["views"][0][1], "graph", xmlid)
            todo = (
                self.env["ir.actions.act_window"]
                .with_user(user)
                ._for_xml_id("account_credit_recovery.account_move_line_action_credit_reconcile")
            )
            self.assertEqual(todo["res_model"], "account.move.line")
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            for menu in (
                "credit_recovery_menu_accounting_reporting",
                "credit_recovery_menu_accounting_aged_balance",
                "credit_recovery_menu_accounting_forecast",
                "credit_recovery_menu_accounting_effectiveness",
                "credit_recovery_menu_accounting_reconcile_todo",
                "credit_recovery_menu_accounting_overdue_trend",
                "credit_recovery_menu_accounting_aged_buckets",
            ):
                self.assertIn(self.env.ref(f"account_credit_recovery.{menu}").id, visible, menu)
            self.assertNotIn(self.env.ref("account_credit_recovery.credit_recovery_menu_actions").id, visible)
            with self.assertRaises(AccessError):
                self.env["credit.recovery.action"].with_user(user).create(
                    {
                        "partner_id": self.customer.id,
                        "level_id": self.level_reminder.id,
                        "channel": "email",
                        "date": "2025-06-30",
                    }
                )
        self.assertNotIn(
            self.env.ref("account_credit_recovery.credit_recovery_menu_accounting_reporting").id,
            self.env["ir.ui.menu"].with_user(self.salesman)._visible_menu_ids(),
        )
        with self.assertRaises(AccessError):
            self.Effectiveness.with_user(self.salesman).create({})

    @freeze_time("2025-06-30")
    def test_reconciliation_to_do(self):
        invoice = self._invoice(self.customer, 1000.0, "2025-03-01", due_date="2025-03-31")
        paid = self._invoice(self.customer, 100.0, "2025-02-01")
        self._pay(paid, payment_date="2025-02-10")
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer.id,
                "amount": 300.0,
                "date": "2025-05-10",
                "journal_id": self.company_data["default_journal_bank"].id,
            }
        )
        payment.action_post()
        refund = self._invoice(self.customer_b, 100.0, "2025-04-01", move_type="out_refund")
        other = self.setup_other_company(name="Filiale Lyon SAS")["company"]
        self.init_invoice("out_refund", self.customer, "2025-01-01", post=True, amounts=[50.0], company=other)
        action = (
            self.env["ir.actions.act_window"]
            .with_user(self.accountant)
            ._for_xml_id("account_credit_recovery.account_move_line_action_credit_reconcile")
        )
        view = self.env.ref("account_credit_recovery.account_move_line_view_list_credit_reconcile")
        order = etree.fromstring(view.arch).get("default_order")
        todo = (
            self.env["account.move.line"]
            .with_user(self.accountant)
            .search(ast.literal_eval(action["domain"]), order=order)
        )
        payment_line = self._receivable(payment.move_id)
        self.assertEqual(todo, self._receivable(refund) | payment_line)
        self.assertEqual(todo[0], self._receivable(refund), "oldest first")
        self.assertEqual(todo.partner_id, self.customer_b | self.customer)
        self.assertEqual(todo.mapped("balance"), [-120.0, -300.0])
        reconcile = payment_line.with_user(self.accountant).action_credit_open_reconcile()
        self.assertEqual(reconcile["id"], self.env.ref("account.action_account_moves_ledger_partner").id)
        self.assertEqual(reconcile["res_model"], "account.move.line")
        self.assertEqual(
            self.env["account.move.line"].search(reconcile["domain"]),
            payment_line | self._receivable(invoice),
        )
        # The dashboard's counter opens the same list.
        dashboard = (
            self.env["credit.recovery.dashboard"].with_user(self.accountant).create({"user_id": False})
        )
        self.assertEqual(dashboard.reconcile_count, 2)
        tile = dashboard.with_context(tile="reconcile").action_open_tile()
        self.assertEqual(tile["views"][0][0], view.id)
        self.assertEqual(self.env["account.move.line"].search(tile["domain"]), todo)

    @freeze_time("2025-06-30")
    def test_trends_and_buckets(self):
        """1,200 due 9 February, paid 15 April; 600 due 31 March, open."""
        paid = self._invoice(self.customer, 1000.0, "2025-01-10", due_date="2025-02-09")
        self._invoice(self.customer_b, 500.0, "2025-03-01", due_date="2025-03-31")
        self._pay(paid, payment_date="2025-04-15")
        wizard = self.Aged.create({"date": "2025-06-30"})
        action = wizard.action_open_overdue_trend()
        self.assertEqual(action["views"][0][1], "graph")
        months = self.env["credit.recovery.dso.line"].search(action["domain"], order="date")
        self.assertEqual(len(months), 12)
        overdue = {str(month.date): month.overdue for month in months}
        self.assertEqual(
            [overdue[day] for day in ("2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30", "2025-06-30")],
            [0.0, 1200.0, 1200.0, 600.0, 600.0],
        )
        self.assertEqual(overdue["2024-07-31"], 0.0)
        # The overdue amount of each month is the aged balance's at that date.
        for month in months:
            rows = self.Aged._compute_aged_balance(month.date, self.company)
            self.assertAlmostEqual(
                month.overdue,
                sum(row["total"] - row["not_due"] for row in rows),
                places=2,
                msg=str(month.date),
            )
        dso = wizard.action_open_dso_trend()
        self.assertEqual(dso["domain"], action["domain"])
        self.assertEqual(
            self.env.ref("account_credit_recovery.credit_recovery_dso_line_view_graph_dso").id,
            dso["views"][0][0],
        )
        buckets = self.Aged.create({"date": "2025-04-30"}).action_open_aged_buckets()
        lines = self.env["credit.recovery.aged.bucket.line"].search(buckets["domain"], order="name")
        self.assertEqual(
            [(line.name, line.amount) for line in lines],
            [
                ("0. Not Due", 0.0),
                ("1. 1-30 days", 600.0),
                ("2. 31-60 days", 0.0),
                ("3. 61-90 days", 0.0),
                ("4. 91-120 days", 0.0),
                ("5. Over 120 days", 0.0),
            ],
        )
        menu_action = self.Aged.with_user(self.credit_controller).action_open_report_graph("overdue")
        self.assertEqual(menu_action["res_model"], "credit.recovery.dso.line")

    @freeze_time("2025-06-30")
    def test_aged_balance_dispute_and_litigation_filters(self):
        disputed = self._invoice(self.customer, 1000.0, "2025-03-01", due_date="2025-03-31")
        litigated = self._invoice(self.customer_b, 500.0, "2025-03-01", due_date="2025-03-31")
        plain = self._invoice(self.customer_c, 300.0, "2025-03-01", due_date="2025-03-31")
        resolved = self._invoice(self.customer_c, 200.0, "2025-03-01", due_date="2025-03-31")
        Dispute = self.env["credit.recovery.dispute"]
        Dispute.create({"move_id": disputed.id, "reason": "price"})
        Dispute.create({"move_id": resolved.id, "reason": "price", "state": "resolved"})
        self._action(self.customer_b, self.level_notice, "2025-05-01", litigated)
        case = self.env["credit.recovery.case"].create(
            {
                "partner_id": self.customer_b.id,
                "move_ids": [Command.set(litigated.ids)],
                "certainty_override_reason": "Proofs on paper.",
            }
        )
        self.assertEqual(
            self.Aged._litigation_move_ids(self.company), [], "a draft case is no litigation yet"
        )
        case.action_open()
        # Neither a formal notice (draft or sent) nor a reminder is litigation: only an open case is.
        self._action(self.customer_c, self.level_notice, "2025-05-03", plain)
        self._action(self.customer_c, self.level_notice, "2025-05-01", plain, state="draft")
        self._action(self.customer_c, self.level_reminder, "2025-05-02", plain)
        self.assertEqual(self.Aged._litigation_move_ids(self.company), litigated.ids)
        self.assertEqual(self.Aged._disputed_move_ids(self.company), disputed.ids)
        wizard = self.Aged.with_user(self.credit_controller).create({"date": "2025-06-30"})
        wizard.action_compute()
        self.assertEqual(wizard.total, 2400.0)
        wizard.in_dispute = True
        wizard.action_compute()
        self.assertEqual(wizard.line_ids.partner_id, self.customer)
        self.assertEqual(wizard.total, 1200.0)
        items = self.env["account.move.line"].search(wizard.line_ids.action_open_items()["domain"])
        self.assertEqual(items, self._receivable(disputed))
        wizard.write({"in_dispute": False, "in_litigation": True})
        wizard.action_compute()
        self.assertEqual(wizard.line_ids.partner_id, self.customer_b)
        self.assertEqual(wizard.total_bucket_4, 600.0)
        wizard.in_dispute = True
        wizard.action_compute()
        self.assertFalse(wizard.line_ids)
        # The filters are per company.
        other = self.setup_other_company(name="Filiale Lyon SAS")["company"]
        self.assertEqual(self.Aged._litigation_move_ids(other), [])
        self.assertEqual(self.Aged._disputed_move_ids(other), [])
        self.assertEqual(date(2025, 6, 30), wizard.date)
