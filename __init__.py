from . import controllers
from . import models
from . import wizards


def post_init_hook(env):
    """Credit management needs Odoo's customer credit limits: turn them on in every company at install
    (companies created later get them by default, see res.company).

    Documents to a customer established in France are written in French (loi n° 94-665 "Toubon", art. 2):
    French is activated with the French terms of every installed module (invoices, letters, e-mails), as
    Settings > Languages would do."""
    env["res.company"].search([]).write({"account_use_credit_limit": True})
    env["res.partner"]._credit_ensure_french()
