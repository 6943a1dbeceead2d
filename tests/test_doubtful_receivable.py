import base64

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import CreditRecoveryCommon


@tagged("post_install", "-at_install")
class TestDoubtfulReceivable(CreditRecoveryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-03-01"):
            # 1,000.00 + 20 % VAT = 1,200.00, of which 200.00 paid: 1,000.00 left, 833.33 excluding VAT.
            cls.invoice = cls._invoice(cls.customer, 1000.0, "2026-01-10", due_date="2026-02-10")
            cls._pay(cls.invoice, amount=200.0, payment_date="2026-02-15")
            # Not disputed: the customer's action leaves it out unless the manager adds it.
            cls.other_invoice = cls._invoice(cls.customer, 500.0, "2026-01-20", due_date="2026-02-20")
            cls.dispute = cls.env["credit.recovery.dispute"].create(
                {"move_id": cls.invoice.id, "reason": "quality", "description": "Bread delivered stale."}
            )
        cls.Doubtful = cls.env["credit.recovery.doubtful.line"]

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _run_wizard(self, user, invoices, operation, date="2026-03-15", **values):
        if operation == "writeoff":
            # Recovering the VAT of a definitive loss needs the evidence of irrecoverability (CGI 272-1).
            values = {
                "irrecoverability_evidence": "certificate",
                "irrecoverability_date": date,
                "irrecoverability_file": base64.b64encode(b"%PDF-1.4 certificat d'irrecouvrabilite"),
                "irrecoverability_filename": "Certificat d'irrécouvrabilité.pdf",
                **values,
            }
        action = (
            self.env["credit.recovery.doubtful.wizard"].with_user(user)._credit_action(invoices, operation)
        )
        wizard = (
            self.env["credit.recovery.doubtful.wizard"]
            .with_user(user)
            .with_context(**action["context"])
            .create({"date": date, **values})
        )
        wizard.action_apply()
        return self.Doubtful.search([("move_id", "in", invoices.ids)])

    def _reclassify(self, invoices=None):
        return self._run_wizard(self.credit_manager, invoices or self.invoice, "reclassify")

    def _balances(self, moves):
        """{account code prefix: balance} of the lines of ``moves``, for the prefixes of the doubtful entries."""
        self.assertTrue(all(move.state == "posted" for move in moves))
        result = {}
        for line in moves.line_ids:
            for prefix in ("411", "416", "491", "6817", "7817", "654", "44571"):
                if line.account_id.code.startswith(prefix):
                    result[prefix] = round(result.get(prefix, 0.0) + line.balance, 2)
        return result

    def _assert_balanced(self, moves):
        for move in moves:
            self.assertEqual(move.state, "posted")
            self.assertAlmostEqual(sum(move.line_ids.mapped("balance")), 0.0, places=2)

    # ------------------------------------------------------------------
    # Reclassification
    # ------------------------------------------------------------------

    @freeze_time("2026-03-15")
    def test_reclassify_disputed_invoice_to_416(self):
        action = self.customer.with_user(self.credit_manager).action_credit_doubtful_receivables()
        self.assertEqual(action["context"]["default_move_ids"], self.invoice.ids, "only the disputed invoice")
        wizard = Form(
            self.env["credit.recovery.doubtful.wizard"]
            .with_user(self.credit_manager)
            .with_context(**action["context"])
        )
        self.assertEqual(str(wizard.date), "2026-03-15")
        self.assertEqual(wizard.journal_id.type, "general")
        wizard.save().action_apply()

        record = self.Doubtful.search([("move_id", "=", self.invoice.id)])
        self.assertEqual(record.state, "doubtful")
        move = record.reclass_move_id
        self._assert_balanced(move)
        self.assertEqual(move.journal_id.type, "general")
        self.assertEqual(self._balances(move), {"416": 1000.0, "411": -1000.0})
        self.assertEqual(move.line_ids.partner_id, self.customer)
        self.assertTrue(all(self.invoice.name in line.name for line in move.line_ids))
        self.assertEqual(record.doubtful_move_line_id.account_id.code[:3], "416")
        # The invoice's own 411 item is settled by the entry; it stays due through the 416 item.
        invoice_receivable = self.invoice.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        )
        self.assertTrue(invoice_receivable.reconciled)
        self.assertEqual(self.invoice.amount_residual, 1000.0)
        self.assertEqual(self.invoice.payment_state, "partial")
        self.assertEqual(record.amount_at_risk, 1000.0)
        self.assertEqual(record.amount_untaxed_at_risk, 833.33)
        # The undisputed invoice is untouched.
        self.assertFalse(self.Doubtful.search([("move_id", "=", self.other_invoice.id)]))
        with self.assertRaises(UserError):
            self._reclassify()

    @freeze_time("2026-03-15")
    def test_reclassify_several_litigious_invoices_in_one_entry(self):
        records = self._reclassify(self.invoice | self.other_invoice)
        self.assertEqual(len(records), 2)
        move = records.reclass_move_id
        self.assertEqual(len(move), 1)
        self._assert_balanced(move)
        self.assertEqual(self._balances(move), {"416": 1600.0, "411": -1600.0})
        lines_416 = move.line_ids.filtered(lambda line: line.account_id.code.startswith("416"))
        self.assertEqual(sorted(lines_416.mapped("balance")), [600.0, 1000.0])
        self.assertEqual(self.other_invoice.amount_residual, 600.0)

    @freeze_time("2026-03-15")
    def test_reclassify_is_all_or_nothing(self):
        self._pay(self.other_invoice)
        entries_before = self.env["account.move"].search_count([("move_type", "=", "entry")])
        with self.assertRaisesRegex(UserError, "nothing to reclassify"):
            self._reclassify(self.invoice | self.other_invoice)
        self.assertEqual(self.env["account.move"].search_count([("move_type", "=", "entry")]), entries_before)
        self.assertFalse(self.Doubtful.search([("move_id", "in", (self.invoice | self.other_invoice).ids)]))
        self.assertFalse(self.invoice.credit_doubtful_move_line_id)

    # ------------------------------------------------------------------
    # Provision
    # ------------------------------------------------------------------

    @freeze_time("2026-03-15")
    def test_provision_adjusted_up_and_down(self):
        record = self._reclassify()
        self._run_wizard(self.credit_manager, self.invoice, "provision", provision_percent=50.0)
        first = record.provision_move_ids
        self._assert_balanced(first)
        self.assertEqual(self._balances(first), {"6817": 416.67, "491": -416.67})
        self.assertEqual(
            (record.provision_percent, record.provision_amount, record.state), (50.0, 416.67, "provisioned")
        )

        self._run_wizard(
            self.credit_manager, self.invoice, "provision", date="2026-03-31", provision_percent=80.0
        )
        second = record.provision_move_ids - first
        self.assertEqual(second.date.isoformat(), "2026-03-31")
        self.assertEqual(self._balances(second), {"6817": 250.0, "491": -250.0})
        self.assertEqual(record.provision_amount, 666.67)

        self._run_wizard(self.credit_manager, self.invoice, "provision", provision_percent=20.0)
        third = record.provision_move_ids - first - second
        self._assert_balanced(third)
        self.assertEqual(self._balances(third), {"491": 500.0, "7817": -500.0})
        self.assertEqual(record.provision_amount, 166.67)
        self.assertEqual(self._balances(record.provision_move_ids)["491"], -166.67)

        with self.assertRaises(UserError):
            record.with_user(self.credit_manager)._credit_set_provision(120.0, "2026-03-15")

    @freeze_time("2026-03-15")
    def test_payment_on_416_reverses_the_provision(self):
        record = self._reclassify()
        self._run_wizard(self.credit_manager, self.invoice, "provision", provision_percent=50.0)
        account_416 = record.doubtful_move_line_id.account_id
        # The customer finally pays; an invoicing user matches the payment with the 416 item.
        payment = (
            self.env["account.payment"]
            .with_user(self.invoicing_user)
            .create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": self.customer.id,
                    "amount": 1000.0,
                    "date": "2026-03-20",
                    "destination_account_id": account_416.id,
                }
            )
        )
        payment.action_post()
        payment_line = payment.move_id.line_ids.filtered(lambda line: line.account_id == account_416)
        (payment_line | record.doubtful_move_line_id.with_user(self.invoicing_user)).reconcile()

        self.assertTrue(record.doubtful_move_line_id.reconciled)
        self.assertEqual(self.invoice.amount_residual, 0.0)
        self.assertEqual(self.invoice.payment_state, "paid")
        self.assertEqual(record.state, "paid")
        self.assertEqual(record.provision_amount, 0.0)
        self.assertEqual(
            self._balances(record.provision_move_ids), {"6817": 416.67, "491": 0.0, "7817": -416.67}
        )

    @freeze_time("2026-03-15")
    def test_register_payment_on_reclassified_invoice_pays_the_416_item(self):
        record = self._reclassify()
        self._run_wizard(self.credit_manager, self.invoice, "provision", provision_percent=50.0)
        # Odoo's "Register Payment" on the invoice itself, by an invoicing user.
        wizard = (
            self.env["account.payment.register"]
            .with_user(self.invoicing_user)
            .with_context(active_model="account.move", active_ids=self.invoice.ids)
            .create({"payment_date": "2026-03-20"})
        )
        self.assertEqual(wizard.amount, 1000.0)
        self.assertEqual(wizard.partner_type, "customer")
        self.assertEqual(wizard.line_ids, record.doubtful_move_line_id)
        payment = wizard._create_payments()
        self.assertEqual(payment.destination_account_id, record.doubtful_move_line_id.account_id)
        self.assertTrue(record.doubtful_move_line_id.reconciled)
        self.assertEqual(self.invoice.amount_residual, 0.0)
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual((record.state, record.provision_amount), ("paid", 0.0))
        self.assertEqual(self._balances(record.provision_move_ids)["491"], 0.0)

    @freeze_time("2026-03-15")
    def test_payment_of_a_provisioned_invoice_never_reclassified(self):
        self._run_wizard(self.credit_manager, self.other_invoice, "provision", provision_percent=100.0)
        record = self.Doubtful.search([("move_id", "=", self.other_invoice.id)])
        self.assertFalse(record.reclass_move_id)
        self.assertEqual(self._balances(record.provision_move_ids), {"6817": 500.0, "491": -500.0})
        self._pay(self.other_invoice, payment_date="2026-03-20")
        self.assertEqual((record.state, record.provision_amount), ("paid", 0.0))
        self.assertEqual(
            self._balances(record.provision_move_ids), {"6817": 500.0, "491": 0.0, "7817": -500.0}
        )

    @freeze_time("2026-03-15")
    def test_outstanding_411_payment_applied_to_the_416_item(self):
        record = self._reclassify()
        self._run_wizard(self.credit_manager, self.invoice, "provision", provision_percent=50.0)
        # A payment received on 411 without an invoice, then offered on the invoice by Odoo's widget.
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer.id,
                "amount": 1000.0,
            }
        )
        payment.action_post()
        outstanding = payment.move_id.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        self.assertTrue(outstanding.account_id.code.startswith("411"))
        self.invoice.with_user(self.invoicing_user).js_assign_outstanding_line(outstanding.id)

        self.assertTrue(outstanding.reconciled)
        self.assertTrue(record.doubtful_move_line_id.reconciled)
        transfer = outstanding.matched_debit_ids.debit_move_id.move_id
        self._assert_balanced(transfer)
        self.assertEqual(self._balances(transfer), {"411": 1000.0, "416": -1000.0})
        self.assertEqual(self.invoice.amount_residual, 0.0)
        self.assertEqual((record.state, record.provision_amount), ("paid", 0.0))

    @freeze_time("2026-03-15")
    def test_partial_payment_on_416_keeps_the_invoice_open(self):
        record = self._reclassify()
        self._run_wizard(self.credit_manager, self.invoice, "provision", provision_percent=50.0)
        account_416 = record.doubtful_move_line_id.account_id
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer.id,
                "amount": 400.0,
                "destination_account_id": account_416.id,
            }
        )
        payment.action_post()
        (
            payment.move_id.line_ids.filtered(lambda line: line.account_id == account_416)
            | record.doubtful_move_line_id
        ).reconcile()
        self.assertEqual(self.invoice.amount_residual, 600.0)
        self.assertEqual(record.state, "provisioned")
        self.assertEqual(record.amount_untaxed_at_risk, 500.0)

    # ------------------------------------------------------------------
    # Write-off
    # ------------------------------------------------------------------

    @freeze_time("2026-03-15")
    def test_doubtful_receivable_stays_in_the_exposure(self):
        exposure = self.customer.credit_exposure
        self.assertGreaterEqual(exposure, 1000.0)
        self._reclassify()
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.credit_exposure, exposure, "a 416 receivable is still owed")
        self._run_wizard(self.credit_manager, self.invoice, "writeoff")
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.credit_exposure, exposure - 1000.0, "written off: no longer owed")

    @freeze_time("2026-06-30")
    def test_write_off_recovers_the_vat_and_reverses_the_provision(self):
        record = self._reclassify()
        self._run_wizard(self.credit_manager, self.invoice, "provision", provision_percent=50.0)
        self._run_wizard(self.credit_manager, self.invoice, "writeoff", date="2026-06-30")

        move = record.writeoff_move_id
        self._assert_balanced(move)
        self.assertEqual(move.date.isoformat(), "2026-06-30")
        self.assertEqual(self._balances(move), {"654": 833.33, "44571": 166.67, "416": -1000.0})
        loss_line = move.line_ids.filtered(lambda line: line.account_id.code.startswith("654"))
        self.assertTrue(loss_line.account_id.code.startswith("6541"), "an invoice of the current fiscal year")
        self.assertTrue(record.doubtful_move_line_id.reconciled)
        self.assertEqual(self.invoice.amount_residual, 0.0)
        self.assertEqual(self.invoice.payment_state, "paid")
        self.assertEqual((record.state, record.provision_amount), ("written_off", 0.0))
        reversal = record.provision_move_ids.sorted("id")[-1]
        self.assertEqual(self._balances(reversal), {"491": 416.67, "7817": -416.67})
        with self.assertRaises(UserError):
            self._run_wizard(self.credit_manager, self.invoice, "writeoff")

    @freeze_time("2026-03-15")
    def test_write_off_without_reclassification_credits_411(self):
        self._run_wizard(self.credit_manager, self.other_invoice, "writeoff")
        record = self.Doubtful.search([("move_id", "=", self.other_invoice.id)])
        move = record.writeoff_move_id
        self._assert_balanced(move)
        self.assertEqual(self._balances(move), {"654": 500.0, "44571": 100.0, "411": -600.0})
        self.assertEqual(self.other_invoice.payment_state, "paid")
        self.assertFalse(record.provision_move_ids)

    @freeze_time("2026-03-15")
    def test_write_off_of_a_previous_year_invoice_goes_to_6544(self):
        old_invoice = self._invoice(self.customer, 100.0, "2025-06-01", due_date="2025-07-01")
        self._run_wizard(self.credit_manager, old_invoice, "writeoff")
        move = self.Doubtful.search([("move_id", "=", old_invoice.id)]).writeoff_move_id
        loss_line = move.line_ids.filtered(lambda line: line.account_id.code.startswith("654"))
        self.assertTrue(loss_line.account_id.code.startswith("6544"))
        self.assertEqual(self._balances(move), {"654": 100.0, "44571": 20.0, "411": -120.0})

    @freeze_time("2026-03-15")
    def test_write_off_refused_when_nothing_is_due(self):
        self._pay(self.other_invoice)
        with self.assertRaises(UserError):
            self._run_wizard(self.credit_manager, self.other_invoice, "writeoff")
        self.assertFalse(self.Doubtful.search([("move_id", "=", self.other_invoice.id)]))

    @freeze_time("2026-03-15")
    def test_missing_account_is_refused_and_nothing_is_written(self):
        account_416 = self.company._credit_doubtful_account("credit_doubtful_account_id")
        account_416.deprecated = True
        with self.assertRaises(UserError):
            self._reclassify()
        self.assertFalse(self.invoice.credit_doubtful_move_line_id)
        self.assertEqual(self.invoice.payment_state, "partial")
        self.assertFalse(
            self.invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable").reconciled
        )
        # An account chosen in the company's settings takes precedence over the chart's.
        self.company.credit_doubtful_account_id = account_416.copy({"code": "416100", "deprecated": False})
        record = self._reclassify()
        self.assertEqual(record.doubtful_move_line_id.account_id.code, "416100")

    # ------------------------------------------------------------------
    # Access and companies
    # ------------------------------------------------------------------

    @freeze_time("2026-03-15")
    def test_only_credit_managers_book_doubtful_entries(self):
        for user in (self.credit_controller, self.invoicing_user):
            with self.assertRaises(AccessError):
                self.customer.with_user(user).action_credit_doubtful_receivables()
            with self.assertRaises(AccessError):
                self._run_wizard(user, self.invoice, "reclassify")
            with self.assertRaises(AccessError):
                self.Doubtful.with_user(user)._credit_reclassify(self.invoice, "2026-03-15")
        record = self._reclassify()
        # The controller reads the provisions but cannot change them.
        self.assertEqual(self.Doubtful.with_user(self.credit_controller).search([]), record)
        with self.assertRaises(AccessError):
            record.with_user(self.credit_controller)._credit_set_provision(50.0, "2026-03-15")
        with self.assertRaises(AccessError):
            record.with_user(self.credit_controller).write({"provision_percent": 50.0})
        with self.assertRaises(AccessError):
            self.Doubtful.with_user(self.invoicing_user).search([])

    @freeze_time("2026-03-15")
    def test_multi_company_isolation(self):
        other = self.setup_other_company(name="Fournil du Sud")["company"]
        other_invoice = self.init_invoice(
            "out_invoice",
            partner=self.customer,
            invoice_date="2026-01-10",
            amounts=[300.0],
            company=other,
            post=True,
        )
        other_record = self.Doubtful.with_company(other)._credit_reclassify(other_invoice, "2026-03-15")
        self.assertEqual(other_record.company_id, other)
        record = self._reclassify()
        self.assertEqual(self.Doubtful.with_user(self.credit_manager).search([]), record)
        with self.assertRaises(AccessError):
            other_record.with_user(self.credit_manager).read(["provision_amount"])
        with self.assertRaises(UserError):
            self._run_wizard(
                self.credit_manager, self.invoice | other_invoice, "provision", provision_percent=10.0
            )

    @freeze_time("2026-03-15")
    def test_refused_outside_the_french_chart(self):
        company = self.env["res.company"].create(
            {"name": "Generic Ltd", "country_id": self.env.ref("base.us").id}
        )
        self.env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
        self.env.user.company_ids |= company
        invoice = self.init_invoice(
            "out_invoice",
            partner=self.customer,
            invoice_date="2026-01-10",
            amounts=[100.0],
            company=company,
            post=True,
        )
        for operation in ("reclassify", "provision", "writeoff"):
            with self.assertRaisesRegex(UserError, "French chart"):
                self._run_wizard(self.env.user, invoice, operation, provision_percent=10.0)
        self.assertFalse(self.Doubtful.search([("move_id", "=", invoice.id)]))
        self.assertEqual(invoice.payment_state, "not_paid")
