from odoo import SUPERUSER_ID, api

from odoo.addons.account_credit_recovery import refresh_shipped_records


def migrate(cr, version):
    """The noupdate records changed by issues #14 and #15 (mail templates' language, an activity type's
    model) reach a database installed before, unless its users edited them."""
    if not version:
        return
    refresh_shipped_records(api.Environment(cr, SUPERUSER_ID, {}))
