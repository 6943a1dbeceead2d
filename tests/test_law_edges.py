"""The law at its edges (issue #14): each class is one rule, its figures worked by hand."""

import re
from datetime import date

from freezegun import freeze_time
from lxml import html

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditRecoveryCommon


class LawEdgesCommon(CreditRecoveryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        levels = cls.company.credit_default_policy_id.level_ids
        cls.letter_level = levels.filtered(lambda level: level.channel == "letter")[:1]
        cls.notice_level = levels.filtered(lambda level: level.channel == "registered_letter")[:1]
        cls.Rate = cls.env["credit.recovery.rate"]

    def _action(self, partner, invoices, day, channel="letter", state="draft"):
        lines = invoices.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        return self.env["credit.recovery.action"].create(
            {
                "partner_id": partner.id,
                "company_id": self.company.id,
                "level_id": (self.notice_level if channel == "registered_letter" else self.letter_level).id,
                "channel": channel,
                "state": state,
                "date": day,
                "user_id": self.credit_controller.id,
                "line_ids": [Command.set(lines.ids)],
                "amount_due": sum(lines.mapped("amount_residual")),
                "amount_overdue": sum(lines.mapped("amount_residual")),
            }
        )

    def _render(self, xmlid, records):
        report = self.env.ref(xmlid)
        content = report._render_qweb_html(report.id, records.ids)[0].decode()
        return html.fromstring(content)

    def _texts(self, tree, xpath):
        return [re.sub(r"\s+", " ", node.text_content()).strip() for node in tree.xpath(xpath)]


@tagged("post_install", "-at_install")
class TestMissingRate(LawEdgesCommon):
    """Item 11: a missing official rate never prints 0,00 EUR of penalties nor hides the 40 EUR."""

    LETTER = "account_credit_recovery.action_report_credit_recovery_letter"
    NOTICE = "account_credit_recovery.action_report_credit_recovery_formal_notice"

    def test_letter_states_penalties_to_the_last_known_semester(self):
        # 2026-S2 has no rate. 1 200 EUR due 20 June 2026, letter on 10 July 2026:
        # 21-30 June = 10 days at 12.15 % (ECB 2.15 + 10, 2026-S1): 1 200 x 12.15 % x 10 / 365 = 3.99.
        invoice = self._invoice(self.customer, 1000.0, "2026-05-20", due_date="2026-06-20")
        letter = self._action(self.customer, invoice, "2026-07-10")
        with freeze_time("2026-07-10"):
            tree = self._render(self.LETTER, letter)
        self.assertEqual(self._texts(tree, "//*[@name='late_penalties_amount']"), ["3,99 €"])
        self.assertIn("30/06/2026", self._texts(tree, "//tr[@name='late_penalties']")[0])
        self.assertEqual(self._texts(tree, "//*[@name='recovery_indemnity_amount']"), ["40,00 €"])
        # 1 200 + 3.99 + 40.
        self.assertEqual(self._texts(tree, "//*[@name='total_with_late_amounts_amount']"), ["1 243,99 €"])
        missing = self._texts(tree, "//p[@name='missing_rate']")[0]
        self.assertIn("jusqu'au 30/06/2026", missing)
        self.assertIn("seront réclamées", missing)

    def test_letter_never_prints_zero_penalties(self):
        # Due 5 July 2026, 45 days late on 19 August 2026: every late day is in 2026-S2, without a rate.
        invoice = self._invoice(self.customer, 1000.0, "2026-06-05", due_date="2026-07-05")
        letter = self._action(self.customer, invoice, "2026-08-19")
        with freeze_time("2026-08-19"):
            tree = self._render(self.LETTER, letter)
        self.assertFalse(tree.xpath("//tr[@name='late_penalties']"))
        self.assertNotRegex(" ".join(self._texts(tree, "//table[@name='late_amounts']")), r"(^|\s)0,00 €")
        self.assertEqual(self._texts(tree, "//*[@name='recovery_indemnity_amount']"), ["40,00 €"])
        self.assertEqual(self._texts(tree, "//*[@name='total_with_late_amounts_amount']"), ["1 240,00 €"])
        self.assertTrue(tree.xpath("//p[@name='missing_rate']"))
        # The invoice itself keeps its indemnity and says why the penalties stop.
        late = invoice.with_context(credit_recovery_date="2026-08-19")
        self.assertEqual(late.recovery_indemnity_amount, 40.0)
        self.assertIn("2026-S2", late.credit_late_amounts_error)

    def test_formal_notice_states_accrued_penalties(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-05-20", due_date="2026-06-20")
        notice = self._action(self.customer, invoice, "2026-08-19", channel="registered_letter")
        with freeze_time("2026-08-19"):
            values = notice._formal_notice_values()
            tree = self._render(self.NOTICE, notice)
        # Penalties to 30 June (3.99, as above), the 40 EUR, total 1 243.99.
        self.assertEqual((values["penalties"], values["indemnity"], values["total"]), (3.99, 40.0, 1243.99))
        self.assertIn("30/06/2026", self._texts(tree, "//tr[@name='total_penalties']")[0])
        self.assertTrue(tree.xpath("//p[@name='missing_rate']"))
        self.assertFalse(tree.xpath("//p[@name='error']"))

    def test_company_may_block_instead(self):
        self.company.credit_missing_rate_policy = "block"
        invoice = self._invoice(self.customer, 1000.0, "2026-05-20", due_date="2026-06-20")
        letter = self._action(self.customer, invoice, "2026-07-10")
        with freeze_time("2026-07-10"), self.assertRaisesRegex(UserError, "2026-S2"):
            self._render(self.LETTER, letter)

    def test_one_click_unchanged_ecb_rate(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-05-20", due_date="2026-06-20")
        with freeze_time("2026-07-02"):
            self.Rate._cron_check_missing_rates()
            reminders = self.env["mail.activity"].search(
                [("res_model", "=", "credit.recovery.rate"), ("summary", "ilike", "2026-S2")]
            )
            self.assertTrue(reminders)
            with self.assertRaises(AccessError):
                self.env["credit.recovery.rate.semester.wizard"].with_user(self.credit_controller).create({})
            # Rates are shared by every company: a Credit Manager of every company records them.
            self.credit_manager.company_ids = self.env["res.company"].search([])
            wizard = (
                self.env["credit.recovery.rate.semester.wizard"]
                .with_user(self.credit_manager)
                .create({"legal_private_rate": 6.5, "legal_other_rate": 2.9})
            )
            self.assertEqual(wizard.date_start, date(2026, 7, 1))
            # The last change is the 2.15 % of 11 June 2025, confirmed since on each semester start.
            self.assertEqual((wizard.ecb_last_date, wizard.ecb_last_rate), (date(2025, 6, 11), 2.15))
            wizard.action_confirm()
        ecb = self.Rate.search([("kind", "=", "ecb_mro"), ("date_start", "=", "2026-07-01")])
        self.assertEqual(ecb.rate, 2.15)
        self.assertIn("06/11/2025", ecb.note)
        self.assertFalse(reminders.exists())
        # Now the whole period is computed: 10 days of 2026-S1 (3.99) + 10 days of 2026-S2 at 12.15 % (3.99).
        late = invoice.with_context(credit_recovery_date="2026-07-10")
        self.assertEqual(late.late_penalty_amount, 7.98)
        self.assertFalse(late.credit_late_amounts_error)
        with self.assertRaisesRegex(UserError, "already recorded"):
            self.env["credit.recovery.rate.semester.wizard"].with_user(self.credit_manager).create(
                {"date_start": "2026-07-01"}
            ).action_confirm()


@tagged("post_install", "-at_install")
class TestClaimedOnce(LawEdgesCommon):
    """Item 2: a penalty billed on a penalty invoice is never claimed again by a notice, a letter or a case."""

    def _bill(self, invoice, day):
        with freeze_time(day):
            action = (
                self.env["credit.recovery.penalty.invoice.wizard"]
                .with_context(default_move_ids=invoice.ids)
                .create({"date": day})
                .action_create_invoices()
            )
        penalty_invoice = self.env["account.move"].search(action["domain"])
        penalty_invoice.action_post()
        return penalty_invoice

    def test_notice_after_penalty_invoice(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        # Billed on 10 April: 10 days at 12.15 % on 1 200 = 3.99, and the 40 EUR: 43.99.
        penalty_invoice = self._bill(invoice, "2026-04-10")
        self.assertEqual(penalty_invoice.amount_total, 43.99)
        notice = self._action(
            self.customer, invoice | penalty_invoice, "2026-04-30", channel="registered_letter"
        )
        with freeze_time("2026-04-30"):
            values = notice._formal_notice_values()
            tree = self._render("account_credit_recovery.action_report_credit_recovery_formal_notice", notice)
        # Still claimable: 11-30 April, 20 days: 1 200 x 12.15 % x 20 / 365 = 7.99; no second 40 EUR.
        # The penalty invoice once, as invoiced penalties (43.99), never as principal (1 200).
        self.assertEqual(
            (values["principal"], values["invoiced"], values["penalties"], values["indemnity"]),
            (1200.0, 43.99, 7.99, 0.0),
        )
        # 1 200 + 43.99 + 7.99 (claiming everything again would make 1 295.97).
        self.assertEqual(values["total"], 1251.98)
        self.assertIn("43,99 €", self._texts(tree, "//tr[@name='total_invoiced']")[0])
        self.assertIn("1 251,98 €", self._texts(tree, "//tr[@name='total']")[0])

    def test_case_counts_penalty_invoice_once(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        penalty_invoice = self._bill(invoice, "2026-04-10")
        # A part payment of the penalty invoice: 13.99 of its 43.99 left (3.99 penalties + 40 indemnity
        # billed: the remaining 30.00 splits 40/43.99 to the indemnity, 27.28, and 2.72 to penalties).
        self._pay(penalty_invoice, amount=13.99, payment_date="2026-04-15")
        with freeze_time("2026-04-30"):
            case = (
                self.env["credit.recovery.case"]
                .with_user(self.credit_manager)
                .create(
                    {
                        "partner_id": self.customer.id,
                        "move_ids": [Command.set((invoice | penalty_invoice).ids)],
                        "certainty_override_reason": "Signed order kept on paper.",
                    }
                )
            )
        self.assertEqual(case.amount_principal, 1200.0)
        # 7.99 still to bill (11-30 April) + 2.72 billed and unpaid.
        self.assertEqual(case.amount_penalties, 10.71)
        self.assertEqual(case.amount_indemnity, 27.28)
        # 1 200 + 10.71 + 27.28.
        self.assertAlmostEqual(case.amount_total, 1237.99, places=2)


@tagged("post_install", "-at_install")
class TestContractualFloor(LawEdgesCommon):
    """Item 1: a contractual rate is never below 3 x the legal rate of each semester; invoices keep their terms."""

    def _penalties(self, invoice, day="2024-07-10"):
        return invoice.with_context(credit_recovery_date=day).late_penalty_amount

    def test_floor_applies_per_semester_and_terms_stay_on_the_invoice(self):
        with freeze_time("2023-07-03"):
            # 15 % is above 3 x 4.22 % (2023-S2) = 12.66 %: accepted.
            self.company.write({"credit_penalty_basis": "contractual", "credit_penalty_rate": 15.0})
        with freeze_time("2024-05-21"):
            invoice = self._invoice(self.customer, 1000.0, "2024-05-21", due_date="2024-06-20")
        self.assertEqual((invoice.credit_penalty_basis, invoice.credit_penalty_rate), ("contractual", 15.0))
        # 21-30 June 2024, 10 days: floor 3 x 5.07 % = 15.21 % > 15 %: 1 200 x 15.21 % x 10 / 365 = 5.00.
        # 1-10 July 2024, 10 days: floor 3 x 4.92 % = 14.76 % < 15 %: 1 200 x 15 % x 10 / 365 = 4.93.
        self.assertEqual(self._penalties(invoice), 9.93)
        # The company changes its terms: the invoice keeps the ones it was issued with.
        with freeze_time("2024-07-10"):
            self.company.credit_penalty_basis = "legal_default"
            invoice.invalidate_recordset()
            self.assertEqual(self._penalties(invoice), 9.93)
            later = self._invoice(self.customer, 1000.0, "2024-05-21", due_date="2024-06-20")
        # ECB + 10: 14.50 % then 14.25 %: 4.77 + 4.68 = 9.45.
        self.assertEqual(self._penalties(later), 9.45)

    def test_three_times_legal_rate_basis_per_customer(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.credit_controller).credit_penalty_basis = "legal_triple"
        self.customer.with_user(self.credit_manager).credit_penalty_basis = "legal_triple"
        with freeze_time("2024-05-21"):
            invoice = self._invoice(self.customer, 1000.0, "2024-05-21", due_date="2024-06-20")
        # 10 days at 15.21 % (5.00) + 10 days at 14.76 %: 1 200 x 14.76 % x 10 / 365 = 4.85.
        self.assertEqual(self._penalties(invoice), 9.85)
        mentions = invoice.with_context(lang="fr_FR")._credit_legal_mentions()
        self.assertIn("3 fois le taux d'intérêt légal (15,21 %)", mentions[0])
        # A customer's contractual 20 %: above both floors, 6.58 per 10 days.
        self.customer.with_user(self.credit_manager).write(
            {"credit_penalty_basis": "contractual", "credit_penalty_rate": 20.0}
        )
        with freeze_time("2024-05-21"):
            other = self._invoice(self.customer, 1000.0, "2024-05-21", due_date="2024-06-20")
        self.assertEqual(self._penalties(other), 13.16)

    def test_rate_api_floor(self):
        # The public API: 12 % agreed over 2024-S1 (floor 15.21 %), 1 000 for 31 days: 12.92.
        self.assertEqual(
            self.Rate.compute_interest(1000.0, "2024-01-31", "2024-03-02", "contractual", fixed_rate=12.0),
            12.92,
        )


@tagged("post_install", "-at_install")
class TestCreditNoteBase(LawEdgesCommon):
    """Item 10: a credit note reduces the penalty base from the due date of what it corrects."""

    def _credit(self, invoice, amount, day):
        refund = self._invoice(self.customer, amount, day, move_type="out_refund")
        (invoice | refund).line_ids.filtered(lambda line: line.account_type == "asset_receivable").reconcile()
        return refund

    def test_partial_credit_note(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        self._credit(invoice, 500.0, "2026-04-20")
        late = invoice.with_context(credit_recovery_date="2026-04-30")
        # The 600 credited were never owed: 600 x 12.15 % x 30 / 365 = 5.99 (from its own date it would be
        # 1 200 for 20 days + 600 for 10 days = 9.99). The rest was paid late: the 40 EUR stays.
        self.assertEqual(late.late_penalty_amount, 5.99)
        self.assertEqual(late.recovery_indemnity_amount, 40.0)

    def test_full_credit_note(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        self._credit(invoice, 1000.0, "2026-04-20")
        late = invoice.with_context(credit_recovery_date="2026-04-30")
        # Nothing was ever owed: no penalty, no indemnity.
        self.assertEqual((late.late_penalty_amount, late.recovery_indemnity_amount), (0.0, 0.0))


@tagged("post_install", "-at_install")
class TestCustomerType(LawEdgesCommon):
    """Item 8: an individual with a SIREN is a professional; only a Credit Manager sets the type otherwise."""

    def test_sole_trader_with_siren_is_business(self):
        plumber = self.env["res.partner"].create(
            {
                "name": "Jean Martin, plombier",
                "is_company": False,
                "country_id": self.env.ref("base.fr").id,
            }
        )
        self.assertEqual(plumber.credit_customer_type, "b2c")
        # Registering the SIREN of his sole tradership makes him a business customer, whoever enters it.
        plumber.with_user(self.credit_controller).company_registry = "732829320"
        self.assertEqual(plumber.credit_customer_type, "b2b")
        invoice = self._invoice(plumber, 1000.0, "2026-03-01", due_date="2026-03-31")
        late = invoice.with_context(credit_recovery_date="2026-04-30")
        # Penalties as between businesses: 1 200 x 12.15 % x 30 / 365 = 11.98, and the 40 EUR.
        self.assertEqual((late.late_penalty_amount, late.recovery_indemnity_amount), (11.98, 40.0))
        # Five years' prescription (Code de commerce L110-4), not two.
        self.assertEqual(invoice.credit_prescription_date, date(2031, 3, 31))

    def test_only_manager_overrides_the_type(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.credit_controller).credit_customer_type = "b2c"
        self.assertEqual(self.customer.credit_customer_type, "b2b")
        self.customer.with_user(self.credit_manager).credit_customer_type = "b2c"
        self.assertEqual(self.customer.credit_customer_type, "b2c")


@tagged("post_install", "-at_install")
class TestOpeningJudgment(LawEdgesCommon):
    """Item 3: the opening judgment stops penalties, keeps or loses the 40 EUR, and turns pursuit into a declaration."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Born before the opening, late before it.
        cls.late_before = cls._invoice(cls.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        # Born before the opening, falling due after it.
        cls.due_after = cls._invoice(cls.customer, 1000.0, "2026-04-01", due_date="2026-04-30")
        # Born after the opening.
        cls.born_after = cls._invoice(cls.customer, 1000.0, "2026-04-20", due_date="2026-04-30")
        cls.customer.write(
            {
                "credit_collective_proceeding": "receivership",
                "credit_opening_judgment_date": "2026-04-15",
                "credit_collective_proceeding_date": "2026-04-25",
            }
        )

    def _late(self, invoice):
        late = invoice.with_context(credit_recovery_date="2026-05-15")
        return late.late_penalty_amount, late.recovery_indemnity_amount

    def test_penalties_stop_and_indemnity_rules(self):
        # Penalties stop on the day of the judgment: 1-14 April, 14 days: 1 200 x 12.15 % x 14 / 365 = 5.59;
        # late before the opening, it keeps its 40 EUR (to be declared).
        self.assertEqual(self._late(self.late_before), (5.59, 40.0))
        # Born before, due after the opening: no penalty, no indemnity (L441-10 II, last sentence).
        self.assertEqual(self._late(self.due_after), (0.0, 0.0))
        # Born after the opening: 1-15 May, 15 days: 1 200 x 12.15 % x 15 / 365 = 5.99, and the 40 EUR.
        self.assertEqual(self._late(self.born_after), (5.99, 40.0))

    def test_no_pursuit_of_pre_opening_claims(self):
        with freeze_time("2026-05-15"):
            with self.assertRaisesRegex(UserError, "L622-21"):
                self._action(self.customer, self.late_before, "2026-05-15", channel="registered_letter")
            with self.assertRaisesRegex(UserError, "L622-21"):
                self.env["credit.recovery.case"].with_user(self.credit_manager).create(
                    {
                        "partner_id": self.customer.id,
                        "move_ids": [Command.set(self.due_after.ids)],
                        "certainty_override_reason": "Paper proofs.",
                    }
                )
            with self.assertRaisesRegex(UserError, "L622-21"):
                self.env["credit.recovery.penalty.invoice.wizard"].create(
                    {"move_ids": [Command.set(self.late_before.ids)], "date": "2026-05-15"}
                ).action_create_invoices()
            lines = self.late_before.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
            with self.assertRaisesRegex(UserError, "L622-21"):
                self.env["credit.recovery.plan"].create(
                    {"partner_id": self.customer.id, "line_ids": [Command.set(lines.ids)]}
                )
            # The claim born after the opening is chased as usual.
            notice = self._action(self.customer, self.born_after, "2026-05-16", channel="registered_letter")
        self.assertTrue(notice)

    def test_claim_declaration_statement(self):
        report = self.env.ref("account_credit_recovery.action_report_credit_recovery_claim_declaration")
        content = report.with_user(self.credit_controller)._render_qweb_html(report.id, self.customer.ids)[0]
        tree = html.fromstring(content.decode())
        rows = [self._texts(row, "./td") for row in tree.xpath("//tr[@name='claim']")]
        # The two claims born before the opening; the one born after is not declared.
        self.assertEqual([row[0] for row in rows], [self.late_before.name, self.due_after.name])
        self.assertEqual(rows[0][3:], ["1 200,00 €", "5,59 €", "40,00 €"])
        self.assertEqual(rows[1][3:], ["1 200,00 €", "0,00 €", "0,00 €"])
        # 2 400 + 5.59 + 40.
        self.assertIn("2 445,59 €", self._texts(tree, "//tr[@name='total']")[0])
        # Two months from the BODACC publication of 25 April 2026.
        self.assertIn("25/06/2026", self._texts(tree, "//p[@name='parties']")[0])
        self.assertIn("L622-26", self._texts(tree, "//p[@name='legal']")[0])

    def test_overseas_creditor_has_four_months(self):
        self.assertEqual(self.customer._credit_claim_declaration_deadline(self.company), date(2026, 6, 25))
        self.company.zip = "97400"
        self.assertEqual(self.customer._credit_claim_declaration_deadline(self.company), date(2026, 8, 25))


@tagged("post_install", "-at_install")
class TestReclassificationIsNotPayment(LawEdgesCommon):
    """Item 4: moving the debt to 416 neither pays it nor acknowledges it; later payments on 416 count."""

    def test_penalties_and_prescription_follow_the_debt(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-01-10", due_date="2026-02-10")
        with freeze_time("2026-03-15"):
            self.env["credit.recovery.doubtful.line"].with_user(self.credit_manager)._credit_reclassify(
                invoice, date(2026, 3, 15)
            )
        self.assertTrue(invoice.credit_doubtful_move_line_id)
        late = invoice.with_context(credit_recovery_date="2026-04-30")
        # Still accruing after the reclassification: 11 Feb - 30 Apr, 79 days:
        # 1 200 x 12.15 % x 79 / 365 = 31.56 (stopping on 15 March would give 13.18). The 40 EUR stays.
        self.assertEqual((late.late_penalty_amount, late.recovery_indemnity_amount), (31.56, 40.0))
        # The reclassification is no acknowledgement of the debt: 5 years from the due date still.
        self.assertEqual(invoice.credit_prescription_date, date(2031, 2, 10))
        # The customer pays 600 on 10 April: Odoo applies it to the 416 item.
        self.env["account.payment.register"].with_user(self.invoicing_user).with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": "2026-04-10", "amount": 600.0})._create_payments()
        invoice.invalidate_recordset()
        late = invoice.with_context(credit_recovery_date="2026-04-30")
        # 1 200 for 59 days (11 Feb - 10 Apr) = 23.57, then 600 for 20 days = 3.99: 27.56.
        self.assertEqual(late.late_penalty_amount, 27.56)
        # The payment acknowledges the debt and restarts the prescription from its date.
        self.assertEqual(invoice.credit_prescription_date, date(2031, 4, 10))


@tagged("post_install", "-at_install")
class TestConsumerInterest(LawEdgesCommon):
    """Item 7: consumers' interest from the receipt of the notice, + 5 points two months after the judgment."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consumer = cls.env["res.partner"].create(
            {
                "name": "Jeanne Durand",
                "is_company": False,
                "lang": "fr_FR",
                "country_id": cls.env.ref("base.fr").id,
            }
        )

    def test_interest_from_the_acknowledgement_of_receipt(self):
        invoice = self._invoice(self.consumer, 1000.0, "2026-03-01", due_date="2026-03-31")
        with freeze_time("2026-05-04"):
            notice = self._action(self.consumer, invoice, "2026-05-04", channel="registered_letter")
            notice.certainty_override = True
            notice.registered_mail_number = "1A 42"
            notice.with_user(self.credit_controller).action_record_registered_mail()
        # Posted on 4 May: nothing yet, the notice takes effect on its receipt.
        self.assertFalse(invoice.credit_formal_notice_date)
        notice.with_user(self.credit_controller).registered_mail_ack_date = date(2026, 5, 6)
        self.assertEqual(invoice.credit_formal_notice_date, date(2026, 5, 6))
        # 7 May - 5 June, 30 days at 2.62 % (2026-S1, other cases): 1 200 x 2.62 % x 30 / 365 = 2.58.
        self.assertEqual(invoice.with_context(credit_recovery_date="2026-06-05").legal_interest_amount, 2.58)

    def test_five_points_two_months_after_the_judgment(self):
        invoice = self._invoice(self.consumer, 1000.0, "2025-12-01", due_date="2025-12-31")
        invoice.credit_formal_notice_date = "2026-02-01"
        case = (
            self.env["credit.recovery.case"]
            .with_user(self.credit_manager)
            .create(
                {
                    "partner_id": self.consumer.id,
                    "move_ids": [Command.set(invoice.ids)],
                    "certainty_override_reason": "Signed quotation kept on paper.",
                }
            )
        )
        case.with_user(self.credit_manager).write(
            {"judgment_date": "2026-02-15", "judgment_service_date": "2026-03-01"}
        )
        self.assertEqual(case.interest_majoration_date, date(2026, 5, 1))
        # 2 Feb - 30 Apr, 88 days at 2.62 %: 1 200 x 2.62 % x 88 / 365 = 7.58;
        # 1 - 31 May, 31 days at 2.62 + 5 = 7.62 %: 1 200 x 7.62 % x 31 / 365 = 7.77. Total 15.35.
        self.assertEqual(invoice.with_context(credit_recovery_date="2026-05-31").legal_interest_amount, 15.35)


@tagged("post_install", "-at_install")
class TestFormalNoticeWording(LawEdgesCommon):
    """Item 13: deadline from receipt, the penalty rule of the semester, in French for a customer in France."""

    def test_french_customer_with_english_contact(self):
        self.customer.lang = "en_US"
        invoice = self._invoice(self.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        notice = self._action(self.customer, invoice, "2026-05-04", channel="registered_letter")
        with freeze_time("2026-05-04"):
            tree = self._render("account_credit_recovery.action_report_credit_recovery_formal_notice", notice)
        rule = self._texts(tree, "//p[@name='legal_b2b']")[0]
        # 2026-S1: ECB 2.15 % + 10 points.
        self.assertIn("taux BCE + 10 points, soit 12,15 % pour le semestre 2026-S1", rule)
        self.assertIn("base 365 jours", rule)
        self.assertIn(
            "dans un délai de 8 jours à compter de la réception de la présente",
            self._texts(tree, "//p[@name='notice']")[0],
        )
        # The deadline is fixed once the acknowledgement of receipt is back: 6 May + 8 days.
        # (Posted as the module's posting records it: a user never writes the state; see the gates tests.)
        notice.sudo().write({"state": "done", "registered_mail_ack_date": "2026-05-06"})
        self.assertEqual(notice.formal_notice_deadline, date(2026, 5, 14))


@tagged("post_install", "-at_install")
class TestCaseCosts(LawEdgesCommon):
    """Item 6: costs beyond the 40 EUR only, on proof; none for a consumer without a title; never the dépens."""

    def _case(self, partner, invoices, costs):
        return (
            self.env["credit.recovery.case"]
            .with_user(self.credit_manager)
            .create(
                {
                    "partner_id": partner.id,
                    "move_ids": [Command.set(invoices.ids)],
                    "certainty_override_reason": "Paper proofs.",
                    "cost_line_ids": [Command.create(cost) for cost in costs],
                }
            )
        )

    @freeze_time("2026-04-30")
    def test_business_costs_beyond_the_indemnities(self):
        invoices = self._invoice(self.customer, 1000.0, "2026-03-01", due_date="2026-03-31") | self._invoice(
            self.customer, 500.0, "2026-03-01", due_date="2026-03-31"
        )
        case = self._case(
            self.customer,
            invoices,
            [
                {"name": "Cabinet Dupont", "kind": "lawyer", "amount": 150.0, "justified": True},
                {"name": "Relance sans facture", "kind": "other", "amount": 60.0},
                {"name": "Greffe", "kind": "court", "amount": 33.47, "justified": True},
            ],
        )
        self.assertEqual(case.amount_indemnity, 80.0)
        # Proven costs 150, minus the two 40 EUR indemnities already claimed: 70. The unproven 60 and the
        # court fees (dépens) are not added.
        self.assertEqual(case.amount_costs_claimed, 70.0)
        self.assertAlmostEqual(case.amount_total, 1800.0 + case.amount_penalties + 80.0 + 70.0, places=2)

    @freeze_time("2026-06-30")
    def test_consumer_costs_only_after_an_enforceable_title(self):
        consumer = self.env["res.partner"].create({"name": "Jean Petit", "is_company": False})
        invoice = self._invoice(consumer, 1000.0, "2026-03-01", due_date="2026-03-31")
        case = self._case(
            consumer,
            invoice,
            [
                {
                    "name": "Huissier amiable",
                    "kind": "bailiff",
                    "amount": 90.0,
                    "justified": True,
                    "date": "2026-04-10",
                },
                {
                    "name": "Exécution",
                    "kind": "bailiff",
                    "amount": 120.0,
                    "justified": True,
                    "date": "2026-06-20",
                },
            ],
        )
        # No enforceable title yet: nothing.
        self.assertEqual(case.amount_costs_claimed, 0.0)
        case.judgment_service_date = "2026-06-01"
        # Only the enforcement cost incurred after the judgment was served (no indemnity to deduct).
        self.assertEqual(case.amount_costs_claimed, 120.0)


@tagged("post_install", "-at_install")
class TestPenaltyInvoiceAccounts(LawEdgesCommon):
    """Item 15: penalties on 7631, the indemnity on 758, out of the scope of VAT (CGI 256)."""

    def test_accounts_and_vat_mention(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        with freeze_time("2026-04-10"):
            action = (
                self.env["credit.recovery.penalty.invoice.wizard"]
                .with_user(self.credit_controller)
                .with_context(default_move_ids=invoice.ids)
                .create({"date": "2026-04-10"})
                .action_create_invoices()
            )
        penalty_invoice = self.env["account.move"].search(action["domain"])
        lines = penalty_invoice.invoice_line_ids.sorted("sequence")
        # 10 days at 12.15 % on 1 200 = 3.99 on 7631; the 40 EUR on 758; no VAT.
        self.assertEqual(
            [(line.account_id.code[:4], line.price_subtotal) for line in lines],
            [("7631", 3.99), ("7580", 40.0)],
        )
        self.assertEqual(penalty_invoice.amount_tax, 0.0)
        self.assertIn(
            "hors champ d'application de la TVA (article 256 du CGI)", str(penalty_invoice.narration)
        )
