import itertools
import threading
from unittest.mock import patch

from odoo import Command, api, http
from odoo.models import BaseModel
from odoo.modules.registry import Registry
from odoo.sql_db import TestCursor
from odoo.tests import HttpCase, TransactionCase, new_test_user
from odoo.tests.common import get_db_name
from odoo.tools import SQL

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.uom.tests.common import UomCommon


class _ClassCursor(TestCursor):
    """A test class's cursor inside the shared transaction: its timestamp is the transaction's, as a real
    cursor's is (a plain ``TestCursor`` takes Python's clock, which ``freeze_time`` changes)."""

    def now(self):
        return self._cursor.now()


class SharedFixture:
    """The French company, its chart, users and French terms, built once for consecutive test classes.

    Building them takes most of a class's setup (the chart alone is about 1,000 records), and some 70
    classes use the same ones. Under ``make test`` (its pytest plugin ``scripts/pytest_shared_fixture.py``
    sets ``enabled``), the first class builds them in a transaction that stays open, and every class then
    runs inside a savepoint of that transaction, rolled back when the class ends: each class starts from
    the same fixture and leaves nothing behind, as with a transaction of its own. The plugin rolls the
    transaction back before a class that cannot share it (a browser or HTTP case, which needs a
    transaction of its own) and at the end. Without the flag (Odoo's runner, a plain pytest command),
    every class builds the fixture itself.
    """

    enabled = False
    cursor = None  # the real cursor whose open transaction holds the fixture
    env_args = None  # (uid, context, su) of the fixture's environment
    attrs = None  # the class attributes the fixture's setup set
    _savepoints = itertools.count()

    @classmethod
    def release(cls):
        """Roll the shared transaction back: the next class builds the fixture again."""
        cursor, cls.cursor, cls.attrs, cls.env_args = cls.cursor, None, None, None
        if cursor is None or cursor.closed:
            return  # closed with the database's connections at the end of the session: rolled back
        try:
            cursor.rollback()
        finally:
            cursor.close()
        # What the classes' own garbage collection left for later: the files written in the transaction.
        TransactionCase._gc_filestore()

    @classmethod
    def class_cursor(cls):
        """A patch making the next ``Registry.cursor()`` call return a cursor inside the shared transaction."""
        original = Registry.cursor
        shared = cls.cursor

        def cursor(registry, /, readonly=False):
            Registry.cursor = original  # only TransactionCase's own cursor of the class
            return _ClassCursor(shared, threading.RLock(), False)

        return patch.object(Registry, "cursor", cursor)

    @classmethod
    def rebind(cls, value, cr):
        """``value`` (records, or containers of records) on the cursor ``cr``."""
        if isinstance(value, BaseModel):
            return value.with_env(value.env(cr=cr))
        if isinstance(value, dict):
            return {key: cls.rebind(item, cr) for key, item in value.items()}
        if isinstance(value, (list, tuple, set, frozenset)):
            return type(value)(cls.rebind(item, cr) for item in value)
        return value


class CreditRecoveryCommon(AccountTestInvoicingCommon):
    """A French company on the ``fr`` chart, with one user per role of the module."""

    # The setup hooks of the base classes the shared fixture was built with: a class that overrides one
    # builds its own.
    _CREDIT_SHARED_HOOKS = (
        "get_default_groups",
        "default_env_context",
        "setup_independent_user",
        "setup_independent_company",
        "setup_main_company",
        "collect_company_accounting_data",
        "_create_company",
        "_use_chart_template",
        "_create_product",
        "_credit_fixture",
    )

    @classmethod
    def get_default_groups(cls):
        # The accountant the base class acts as also manages credit.
        return super().get_default_groups() | cls.env.ref("account_credit_recovery.group_credit_manager")

    @classmethod
    def _credit_shares_fixture(cls):
        """Whether this class runs on the shared fixture (see ``SharedFixture``)."""
        if not SharedFixture.enabled or issubclass(cls, HttpCase):
            return False
        mro = cls.__mro__
        if mro[mro.index(UomCommon) + 1] is not TransactionCase:
            return False  # another base class between ours and TransactionCase has a setup of its own
        return all(
            getattr(cls, name).__func__ is getattr(CreditRecoveryCommon, name).__func__
            for name in cls._CREDIT_SHARED_HOOKS
        )

    @classmethod
    def _gc_filestore(cls):
        # The files of the shared transaction are still in use: collected when it is rolled back.
        if cls._credit_shares_fixture():
            return None
        return super()._gc_filestore()

    @classmethod
    @AccountTestInvoicingCommon.setup_country("fr")
    def setUpClass(cls):
        if not cls._credit_shares_fixture():
            super().setUpClass()
            cls._credit_fixture()
            return
        savepoint = "credit_recovery_class_%d" % next(SharedFixture._savepoints)
        # Registered first, so run last: after TransactionCase's cleanups, the class's work is undone.
        cls.addClassCleanup(cls._credit_leave_shared, savepoint)
        if SharedFixture.attrs is not None:
            SharedFixture.cursor.execute(SQL("SAVEPOINT %s", SQL.identifier(savepoint)))
            with SharedFixture.class_cursor():
                # TransactionCase's setup only: the fixture of the base classes is already there.
                super(UomCommon, cls).setUpClass()
            own = set(vars(cls))  # this class's cursor, registry, patchers
            for name, value in SharedFixture.attrs.items():
                if name not in own:
                    setattr(cls, name, SharedFixture.rebind(value, cls.cr))
            uid, context, su = SharedFixture.env_args
            cls.env = api.Environment(cls.cr, uid, context, su=su)
            return
        before = set(vars(cls))
        SharedFixture.cursor = Registry(get_db_name()).cursor()
        with SharedFixture.class_cursor():
            super().setUpClass()
        cls._credit_fixture()
        # The fixture joins the shared transaction (the class cursor's savepoint is released), then the class
        # runs in a savepoint of its own like the next ones.
        cls.env.flush_all()
        TestCursor.commit(cls.cr)  # the class's commit() is patched to fail, as it should for the tests
        SharedFixture.cursor.execute(SQL("SAVEPOINT %s", SQL.identifier(savepoint)))
        SharedFixture.attrs = {
            name: value for name, value in vars(cls).items() if name not in before and name != "env"
        }
        SharedFixture.env_args = (cls.env.uid, dict(cls.env.context), cls.env.su)

    @classmethod
    def _credit_leave_shared(cls, savepoint):
        cursor = SharedFixture.cursor
        if cursor is None:
            return
        try:
            cursor.execute(SQL("ROLLBACK TO SAVEPOINT %s", SQL.identifier(savepoint)))
            cursor.execute(SQL("RELEASE SAVEPOINT %s", SQL.identifier(savepoint)))
        except Exception:
            # The class failed before its savepoint: nothing of the transaction can be trusted.
            SharedFixture.release()
            raise

    @classmethod
    def _credit_fixture(cls):
        """The module's part of the fixture: French terms, one user per role, a French customer."""
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["account_credit_recovery"], ["fr_FR"], overwrite=True)
        cls.company = cls.company_data["company"]
        cls.currency = cls.company.currency_id
        for login, name, group in (
            ("credit_manager", "Claire Manager", "account_credit_recovery.group_credit_manager"),
            ("credit_controller", "Paul Controller", "account_credit_recovery.group_credit_controller"),
            ("invoicing_user", "Ines Invoicing", "account.group_account_invoice"),
            ("salesman", "Sam Salesman", "sales_team.group_sale_salesman"),
        ):
            setattr(cls, login, cls._company_user(login, "base.group_user," + group, name=name))
        cls.customer = cls._new_customer("Boulangerie Martin SARL")

    @classmethod
    def _company_user(cls, login, groups, company=None, **values):
        """A user of ``company`` only (the test company by default), in ``groups`` (comma-separated xml ids)."""
        company = company or cls.company
        return new_test_user(
            cls.env, login=login, groups=groups, company_id=company.id, company_ids=[company.id], **values
        )

    @classmethod
    def _new_customer(cls, name, country="base.fr", lang="fr_FR", is_company=True, **values):
        """A customer established in ``country`` (an xml id), writing in ``lang``."""
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": is_company,
                "country_id": cls.env.ref(country).id,
                "lang": lang,
                **values,
            }
        )

    @classmethod
    def _quotation(cls, partner, price_unit, user=None, **values):
        """A quotation of one ``product_a`` at ``price_unit`` for ``partner``, by ``user`` (the salesman)."""
        return (
            cls.env["sale.order"]
            .with_user(user or cls.salesman)
            .create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create(
                            {"product_id": cls.product_a.id, "product_uom_qty": 1, "price_unit": price_unit}
                        )
                    ],
                    **values,
                }
            )
        )

    @classmethod
    def _online_transaction(cls, order, reference, amount):
        """A payment transaction of ``amount`` on ``order`` through a provider in test mode."""
        provider = cls.env["payment.provider"].create(
            {"name": "Test Provider", "code": "none", "state": "test", "company_id": cls.company.id}
        )
        return cls.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": cls.env.ref("payment.payment_method_unknown").id,
                "reference": reference,
                "amount": amount,
                "currency_id": order.currency_id.id,
                "partner_id": order.partner_id.id,
                "sale_order_ids": [Command.set(order.ids)],
            }
        )

    @classmethod
    def _deposit_schedule(cls):
        """The payment schedule "30 / 40 / 30": at order, during the work, at delivery."""
        return cls.env["credit.recovery.deposit.schedule"].create(
            {
                "name": "30 / 40 / 30",
                "line_ids": [
                    Command.create({"sequence": 1, "milestone": "order", "percent": 30.0}),
                    Command.create({"sequence": 2, "milestone": "work", "percent": 40.0}),
                    Command.create({"sequence": 3, "milestone": "delivery", "percent": 30.0}),
                ],
            }
        )

    @classmethod
    def _dunning_fixture(cls, due_date):
        """The dunning run's customer (e-mail, credit controller) with one 1,000.00 invoice due ``due_date``."""
        cls.cron = cls.env.ref("account_credit_recovery.ir_cron_credit_recovery_run")
        cls.policy = cls.company.credit_default_policy_id
        cls.customer.write(
            {"email": "compta@boulangerie-martin.fr", "credit_controller_id": cls.credit_controller.id}
        )
        cls.invoice = cls._invoice(cls.customer, 1000.0, "2026-03-01", due_date=due_date)
        cls.line = cls.invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        cls.Action = cls.env["credit.recovery.action"]

    def _overdue_customers(self, count, start, due_date):
        """``count`` customers with an e-mail, each with one 100.00 invoice due ``due_date``."""
        partners = self.env["res.partner"].create(
            [
                {"name": f"Client {index:03d}", "is_company": True, "email": f"client{index}@example.com"}
                for index in range(start, start + count)
            ]
        )
        for partner in partners:
            self._invoice(partner, 100.0, "2026-03-01", due_date=due_date)
        return partners

    @classmethod
    def _reporting_fixture(cls):
        """The reports' readers and customers: a read-only accountant, Garage Dupont and Hotel du Port."""
        cls.accountant = cls._company_user(
            "readonly_accountant", "base.group_user,account.group_account_readonly", name="Rita Readonly"
        )
        cls.customer_b = cls.customer.copy({"name": "Garage Dupont SAS"})
        cls.customer_c = cls.customer.copy({"name": "Hotel du Port SA"})

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
