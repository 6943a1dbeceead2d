"""Issue #15: a deposit schedule created before its company became required gets one at the migration."""

import importlib.util

from odoo.tests import tagged
from odoo.tools.misc import file_path

from .common import CreditRecoveryCommon


def _pre_migrate():
    path = file_path("account_credit_recovery/migrations/18.0.1.1.0/pre-migrate.py")
    spec = importlib.util.spec_from_file_location("account_credit_recovery_pre_migrate_18_0_1_1_0", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.migrate


@tagged("post_install", "-at_install")
class TestDepositScheduleCompanyMigration(CreditRecoveryCommon):
    def test_schedule_without_company_takes_its_creators(self):
        schedule = (
            self.env["credit.recovery.deposit.schedule"]
            .with_user(self.credit_manager)
            .create({"name": "All at order", "line_ids": [(0, 0, {"percent": 100.0, "milestone": "order"})]})
        )
        other = self.env["credit.recovery.deposit.schedule"].create(
            {"name": "Kept", "company_id": self.company.id}
        )
        self.env.flush_all()
        # A database of before issue #15: the column allowed no company (DDL rolled back with the test).
        self.env.cr.execute(
            "ALTER TABLE credit_recovery_deposit_schedule ALTER COLUMN company_id DROP NOT NULL"
        )
        self.env.cr.execute(
            "UPDATE credit_recovery_deposit_schedule SET company_id = NULL WHERE id = %s", [schedule.id]
        )
        _pre_migrate()(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(schedule.company_id, self.credit_manager.company_id)
        self.assertEqual(other.company_id, self.company)
        self.env.cr.execute("SELECT COUNT(*) FROM credit_recovery_deposit_schedule WHERE company_id IS NULL")
        self.assertEqual(self.env.cr.fetchone()[0], 0)
