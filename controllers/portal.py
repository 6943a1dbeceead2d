from datetime import timedelta

from werkzeug.exceptions import NotFound

from odoo import Command, fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools import is_html_empty

from odoo.addons.account_payment.controllers.portal import PortalAccount


class CreditRecoveryPortal(PortalAccount):
    """The customer's credit page, opened by the secret link of its reminders (no login)."""

    def _credit_access(self, token):
        """The live link of ``token``, else 404; the page speaks the customer's document language."""
        access = request.env["credit.recovery.portal.access"]._credit_from_token(token)
        if not access:
            raise NotFound()
        try:
            lang = access.partner_id._credit_document_lang()
        except UserError:  # French is not active: the page speaks the customer's own language
            lang = access.partner_id.lang
        if lang and request.env["res.lang"]._get_data(code=lang):
            request.update_context(lang=lang)
        # The visitor is not logged in: the link's record carries the rights, narrowed to its customer.
        return access.with_context(lang=request.env.lang).with_company(access.company_id)

    def _credit_page_values(self, access, **values):
        company = access.company_id
        statement = access.partner_id._credit_statement_data(company, fields.Date.context_today(access))
        return {
            "access": access,
            "token": access.access_token,
            "st": statement,
            "company": company,
            "invoices": access._credit_payable_invoices(),
            "reasons": access._credit_dispute_reasons(),
            "today": fields.Date.context_today(access),
            "promise_max_date": fields.Date.context_today(access)
            + timedelta(days=company.credit_portal_promise_max_days),
            "page_name": "credit_recovery",
            # The page wears the letterhead of the company that sent the reminder, not the database's first.
            "res_company": company.sudo(),
            **values,
        }

    @http.route("/my/credit/<string:token>", type="http", auth="public", methods=["GET"], sitemap=False)
    def credit_portal_page(self, token, done=None, **kw):
        access = self._credit_access(token)
        access.sudo().last_access = fields.Datetime.now()
        return request.render(
            "account_credit_recovery.credit_portal_page",
            self._credit_page_values(access, done=done if done in access._CREDIT_PORTAL_ACTIONS else None),
        )

    @http.route(
        "/my/credit/<string:token>/statement.<string:fmt>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def credit_portal_statement(self, token, fmt, **kw):
        access = self._credit_access(token)
        partner = access.partner_id
        today = fields.Date.context_today(access)
        if fmt == "pdf":
            report = request.env.ref("account_credit_recovery.action_report_credit_statement").sudo()
            content, _type = report.with_company(access.company_id)._render_qweb_pdf(
                report.report_name,
                partner.ids,
                data={"company_id": access.company_id.id, "date": fields.Date.to_string(today)},
            )
            mimetype = "application/pdf"
        elif fmt == "xlsx":
            content = partner._credit_statement_xlsx(access.company_id, today)
            mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            raise NotFound()
        filename = f"statement-{fields.Date.to_string(today)}.{fmt}"
        return request.make_response(
            content,
            headers=[
                ("Content-Type", mimetype),
                ("Content-Length", len(content)),
                ("Content-Disposition", http.content_disposition(filename)),
            ],
        )

    def _credit_post(self, token, action, method, *args):
        """Run one action of the page; on a refusal, show the page again with the reason, nothing written."""
        access = self._credit_access(token)
        try:
            with request.env.cr.savepoint():
                getattr(access, method)(*args)
        except (UserError, ValidationError) as error:
            return request.render(
                "account_credit_recovery.credit_portal_page",
                self._credit_page_values(access, error=error.args[0], error_action=action),
                status=400,
            )
        return request.redirect(f"/my/credit/{token}?done={action}")

    @http.route(
        "/my/credit/<string:token>/promise", type="http", auth="public", methods=["POST"], sitemap=False
    )
    def credit_portal_promise(self, token, amount=None, date=None, **kw):
        return self._credit_post(token, "promise", "_credit_portal_promise", amount, date, kw.get("note"))

    @http.route("/my/credit/<string:token>/plan", type="http", auth="public", methods=["POST"], sitemap=False)
    def credit_portal_plan(self, token, instalment_count=None, interval_days=None, first_percent=None, **kw):
        return self._credit_post(
            token,
            "plan",
            "_credit_portal_plan",
            instalment_count,
            interval_days,
            first_percent,
            kw.get("note"),
        )

    @http.route(
        "/my/credit/<string:token>/dispute", type="http", auth="public", methods=["POST"], sitemap=False
    )
    def credit_portal_dispute(self, token, invoice_id=None, reason=None, amount=None, message=None, **kw):
        files = [
            (upload.filename, upload.read())
            for upload in request.httprequest.files.getlist("attachments")
            if upload and upload.filename
        ]
        return self._credit_post(
            token, "dispute", "_credit_portal_dispute", invoice_id, reason, amount, message, files
        )

    # Pay now, through the payment providers of the company

    @http.route("/my/credit/<string:token>/pay", type="http", auth="public", methods=["GET"], sitemap=False)
    def credit_portal_pay(self, token, scope="all", invoice_ids=None, **kw):
        access = self._credit_access(token)
        if scope == "invoices":
            ids = request.httprequest.args.getlist("invoice_ids")
            scope = "invoices-" + "-".join(str(int(i)) for i in ids if i.isdigit()) if ids else "invoices"
        try:
            invoices, amount = access._credit_portal_pay_scope(scope)
        except (UserError, ValidationError) as error:
            return request.render(
                "account_credit_recovery.credit_portal_page",
                self._credit_page_values(access, error=error.args[0], error_action="pay"),
                status=400,
            )
        currency = access.company_id.currency_id
        values = self._get_common_page_view_values(
            invoices_data={
                "partner": access.partner_id,
                "company": access.company_id,
                "total_amount": amount,
                "currency": currency,
                "amount_residual": amount,
                "landing_route": f"/my/credit/{token}?done=pay",
                "transaction_route": f"/my/credit/{token}/transaction/{scope}",
            },
            access_token=token,
        )
        values.update(
            self._credit_page_values(access),
            amount=amount,
            pay_invoices=invoices,
            reference_prefix=None,
            is_html_empty=is_html_empty,
            # A visitor who is not logged in saves no payment method (see credit_portal_transaction).
            show_tokenize_input_mapping=dict.fromkeys(values["providers_sudo"].ids, False),
        )
        return request.render("account_credit_recovery.credit_portal_pay_page", values)

    @http.route("/my/credit/<string:token>/transaction/<string:scope>", type="json", auth="public")
    def credit_portal_transaction(self, token, scope, amount=None, **kwargs):
        """Create the draft transaction of the chosen scope; the amount is the server's, a different one is refused."""
        access = request.env["credit.recovery.portal.access"]._credit_from_token(token)
        if not access or not access.company_id.credit_portal_allow_pay:
            raise ValidationError(request.env._("This link is not valid any more."))
        invoices, due = access._credit_portal_pay_scope(scope)
        currency = access.company_id.currency_id
        try:
            asked = float(amount)
        except (TypeError, ValueError):
            asked = None
        if asked is None or currency.compare_amounts(asked, due):
            raise ValidationError(request.env._("The amount to pay does not match what is due."))
        kwargs.pop("access_token", None)
        kwargs["tokenization_requested"] = False  # no saved cards for a visitor who is not logged in
        # The customer comes back to its own page, wherever the browser asked to land.
        kwargs["landing_route"] = f"/my/credit/{token}?done=pay"
        self._validate_transaction_kwargs(kwargs)
        kwargs.update(
            currency_id=currency.id, partner_id=access.partner_id.id, reference_prefix=None, amount=due
        )
        tx_sudo = self._create_transaction(
            custom_create_values={
                "invoice_ids": [Command.set(invoices.ids)],
                "credit_portal_access_id": access.id,
            },
            **kwargs,
        )
        return tx_sudo._get_processing_values()
