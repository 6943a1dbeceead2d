"""Issue #14: the shipped courts follow the judicial map in force (2025), and the case's court is defined once."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from odoo.addons.account_credit_recovery.models.credit_recovery_court import COURT_KINDS

from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestCourtsMap(CreditRecoveryCommon):
    def test_the_twelve_tribunaux_des_activites_economiques(self):
        Court = self.env["credit.recovery.court"].with_user(self.credit_controller)
        # Arrêté du 5 juillet 2024, art. 2 (loi n° 2023-1059, art. 26): from 1 January 2025. Le Havre is one;
        # Strasbourg is none (no tribunal de commerce in Alsace-Moselle: the commercial chamber of the TJ).
        seats = sorted(Court.search([("kind", "=", "tae")]).mapped("city"))
        self.assertEqual(
            seats,
            [
                "Auxerre",
                "Avignon",
                "Le Havre",
                "Le Mans",
                "Limoges",
                "Lyon",
                "Marseille",
                "Nancy",
                "Nanterre",
                "Paris",
                "Saint-Brieuc",
                "Versailles",
            ],
        )
        # The tribunaux de commerce they replace are archived: none of those seats has an active one.
        self.assertFalse(Court.search([("kind", "=", "commerce"), ("city", "in", seats)]))
        strasbourg = Court.search([("city", "=", "Strasbourg")])
        self.assertEqual(sorted(strasbourg.mapped("kind")), ["alsace_moselle", "judiciaire"])
        # Since 2020 the tribunaux d'instance and de grande instance are the tribunaux judiciaires.
        all_courts = Court.with_context(active_test=False).search([])
        self.assertFalse(all_courts.filtered(lambda court: "instance" in court.name.lower()))
        self.assertEqual(len(Court.search([("kind", "=", "judiciaire")])), 164)
        # Lille and Roubaix-Tourcoing merged on 1 January 2013 into the tribunal de commerce de Lille Métropole.
        lille = self.env.ref("account_credit_recovery.credit_recovery_court_tc_tourcoing")
        self.assertEqual((lille.name, lille.city), ("Tribunal de commerce de Lille Métropole", "Tourcoing"))

    def test_case_court_defined_once(self):
        # The case's court kind is the court's own selection, and follows the court chosen.
        self.assertEqual(self.env["credit.recovery.case"]._fields["court_kind"].selection, COURT_KINDS)
        self.company.partner_id.write(
            {"company_registry": "552100554", "city": "Paris", "credit_legal_form": "SAS"}
        )
        debtor = self.env["res.partner"].create(
            {
                "name": "Filature du Nord SARL",
                "is_company": True,
                "company_registry": "732829320",
                "credit_legal_form": "SARL",
                "zip": "59200",
                "city": "Tourcoing",
                "country_id": self.env.ref("base.fr").id,
            }
        )
        with freeze_time("2026-01-05"):
            invoice = self._invoice(debtor, 1000.0, "2026-01-05", due_date=date(2026, 2, 4))
        case = (
            self.env["credit.recovery.case"]
            .with_user(self.credit_manager)
            .create({"partner_id": debtor.id, "move_ids": [Command.set(invoice.ids)]})
        )
        self.assertEqual(case.court_jurisdiction, "commercial")
        self.assertEqual(
            (case.court_kind, case.court_city, case.court_name),
            ("commerce", "Tourcoing", "Tribunal de commerce de Lille Métropole"),
        )
        tj_lille = self.env.ref("account_credit_recovery.credit_recovery_court_tj_lille")
        case.write({"court_jurisdiction": "civil", "court_id": tj_lille.id})
        self.assertEqual((case.court_kind, case.court_name), ("judiciaire", "Tribunal judiciaire de Lille"))
