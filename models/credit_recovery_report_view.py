import io

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date, formatLang

# The date a report's figures are read at (the aged balance's, the DSO's, the forecast's).
AGED_DATE_KEY = "credit_aged_balance_date"
FORECAST_WEEKS_KEY = "credit_forecast_weeks"
EFFECTIVENESS_DAYS_KEY = "credit_effectiveness_days"
# The context keys that make a report view's figures (its date, its weeks, its payment window): printing
# and exporting keep them.
REPORT_CONTEXT_KEYS = (AGED_DATE_KEY, FORECAST_WEEKS_KEY, EFFECTIVENESS_DAYS_KEY)


class CreditRecoveryReportView(models.AbstractModel):
    """What the module's reports browsed as SQL views share: the customer columns of their lines, the date
    they are read at, the action that opens them at a date, and the PDF and XLSX of the lines the user
    filtered (selected in the list)."""

    _name = "credit.recovery.report.view"
    _description = "Credit Recovery Report View"
    # The window action that opens the report's lines (``action_open``).
    _credit_report_action_xmlid = None

    # Each line's company and customer, with the customer's salesperson and credit controller (the book's
    # ``_customer_columns_sql``).
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    salesperson_id = fields.Many2one("res.users", readonly=True)
    controller_id = fields.Many2one("res.users", string="Credit Controller", readonly=True)

    @api.model
    def _credit_report_date(self):
        """The date the figures are read at: ``credit_aged_balance_date`` in the context, today otherwise."""
        return fields.Date.to_date(self.env.context.get(AGED_DATE_KEY)) or fields.Date.context_today(self)

    @api.model
    def _credit_report_action_name(self, day):
        """The title of the report's lines at ``day``."""
        return self._credit_report_title()

    @api.model
    def action_open(self, date=None, domain=None, context=None):
        """The report's lines at ``date`` (today by default), as a list, pivot or graph."""
        day = date or fields.Date.context_today(self)
        action = self.env["ir.actions.act_window"]._for_xml_id(self._credit_report_action_xmlid)
        action["name"] = self._credit_report_action_name(day)
        action["domain"] = domain or []
        action["context"] = {**(context or {}), AGED_DATE_KEY: fields.Date.to_string(day)}
        return action

    @api.model
    def _credit_report_columns(self):
        """The fields printed and exported, in order."""
        return []

    @api.model
    def _credit_report_title(self):
        return self.env._(
            "%(report)s at %(date)s",
            report=self.env["ir.model"]._get(self._name).name,
            date=format_date(self.env, self._credit_report_date()),
        )

    def _credit_report_table(self):
        """(headers, rows, totals) of the records: formatted for a person, the totals of the sums."""
        columns = self._credit_report_columns()
        described = self.fields_get(columns, ["string", "type", "aggregator"])
        headers = [described[name]["string"] for name in columns]
        rows = []
        for record in self:
            row = []
            for name in columns:
                value = record[name]
                if described[name]["type"] == "many2one":
                    value = value.display_name or ""
                elif described[name]["type"] == "selection":
                    value = dict(self._fields[name]._description_selection(self.env)).get(value, "")
                elif described[name]["type"] == "date":
                    value = format_date(self.env, value) if value else ""
                row.append(value)
            rows.append(row)
        totals = []
        for name in columns:
            if (
                described[name]["type"] in ("monetary", "integer")
                and described[name].get("aggregator") == "sum"
            ):
                totals.append(sum(record[name] for record in self))
            else:
                totals.append(None)
        return headers, rows, totals

    def action_print_pdf(self):
        """Print the selected lines (what the user filtered) as a PDF table."""
        return self.env.ref("account_credit_recovery.credit_recovery_report_view_pdf").report_action(
            None,
            data={
                "model": self._name,
                "ids": self.ids,
                "report_context": {
                    key: self.env.context[key] for key in REPORT_CONTEXT_KEYS if self.env.context.get(key)
                },
            },
        )

    def action_export_xlsx(self):
        """Export the selected lines (what the user filtered) as an Excel workbook."""
        title = self._credit_report_title()
        headers, rows, totals = self._credit_report_table()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env["ir.model"]._get(self._name).name[:31])
        bold = workbook.add_format({"bold": True})
        number = workbook.add_format({"num_format": "#,##0.00"})
        number_bold = workbook.add_format({"num_format": "#,##0.00", "bold": True})
        sheet.write(0, 0, title, bold)
        for column, header in enumerate(headers):
            sheet.write(2, column, header, bold)
        for index, row in enumerate(rows, start=3):
            for column, value in enumerate(row):
                if isinstance(value, bool):
                    value = ""
                if isinstance(value, (int, float)):
                    sheet.write_number(index, column, value, number)
                else:
                    sheet.write(index, column, value)
        last = 3 + len(rows)
        sheet.write(last, 0, self.env._("Total"), bold)
        for column, value in enumerate(totals):
            if value is not None and column:
                sheet.write_number(last, column, value, number_bold)
        sheet.set_column(0, len(headers), 18)
        workbook.close()
        # No record holds the file: it is its creator's (attachments without a record are).
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._("%(title)s.xlsx", title=title.replace("/", "-")),
                "raw": output.getvalue(),
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }


class ReportCreditRecoveryReportView(models.AbstractModel):
    """The PDF of the lines of a report view: its title, a table and the totals."""

    _name = "report.account_credit_recovery.report_credit_view_table"
    _description = "Credit Recovery Report View PDF"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        model = data.get("model")
        if model not in self.env or not isinstance(
            self.env[model], self.env.registry["credit.recovery.report.view"]
        ):
            raise UserError(self.env._("This report prints the lines of a credit recovery report only."))
        context = {
            key: value
            for key, value in (data.get("report_context") or {}).items()
            if key in REPORT_CONTEXT_KEYS
        }
        records = self.env[model].with_context(**context).browse(data.get("ids") or docids or [])
        records.check_access("read")
        headers, rows, totals = records._credit_report_table()
        kinds = [records._fields[name].type for name in records._credit_report_columns()]
        currency = records.company_id[:1].currency_id or self.env.company.currency_id

        def show(value, kind):
            if value is None or isinstance(value, bool):
                return ""
            if kind == "monetary":
                return formatLang(self.env, value, currency_obj=currency)
            if kind == "float":
                return formatLang(self.env, value, digits=1)
            return str(value)

        return {
            "doc_ids": records.ids,
            "doc_model": model,
            "docs": records,
            "title": records._credit_report_title(),
            "headers": headers,
            "rows": [[show(value, kind) for value, kind in zip(row, kinds, strict=True)] for row in rows],
            "totals": [show(value, kind) for value, kind in zip(totals, kinds, strict=True)],
            "numeric": [kind in ("monetary", "float", "integer") for kind in kinds],
            "company": records.company_id[:1] or self.env.company,
        }
