from lxml import etree

from odoo.modules.module import get_manifest
from odoo.tools import file_open

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


# Records of the module's noupdate data files whose shipped values changed since 18.0.1.0.0 (issues #14 and
# #15): {xml id: {field: [values shipped before]}}. A database updated from an earlier version gets the value
# of the data file wherever it still holds one shipped before; a value its users edited is left as it is.
SHIPPED_CHANGES = {
    "mail_template_credit_recovery_reminder": {
        "lang": ["{{ (object.contact_id or object.partner_id).lang }}"]
    },
    "mail_template_credit_recovery_voicemail": {"lang": ["{{ object.lang }}"]},
    "mail_template_credit_recovery_call_confirmation": {"lang": ["{{ object.lang }}"]},
    "mail_template_credit_portal_acknowledgement": {"lang": ["{{ object.partner_id.lang }}"]},
    "mail_template_credit_statement": {"lang": ["{{ object.lang }}"]},
    "mail_activity_type_credit_claim_declaration": {"res_model": ["res.partner"]},
    # Issue #15: the review, the customer page's requests and the goods claim are the company's, scheduled on its
    # credit trail of the customer.
    "mail_activity_type_credit_review": {"res_model": ["res.partner"]},
    "mail_activity_type_credit_portal_request": {"res_model": ["res.partner"]},
    "mail_activity_type_credit_goods_claim": {"res_model": ["res.partner"]},
    # The court list (issue #14, checked against the map of 2025): the tribunal de commerce seated in Tourcoing
    # is named "de Lille Métropole" since the merger of 1 January 2013.
    "credit_recovery_court_tc_tourcoing": {"name": ["Tribunal de commerce de Tourcoing"]},
}


def _shipped_values(xml_ids):
    """``{(xml id, field): text}`` of the simple fields of ``xml_ids`` as the module's data files ship them."""
    values = {}
    for path in get_manifest("account_credit_recovery")["data"]:
        if not path.endswith(".xml"):
            continue
        with file_open(f"account_credit_recovery/{path}", "rb") as data_file:
            tree = etree.parse(data_file)
        for record in tree.iter("record"):
            if record.get("id") not in xml_ids:
                continue
            for field in record.iter("field"):
                values[(record.get("id"), field.get("name"))] = (field.text or "").strip()
    return values


def refresh_shipped_records(env, changes=None):
    """Bring the module's noupdate records of an existing database to what the data files ship now.

    For each field of ``changes`` (``SHIPPED_CHANGES`` by default), the record takes the value of the data file
    if it still holds a value shipped before; otherwise its users changed it and it is kept. Returns the
    ``[(xml id, field)]`` refreshed. Called by the migration to 18.0.1.1.0.
    """
    changes = SHIPPED_CHANGES if changes is None else changes
    shipped = _shipped_values(set(changes))
    refreshed = []
    for xml_id, fields_before in changes.items():
        record = env.ref(f"account_credit_recovery.{xml_id}", raise_if_not_found=False)
        if not record:
            continue
        for field_name, before in fields_before.items():
            new = shipped.get((xml_id, field_name))
            if new is None or record[field_name] == new or record[field_name] not in before:
                continue
            record.write({field_name: new})
            refreshed.append((xml_id, field_name))
    return refreshed
