"""pytest plugin of ``make test``: the test classes share the French company's fixture.

``tests/common.py`` (``SharedFixture``) builds the company, its chart, the users and the French terms once, in a
transaction kept open, and runs each class in a savepoint of it. This plugin turns that on and rolls the
shared transaction back before any class that has a transaction of its own (a browser or HTTP case, a case
of another module), which would otherwise wait on its locks, and at the end of the session; it runs those
classes after the ones that share the fixture.
Loaded with ``-p pytest_shared_fixture`` and this folder on ``PYTHONPATH`` (``scripts/run_tests.sh``).
It is outside the add-on: pytest loads a conftest.py before pytest-odoo names the add-on's modules.
"""

import importlib

import pytest


def _shared():
    # Imported when the tests run: Odoo is set up by then (pytest-odoo) and the tests have imported it.
    return importlib.import_module("odoo.addons.account_credit_recovery.tests.common")


def _shares(common, test_class):
    return issubclass(test_class, common.CreditRecoveryCommon) and test_class._credit_shares_fixture()


def pytest_collection_modifyitems(session, config, items):
    # The classes that share the fixture first, the others after (each order kept): one build of the fixture
    # instead of one after each browser or HTTP case.
    common = _shared()
    common.SharedFixture.enabled = True
    items.sort(key=lambda item: not (getattr(item, "cls", None) and _shares(common, item.cls)))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    TransactionCase = importlib.import_module("odoo.tests.common").TransactionCase
    common = _shared()
    common.SharedFixture.enabled = True
    test_class = getattr(item, "cls", None)
    if test_class is None or not issubclass(test_class, TransactionCase):
        return
    if not _shares(common, test_class):
        common.SharedFixture.release()


@pytest.fixture(scope="session", autouse=True)
def credit_recovery_shared_fixture():
    yield
    _shared().SharedFixture.release()
