from datetime import date, timedelta

from freezegun import freeze_time
from lxml import html

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import CreditRecoveryCommon

DUE = date(2026, 2, 4)


@tagged("post_install", "-at_install")
class TestLitigationCase(CreditRecoveryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Case = cls.env["credit.recovery.case"]
        cls.company.partner_id.write({"company_registry": "552100554", "city": "Paris"})
        cls.company.partner_id.credit_legal_representative_id = cls.env["res.partner"].create(
            {"name": "Hélène Créancier", "function": "Présidente", "parent_id": cls.company.partner_id.id}
        )
        cls.customer.write(
            {
                "company_registry": "732829320",
                "credit_legal_form": "SARL",
                "street": "12 rue de la République",
                "zip": "69002",
                "city": "Lyon",
                "email": "compta@boulangerie-martin.example.com",
                "credit_controller_id": cls.credit_controller.id,
            }
        )
        cls.manager_contact = cls.env["res.partner"].create(
            {"name": "Jean Martin", "function": "Gérant", "parent_id": cls.customer.id}
        )
        cls.customer.credit_legal_representative_id = cls.manager_contact
        cls.consumer = cls.env["res.partner"].create(
            {"name": "Marie Durand", "city": "Nantes", "country_id": cls.env.ref("base.fr").id}
        )
        with freeze_time("2026-01-05"):
            # 1,000.00 + 20 % VAT = 1,200.00, due 2026-02-04.
            cls.invoice = cls._invoice(cls.customer, 1000.0, "2026-01-05", due_date=DUE)
            cls.invoice_2 = cls._invoice(cls.customer, 500.0, "2026-01-05", due_date=DUE)
            cls.consumer_invoice = cls._invoice(cls.consumer, 100.0, "2026-01-05", due_date=DUE)

    def _case(self, partner=None, invoices=None, **values):
        """A case created by the Credit Manager."""
        return self.Case.with_user(self.credit_manager).create(
            {
                "partner_id": (partner or self.customer).id,
                "move_ids": [Command.set((invoices if invoices is not None else self.invoice).ids)],
                # The certainty check has its own test; here the proofs are on paper.
                "certainty_override_reason": "Signed order and delivery note kept on paper.",
                **values,
            }
        )

    def _deadline_activities(self, case, xmlid):
        activity_type = self.env.ref(f"account_credit_recovery.{xmlid}")
        return case.activity_ids.filtered(lambda activity: activity.activity_type_id == activity_type)

    @freeze_time("2026-03-06")
    def test_case_amounts_and_sequence(self):
        case = self._case(invoices=self.invoice | self.invoice_2)
        self.assertTrue(case.name.startswith("LIT/2026/"))
        self.assertEqual(case.state, "draft")
        self.assertEqual(case.amounts_date, date(2026, 3, 6))
        self.assertEqual(case.amount_principal, 1800.0)
        expected = (self.invoice | self.invoice_2).with_context(credit_recovery_date="2026-03-06")
        penalties = sum(expected.mapped("late_penalty_amount"))
        self.assertGreater(penalties, 0.0)
        self.assertAlmostEqual(case.amount_penalties, penalties)
        self.assertEqual(case.amount_indemnity, 80.0)
        self.assertEqual(case.amount_interest, 0.0)
        case.write(
            {
                "cost_line_ids": [
                    Command.create({"name": "Greffe", "kind": "court", "amount": 33.47}),
                    Command.create({"name": "Agency", "kind": "agency", "amount": 100.0, "claimed": False}),
                ]
            }
        )
        self.assertAlmostEqual(case.amount_costs, 133.47)
        # Court fees are dépens, for the judge to award: never added by the creditor (issue #14).
        self.assertAlmostEqual(case.amount_costs_claimed, 0.0)
        self.assertAlmostEqual(case.amount_total, 1800.0 + penalties + 80.0)
        # A payment lowers the principal.
        self._pay(self.invoice_2, payment_date="2026-03-06")
        self.assertEqual(case.amount_principal, 1200.0)
        # A contact is replaced by its company.
        other = self.Case.with_user(self.credit_manager).create({"partner_id": self.manager_contact.id})
        self.assertEqual(other.partner_id, self.customer)
        # An invoice of another customer is refused.
        with self.assertRaises(ValidationError):
            other.move_ids = [Command.link(self.consumer_invoice.id)]
        # An invoice cannot be claimed in two cases at once.
        with self.assertRaises(ValidationError):
            self._case(invoices=self.invoice)

    @freeze_time("2026-03-06")
    def test_court_trader_vs_consumer(self):
        self.assertEqual(self.company.partner_id.credit_customer_type, "b2b")
        trader_case = self._case()
        # Lyon: the tribunal des activités économiques replaced the tribunal de commerce in 2025 (issue #14).
        self.assertEqual(trader_case.court_jurisdiction, "commercial")
        self.assertEqual(trader_case.court_kind, "tae")
        self.assertEqual(trader_case.court_city, "Lyon")
        self.assertEqual(trader_case.court_name, "Tribunal des activités économiques de Lyon")
        self.consumer.zip = "44000"
        consumer_case = self._case(self.consumer, self.consumer_invoice)
        self.assertEqual(consumer_case.court_kind, "judiciaire")
        self.assertEqual(consumer_case.court_name, "Tribunal judiciaire de Nantes")
        # Consumers owe neither penalties nor the indemnity.
        self.assertEqual(consumer_case.amount_penalties, 0.0)
        self.assertEqual(consumer_case.amount_indemnity, 0.0)
        # The shipped court of the debtor's town, with the French elision of its name.
        self.customer.write({"zip": "49100", "city": "Angers"})
        self.assertEqual(trader_case.court_name, "Tribunal de commerce d'Angers")
        self.customer.write({"zip": "76600", "city": "Le Havre"})
        self.assertEqual(trader_case.court_name, "Tribunal des activités économiques du Havre")
        self.customer.write({"zip": "69002", "city": "Lyon"})
        # A business customer becomes a consumer: the court follows.
        self.customer.credit_customer_type = "b2c"
        self.assertEqual(trader_case.court_kind, "judiciaire")
        self.assertEqual(trader_case.court_name, "Tribunal judiciaire de Lyon")

    def _evidence_fixture(self):
        Attachment = self.env["ir.attachment"]
        delivery_file = Attachment.create(
            {
                "name": "BL-0042 signé.pdf",
                "res_model": "account.move",
                "res_id": self.invoice.id,
                "raw": b"BL",
            }
        )
        Attachment.create(
            {
                "name": "Relance du 11-02-2026.pdf",
                "res_model": "account.move",
                "res_id": self.invoice.id,
                "raw": b"R",
            }
        )
        Proof = self.env["credit.recovery.proof"]
        Proof.create(
            {
                "name": "Bon de commande BC-17",
                "kind": "signed_order",
                "date": "2026-01-02",
                "signatory_name": "Jean Martin",
                "move_id": self.invoice.id,
            }
        )
        Proof.create(
            {
                "name": "Bon de livraison BL-0042",
                "kind": "delivery_note",
                "date": "2026-01-04",
                "move_id": self.invoice.id,
                "attachment_id": delivery_file.id,
            }
        )
        case = self._case()
        Attachment.create(
            {"name": "Mise en demeure LRAR.pdf", "res_model": case._name, "res_id": case.id, "raw": b"MED"}
        )
        Attachment.create(
            {"name": "Accusé de réception.pdf", "res_model": case._name, "res_id": case.id, "raw": b"AR"}
        )
        return case

    @freeze_time("2026-03-06")
    def test_evidence_list_numbering(self):
        case = self._evidence_fixture()
        items = case._evidence_items()
        self.assertEqual([item["number"] for item in items], [1, 2, 3, 4, 5, 6])
        labels = [item["label"] for item in items]
        self.assertIn("Bon de commande BC-17", labels[0])
        self.assertIn("signed by Jean Martin", labels[0])
        self.assertIn(self.invoice.name, labels[1])
        self.assertEqual(labels[2], "Relance du 11-02-2026.pdf")
        # The signed delivery note picked from the invoice's files is listed once, as a proof.
        self.assertIn("Bon de livraison BL-0042", labels[3])
        self.assertNotIn("BL-0042 signé.pdf", labels)
        self.assertEqual(labels[4:], ["Mise en demeure LRAR.pdf", "Accusé de réception.pdf"])
        self.assertIn("Mise en demeure LRAR.pdf", case.evidence_html)

    @freeze_time("2026-03-06")
    def test_request_rendering(self):
        # The debtor prefers English: the request to a French court is in French all the same
        # (ordonnance de Villers-Cotterêts, art. 111; issue #14).
        self.customer.lang = "en_US"
        case = self._evidence_fixture()
        case.write(
            {"filing_date": "2026-03-06", "claim_basis": "Conditions générales de vente du 1er janvier 2026."}
        )
        report = self.env.ref("account_credit_recovery.action_report_credit_recovery_case")
        # Not before a Credit Manager has confirmed the court proposed from the debtor's address.
        with self.assertRaises(UserError):
            self.env["ir.actions.report"]._render_qweb_html(report.report_name, case.ids)
        case.with_user(self.credit_manager).action_confirm_court()
        content, _type = self.env["ir.actions.report"]._render_qweb_html(report.report_name, case.ids)
        tree = html.fromstring(content)

        def squash(node):
            return " ".join(node.text_content().replace("\u202f", " ").replace("\xa0", " ").split())

        text = squash(tree)
        self.assertEqual(
            squash(tree.xpath("//*[@name='court']")[0]),
            "Monsieur le Président du tribunal des activités économiques de Lyon",
        )
        self.assertIn("Cerfa 12946", text)
        creditor = squash(tree.xpath("//table[@name='creditor']")[0])
        debtor = squash(tree.xpath("//table[@name='debtor']")[0])
        self.assertIn(self.company.name, creditor)
        self.assertIn("552100554", creditor)
        self.assertIn("Hélène Créancier", creditor)
        self.assertIn("Boulangerie Martin SARL", debtor)
        self.assertIn("732829320", debtor)
        self.assertIn("Jean Martin, Gérant", debtor)
        self.assertIn("Lyon", debtor)
        amount_lines = [squash(row) for row in tree.xpath("//tr[@name='amount_line']")]
        self.assertEqual(len(amount_lines), 3)
        self.assertIn("Principal (factures impayées, TTC)", amount_lines[0])
        self.assertIn("1 200,00", amount_lines[0])
        # 1,200.00 x 12.15 % (ECB 2.15 % + 10 points, 2026-S1) x 30 days / 365 = 11.98
        self.assertEqual(case.amount_penalties, 11.98)
        self.assertIn("Pénalités de retard", amount_lines[1])
        self.assertIn("L441-10", amount_lines[1])
        self.assertIn("11,98", amount_lines[1])
        self.assertIn("40,00", amount_lines[2])
        self.assertIn("D441-5", amount_lines[2])
        # 1,200.00 + 11.98 + 40.00 = 1,251.98
        self.assertIn("1 251,98", squash(tree.xpath("//*[@name='total']")[0]))
        self.assertIn("Conditions générales de vente du 1er janvier 2026.", text)
        evidence = [squash(row) for row in tree.xpath("//tr[@name='evidence_item']")]
        self.assertEqual(len(evidence), 6)
        self.assertTrue(evidence[0].startswith("Pièce n° 1"))
        self.assertIn("Mise en demeure LRAR.pdf", evidence[4])
        self.assertIn("Fait à Paris, le 6 mars 2026", text)
        self.assertNotIn("To the President", text)

    def test_opposition_deadline_and_activities(self):
        with freeze_time("2026-03-06"):
            case = self._case()
            case.with_user(self.credit_manager).action_open()
            self.assertFalse(case.activity_ids)
            case.with_user(self.credit_manager).write(
                {"filing_date": "2026-03-06", "order_date": "2026-03-20"}
            )
        self.assertEqual(case.stage, "order")
        self.assertEqual(case.service_limit_date, date(2026, 9, 20))
        service = self._deadline_activities(case, "mail_activity_type_credit_case_service")
        self.assertEqual(service.date_deadline, date(2026, 9, 20))
        with freeze_time("2026-04-14"):
            case.with_user(self.credit_manager).write({"service_date": "2026-04-14"})
        self.assertEqual(case.stage, "served")
        self.assertEqual(case.opposition_deadline, date(2026, 5, 14))
        self.assertFalse(service.exists())
        opposition = self._deadline_activities(case, "mail_activity_type_credit_case_opposition")
        self.assertEqual(len(opposition), 1)
        self.assertEqual(opposition.date_deadline, date(2026, 5, 14))
        self.assertEqual(opposition.user_id, self.credit_manager)
        self.assertIn(case.name, opposition.summary)
        # Moved with the service date, never duplicated; a deadline on a Sunday moves to the Monday.
        with freeze_time("2026-04-15"):
            case.with_user(self.credit_manager).write({"service_date": "2026-04-10"})
            case.with_user(self.credit_manager).write({"service_date": "2026-04-10", "close_note": "x"})
        self.assertEqual(case.opposition_deadline, date(2026, 5, 11))
        moved = self._deadline_activities(case, "mail_activity_type_credit_case_opposition")
        self.assertEqual(moved, opposition)
        self.assertEqual(moved.date_deadline, date(2026, 5, 11))
        # Hearing and next deadline.
        with freeze_time("2026-04-15"):
            case.with_user(self.credit_manager).write(
                {
                    "injonction_outcome": "opposed",
                    "hearing_date": "2026-06-02",
                    "next_deadline": "2026-05-20",
                    "next_deadline_note": "Send our submissions",
                }
            )
        self.assertFalse(opposition.exists())
        hearing = self._deadline_activities(case, "mail_activity_type_credit_case_hearing")
        self.assertEqual(hearing.date_deadline, date(2026, 6, 2))
        following = self._deadline_activities(case, "mail_activity_type_credit_case_deadline")
        self.assertEqual(following.date_deadline, date(2026, 5, 20))
        self.assertIn("Send our submissions", following.summary)
        self.assertEqual(case.upcoming_deadline, date(2026, 5, 20))
        with freeze_time("2026-05-21"):
            case.with_user(self.credit_manager).write({"next_deadline": "2026-05-27"})
            case.with_user(self.credit_manager).write({"hearing_date": "2026-06-02"})
        self.assertEqual(following.date_deadline, date(2026, 5, 27))
        self.assertEqual(len(self._deadline_activities(case, "mail_activity_type_credit_case_deadline")), 1)
        self.assertEqual(len(self._deadline_activities(case, "mail_activity_type_credit_case_hearing")), 1)
        # Closing the case drops its reminders.
        with freeze_time("2026-06-03"):
            case.with_user(self.credit_manager).write({"close_outcome": "paid"})
            case.with_user(self.credit_manager).action_close()
        self.assertEqual(case.close_date, date(2026, 6, 3))
        self.assertEqual(case.stage, "closed")
        self.assertFalse(case.activity_ids)

    @freeze_time("2026-03-06")
    def test_agency_commission(self):
        agency = self.env["res.partner"].create({"name": "Recouvrement Express SAS", "is_company": True})
        case = self._case(
            route="agency", agency_id=agency.id, agency_commission_rate=12.0, agency_mandate_date="2026-03-06"
        )
        self.assertEqual(case.stage, "filed")
        case.write(
            {
                "recovery_line_ids": [
                    Command.create({"date": "2026-03-20", "amount": 500.0}),
                    Command.create({"date": "2026-04-02", "amount": 250.5}),
                ]
            }
        )
        self.assertAlmostEqual(case.amount_recovered, 750.5)
        self.assertAlmostEqual(case.agency_commission_amount, 90.06)
        case.agency_commission_rate = 20.0
        self.assertAlmostEqual(case.agency_commission_amount, 150.1)

    @freeze_time("2026-03-06")
    def test_small_claims_cap(self):
        big = self._invoice(self.customer, 4000.0, "2026-01-05", due_date=DUE)  # 4,800.00 + penalties
        with self.assertRaises(ValidationError) as error:
            self._case(invoices=big | self.invoice, route="small_claims")
        self.assertIn("small-claims procedure is limited", str(error.exception))
        case = self._case(invoices=self.invoice, route="small_claims")
        self.assertEqual(case.route, "small_claims")
        case.with_user(self.credit_manager).action_open()
        other = self._case(invoices=big | self.invoice_2)
        with self.assertRaises(ValidationError) as error:
            other.route = "small_claims"
        self.assertIn("small-claims procedure is limited", str(error.exception))

    @freeze_time("2026-03-06")
    def test_access_rights(self):
        with self.assertRaises(AccessError):
            self.Case.with_user(self.credit_controller).create({"partner_id": self.customer.id})
        case = self._case()
        as_controller = case.with_user(self.credit_controller)
        self.assertEqual(as_controller.amount_principal, 1200.0)
        with self.assertRaises(AccessError):
            as_controller.action_open()
        with self.assertRaises(AccessError):
            as_controller.write({"route": "agency"})
        case.with_user(self.credit_manager).action_open()
        self.assertEqual(case.state, "open")
        # A controller adds costs and notes.
        as_controller.write({"cost_line_ids": [Command.create({"name": "Signification", "amount": 75.0})]})
        self.env["credit.recovery.case.cost"].with_user(self.credit_controller).create(
            {"case_id": case.id, "name": "Frais de greffe", "amount": 33.47}
        )
        self.assertAlmostEqual(case.amount_costs, 108.47)
        as_controller.message_post(body="Called the lawyer.", subtype_xmlid="mail.mt_note")
        self.assertEqual(case.message_ids[0].author_id, self.credit_controller.partner_id)
        case.close_outcome = "settled"
        with self.assertRaises(AccessError):
            as_controller.action_close()
        case.with_user(self.credit_manager).action_close()
        self.assertEqual(case.state, "closed")
        with self.assertRaises(AccessError):
            as_controller.action_reopen()
        # The cases' menu is the credit staff's.
        menu = self.env.ref("account_credit_recovery.credit_recovery_case_menu")
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.credit_controller)._visible_menu_ids())
        self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(self.salesman)._visible_menu_ids())
        # Neither salespeople nor invoicing users read cases.
        with self.assertRaises(AccessError):
            case.with_user(self.invoicing_user).read(["name"])

    @freeze_time("2026-03-06")
    def test_close_requires_outcome(self):
        case = self._case()
        case.action_open()
        with self.assertRaises(UserError):
            case.action_close()
        with self.assertRaises(UserError):
            case.unlink()

    @freeze_time("2026-03-06")
    def test_multi_company(self):
        other_company = self.setup_other_company(name="Filiale Lyon SAS")["company"]
        case_b = self.Case.with_company(other_company).create(
            {"partner_id": self.customer.id, "company_id": other_company.id}
        )
        case_a = self._case()
        visible = self.Case.with_user(self.credit_manager).search([("partner_id", "=", self.customer.id)])
        self.assertEqual(visible, case_a)
        with self.assertRaises(AccessError):
            case_b.with_user(self.credit_manager).read(["name"])
        self.assertEqual(self.customer.with_user(self.credit_manager).credit_case_count, 1)

    @freeze_time("2026-03-06")
    def test_litigation_flag_and_filing_dates(self):
        injonction = self._case(filing_date="2026-03-06")
        agency = self._case(invoices=self.invoice_2, route="agency", filing_date="2026-03-01")
        self.assertFalse(self.invoice.credit_in_litigation)
        injonction.action_open()
        self.assertTrue(self.invoice.credit_in_litigation)
        self.assertIn(self.invoice, self.env["account.move"].search([("credit_in_litigation", "=", True)]))
        self.assertEqual(self.invoice.credit_case_count, 1)
        moves = self.invoice | self.invoice_2 | self.consumer_invoice
        dates = self.Case._credit_filing_dates(moves)
        self.assertEqual(
            dates, {self.invoice: [date(2026, 3, 6)], self.invoice_2: [], self.consumer_invoice: []}
        )
        self.assertEqual(agency.route, "agency")
        injonction.write({"close_outcome": "lost", "injonction_outcome": "rejected"})
        injonction.action_close()
        self.assertFalse(self.invoice.credit_in_litigation)
        self.assertEqual(self.Case._credit_filing_dates(self.invoice), {self.invoice: []})

    @freeze_time("2026-03-06")
    def test_opening_runs_the_certainty_check(self):
        case = self._case(certainty_override_reason=False)
        with self.assertRaisesRegex(UserError, self.invoice.name) as caught:
            case.with_user(self.credit_manager).action_open()
        self.assertIn("Credit Manager", str(caught.exception))
        self.assertEqual(case.state, "draft")
        # A controller cannot waive the check.
        with self.assertRaises(AccessError):
            case.with_user(self.credit_controller).certainty_override_reason = "No time for proofs."
        # With the signed order and the delivery proof, the claim is certain and the case opens.
        self.env["credit.recovery.proof"].create(
            [
                {"name": "Signed order", "kind": "signed_order", "move_id": self.invoice.id},
                {"name": "Delivery note", "kind": "delivery_note", "move_id": self.invoice.id},
            ]
        )
        case.with_user(self.credit_manager).action_open()
        self.assertEqual(case.state, "open")

    @freeze_time("2026-03-06")
    def test_court_filing_interrupts_prescription(self):
        # 5 years from the due date for a business customer.
        self.assertEqual(self.invoice.credit_prescription_date, date(2031, 2, 4))
        case = self._case()
        case.with_user(self.credit_manager).write({"filing_date": "2026-03-06"})
        self.assertEqual(self.invoice.credit_prescription_date, date(2031, 3, 6))
        # A request definitively rejected does not interrupt it (Code civil 2243).
        case.with_user(self.credit_manager).write({"injonction_outcome": "rejected"})
        self.assertEqual(self.invoice.credit_prescription_date, date(2031, 2, 4))

    def test_views_load_for_each_role(self):
        for user in (self.credit_controller, self.credit_manager):
            views = self.Case.with_user(user).get_views([(False, "list"), (False, "form"), (False, "search")])
            self.assertIn("evidence_html", views["views"]["form"]["arch"])
            self.assertIn("route_small_claims", views["views"]["search"]["arch"])
            form = self.env["res.partner"].with_user(user).get_views([(False, "form")])
            self.assertIn("action_credit_cases", form["views"]["form"]["arch"])
        # Roles without access to cases still open customers and invoices, without the button.
        for user in (self.salesman, self.invoicing_user):
            form = self.env["res.partner"].with_user(user).get_views([(False, "form")])
            self.assertNotIn("action_credit_cases", form["views"]["form"]["arch"])
        form = self.env["account.move"].with_user(self.invoicing_user).get_views([(False, "form")])
        self.assertNotIn("action_credit_cases", form["views"]["form"]["arch"])
        form = self.env["account.move"].with_user(self.credit_controller).get_views([(False, "form")])
        self.assertIn("action_credit_cases", form["views"]["form"]["arch"])


@tagged("post_install", "-at_install")
class TestLitigationDunningLevel(CreditRecoveryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write(
            {"email": "compta@boulangerie-martin.fr", "credit_controller_id": cls.credit_controller.id}
        )
        cls.policy = cls.company.credit_default_policy_id
        cls.cron = cls.env.ref("account_credit_recovery.ir_cron_credit_recovery_run")
        cls.Action = cls.env["credit.recovery.action"]
        cls.due = date(2026, 3, 31)

    def _run(self, offset):
        day = self.due + timedelta(days=offset)
        with freeze_time(day):
            self.cron.method_direct_trigger()
        return self.Action.search([("partner_id", "=", self.customer.id), ("date", "=", day)])

    def _certain(self, invoice):
        self.env["credit.recovery.proof"].create(
            [
                {"name": "Signed order", "kind": "signed_order", "move_id": invoice.id},
                {"name": "Delivery note", "kind": "delivery_note", "move_id": invoice.id},
            ]
        )
        return invoice

    def test_litigation_level_proposes_one_draft_case(self):
        invoice = self._certain(self._invoice(self.customer, 5000.0, "2026-03-01", due_date=self.due))
        for offset in (-15, 3, 7, 14, 21, 30):
            self._run(offset)
        # The formal notice holds the run back until a Credit Manager validates it.
        notice = self.Action.search(
            [("partner_id", "=", self.customer.id), ("channel", "=", "registered_letter")]
        )
        with freeze_time(self.due + timedelta(days=31)):
            notice.with_user(self.credit_manager).action_validate()
        action = self._run(45)
        self.assertEqual(action.channel, "litigation")
        case = action.case_id
        self.assertEqual(case.state, "draft")
        self.assertEqual(case.partner_id, self.customer)
        self.assertEqual(case.move_ids, invoice)
        self.assertEqual(case.amounts_date, self.due + timedelta(days=45))
        review = action.activity_ids
        self.assertEqual(len(review), 1)
        self.assertIn(case.name, review.summary)
        self.assertIn(f'data-oe-id="{case.id}"', str(review.note))
        # Reaching the level again points to the same case, even once it is open.
        Case = self.env["credit.recovery.case"]
        with freeze_time(self.due + timedelta(days=46)):
            case.action_open()
            again = self.Action.create(
                {
                    "partner_id": self.customer.id,
                    "level_id": action.level_id.id,
                    "channel": "litigation",
                    "date": self.due + timedelta(days=46),
                    "line_ids": [Command.set(action.line_ids.ids)],
                    "user_id": self.credit_controller.id,
                }
            )
            again._execute()
        self.assertEqual(again.case_id, case)
        self.assertEqual(Case.search_count([("partner_id", "=", self.customer.id)]), 1)
        self.assertIn(case.name, again.activity_ids.summary)

    def test_open_case_takes_its_invoices_out_of_the_run(self):
        invoice = self._certain(self._invoice(self.customer, 5000.0, "2026-03-01", due_date=self.due))
        for offset in (-15, 3, 7, 14, 21):
            self._run(offset)
        # The customer is taken to court before the formal notice level (J+30) comes.
        case = self.env["credit.recovery.case"].create(
            {"partner_id": self.customer.id, "move_ids": [Command.set(invoice.ids)]}
        )
        with freeze_time(self.due + timedelta(days=22)):
            case.action_open()
        self.assertTrue(invoice.credit_in_litigation)
        self.assertEqual(invoice._credit_recovery_blocked(), invoice)
        self.assertFalse(self._run(30), "no amicable reminder once the invoice is in court")
        # Closing the case gives the invoice back to the run (e.g. a settlement that is not kept).
        with freeze_time(self.due + timedelta(days=35)):
            case.write({"close_outcome": "settled"})
            case.action_close()
        self.assertFalse(invoice.credit_in_litigation)
        self.assertFalse(invoice._credit_recovery_blocked())
        self.assertEqual(self._run(36).channel, "registered_letter")
