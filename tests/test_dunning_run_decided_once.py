from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_dunning_run_queries import CALL_DAY, DUE, DunningRunCommon


@tagged("post_install", "-at_install")
class TestDunningRunDecidedOnce(DunningRunCommon):
    """The daily run decides the book once: its next calls apply the customers left, decided again alone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partners = cls.env["res.partner"].create(
            [
                {"name": f"Client {index:03d}", "is_company": True, "email": f"client{index}@example.com"}
                for index in range(6)
            ]
        )
        cls.invoices = cls.env["account.move"]
        for partner in cls.partners:
            cls.invoices |= cls._invoice(partner, 100.0, "2026-03-01", due_date=DUE)

    def _call(self, decided):
        """One call of the scheduled action on the call day, batches of 2, no time left after the first.

        ``decided`` collects, for each decision the call makes, the customers it was asked for (``None``:
        the whole book) and the customers it decided.
        """
        company = self.company
        original = type(self.Run)._decide

        def counting_decide(run, partner_ids=None):
            decisions = original(run, partner_ids=partner_ids)
            decided.append((partner_ids, {partner.id for partner in decisions}))
            return decisions

        with (
            freeze_time(CALL_DAY),
            patch.object(type(self.Run), "_companies_to_run", lambda run: company),
            patch.object(type(self.Run), "_decide", counting_decide),
        ):
            return self.Run._cron_run(batch_size=2, time_budget=0)

    def _actions(self):
        return self.Action.search([("partner_id", "in", self.partners.ids), ("date", "=", CALL_DAY)])

    def test_next_calls_decide_their_batch_only(self):
        ids = sorted(self.partners.ids)
        decided = []
        self.assertEqual(self._call(decided), 4)
        # The first call decided the whole book, once, and stored the customers left on the run.
        self.assertEqual(decided, [(None, set(ids))])
        run = self.Run.search([("company_id", "=", self.company.id), ("date", "=", CALL_DAY)])
        self.assertTrue(run.decided)
        self.assertEqual(sorted(run.work_partner_ids.ids), ids[2:])
        self.assertEqual(self._actions().partner_id.ids, sorted(ids[:2], reverse=True))

        decided = []
        self.assertEqual(self._call(decided), 2)
        # The second call decided the two customers of its batch, not the book.
        self.assertEqual(decided, [(ids[2:4], set(ids[2:4]))])
        self.assertEqual(sorted(run.work_partner_ids.ids), ids[4:])

        decided = []
        self.assertEqual(self._call(decided), 0)
        self.assertEqual(decided, [(ids[4:], set(ids[4:]))])
        self.assertFalse(run.work_partner_ids)
        actions = self._actions()
        self.assertEqual(sorted(actions.partner_id.ids), ids)  # one call each, none twice
        self.assertEqual(set(actions.mapped("level_id")), {self.call_level})
        self.assertEqual(set(actions.mapped("amount_due")), {120.0})
        calls = self.env["mail.activity"].search(
            [("res_model", "=", "credit.recovery.action"), ("res_id", "in", actions.ids)]
        )
        self.assertEqual(len(calls), 6)

        # A rerun the same day decides nothing again and does no level twice.
        decided = []
        self.assertEqual(self._call(decided), 0)
        self.assertEqual(decided, [])
        self.assertEqual(self._actions(), actions)

    def test_next_calls_check_again_who_paid(self):
        ids = sorted(self.partners.ids)
        self.assertEqual(self._call([]), 4)
        by_id = {invoice.partner_id.id: invoice for invoice in self.invoices}
        # Between two calls: the third customer pays its invoice, the fourth sends a payment not matched yet.
        self._pay(by_id[ids[2]])
        payment = self.env["account.payment"].create(
            {
                "partner_id": ids[3],
                "amount": 120.0,
                "payment_type": "inbound",
                "partner_type": "customer",
                "date": CALL_DAY,
            }
        )
        payment.action_post()
        self.assertEqual(self._call([]), 2)
        self.assertEqual(self._call([]), 0)
        actions = self._actions()
        self.assertEqual(sorted(actions.partner_id.ids), ids[:2] + ids[4:])
        reconcile_type = self.env.ref("account_credit_recovery.mail_activity_type_credit_reconcile")
        tasks = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("activity_type_id", "=", reconcile_type.id)]
        )
        self.assertEqual(tasks.mapped("res_id"), [ids[3]])

    def test_a_batch_whose_decision_fails_is_logged_and_the_others_go_on(self):
        ids = sorted(self.partners.ids)
        self.assertEqual(self._call([]), 4)

        def broken(run, partner_ids=None):
            raise ValueError("ledger on fire")

        with (
            freeze_time(CALL_DAY),
            patch.object(type(self.Run), "_companies_to_run", lambda run, company=self.company: company),
            patch.object(type(self.Run), "_decide", broken),
            mute_logger("odoo.addons.account_credit_recovery.models.credit_recovery_run"),
        ):
            self.assertEqual(self.Run._cron_run(batch_size=2, time_budget=0), 2)
        run = self.Run.search([("company_id", "=", self.company.id), ("date", "=", CALL_DAY)])
        self.assertIn("Decision: ledger on fire", run.log)
        self.assertTrue(run.activity_ids)
        self.assertEqual(self._call([]), 0)
        self.assertEqual(sorted(self._actions().partner_id.ids), ids[:2] + ids[4:])
