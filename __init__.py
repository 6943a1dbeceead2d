from . import controllers
from . import models
from . import wizards


def post_init_hook(env):
    """Credit management needs Odoo's customer credit limits: turn them on in every company at install
    (companies created later get them by default, see res.company)."""
    env["res.company"].search([]).write({"account_use_credit_limit": True})
