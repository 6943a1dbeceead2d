"""The law at its edges (issue #14): each class is one rule, its figures worked by hand."""

import re
from datetime import date

from freezegun import freeze_time
from lxml import html

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
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

    def test_declaration_deadline_shown_and_scheduled_for_the_creditor(self):
        Activity = self.env["mail.activity"]
        declaration = self.env.ref("account_credit_recovery.mail_activity_type_credit_claim_declaration")

        def deadlines():
            # on the customer's credit trail of this company: only its users read the claim
            trails = self.env["credit.recovery.partner.log"].search(
                [("partner_id", "=", self.customer.id), ("company_id", "=", self.company.id)]
            )
            return Activity.search(
                [
                    ("res_model", "=", "credit.recovery.partner.log"),
                    ("res_id", "in", trails.ids),
                    ("activity_type_id", "=", declaration.id),
                ]
            ).mapped("date_deadline")

        # Published in the BODACC on 25 April 2026: 25 June for a creditor in metropolitan France.
        customer = self.customer.with_user(self.credit_controller)
        self.assertEqual(customer.credit_claim_declaration_deadline, date(2026, 6, 25))
        self.assertEqual(deadlines(), [date(2026, 6, 25)])
        # A creditor established in La Réunion has 4 months: 25 August, on the customer and its activity.
        self.company.zip = "97400"
        customer.invalidate_recordset()
        self.assertEqual(customer.credit_claim_declaration_deadline, date(2026, 8, 25))
        self.customer.credit_collective_proceeding_date = "2026-04-27"  # a corrected publication date
        self.assertIn(date(2026, 8, 27), deadlines())


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
class TestReclassifiedDebtInTheBook(LawEdgesCommon):
    """Item 4: the aged balance and the dunning run see the 416 item as the invoice's debt."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(cls.customer, 1000.0, "2026-01-10", due_date="2026-02-10")
        cls.item_411 = cls.invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        # The letter of J+21 was sent on 3 March: the debt is at that level when it is reclassified.
        cls.item_411.write(
            {"credit_recovery_level_id": cls.letter_level.id, "credit_recovery_level_date": "2026-03-03"}
        )
        with freeze_time("2026-03-15"):
            cls.env["credit.recovery.doubtful.line"].with_user(cls.credit_manager)._credit_reclassify(
                cls.invoice, date(2026, 3, 15)
            )
        cls.item_416 = cls.invoice.credit_doubtful_move_line_id

    def test_416_item_keeps_due_date_and_level(self):
        self.assertEqual(self.item_416.date_maturity, date(2026, 2, 10))
        self.assertEqual(self.item_416.credit_recovery_level_id, self.letter_level)
        self.assertEqual(self.item_416.credit_recovery_level_date, date(2026, 3, 3))
        self.assertEqual(self.item_416.credit_debt_move_id, self.invoice)

    def test_aged_balance_ages_the_invoice(self):
        Report = self.env["credit.recovery.aged.balance.report"].with_user(self.invoicing_user)
        rows = Report.with_context(credit_aged_balance_date="2026-04-30").search(
            [("partner_id", "=", self.customer.id)]
        )
        # One line, the invoice's: due 10 Feb, 30 April is 18 + 31 + 30 = 79 days late, in 61-90 days
        # (the reclassification of 15 March would have made it 46 days, in 31-60, on the entry).
        self.assertEqual(len(rows), 1)
        self.assertEqual((rows.move_id, rows.due, rows.days_overdue), (self.invoice, date(2026, 2, 10), 79))
        self.assertEqual((rows.residual, rows.bucket_2, rows.bucket_3), (1200.0, 0.0, 1200.0))
        # The dispute and litigation filters select by invoice: the reclassified one is kept.
        aged = self.env["credit.recovery.book"]._aged_balance(
            self.company, date(2026, 4, 30), move_ids=self.invoice.ids
        )
        self.assertEqual([(row["partner_id"], row["bucket_3"]) for row in aged], [(self.customer.id, 1200.0)])

    def test_run_chases_the_debt_at_its_level(self):
        run = self.env["credit.recovery.run"].new({"company_id": self.company.id, "date": date(2026, 4, 30)})
        rows = [
            row for row in run._read_open_items(date(2026, 4, 30)) if row["partner_id"] == self.customer.id
        ]
        self.assertEqual(len(rows), 1)
        row = rows[0]
        self.assertEqual(
            (row["id"], row["move_id"], row["due"]), (self.item_416.id, self.invoice.id, date(2026, 2, 10))
        )
        self.assertEqual((row["level_delay"], row["invoice_total"]), (21, 1200.0))
        # The next level is the formal notice (J+30), not the first call of a new debt.
        decision = run._decide()[self.customer]
        self.assertEqual(decision.level, self.notice_level)

    def test_letter_names_the_invoice_and_its_penalties(self):
        letter = self._action(self.customer, self.env["account.move"], "2026-04-30")
        letter.line_ids = self.item_416
        with freeze_time("2026-04-30"):
            tree = self._render("account_credit_recovery.action_report_credit_recovery_letter", letter)
        row = self._texts(tree, "//tr[@name='item']")[0]
        self.assertIn(self.invoice.name, row)
        self.assertIn("10/02/2026", row)
        # 11 Feb - 30 Apr, 79 days: 1 200 x 12.15 % x 79 / 365 = 31.56, and the 40 EUR.
        self.assertEqual(self._texts(tree, "//*[@name='late_penalties_amount']"), ["31,56 €"])
        self.assertEqual(self._texts(tree, "//*[@name='recovery_indemnity_amount']"), ["40,00 €"])


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
        # The indemnity is billed with its own product; the invoice printed says why there is no VAT.
        self.assertEqual(
            lines[1].product_id, self.env.ref("account_credit_recovery.product_credit_recovery_indemnity")
        )
        report = self.env.ref("account.account_invoices")
        printed = html.fromstring(report._render_qweb_html(report.id, penalty_invoice.ids)[0].decode())
        self.assertIn(
            "hors champ d'application de la TVA (article 256 du CGI)",
            re.sub(r"\s+", " ", printed.text_content()),
        )

    def test_shipped_products_carry_the_accounts(self):
        penalty = self.env.ref("account_credit_recovery.product_credit_late_penalty").with_company(
            self.company
        )
        indemnity = self.env.ref("account_credit_recovery.product_credit_recovery_indemnity").with_company(
            self.company
        )
        self.assertEqual(
            (penalty.property_account_income_id.code, indemnity.property_account_income_id.code),
            ("763100", "758000"),
        )
        self.assertFalse(penalty.taxes_id | indemnity.taxes_id)
        # The company books its penalties on 7638 instead: the configured account is used.
        penalty.property_account_income_id = self.company._credit_find_account(("7638",))
        invoice = self._invoice(self.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        with freeze_time("2026-04-10"):
            action = (
                self.env["credit.recovery.penalty.invoice.wizard"]
                .with_user(self.credit_controller)
                .with_context(default_move_ids=invoice.ids)
                .create({"date": "2026-04-10"})
                .action_create_invoices()
            )
        lines = self.env["account.move"].search(action["domain"]).invoice_line_ids.sorted("sequence")
        self.assertEqual(
            [(line.account_id.code, line.price_subtotal) for line in lines],
            [("763800", 3.99), ("758000", 40.0)],
        )


@tagged("post_install", "-at_install")
class TestConsumerPlanForfeiture(LawEdgesCommon):
    """Item 14: a consumer's plan is forfeited only after a notice with a reasonable delay has lapsed."""

    PLAN = "account_credit_recovery.action_report_credit_recovery_plan"
    NOTICE = "account_credit_recovery.action_report_credit_recovery_plan_forfeiture_notice"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consumer = cls.env["res.partner"].create(
            {
                "name": "Jeanne Durand",
                "is_company": False,
                "email": "jeanne.durand@example.com",
                "lang": "en_US",  # established in France: her letters are in French all the same
                "country_id": cls.env.ref("base.fr").id,
            }
        )
        cls.invoice = cls._invoice(cls.consumer, 1000.0, "2026-03-01", due_date="2026-03-31")
        line = cls.invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        with freeze_time("2026-04-10"):
            cls.plan = (
                cls.env["credit.recovery.plan"]
                .with_user(cls.credit_controller)
                .create(
                    {
                        "partner_id": cls.consumer.id,
                        "line_ids": [Command.set(line.ids)],
                        "late_amounts": "waived",
                    }
                )
            )
            cls.plan.action_generate_instalments()
            cls.plan.action_sign()
        # 1 200 in 3 payments: 30 % now = 360 on 10 April, then 420 on 25 April and 420 on 10 May.
        cls._pay(cls.invoice, amount=360.0, payment_date="2026-04-10")

    def _check(self, day):
        with freeze_time(day):
            self.env["credit.recovery.plan"]._check_running_plans(fields.Date.to_date(day))

    def test_notice_then_forfeiture_after_the_delay(self):
        self.assertEqual(self.plan.instalment_ids.mapped("amount"), [360.0, 420.0, 420.0])
        # 26 April: the instalment of 25 April is missed, 360 paid for 780 due: 420 of arrears.
        self._check("2026-04-26")
        plan = self.plan
        self.assertEqual(plan.state, "running")
        # 15 days from 26 April: pay by 11 May.
        self.assertEqual(
            (plan.forfeiture_notice_date, plan.forfeiture_notice_deadline, plan.forfeiture_notice_amount),
            (date(2026, 4, 26), date(2026, 5, 11), 420.0),
        )
        mail = self.env["mail.mail"].search([("model", "=", plan._name), ("res_id", "=", plan.id)])
        self.assertEqual(len(mail), 1)
        self.assertIn("mise en demeure", mail.subject)
        body = html.fromstring(mail.body_html).text_content()
        self.assertIn("420,00", body)
        self.assertIn("11/05/2026", body)
        self.assertIn("déchéance du terme", body)
        self.assertEqual(len(mail.attachment_ids), 1)
        # Before the delay has passed, nobody forfeits the plan, by the button or by a write.
        with freeze_time("2026-05-05"), self.assertRaises(UserError):
            plan.with_user(self.credit_controller).action_forfeit()
        with freeze_time("2026-05-11"), self.assertRaises(UserError):
            plan.with_user(self.credit_controller).write({"state": "forfeited"})
        with self.assertRaises(UserError):
            plan.with_user(self.credit_controller).write({"forfeiture_notice_deadline": "2026-04-27"})
        self._check("2026-05-11")  # the last day of the delay
        self.assertEqual(plan.state, "running")
        self._check("2026-05-12")
        self.assertEqual(plan.state, "forfeited")

    def test_no_forfeiture_without_notice(self):
        with freeze_time("2026-04-26"):
            with self.assertRaises(UserError):
                self.plan.with_user(self.credit_controller).action_forfeit()
            with self.assertRaises(AccessError):
                self.plan.with_user(self.invoicing_user).action_send_forfeiture_notice()
            self.plan.with_user(self.credit_controller).action_send_forfeiture_notice()
        self.assertEqual(self.plan.forfeiture_notice_deadline, date(2026, 5, 11))
        with freeze_time("2026-05-12"):
            self.plan.with_user(self.credit_controller).action_forfeit()
        self.assertEqual(self.plan.state, "forfeited")

    def test_payment_within_the_delay_keeps_the_plan(self):
        self._check("2026-04-26")
        self._pay(self.invoice, amount=420.0, payment_date="2026-05-05")
        self._check("2026-05-06")
        self.assertEqual(self.plan.state, "running")
        self.assertFalse(self.plan.forfeiture_notice_date)
        # The instalment of 10 May is missed in turn: a notice of its own, 780 paid for 1 200 due,
        # 420 by 27 May (15 days from 12 May), not the forfeiture on the lapsed first notice.
        self._check("2026-05-12")
        self.assertEqual(self.plan.state, "running")
        self.assertEqual(
            (self.plan.forfeiture_notice_deadline, self.plan.forfeiture_notice_amount),
            (date(2026, 5, 27), 420.0),
        )

    def test_business_plan_is_forfeited_at_the_first_missed_instalment(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        line = invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        with freeze_time("2026-04-10"):
            plan = (
                self.env["credit.recovery.plan"]
                .with_user(self.credit_controller)
                .create({"partner_id": self.customer.id, "line_ids": [Command.set(line.ids)]})
            )
            plan.action_generate_instalments()
            plan.action_sign()
        self._check("2026-04-11")  # the first payment of 360 due on 10 April was not made
        self.assertEqual(plan.state, "forfeited")
        tree = self._render(self.PLAN, plan)
        self.assertIn("sans autre formalité", self._texts(tree, "//p[@name='forfeiture']")[0])
        late = self._texts(tree, "//p[@name='late_amounts']")
        self.assertEqual(len(late), 1)
        self.assertIn("40", late[0])
        self.assertIn("restent dues", late[0])

    def test_agreement_and_notice_letter(self):
        tree = self._render(self.PLAN, self.plan)
        forfeiture = self._texts(tree, "//p[@name='forfeiture']")
        self.assertEqual(len(forfeiture), 1)
        self.assertIn("mise en demeure", forfeiture[0])
        self.assertIn("15 jours", forfeiture[0])
        late = self._texts(tree, "//p[@name='late_amounts']")
        self.assertEqual(len(late), 1)
        self.assertIn("renonce aux intérêts au taux légal", late[0])
        self._check("2026-04-26")
        tree = self._render(self.NOTICE, self.plan)
        demand = self._texts(tree, "//p[@name='demand']")[0]
        self.assertIn("420,00 €", demand)
        self.assertIn("15 jours", demand)
        self.assertIn("11/05/2026", demand)
        # 1 200 - 360 paid: 840 becomes due at once.
        self.assertIn("840,00 €", self._texts(tree, "//p[@name='consequence']")[0])

    def test_terms_are_those_signed(self):
        with self.assertRaises(UserError):
            self.plan.with_user(self.credit_controller).late_amounts = "kept"


@tagged("post_install", "-at_install")
class TestPrescriptionPerItem(LawEdgesCommon):
    """Item 9: each instalment prescribes from its own due date; enforcement acts, agreed mediations and a
    lapsed order for payment."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consumer = cls.env["res.partner"].create(
            {"name": "Jeanne Durand", "is_company": False, "country_id": cls.env.ref("base.fr").id}
        )
        cls.Event = cls.env["credit.recovery.prescription.event"]

    def test_each_instalment_from_its_own_due_date(self):
        # 1 200: 30 % (360) due on 15 January 2026, 70 % (840) at the end of February 2026.
        invoice = self._invoice(
            self.customer, 1000.0, "2026-01-15", invoice_payment_term_id=self.pay_terms_b.id
        )
        dues = sorted(
            invoice.line_ids.filtered(lambda line: line.display_type == "payment_term").mapped(
                "date_maturity"
            )
        )
        self.assertEqual(dues, [date(2026, 1, 15), date(2026, 2, 28)])
        # The first instalment is time-barred first: 15 January 2031, not 28 February 2031.
        self.assertEqual(invoice.credit_prescription_date, date(2031, 1, 15))
        # 360 paid on 10 February: the first is settled; the second, interrupted on 10 February (2031-02-10),
        # still runs to its own 28 February 2031, the later of the two.
        self._pay(invoice, amount=360.0, payment_date="2026-02-10")
        self.assertEqual(invoice.credit_prescription_date, date(2031, 2, 28))

    def test_enforcement_act_interrupts(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        with freeze_time("2027-06-01"):
            with self.assertRaises(AccessError):
                self.Event.with_user(self.invoicing_user).create(
                    {"move_id": invoice.id, "kind": "commandement", "date": "2027-06-01"}
                )
            with self.assertRaises(ValidationError):
                self.Event.with_user(self.credit_controller).create(
                    {"move_id": invoice.id, "kind": "saisie", "date": "2027-06-02"}
                )
            self.Event.with_user(self.credit_controller).create(
                {
                    "move_id": invoice.id,
                    "kind": "commandement",
                    "date": "2027-06-01",
                    "reference": "CJ 2027/118",
                }
            )
        # 5 years from the commandement de payer of 1 June 2027.
        self.assertEqual(invoice.credit_prescription_date, date(2032, 6, 1))

    def test_agreed_mediation_suspends(self):
        invoice = self._invoice(self.consumer, 1000.0, "2026-03-01", due_date="2026-03-31")
        self.assertEqual(invoice.credit_prescription_date, date(2028, 3, 31))
        with freeze_time("2026-05-20"):
            mediation = self.Event.with_user(self.credit_controller).create(
                {
                    "move_id": invoice.id,
                    "kind": "mediation",
                    "request_date": "2026-05-01",
                    "date": "2026-05-10",
                }
            )
        # Not ended yet: nothing moves before its end is known.
        self.assertEqual(invoice.credit_prescription_date, date(2028, 3, 31))
        with freeze_time("2026-07-20"):
            mediation.with_user(self.credit_controller).end_date = "2026-07-10"
        # Suspended from the agreement of 10 May (not the request of 1 May) to 10 July: 61 days,
        # 31 March 2028 + 61 days = 31 May 2028.
        self.assertEqual(invoice.credit_prescription_date, date(2028, 5, 31))
        with self.assertRaises(ValidationError), freeze_time("2026-07-20"):
            mediation.with_user(self.credit_controller).request_date = "2026-05-11"

    def test_mediation_near_the_end_leaves_six_months(self):
        # Time-barred on 31 March 2026; a mediation from 1 February to 15 March 2026 (42 days) would give
        # 12 May 2026, but at least 6 months run after its end: 15 September 2026.
        invoice = self._invoice(self.consumer, 1000.0, "2024-03-01", due_date="2024-03-31")
        with freeze_time("2026-03-20"):
            self.Event.with_user(self.credit_controller).create(
                {"move_id": invoice.id, "kind": "mediation", "date": "2026-02-01", "end_date": "2026-03-15"}
            )
        self.assertEqual(invoice.credit_prescription_date, date(2026, 9, 15))

    def test_lapsed_order_for_payment_cancels_the_interruption(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        served = self._invoice(self.customer, 500.0, "2026-03-01", due_date="2026-03-31")
        cases = self.env["credit.recovery.case"]
        for moves in (invoice, served):
            cases |= cases.with_user(self.credit_manager).create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set(moves.ids)],
                    "route": "injonction",
                    "certainty_override_reason": "Signed order and delivery note kept on paper.",
                }
            )
        cases.write({"filing_date": "2027-01-10", "order_date": "2027-02-01"})
        cases[1].service_date = "2027-05-03"
        # The request of 10 January 2027 interrupts: 10 January 2032.
        self.assertEqual((invoice | served).mapped("credit_prescription_date"), [date(2032, 1, 10)] * 2)
        cron = self.env.ref("account_credit_recovery.ir_cron_credit_recovery_prescription")
        with freeze_time("2027-08-01"):  # the last day to serve the order of 1 February
            cron.method_direct_trigger()
        self.assertEqual(invoice.credit_prescription_date, date(2032, 1, 10))
        with freeze_time("2027-08-02"):
            cron.method_direct_trigger()
        # Not served within 6 months, the order lapsed (CPC 1411) and its request interrupted nothing
        # (C. civ. 2243): back to 5 years from the due date. The served one keeps its interruption.
        self.assertEqual(invoice.credit_prescription_date, date(2031, 3, 31))
        self.assertEqual(served.credit_prescription_date, date(2032, 1, 10))
