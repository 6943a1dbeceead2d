from odoo import http
from odoo.tests import HttpCase, new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class CreditRecoveryCommon(AccountTestInvoicingCommon):
    """A French company on the ``fr`` chart, with one user per role of the module."""

    @classmethod
    def get_default_groups(cls):
        # The accountant the base class acts as also manages credit.
        return super().get_default_groups() | cls.env.ref("account_credit_recovery.group_credit_manager")

    @classmethod
    @AccountTestInvoicingCommon.setup_country("fr")
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["account_credit_recovery"], ["fr_FR"], overwrite=True)
        cls.company = cls.company_data["company"]
        cls.currency = cls.company.currency_id
        user_values = {"company_id": cls.company.id, "company_ids": [cls.company.id]}
        cls.credit_manager = new_test_user(
            cls.env,
            login="credit_manager",
            name="Claire Manager",
            groups="base.group_user,account_credit_recovery.group_credit_manager",
            **user_values,
        )
        cls.credit_controller = new_test_user(
            cls.env,
            login="credit_controller",
            name="Paul Controller",
            groups="base.group_user,account_credit_recovery.group_credit_controller",
            **user_values,
        )
        cls.invoicing_user = new_test_user(
            cls.env,
            login="invoicing_user",
            name="Ines Invoicing",
            groups="base.group_user,account.group_account_invoice",
            **user_values,
        )
        cls.salesman = new_test_user(
            cls.env,
            login="salesman",
            name="Sam Salesman",
            groups="base.group_user,sales_team.group_sale_salesman",
            **user_values,
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Boulangerie Martin SARL",
                "is_company": True,
                "country_id": cls.env.ref("base.fr").id,
                "lang": "fr_FR",
            }
        )

    def _trigger_until_done(self, cron, calls=5):
        """Call the cron as Odoo's progress mechanism would: again while work remains (queued e-mails)."""
        for _call in range(calls):
            cron.method_direct_trigger()
            if not self.env["credit.recovery.action"].search_count([("send_queued", "=", True)]):
                return
        self.fail("The cron still has work after %s calls" % calls)

    @classmethod
    def _invoice(cls, partner, amount, invoice_date, due_date=None, post=True, move_type="out_invoice", **kw):
        """A customer invoice of one line of ``amount`` excluding taxes (20 % VAT)."""
        values = {
            "move_type": move_type,
            "partner_id": partner.id,
            "invoice_date": invoice_date,
            "invoice_line_ids": [
                (0, 0, {"product_id": cls.product_a.id, "quantity": 1, "price_unit": amount}),
            ],
            **kw,
        }
        if due_date:
            values["invoice_date_due"] = due_date
        move = cls.env["account.move"].create(values)
        if post:
            move.action_post()
        return move

    @classmethod
    def _pay(cls, invoices, amount=None, payment_date=None):
        """Register a payment on ``invoices`` through Odoo's wizard; returns the payment."""
        values = {}
        if amount is not None:
            values["amount"] = amount
        if payment_date:
            values["payment_date"] = payment_date
        wizard = (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create(values)
        )
        return wizard._create_payments()


class CreditRecoveryTourCase(HttpCase):
    """A browser tour run by a Credit Controller of the current company."""

    tour_login = "tour_credit_controller"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Python 3.11.7's parser is not thread-safe (CPython gh-106905): read the add-ons' manifests
        # once here, before the browser's concurrent first requests make the server threads do it.
        if "account_credit_recovery" not in http.root.statics:
            raise RuntimeError("account_credit_recovery does not serve its static files")
        company = cls.env.company
        cls.controller = new_test_user(
            cls.env,
            login=cls.tour_login,
            name="Tour Controller",
            groups="base.group_user,account_credit_recovery.group_credit_controller",
            company_id=company.id,
            company_ids=[company.id],
        )
