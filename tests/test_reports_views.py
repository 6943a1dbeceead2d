import io
from datetime import date

import openpyxl
from freezegun import freeze_time
from lxml import html

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CreditRecoveryCommon

DAY = "2025-06-30"


@tagged("post_install", "-at_install")
class TestReportsViews(CreditRecoveryCommon):
    """The DSO, forecast and effectiveness reports open on their figures, read as the web client reads them.

    The book at 30 June 2025 (amounts taxes included):
    - Martin owes 1,200.00 invoiced 5 April (due 5 May, never paid) and 1,200.00 invoiced 10 June (due
      10 July); it promised 400.00 for 16 July during the call of 8 May;
    - Dupont paid its 600.00 of 10 May (due 9 June) on 19 June, 10 days late, 7 days after the reminder
      of 12 June, and owes 120.00 invoiced 15 June (due 15 July);
    - Port owes 300.00 invoiced 1 June (due 20 June) and paid 150.00 on 25 June, not matched yet; it
      broke a promise of 22 June made without a recovery action.
    Martin and Port have Paul as credit controller; Dupont has Sam as salesperson.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.martin = cls.customer
        cls.dupont = cls.customer.copy({"name": "Garage Dupont SAS"})
        cls.port = cls.customer.copy({"name": "Hotel du Port SA"})
        for partner in (cls.martin, cls.port):
            partner.with_company(cls.company).credit_controller_id = cls.credit_controller
        cls.dupont.user_id = cls.salesman
        levels = cls.company.credit_default_policy_id.level_ids
        cls.level_call = levels.filtered(lambda level: level.channel == "phone" and level.delay_days >= 0)[0]
        cls.level_reminder = levels.filtered(lambda level: level.channel == "email")[0]
        with freeze_time(DAY):
            april = cls._invoice(cls.martin, 1000.0, "2025-04-05", due_date="2025-05-05")
            cls._invoice(cls.martin, 1000.0, "2025-06-10", due_date="2025-07-10")
            dupont = cls._invoice(cls.dupont, 500.0, "2025-05-10", due_date="2025-06-09")
            cls._invoice(cls.dupont, 100.0, "2025-06-15", due_date="2025-07-15")
            cls._pay(dupont, payment_date="2025-06-19")
            cls._invoice(cls.port, 250.0, "2025-06-01", due_date="2025-06-20")
            payment = cls.env["account.payment"].create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": cls.port.id,
                    "amount": 150.0,
                    "date": "2025-06-25",
                    "journal_id": cls.company_data["default_journal_bank"].id,
                }
            )
            payment.action_post()
            Action = cls.env["credit.recovery.action"]
            receivable = "asset_receivable"
            call = Action.create(
                {
                    "partner_id": cls.martin.id,
                    "level_id": cls.level_call.id,
                    "channel": cls.level_call.channel,
                    "date": "2025-05-08",
                    "state": "done",
                    "line_ids": [
                        (6, 0, april.line_ids.filtered(lambda line: line.account_type == receivable).ids)
                    ],
                    "amount_due": 1200.0,
                }
            )
            Action.create(
                {
                    "partner_id": cls.dupont.id,
                    "level_id": cls.level_reminder.id,
                    "channel": cls.level_reminder.channel,
                    "date": "2025-06-12",
                    "state": "done",
                    "line_ids": [
                        (6, 0, dupont.line_ids.filtered(lambda line: line.account_type == receivable).ids)
                    ],
                    "amount_due": 600.0,
                }
            )
            Promise = cls.env["credit.recovery.promise"]
            Promise.create(
                {"partner_id": cls.martin.id, "amount": 400.0, "date": "2025-07-16", "action_id": call.id}
            )
            Promise.create(
                {"partner_id": cls.port.id, "amount": 150.0, "date": "2025-06-22", "state": "broken"}
            )
        cls.portal_user = cls._company_user("portal_reports", "base.group_portal", name="Pierre Portal")

    def _report(self, model, user=None):
        return (
            self.env[model]
            .with_user(user or self.credit_controller)
            .with_context(credit_aged_balance_date=DAY)
        )

    def _groups(self, report, groupby, fields):
        """The figures of each group, as the list, pivot and graph views ask them (web_read_group)."""
        result = report.web_read_group([], [*fields], [groupby], lazy=False)
        return {
            (group[groupby][1] if isinstance(group[groupby], tuple) else group[groupby]): [
                round(group[fname.split(":")[0]] or 0, 2) for fname in fields
            ]
            for group in result["groups"]
        }

    def _count(self, function):
        self.env.invalidate_all()
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        function()
        return self.env.cr.sql_log_count - before

    @freeze_time(DAY)
    def test_dso_report_known_answer(self):
        """Martin 91 days (June, May without sales, April); a group's DSO is its own countback."""
        report = self._report("credit.recovery.dso.report")
        lines = {
            row["partner_id"][1]: row
            for row in report.search_read(
                [],
                [
                    "partner_id",
                    "receivable",
                    "overdue",
                    "sales",
                    "dso_countback",
                    "dso_simple",
                    "avg_days_late",
                ],
            )
        }
        self.assertEqual(set(lines), {"Boulangerie Martin SARL", "Garage Dupont SAS", "Hotel du Port SA"})
        martin = lines["Boulangerie Martin SARL"]
        self.assertEqual((martin["receivable"], martin["overdue"], martin["sales"]), (2400.0, 1200.0, 2400.0))
        # June's 1,200.00 (30 days), May without sales (31 days), April's 1,200.00 (30 days).
        self.assertAlmostEqual(martin["dso_countback"], 91.0, places=6)
        dupont = lines["Garage Dupont SAS"]
        self.assertEqual((dupont["receivable"], dupont["sales"]), (120.0, 720.0))
        self.assertAlmostEqual(dupont["dso_countback"], 30.0, places=6)
        self.assertAlmostEqual(dupont["avg_days_late"], 10.0, places=6)
        # Port's unmatched 150.00 is deducted: 150.00 of June's 300.00, 15 days.
        port = lines["Hotel du Port SA"]
        self.assertEqual((port["receivable"], port["overdue"]), (150.0, 150.0))
        self.assertAlmostEqual(port["dso_countback"], 15.0, places=6)

        fields = ["receivable:sum", "sales:sum", "dso_countback:avg", "dso_simple:avg", "avg_days_late:avg"]
        # Paul's customers: 2,550.00 against June's 1,500.00 (30 days), May (31 days), 1,050.00 of April's
        # 1,200.00 (26.25 days): 87.25 days, not an average of 91 and 15.
        by_controller = self._groups(report, "controller_id", fields)
        self.assertEqual(by_controller["Paul Controller"][:3], [2550.0, 2700.0, 87.25])
        self.assertEqual(by_controller[False][:3], [120.0, 720.0, 30.0])
        self.assertEqual(
            self._groups(report, "salesperson_id", fields)["Sam Salesman"][:3], [120.0, 720.0, 30.0]
        )
        # The company: 2,670.00 against June's 1,620.00, May's 600.00, then 450.00 of April's 1,200.00.
        [total] = report.read_group([], fields, [])
        self.assertAlmostEqual(total["dso_countback"], 72.25, places=6)
        # Simple method: 2,670.00 / 3,420.00 of sales x the 365 days of the 12 months.
        self.assertAlmostEqual(total["dso_simple"], 2670.0 / 3420.0 * 365, places=6)
        self.assertAlmostEqual(total["avg_days_late"], 10.0, places=6)
        # The same figures as the book's and the aged balance's.
        book = self.env["credit.recovery.book"]._dso(self.company, date(2025, 6, 30))
        self.assertAlmostEqual(book["countback"], total["dso_countback"], places=6)
        self.assertAlmostEqual(book["simple"], total["dso_simple"], places=6)
        self.assertAlmostEqual(book["partners"][self.martin.id], 91.0, places=6)

    @freeze_time(DAY)
    def test_forecast_report_known_answer(self):
        """Unreconciled receipts and promises cover the oldest items; the rest comes on its due date shifted
        by the customer's days late."""
        report = self._report("credit.recovery.forecast.report")
        weeks = self._groups(
            report, "week_start:day", ["from_due_dates:sum", "from_promises:sum", "amount:sum"]
        )
        self.assertEqual(
            weeks,
            {
                # Martin's April item less its promise (800.00), Port's 300.00 less its unmatched 150.00.
                "30 Jun 2025": [950.0, 0.0, 950.0],
                "07 Jul 2025": [1200.0, 0.0, 1200.0],
                "14 Jul 2025": [0.0, 400.0, 400.0],
                # Dupont's 120.00 due 15 July, 10 days late: 25 July.
                "21 Jul 2025": [120.0, 0.0, 120.0],
            },
        )
        by_customer = self._groups(report, "partner_id", ["amount:sum"])
        self.assertEqual(
            by_customer,
            {"Boulangerie Martin SARL": [2400.0], "Garage Dupont SAS": [120.0], "Hotel du Port SA": [150.0]},
        )
        self.assertEqual(self._groups(report, "controller_id", ["amount:sum"])["Paul Controller"], [2550.0])
        # The form reads the same figures.
        wizard = self.env["credit.recovery.forecast.wizard"].with_user(self.credit_controller).create({})
        wizard.action_compute()
        self.assertEqual(wizard.total, 2670.0)
        self.assertEqual(wizard.line_ids[0].from_due_dates, 950.0)
        action = wizard.action_open_report()
        self.assertEqual(action["res_model"], "credit.recovery.forecast.report")
        self.assertEqual(action["name"], "Collection Forecast from 2025-06-30")

    @freeze_time(DAY)
    def test_effectiveness_report_known_answer(self):
        report = self._report("credit.recovery.effectiveness.report")
        fields = [
            "action_count:sum",
            "amount_due:sum",
            "amount_recovered:sum",
            "recovery_rate:avg",
            "promise_broken_count:sum",
            "promise_open_count:sum",
            "days_to_payment_median:avg",
        ]
        levels = self._groups(report, "level_name", fields)
        call_name = f"{self.level_call.name} ({self.level_call.policy_id.name})"
        reminder_name = f"{self.level_reminder.name} ({self.level_reminder.policy_id.name})"
        # Dupont's 600.00 came 7 days after the reminder; Martin paid nothing after the call.
        self.assertEqual(levels[reminder_name], [1, 600.0, 600.0, 100.0, 0, 0, 7.0])
        self.assertEqual(levels[call_name], [1, 1200.0, 0.0, 0.0, 0, 1, 0.0])
        self.assertEqual(levels["Without a recovery action"], [0, 0.0, 0.0, 0.0, 1, 0, 0.0])
        [total] = report.read_group([], fields, [])
        self.assertAlmostEqual(total["recovery_rate"], 100.0 * 600.0 / 1800.0, places=6)
        by_controller = self._groups(report, "controller_id", fields)
        self.assertEqual(by_controller["Paul Controller"][:3], [1, 1200.0, 0.0])
        # A period in the search panel: the actions of May only.
        [may] = report.read_group([("date", ">=", "2025-05-01"), ("date", "<=", "2025-05-31")], fields, [])
        self.assertEqual((may["action_count"], may["amount_due"], may["amount_recovered"]), (1, 1200.0, 0.0))
        # A 5-day window misses Dupont's payment.
        narrow = report.with_context(credit_effectiveness_days=5)
        self.assertEqual(narrow.read_group([], ["amount_recovered:sum"], [])[0]["amount_recovered"], 0.0)
        # The form reads the report, through the shared header.
        wizard = (
            self.env["credit.recovery.effectiveness.wizard"]
            .with_user(self.credit_controller)
            .create({"date_from": "2025-01-01", "date_to": DAY})
        )
        wizard.action_compute()
        self.assertEqual((wizard.action_count, wizard.amount_recovered), (2, 600.0))
        self.assertEqual(wizard.first_reminder_items, 1)
        self.assertEqual(wizard.company_id, self.company)
        self.assertEqual(wizard.currency_id, self.company.currency_id)
        self.assertEqual(wizard.display_name, "Dunning Effectiveness at 06/30/2025")
        action = wizard.action_open_report()
        self.assertEqual(action["domain"], [("date", ">=", "2025-01-01"), ("date", "<=", DAY)])
        self.assertEqual(action["name"], "Dunning Effectiveness from 2025-01-01 to 2025-06-30")

    @freeze_time(DAY)
    def test_menus_open_on_the_figures(self):
        """The menus open the reports on today's figures, titled in words."""
        for menu, model in (
            ("credit_recovery_menu_dso_report", "credit.recovery.dso.report"),
            ("credit_recovery_menu_accounting_dso_report", "credit.recovery.dso.report"),
            ("credit_recovery_menu_forecast", "credit.recovery.forecast.report"),
            ("credit_recovery_menu_accounting_forecast", "credit.recovery.forecast.report"),
            ("credit_recovery_menu_effectiveness", "credit.recovery.effectiveness.report"),
            ("credit_recovery_menu_accounting_effectiveness", "credit.recovery.effectiveness.report"),
        ):
            action = self.env.ref(f"account_credit_recovery.{menu}").action
            self.assertEqual(action.res_model, model, menu)
            self.assertIn("list", action.view_mode)
            self.assertIn("pivot", action.view_mode)
            self.assertIn("graph", action.view_mode)
            self.assertNotIn(".", action.name)
        aged = self.env["credit.recovery.aged.balance.wizard"].create({"date": DAY})
        dso = aged.action_open_dso_report()
        self.assertEqual(dso["name"], "DSO at 2025-06-30")
        self.assertEqual(dso["context"]["credit_aged_balance_date"], DAY)
        for wizard in (
            self.env["credit.recovery.forecast.wizard"].create({}),
            self.env["credit.recovery.effectiveness.wizard"].create({}),
        ):
            self.assertNotIn(wizard._name, wizard.display_name)
            self.assertNotIn(",", wizard.display_name)

    @freeze_time(DAY)
    def test_print_and_export_what_is_shown(self):
        report = self._report("credit.recovery.dso.report")
        shown = report.search([("controller_id", "=", self.credit_controller.id)])
        action = shown.action_print_pdf()
        pdf = self.env.ref("account_credit_recovery.credit_recovery_report_view_pdf").with_user(
            self.credit_controller
        )
        content, _kind = pdf._render_qweb_html(pdf.report_name, None, data=action["data"])
        tree = html.fromstring(content)
        customers = [
            row.xpath("string(td[1])") for row in tree.xpath("//tr[hasclass('o_credit_report_line')]")
        ]
        self.assertEqual(sorted(customers), ["Boulangerie Martin SARL", "Hotel du Port SA"])
        self.assertEqual(
            tree.xpath("string(//h2[hasclass('o_credit_report_title')])"), "DSO per Customer at 06/30/2025"
        )
        total = tree.xpath("//tr[hasclass('o_credit_report_total')]/td")
        self.assertIn("2,550.00", total[3].text_content())
        export = shown.action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(int(export["url"].split("/")[3].split("?")[0]))
        sheet = openpyxl.load_workbook(io.BytesIO(attachment.raw)).active
        rows = list(sheet.iter_rows(min_row=4, values_only=True))
        self.assertEqual(sorted(row[0] for row in rows[:-1]), ["Boulangerie Martin SARL", "Hotel du Port SA"])
        self.assertEqual(rows[-1][0], "Total")
        self.assertEqual(rows[-1][3], 2550.0)
        forecast = self._report("credit.recovery.forecast.report").search(
            [("partner_id", "=", self.dupont.id)]
        )
        sheet = openpyxl.load_workbook(
            io.BytesIO(
                self.env["ir.attachment"]
                .browse(int(forecast.action_export_xlsx()["url"].split("/")[3].split("?")[0]))
                .raw
            )
        ).active
        self.assertEqual([row[-1] for row in sheet.iter_rows(min_row=4, values_only=True)], [120.0, 120.0])

    @freeze_time(DAY)
    def test_access_rights(self):
        """The Credit Controller and the accountants read the reports; a salesperson or a portal user don't."""
        for model in (
            "credit.recovery.dso.report",
            "credit.recovery.forecast.report",
            "credit.recovery.effectiveness.report",
        ):
            for user in (self.credit_controller, self.invoicing_user):
                self.assertTrue(self._report(model, user).search_count([]), model)
            for user in (self.salesman, self.portal_user):
                with self.assertRaises(AccessError):
                    self._report(model, user).search_read([], ["company_id"])
                with self.assertRaises(AccessError):
                    self._report(model, user).read_group([], ["company_id"], ["company_id"])
        with self.assertRaises(AccessError):
            self.env["credit.recovery.effectiveness.wizard"].with_user(self.salesman).create({})
        visible = self.env["ir.ui.menu"].with_user(self.salesman)._visible_menu_ids()
        self.assertNotIn(self.env.ref("account_credit_recovery.credit_recovery_menu_dso_report").id, visible)

    @freeze_time(DAY)
    def test_multi_company(self):
        """Another company's lines are not shown to who does not work in it."""
        other = self.setup_other_company(name="Filiale Lyon SAS")["company"]
        self.init_invoice("out_invoice", self.martin, "2025-06-01", post=True, amounts=[999.0], company=other)
        for model, measure in (
            ("credit.recovery.dso.report", "receivable"),
            ("credit.recovery.forecast.report", "amount"),
        ):
            mine = self._report(model).read_group([], [f"{measure}:sum"], ["company_id"])
            self.assertEqual([group["company_id"][0] for group in mine], [self.company.id], model)
            both = (
                self.env[model]
                .with_context(credit_aged_balance_date=DAY, allowed_company_ids=[self.company.id, other.id])
                .read_group([("company_id", "=", other.id)], [f"{measure}:sum"], [])
            )
            self.assertGreaterEqual(both[0][measure], 999.0, model)
        with self.assertRaises(AccessError):
            self._report("credit.recovery.dso.report").with_context(allowed_company_ids=[other.id]).search([])

    @freeze_time(DAY)
    def test_queries_do_not_grow(self):
        """The pivot's request costs the same number of queries for 3 customers and for 9."""

        def pivot():
            for model, fields in (
                ("credit.recovery.dso.report", ["receivable:sum", "dso_countback:avg", "dso_simple:avg"]),
                ("credit.recovery.forecast.report", ["amount:sum"]),
                ("credit.recovery.effectiveness.report", ["amount_recovered:sum", "recovery_rate:avg"]),
            ):
                self._report(model).web_read_group([], fields, ["partner_id"], lazy=False)

        def warm_count():
            # The fewest of three calls: a call may refill a registry cache (access rules, groups) that the
            # other tests of the same process left cold or pushed out, which says nothing of the customers.
            return min(self._count(pivot) for _call in range(3))

        small = warm_count()
        for index in range(6):
            customer = self.customer.copy({"name": f"Client {index} SAS"})
            customer.with_company(self.company).credit_controller_id = self.credit_controller
            self._invoice(customer, 100.0, "2025-06-01", due_date="2025-07-01")
        large = warm_count()
        self.assertEqual(small, large)
        # Six of them ask whether the book has items dated after the report's date (``_dated_after``): one
        # per set of open items at a date that the views' queries read.
        self.assertLessEqual(large, 31)
