from freezegun import freeze_time

from odoo.tests import tagged

from .einvoice_common import EinvoiceCommon, day


@tagged("post_install", "-at_install")
class TestEinvoiceReporting(EinvoiceCommon):
    """The aged balance and the dashboard show the invoices by what the buyer said of them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["credit.recovery.aged.balance.report"]

    def _book(self):
        """Three invoices of 1,200.00 (1,000.00 + 20 % VAT): approved (205), in dispute (207), no status."""
        approved = self._new_invoice()
        contested = self._new_invoice()
        silent = self._new_invoice()
        self._receive(approved, "205", when=-10)
        self._receive(contested, "207", when=-5, reason_code="PRIX_ERR", reason="Prix non conforme")
        return approved, contested, silent

    def test_aged_balance_by_lifecycle_standing(self):
        approved, contested, silent = self._book()
        with freeze_time(day(10)):
            report = self.Report.with_user(self.credit_controller).with_context(
                credit_aged_balance_date=day(10).isoformat()
            )
            domain = [("partner_id", "=", self.customer.id)]
            rows = report._read_group(domain, ["einvoice_standing"], ["residual:sum", "bucket_1:sum"])
            # Each invoice 10 days late: 1,200.00 in the first overdue column, one per standing.
            self.assertEqual(
                {standing: (total, first) for standing, total, first in rows},
                {
                    "approved": (1200.0, 1200.0),
                    "contested": (1200.0, 1200.0),
                    "other": (1200.0, 1200.0),
                },
            )
            lines = report.search(domain)
            self.assertEqual(
                {line.move_id: line.einvoice_status for line in lines},
                {approved: "205", contested: "207", silent: False},
            )
            strongest = report.search([*domain, ("einvoice_standing", "=", "approved")])
            self.assertEqual(strongest.move_id, approved)

    def test_dashboard_tiles_by_lifecycle_status(self):
        approved, contested, _silent = self._book()
        Dashboard = self.env["credit.recovery.dashboard"].with_user(self.credit_controller)
        # Before the due date the approved invoice is not overdue yet: only the dispute shows.
        with freeze_time(day(-1)):
            tiles = {
                tile["key"]: (tile["count"], tile["amount"])
                for tile in Dashboard.get_dashboard_data()["tiles"]
            }
        self.assertEqual(tiles["einvoice_approved"], (0, 0.0))
        self.assertEqual(tiles["einvoice_contested"], (1, 1200.0))
        with freeze_time(day(10)):
            tiles = {
                tile["key"]: (tile["count"], tile["amount"])
                for tile in Dashboard.get_dashboard_data()["tiles"]
            }
            self.assertEqual(tiles["einvoice_approved"], (1, 1200.0))
            self.assertEqual(tiles["einvoice_contested"], (1, 1200.0))
            action = Dashboard.action_open_dashboard_tile("einvoice_approved")
            self.assertEqual(self.env["account.move"].search(action["domain"]), approved)
            action = Dashboard.action_open_dashboard_tile("einvoice_contested")
            self.assertEqual(self.env["account.move"].search(action["domain"]), contested)
        # Paid, the approved invoice leaves the tile.
        with freeze_time(day(11)):
            self._pay(approved, 1200.0, day(11))
            tiles = {
                tile["key"]: (tile["count"], tile["amount"])
                for tile in Dashboard.get_dashboard_data()["tiles"]
            }
        self.assertEqual(tiles["einvoice_approved"], (0, 0.0))
