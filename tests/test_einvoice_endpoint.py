import json

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .einvoice_common import OTHER_SIREN, EinvoiceCommon, message, reference

URL = "/credit_recovery/einvoice/status"


@tagged("post_install", "-at_install")
class TestEinvoiceEndpoint(EinvoiceCommon, HttpCase):
    """The platform posts statuses through the real route, with its company's API key."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.sudo().credit_einvoice_api_key = "cle-plateforme-boulangerie-0123456789"
        cls.other = cls.setup_other_company(name="Filiale Lyon")["company"]
        cls.other.partner_id.company_registry = OTHER_SIREN
        cls.other.sudo().credit_einvoice_api_key = "cle-filiale-lyon-9876543210"

    def _post(self, body, key, content_type="application/xml"):
        headers = {"Content-Type": content_type}
        if key:
            headers["X-Api-Key"] = key
        return self.url_open(URL, data=body.encode(), headers=headers)

    @mute_logger("werkzeug")
    def test_wrong_or_missing_key_refused(self):
        invoice = self._new_invoice()
        body = message([reference(invoice.name, "207", reason_code="PRIX_ERR")])
        for key in ("cle-plateforme-boulangerie-0123456788", "", "cle-plateforme"):
            response = self._post(body, key)
            self.assertEqual(response.status_code, 401)
            self.assertEqual(response.json()["error"], "Unknown or missing API key.")
        self.assertFalse(invoice.credit_dispute_ids)
        self.assertFalse(self.Message.search([]))

    def test_xml_status_applied(self):
        invoice = self._new_invoice()
        response = self._post(
            message([reference(invoice.name, "207", reason_code="PRIX_ERR")]),
            self.company.sudo().credit_einvoice_api_key,
        )
        self.assertEqual(response.status_code, 200)
        payload = response.json()
        self.assertEqual((payload["received"], payload["applied"]), (1, 1))
        self.assertEqual(invoice.credit_dispute_ids.reason, "price")
        self.assertEqual(self.Message.search([]).source, "api")

    def test_json_status_applied(self):
        invoice = self._new_invoice()
        body = json.dumps(
            {
                "statuses": [
                    {
                        "invoice_number": invoice.name,
                        "invoice_date": "2026-03-01",
                        "seller_siren": "732 829 320",
                        "code": "206",
                        "amount": 1000.0,
                        "amount_type": "MAP",
                        "reason_code": "QTE_ERR",
                        "reason": "Une palette manquante",
                        "date": "2026-03-20T10:00:00",
                        "sender_name": "Boulangerie Martin SARL",
                    }
                ]
            }
        )
        response = self._post(body, self.company.sudo().credit_einvoice_api_key, "application/json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(invoice.credit_einvoice_approved_amount, 1000.0)
        self.assertEqual(invoice.credit_dispute_ids.amount_disputed, 200.0)

    @mute_logger("werkzeug")
    def test_malformed_body_refused_and_kept(self):
        invoice = self._new_invoice()
        response = self._post("<rsm:Cross", self.company.sudo().credit_einvoice_api_key)
        self.assertEqual(response.status_code, 400)
        self.assertIn("not valid XML", response.json()["error"])
        kept = self.Message.search([])
        self.assertEqual(
            (kept.state, kept.review_reason, kept.company_id), ("review", "malformed", self.company)
        )
        self.assertFalse(invoice.credit_einvoice_status_ids)

    def test_key_of_another_company(self):
        invoice = self._new_invoice()
        response = self._post(
            message([reference(invoice.name, "210")]), self.other.sudo().credit_einvoice_api_key
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["statuses"][0]["state"], "review")
        kept = self.Message.sudo().search([])
        self.assertEqual((kept.review_reason, kept.company_id), ("other_company", self.other))
        self.assertFalse(invoice.credit_dispute_ids)
