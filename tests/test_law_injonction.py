"""Issue #14, item 12: the request for an order for payment (CPC 1405-1425), in French, to a real court."""

import re
from datetime import date

from freezegun import freeze_time
from lxml import html

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import CreditRecoveryCommon

REPORT = "account_credit_recovery.action_report_credit_recovery_case"


@tagged("post_install", "-at_install")
class TestInjonctionRequest(CreditRecoveryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Case = cls.env["credit.recovery.case"]
        cls.Court = cls.env["credit.recovery.court"]
        cls.company.partner_id.write(
            {"company_registry": "552100554", "city": "Paris", "credit_legal_form": "SAS"}
        )
        cls.customer.write(
            {
                "company_registry": "732829320",
                "credit_legal_form": "SARL",
                "zip": "67000",
                "city": "Strasbourg",
            }
        )
        with freeze_time("2026-01-05"):
            # 1,000.00 + 20 % VAT = 1,200.00, due 2026-02-04.
            cls.invoice = cls._invoice(cls.customer, 1000.0, "2026-01-05", due_date=date(2026, 2, 4))

    def _partner(self, **values):
        return self.env["res.partner"].create({"country_id": self.env.ref("base.fr").id, **values})

    def _case(self, partner=None, invoices=None):
        return self.Case.with_user(self.credit_manager).create(
            {
                "partner_id": (partner or self.customer).id,
                "move_ids": [Command.set(invoices.ids if invoices else [])],
            }
        )

    def _render(self, case):
        report = self.env.ref(REPORT)
        content = self.env["ir.actions.report"]._render_qweb_html(report.report_name, case.ids)[0]
        return html.fromstring(content)

    def _text(self, node):
        return re.sub(r"\s+", " ", node.text_content().replace("\u202f", " ").replace("\xa0", " ")).strip()

    def test_court_proposed_from_the_shipped_list(self):
        courts_before = self.Court.with_context(active_test=False).search_count([])
        # Alsace-Moselle: no tribunal de commerce, the commercial chamber of the tribunal judiciaire.
        case = self._case(invoices=self.invoice)
        self.assertEqual(case.court_jurisdiction, "commercial")
        self.assertEqual(
            case.court_id, self.env.ref("account_credit_recovery.credit_recovery_court_cc_strasbourg")
        )
        self.assertEqual(case.court_kind, "alsace_moselle")
        self.assertEqual(
            case._court_addressee(),
            "To the Presiding Judge of the chambre commerciale du tribunal judiciaire de Strasbourg",
        )
        # Corsica's two departments, an overseas tribunal mixte de commerce.
        corsica = self._case(self._partner(name="U Caffè SARL", is_company=True, zip="20000", city="Ajaccio"))
        self.assertEqual(corsica.court_name, "Tribunal de commerce d'Ajaccio")
        bastia = self._case(self._partner(name="Marina SAS", is_company=True, zip="20200", city="Bastia"))
        self.assertEqual(bastia.court_name, "Tribunal de commerce de Bastia")
        martinique = self._case(
            self._partner(name="Rhum SAS", is_company=True, zip="97200", city="Fort-de-France")
        )
        self.assertEqual(martinique.court_name, "Tribunal mixte de commerce de Fort-de-France")
        # Paris: the tribunal des activités économiques; the tribunal de commerce it replaced is archived.
        paris = self._case(self._partner(name="Atelier SAS", is_company=True, zip="75011", city="Paris"))
        self.assertEqual(paris.court_name, "Tribunal des activités économiques de Paris")
        self.assertFalse(self.env.ref("account_credit_recovery.credit_recovery_court_tc_paris").active)
        # Several tribunaux de commerce in the Alpes-Maritimes, none in Vence: nothing is made up.
        vence = self._case(self._partner(name="Parfums SAS", is_company=True, zip="06140", city="Vence"))
        self.assertFalse(vence.court_id)
        self.assertFalse(vence.court_name)
        self.assertEqual(self.Court.with_context(active_test=False).search_count([]), courts_before)
        with self.assertRaises(UserError):
            vence.with_user(self.credit_manager).action_confirm_court()
        # The user chooses among the existing courts: a tribunal judiciaire does not judge between traders.
        with self.assertRaises(ValidationError):
            vence.with_user(self.credit_manager).write(
                {"court_id": self.env.ref("account_credit_recovery.credit_recovery_court_tj_grasse").id}
            )
        vence.with_user(self.credit_manager).write(
            {"court_id": self.env.ref("account_credit_recovery.credit_recovery_court_tc_grasse").id}
        )
        vence.with_user(self.credit_manager).action_confirm_court()
        self.assertTrue(vence.court_confirmed)
        self.assertEqual(vence.court_name, "Tribunal de commerce de Grasse")
        # A Credit Controller does not confirm a court.
        with self.assertRaises(AccessError):
            case.with_user(self.credit_controller).action_confirm_court()
        # A new address moves the proposal and asks for a new confirmation.
        case.with_user(self.credit_manager).action_confirm_court()
        self.customer.write({"zip": "57000", "city": "Metz"})
        self.assertEqual(case.court_name, "Chambre commerciale du tribunal judiciaire de Metz")
        self.assertFalse(case.court_confirmed)

    def test_businesses_that_are_not_traders_go_before_the_tribunal_judiciaire(self):
        for name, form in (
            ("SCI Les Tilleuls", "SCI"),
            ("Association Les Amis du Vélo", "Association loi 1901"),
            ("SELARL Cabinet Dentaire Roux", "SELARL"),
            ("GAEC du Moulin", "GAEC"),
        ):
            debtor = self._partner(
                name=name,
                is_company=True,
                credit_legal_form=form,
                company_registry="443061841",
                zip="69003",
                city="Lyon",
            )
            self.assertEqual(debtor.credit_customer_type, "b2b", name)
            self.assertEqual(debtor.credit_trade_status, "non_trader", name)
            case = self._case(debtor)
            self.assertEqual(case.court_jurisdiction, "civil", name)
            self.assertEqual(case.court_name, "Tribunal judiciaire de Lyon", name)
        # A company of an unknown form is taken as a trader; the user may say otherwise.
        trader = self._partner(name="Durand et Fils", is_company=True, zip="69003", city="Lyon")
        self.assertEqual(trader.credit_trade_status, "trader")
        trader.credit_trade_status = "non_trader"
        self.assertEqual(self._case(trader).court_jurisdiction, "civil")

    def test_request_in_french_to_the_juge_des_contentieux_de_la_protection(self):
        consumer = self._partner(name="Marie Durand", zip="44000", city="Nantes", lang="en_US")
        with freeze_time("2026-01-05"):
            invoice = self._invoice(consumer, 100.0, "2026-01-05", due_date=date(2026, 2, 4))
        with freeze_time("2026-03-06"):
            case = self._case(consumer, invoice)
            case.with_user(self.credit_manager).write({"civil_judge": "protection"})
            case.with_user(self.credit_manager).action_confirm_court()
            tree = self._render(case)
        self.assertEqual(
            self._text(tree.xpath("//*[@name='court']")[0]),
            "Monsieur le Juge des contentieux de la protection du tribunal judiciaire de Nantes",
        )
        text = self._text(tree)
        self.assertIn("Cerfa 12948", text)
        self.assertIn("Requête en injonction de payer", text)
        # 100.00 + 20 % VAT = 120.00, a consumer owes neither penalties nor the 40 EUR.
        self.assertIn("120,00", self._text(tree.xpath("//*[@name='total']")[0]))
        self.assertNotIn("Request for an Order", text)
        # Changing the judge asks for a new confirmation.
        case.with_user(self.credit_manager).write({"civil_judge": "president"})
        self.assertFalse(case.court_confirmed)
        with self.assertRaises(UserError):
            case.action_print_request()

    def test_deadlines_as_activities(self):
        enforceable_type = self.env.ref("account_credit_recovery.mail_activity_type_credit_case_enforceable")
        service_type = self.env.ref("account_credit_recovery.mail_activity_type_credit_case_service")
        opposition_type = self.env.ref("account_credit_recovery.mail_activity_type_credit_case_opposition")

        def activity(case, activity_type):
            return case.activity_ids.filtered(lambda act: act.activity_type_id == activity_type)

        with freeze_time("2026-03-20"):
            case = self._case(invoices=self.invoice)
            case.with_user(self.credit_manager).write(
                {"filing_date": "2026-03-06", "order_date": "2026-03-20"}
            )
        # Order of 20 March 2026: serve it by 20 September 2026 (CPC 1411).
        self.assertEqual(activity(case, service_type).date_deadline, date(2026, 9, 20))
        with freeze_time("2026-04-14"):
            case.with_user(self.credit_manager).write({"service_date": "2026-04-14"})
        # Served to the person on 14 April: opposition until 14 May (CPC 1416); the enforceable formula is asked
        # within the month after, 14 June 2026 being a Sunday: 15 June (CPC 1423, 642).
        self.assertEqual(case.opposition_deadline, date(2026, 5, 14))
        self.assertEqual(case.enforceable_request_deadline, date(2026, 6, 15))
        self.assertEqual(activity(case, opposition_type).date_deadline, date(2026, 5, 14))
        self.assertEqual(activity(case, enforceable_type).date_deadline, date(2026, 6, 15))
        self.assertFalse(activity(case, service_type))
        # Not served to the person: the opposition stays open until a month after the first act served to
        # the person (here 4 May 2026: until 4 June); the formula may still be asked from the service.
        with freeze_time("2026-04-15"):
            case.with_user(self.credit_manager).write({"service_to_person": False})
        self.assertFalse(case.opposition_deadline)
        self.assertFalse(activity(case, opposition_type))
        self.assertEqual(case.enforceable_request_deadline, date(2026, 6, 15))
        with freeze_time("2026-05-04"):
            case.with_user(self.credit_manager).write({"first_personal_act_date": "2026-05-04"})
        self.assertEqual(case.opposition_deadline, date(2026, 6, 4))
        self.assertEqual(activity(case, opposition_type).date_deadline, date(2026, 6, 4))
        self.assertEqual(case.upcoming_deadline, date(2026, 6, 4))
        # Once the order is enforceable, no reminder is left.
        with freeze_time("2026-06-10"):
            case.with_user(self.credit_manager).write({"injonction_outcome": "enforceable"})
        self.assertFalse(activity(case, enforceable_type))
        self.assertFalse(activity(case, opposition_type))
