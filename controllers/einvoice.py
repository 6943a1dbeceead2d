import json

from odoo import http
from odoo.http import request

from ..tools.cdar import CdarError, parse_cdar, parse_json

MAX_BODY = 5 * 1024 * 1024


class CreditRecoveryEinvoiceController(http.Controller):
    """Where an accredited platform posts lifecycle statuses (HTTPS assumed), authenticated by the company's key."""

    def _json(self, status, payload):
        return request.make_response(
            json.dumps(payload), headers=[("Content-Type", "application/json")], status=status
        )

    @http.route(
        "/credit_recovery/einvoice/status",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def receive_status(self, **kwargs):
        """Body: CDAR XML, or JSON (see ``tools.cdar.parse_json``); header ``X-Api-Key``: the company's key."""
        env = request.env
        company = env["res.company"]._credit_einvoice_company_of_key(
            request.httprequest.headers.get("X-Api-Key")
        )
        if not company:
            return self._json(401, {"error": env._("Unknown or missing API key.")})
        data = request.httprequest.get_data(cache=False)
        if len(data) > MAX_BODY:
            return self._json(413, {"error": env._("The body exceeds 5 MB.")})
        # sudo: the platform is no user; it acts for the one company its key names, and only that company.
        Message = (
            env["credit.recovery.einvoice.message"]
            .sudo()
            .with_company(company)
            .with_context(allowed_company_ids=company.ids, tracking_disable=True)
        )
        content_type = request.httprequest.headers.get("Content-Type") or ""
        is_json = "json" in content_type or data.lstrip()[:1] in (b"{", b"[")
        raw = data.decode("utf-8", errors="replace")
        try:
            statuses = parse_json(data) if is_json else parse_cdar(data)
        except CdarError as error:
            text = Message._credit_error_text(error)
            Message._credit_receive_malformed(text, company, "api", raw=raw)
            return self._json(400, {"error": text})
        messages = Message._credit_receive(statuses, company, "api", raw=raw)
        return self._json(
            200,
            {
                "received": len(messages),
                "applied": len(messages.filtered(lambda message: message.state == "applied")),
                "statuses": [
                    {
                        "invoice_number": message.invoice_number,
                        "code": message.code,
                        "state": message.state,
                        "reason": message.review_note or "",
                    }
                    for message in messages
                ],
            },
        )
