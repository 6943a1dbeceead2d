from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .test_gates_foreign_currency import ForeignCurrencyCommon


@tagged("post_install", "-at_install")
class TestGatesForeignLateAmounts(ForeignCurrencyCommon):
    """Penalties of a debt in US dollars accrue in dollars; the 40 EUR stays 40 EUR; a claim declared in
    collective proceedings is converted at the rate of the opening judgment's date (R622-23)."""

    DECLARATION = "account_credit_recovery.action_report_credit_recovery_claim_declaration"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 1 EUR = 1.6 USD from January, 2.5 USD from May.
        cls.usd = cls.setup_other_currency("USD", rates=[("2026-01-01", 1.6), ("2026-05-01", 2.5)])
        # 1 000 USD + 20 % VAT = 1 200 USD due on 31 March (750 EUR at 1.6).
        cls.invoice = cls._invoice(
            cls.customer, 1000.0, "2026-03-01", due_date="2026-03-31", currency_id=cls.usd.id
        )

    def _action(self, channel, level, day):
        lines = self.invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        return self.env["credit.recovery.action"].create(
            {
                "partner_id": self.customer.id,
                "level_id": level.id,
                "channel": channel,
                "date": day,
                "user_id": self.credit_controller.id,
                "line_ids": [Command.set(lines.ids)],
                "amount_due": 750.0,
                "amount_overdue": 750.0,
            }
        )

    @freeze_time("2026-04-20")
    def test_letter_penalties_in_dollars_indemnity_in_euros(self):
        # 1 200 USD x 12.15 % x 20 days / 365 = 7.99 USD, 4.99 EUR at 1.6.
        action = self._action("letter", self.letter_level, "2026-04-20")
        late = action._letter_late_amounts()[action.id]
        self.assertEqual(late["foreign"], [(self.usd, 7.99, 4.99, 64.0)])
        self.assertEqual((late["penalties"], late["indemnity"]), (4.99, 40.0))
        self.assertEqual(late["total"], 794.99)
        tree = self._render(self.LETTER, action)
        self.assertEqual(self._texts(tree, "late_penalties_currency_amount"), ["$ 7,99"])
        self.assertEqual(self._texts(tree, "late_penalties_currency_company"), ["(4,99 €)"])
        self.assertEqual(self._texts(tree, "recovery_indemnity_amount"), ["40,00 €"])
        self.assertEqual(
            self._texts(tree, "recovery_indemnity_currency"), ["($ 64,00 pour les factures en USD)"]
        )

    @freeze_time("2026-04-20")
    def test_formal_notice_penalties_in_dollars_indemnity_in_euros(self):
        notice = self._action("registered_letter", self.notice_level, "2026-04-20")
        values = notice._formal_notice_values()
        row = values["rows"][0]
        self.assertEqual(
            (row["penalties_currency"], row["penalties"], row["indemnity"], row["indemnity_currency"]),
            (7.99, 4.99, 40.0, 64.0),
        )
        self.assertEqual(values["foreign_penalties"], [(self.usd, 7.99, 4.99)])
        self.assertEqual(values["total"], 794.99)
        tree = self._render(self.NOTICE, notice)
        self.assertEqual(self._texts(tree, "penalties_currency"), ["$ 7,99"])
        self.assertEqual(self._texts(tree, "penalties_company"), ["(4,99 €)"])
        self.assertEqual(self._texts(tree, "indemnity_company"), ["40,00 €"])
        self.assertEqual(self._texts(tree, "indemnity_currency"), ["($ 64,00)"])
        self.assertEqual(self._texts(tree, "penalties_currency_total_amount"), ["$ 7,99"])

    @freeze_time("2026-06-01")
    def test_claim_declaration_at_the_rate_of_the_opening_judgment(self):
        self.customer.write(
            {
                "credit_collective_proceeding": "receivership",
                "credit_opening_judgment_date": "2026-04-21",
                "credit_collective_proceeding_date": "2026-04-28",
            }
        )
        values = self.customer.with_user(self.credit_controller)._credit_claim_declaration_values()
        row = values["rows"][0]
        # Penalties up to the day before the judgment (20 April): 7.99 USD; converted at 1.6 (not 2.5).
        self.assertEqual(
            (row["principal_currency"], row["penalties_currency"], row["indemnity_currency"]),
            (1200.0, 7.99, 64.0),
        )
        self.assertEqual((row["principal"], row["penalties"], row["indemnity"]), (750.0, 4.99, 40.0))
        self.assertEqual(values["foreign_totals"], [(self.usd, 1207.99, 754.99)])
        self.assertEqual(values["total"], 794.99)
        tree = self._render(self.DECLARATION, self.customer)
        self.assertEqual(self._texts(tree, "principal_currency"), ["$ 1 200,00"])
        self.assertEqual(self._texts(tree, "principal_company"), ["(750,00 €)"])
        self.assertEqual(self._texts(tree, "penalties_currency"), ["$ 7,99"])
        self.assertEqual(self._texts(tree, "indemnity_company"), ["40,00 €"])
        self.assertIn("R622-23", self._texts(tree, "legal_currency")[0])
