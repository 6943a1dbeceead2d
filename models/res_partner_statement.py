import base64
import io

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    credit_portal_url = fields.Char(
        string="Customer's Page",
        compute="_compute_credit_portal_url",
        groups="account_credit_recovery.group_credit_controller",
        help="The link to the customer's credit page in the current company, sent with its reminders.",
    )

    @api.depends_context("company")
    def _compute_credit_portal_url(self):
        company = self.env.company
        urls = {}
        if company.credit_portal_enabled and self.ids:
            accesses = self.env["credit.recovery.portal.access"].search(
                [("partner_id", "in", self.commercial_partner_id.ids), ("company_id", "=", company.id)]
            )
            urls = {access.partner_id.id: access.url for access in accesses}
        for partner in self:
            partner.credit_portal_url = urls.get(partner.commercial_partner_id.id, False)

    # Statement of account

    def _credit_statement_data(self, company, as_of):
        """The statement of account of the commercial customer ``self`` in ``company`` at ``as_of``.

        Open items at that date (residuals as the aged balance reads them), oldest due first, with the running
        balance; totals by ageing bucket; for business customers the late-payment penalties and indemnities
        the letters show (``account.move._credit_late_details``, not billed yet); how to pay. Amounts are in
        company currency.
        """
        self.ensure_one()
        partner = self.commercial_partner_id
        currency = company.currency_id
        book = self.env["credit.recovery.book"]
        partner_ids = self.with_context(active_test=False).search([("id", "child_of", partner.id)]).ids
        book._flush()
        self.env.cr.execute(
            SQL(
                "SELECT items.id, items.residual, items.days FROM (%s) items WHERE items.residual != 0",
                book._open_items_sql(company, as_of, partner_ids),
            )
        )
        open_items = {line_id: (residual, days) for line_id, residual, days in self.env.cr.fetchall()}
        lines = (
            self.env["account.move.line"]
            .browse(open_items)
            .sorted(lambda line: (line.date_maturity or line.date, line.date, line.id))
        )
        lines.fetch(["move_id", "balance", "date", "date_maturity", "name"])
        # An item in a foreign currency also shows what remains due in it (the book's residual in currency).
        in_currency = book._open_items_in_currency(company, lines.ids, as_of)
        rows = []
        running = 0.0
        for line in lines:
            residual, days = open_items[line.id]
            residual = currency.round(float(residual))
            running = currency.round(running + residual)
            move = line.move_id
            if move.move_type == "out_invoice":
                kind = "invoice"
            elif move.move_type == "out_refund":
                kind = "credit_note"
            elif line.balance < 0:
                kind = "receipt"
            else:
                kind = "other"
            rows.append(
                {
                    "line": line,
                    "kind": kind,
                    "reference": move.name if move.is_invoice() else (move.ref or line.name or move.name),
                    "date": move.invoice_date or line.date,
                    "due": line.date_maturity or line.date,
                    "amount": line.balance,
                    "paid": currency.round(line.balance - residual),
                    "residual": residual,
                    "currency": in_currency.get(line.id, {}).get("currency", currency),
                    "residual_currency": in_currency.get(line.id, {}).get("residual_currency", residual),
                    "days_overdue": days if residual > 0 and days > 0 else 0,
                    "balance": running,
                }
            )
        buckets = dict.fromkeys(("not_due", "bucket_1", "bucket_2", "bucket_3", "bucket_4", "bucket_5"), 0.0)
        for row in book._aged_balance(company, as_of, partner_ids):
            for key in buckets:
                buckets[key] = currency.round(buckets[key] + row[key])
        labels = book._bucket_labels(company)
        penalties = indemnity = 0.0
        is_business = partner.credit_customer_type != "b2c"
        invoices = lines.move_id.filtered(lambda move: move.move_type == "out_invoice")
        if is_business and invoices:
            details = invoices._credit_late_details(as_of, unbilled_only=True)
            for move, detail in details.items():
                accrued = sum(item["amount"] for item in detail.get("penalties", []))
                penalties += move.currency_id._convert(accrued, currency, company, as_of)
                indemnity += detail.get("indemnity_company", 0.0)  # a fixed amount in euros (D441-5)
        overdue = sum(row["residual"] for row in rows if row["residual"] > 0 and row["days_overdue"] > 0)
        return {
            "partner": partner,
            "company": company,
            "currency": currency,
            "date": as_of,
            "rows": rows,
            "total_due": currency.round(sum(row["residual"] for row in rows if row["residual"] > 0)),
            "total_credits": currency.round(sum(row["residual"] for row in rows if row["residual"] < 0)),
            "overdue": currency.round(overdue),
            "balance": running,
            "buckets": list(zip(labels, buckets.values(), strict=True)),
            "is_business": is_business,
            "penalties": currency.round(penalties),
            "indemnity": currency.round(indemnity),
            "bank": company.partner_id.bank_ids[:1],
            "payment_reference": self.env["account.move"]
            .new({"partner_id": partner.id, "company_id": company.id})
            ._get_invoice_reference_euro_partner(),
        }

    def _credit_statement_kind_label(self, kind):
        return {
            "invoice": self.env._("Invoice"),
            "credit_note": self.env._("Credit Note"),
            "receipt": self.env._("Unapplied Receipt"),
            "other": self.env._("Other Entry"),
        }[kind]

    def action_credit_statement_print(self):
        """The statement of account of the customers at today's date, in the current company."""
        return self.env.ref("account_credit_recovery.action_report_credit_statement").report_action(
            self.commercial_partner_id,
            data={
                "company_id": self.env.company.id,
                "date": fields.Date.to_string(fields.Date.context_today(self)),
            },
        )

    def action_credit_statement_xlsx(self):
        """The statement of account of the customer as an .xlsx download."""
        self.ensure_one()
        partner = self.commercial_partner_id
        today = fields.Date.context_today(self)
        content = partner._credit_statement_xlsx(self.env.company, today)
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._(
                    "Statement %(customer)s %(date)s.xlsx",
                    customer=partner.name,
                    date=fields.Date.to_string(today),
                ),
                "datas": base64.b64encode(content),
                "res_model": "res.partner",
                "res_id": partner.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _credit_statement_xlsx(self, company, as_of):
        """The statement of account as the bytes of an .xlsx workbook, in the customer's language."""
        self.ensure_one()
        partner = self.with_context(lang=self.commercial_partner_id.lang or self.env.lang)
        data = partner._credit_statement_data(company, as_of)
        env = partner.env
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(env._("Statement"))
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "#,##0.00"})
        day = workbook.add_format({"num_format": "yyyy-mm-dd"})
        sheet.write(
            0,
            0,
            env._(
                "Statement of account of %(customer)s at %(date)s (%(company)s)",
                customer=data["partner"].name,
                date=fields.Date.to_string(as_of),
                company=company.name,
            ),
            bold,
        )
        headers = [
            env._("Type"),
            env._("Reference"),
            env._("Date"),
            env._("Due Date"),
            env._("Amount"),
            env._("Paid"),
            env._("Remaining Due"),
            env._("Days Overdue"),
            env._("Balance"),
        ]
        for column, header in enumerate(headers):
            sheet.write(2, column, header, bold)
        row_index = 3
        for row in data["rows"]:
            sheet.write(row_index, 0, partner._credit_statement_kind_label(row["kind"]))
            sheet.write(row_index, 1, row["reference"] or "")
            sheet.write_datetime(row_index, 2, fields.Datetime.to_datetime(row["date"]), day)
            sheet.write_datetime(row_index, 3, fields.Datetime.to_datetime(row["due"]), day)
            for column, key in ((4, "amount"), (5, "paid"), (6, "residual")):
                sheet.write_number(row_index, column, row[key], money)
            sheet.write_number(row_index, 7, row["days_overdue"])
            sheet.write_number(row_index, 8, row["balance"], money)
            row_index += 1
        row_index += 1
        sheet.write(row_index, 0, env._("Balance"), bold)
        sheet.write_number(row_index, 6, data["balance"], money)
        for label, amount in data["buckets"]:
            row_index += 1
            sheet.write(row_index, 0, label)
            sheet.write_number(row_index, 6, amount, money)
        if data["is_business"]:
            row_index += 2
            sheet.write(row_index, 0, env._("Late-payment penalties accrued"))
            sheet.write_number(row_index, 6, data["penalties"], money)
            row_index += 1
            sheet.write(row_index, 0, env._("Fixed recovery indemnities"))
            sheet.write_number(row_index, 6, data["indemnity"], money)
        sheet.set_column(0, 1, 22)
        sheet.set_column(2, 8, 14)
        workbook.close()
        return output.getvalue()

    def action_credit_statement_send(self):
        """Open the e-mail composer with the statement of account attached."""
        self.ensure_one()
        partner = self.commercial_partner_id
        if not partner.email:
            raise UserError(self.env._("%(customer)s has no e-mail address.", customer=partner.name))
        template = self.env.ref("account_credit_recovery.mail_template_credit_statement")
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": "res.partner",
                "default_res_ids": partner.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
            },
        }

    def action_credit_portal_revoke(self):
        """Revoke the customer's link to its credit page in the current company."""
        self.ensure_one()
        access = self.env["credit.recovery.portal.access"].search(
            [("partner_id", "=", self.commercial_partner_id.id), ("company_id", "=", self.env.company.id)]
        )
        if not access:
            raise UserError(self.env._("This customer has no link to its credit page."))
        return access.action_revoke()
