from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import CreditRecoveryCommon

LETTER_DAY = "2026-05-04"


@tagged("post_install", "-at_install")
class TestGatesFormalNotice(CreditRecoveryCommon):
    """A formal notice is validated by a Credit Manager and posted by a Credit Controller: nothing forges it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"city": "Lyon", "company_registry": "552100554"})
        cls.level = cls.company.credit_default_policy_id.level_ids.filtered(
            lambda level: level.channel == "registered_letter"
        )
        cls.Action = cls.env["credit.recovery.action"]

    def _receivable(self, invoice):
        return invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")

    def _values(self, partner=None, state="to_validate", invoice=None, **values):
        partner = partner or self.customer
        invoice = invoice or self._invoice(partner, 1000.0, "2026-03-01", due_date="2026-03-31")
        return {
            "partner_id": partner.id,
            "company_id": self.company.id,
            "level_id": self.level.id,
            "channel": "registered_letter",
            "state": state,
            "date": "2026-04-30",
            "user_id": self.credit_controller.id,
            "line_ids": [Command.set(self._receivable(invoice).ids)],
            "amount_due": invoice.amount_residual,
            **values,
        }

    def _notice(self):
        """A formal notice on a sound claim (signed order and delivery proof), waiting for validation."""
        invoice = self._invoice(self.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        self.env["credit.recovery.proof"].create(
            [
                {"name": kind, "kind": kind, "move_id": invoice.id}
                for kind in ("signed_order", "delivery_note")
            ]
        )
        return self.Action.with_user(self.credit_controller).create(self._values(invoice=invoice))

    def _count(self):
        return self.Action.search_count([("partner_id", "=", self.customer.id)])

    @freeze_time(LETTER_DAY)
    def test_controller_cannot_create_a_validated_notice(self):
        before = self._count()
        invoice = self._invoice(self.customer, 1000.0, "2026-03-01", due_date="2026-03-31")
        controller = self.Action.with_user(self.credit_controller)
        for values in (
            {"state": "draft"},
            {"state": "done"},
            {"validated_by_id": self.credit_manager.id},
            {"certainty_override": True, "certainty_override_reason": "Trust me"},
            {"formal_notice_deadline": "2026-05-12"},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                controller.create(self._values(invoice=invoice, **values))
        self.assertEqual(self._count(), before)
        # Waiting for validation is how a Credit Controller creates one.
        notice = controller.create(self._values(invoice=invoice))
        self.assertEqual(notice.state, "to_validate")
        self.assertFalse(notice.validated_by_id)

    @freeze_time(LETTER_DAY)
    def test_status_and_validator_cannot_be_written(self):
        notice = self._notice()
        controller = notice.with_user(self.credit_controller)
        for values in ({"state": "draft"}, {"state": "done"}, {"validated_by_id": self.credit_controller.id}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                controller.write(values)
        # A Credit Manager validates in their own name, through the validation only.
        with self.assertRaises(AccessError):
            notice.with_user(self.credit_manager).write({"validated_by_id": self.credit_controller.id})
        self.assertEqual(notice.state, "to_validate")
        self.assertFalse(notice.validated_by_id)
        notice.with_user(self.credit_manager).action_validate()
        self.assertEqual(notice.state, "draft")
        self.assertEqual(notice.validated_by_id, self.credit_manager)
        # Validated, it is posted with its registered-mail number, never by writing its status.
        with self.assertRaises(AccessError):
            controller.write({"state": "done"})
        with self.assertRaises(AccessError):
            notice.with_user(self.credit_manager).write({"state": "done"})
        with self.assertRaises(AccessError):
            controller.write({"formal_notice_deadline": "2026-06-30"})
        self.assertEqual(notice.state, "draft")
        self.assertFalse(notice.formal_notice_deadline)

    @freeze_time(LETTER_DAY)
    def test_registered_mail_is_posted_by_a_credit_controller(self):
        notice = self._notice()
        notice.with_user(self.credit_manager).action_validate()
        notice.with_user(self.credit_controller).registered_mail_number = "1A 234 567 8901 2"
        with self.assertRaises(AccessError):
            notice.with_user(self.invoicing_user).action_record_registered_mail()
        with self.assertRaises(AccessError):
            notice.with_user(self.invoicing_user).action_print_letter()
        self.assertEqual(notice.state, "draft")
        self.assertFalse(notice.printed)
        # A registered letter is recorded once posted, not on a day to come.
        with self.assertRaises(ValidationError):
            notice.with_user(self.credit_controller).registered_mail_date = "2026-05-05"
        self.assertFalse(notice.registered_mail_date)
        notice.with_user(self.credit_controller).action_record_registered_mail()
        self.assertEqual(notice.state, "done")
        self.assertEqual(str(notice.registered_mail_date), LETTER_DAY)
        self.assertEqual(str(notice.formal_notice_deadline), "2026-05-12")
        # The notice takes effect on its receipt (C. civ. 1344, CPC 668), not on its posting.
        self.assertFalse(notice.line_ids.move_id.credit_formal_notice_date)
        # Posted, it is a record: its letter details are not changed, it is not reopened nor deleted.
        with self.assertRaises(UserError):
            notice.with_user(self.credit_controller).registered_mail_number = "OTHER"
        with self.assertRaises(UserError):
            notice.with_user(self.credit_manager).write({"amount_due": 1.0})
        with self.assertRaises(AccessError):
            notice.with_user(self.credit_manager).write({"state": "cancel"})
        with self.assertRaises(UserError):
            notice.with_user(self.credit_manager).unlink()
        self.assertTrue(notice.exists())
        self.assertEqual(notice.registered_mail_number, "1A 234 567 8901 2")
        self.assertEqual(notice.state, "done")

    @freeze_time(LETTER_DAY)
    def test_covered_items_belong_to_the_customer_and_company(self):
        stranger = self.env["res.partner"].create({"name": "Autre Client SARL", "is_company": True})
        foreign = self._invoice(stranger, 500.0, "2026-03-01", due_date="2026-03-31")
        before = self._count()
        with self.assertRaises(ValidationError):
            self.Action.with_user(self.credit_controller).create(self._values(invoice=foreign))
        self.assertEqual(self._count(), before)
        notice = self._notice()
        with self.assertRaises(ValidationError):
            notice.with_user(self.credit_controller).write(
                {"line_ids": [Command.link(self._receivable(foreign).id)]}
            )
        self.assertEqual(notice.line_ids.move_id.partner_id, self.customer)
        other_company = self.setup_other_company(name="Filiale Lyon SAS")["company"]
        other_invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "company_id": other_company.id,
                "invoice_date": "2026-03-01",
                "invoice_line_ids": [Command.create({"name": "Service", "quantity": 1, "price_unit": 100.0})],
            }
        )
        other_invoice.action_post()
        with self.assertRaises(ValidationError):
            notice.write({"line_ids": [Command.link(self._receivable(other_invoice).id)]})
        self.assertEqual(notice.line_ids.company_id, self.company)
