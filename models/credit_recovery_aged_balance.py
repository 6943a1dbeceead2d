import io

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import aging
from .res_company import RISK_LEVELS

BUCKET_FIELDS = aging.BUCKET_KEYS


class CreditRecoveryAgedBalanceWizard(models.TransientModel):
    """The receivable book at a date: aged balance per customer, DSO and the book's indicators."""

    _name = "credit.recovery.aged.balance.wizard"
    _inherit = ["credit.recovery.report.mixin"]
    _description = "Aged Receivable Balance"

    salesperson_id = fields.Many2one("res.users", ondelete="cascade")
    controller_id = fields.Many2one("res.users", string="Credit Controller", ondelete="cascade")
    risk_level = fields.Selection(RISK_LEVELS)
    in_dispute = fields.Boolean(help="Only the invoices with an open dispute.")
    in_litigation = fields.Boolean(
        help="Only the invoices claimed in an open litigation case.",
    )
    partner_ids = fields.Many2many(
        "res.partner", string="Filtered Customers", help="Only these customers (the lines the user filtered)."
    )
    move_ids = fields.Many2many("account.move", string="Filtered Entries", help="Only these entries.")
    line_ids = fields.One2many("credit.recovery.aged.balance.line", "wizard_id", string="Customers")
    dso_line_ids = fields.One2many("credit.recovery.dso.line", "wizard_id", string="DSO per Month")
    bucket_line_ids = fields.One2many("credit.recovery.aged.bucket.line", "wizard_id", string="Buckets")
    bucket_legend = fields.Char(compute="_compute_bucket_legend")
    total_not_due = fields.Monetary(string="Not Due", compute="_compute_totals")
    total_bucket_1 = fields.Monetary(string="Period 1", compute="_compute_totals")
    total_bucket_2 = fields.Monetary(string="Period 2", compute="_compute_totals")
    total_bucket_3 = fields.Monetary(string="Period 3", compute="_compute_totals")
    total_bucket_4 = fields.Monetary(string="Period 4", compute="_compute_totals")
    total_bucket_5 = fields.Monetary(string="Older", compute="_compute_totals")
    total_overdue = fields.Monetary(string="Overdue", compute="_compute_totals")
    total = fields.Monetary(compute="_compute_totals")
    dso_countback = fields.Float(
        string="DSO (countback)",
        digits=(16, 1),
        readonly=True,
        help="Days of sales outstanding by the countback method: the receivable is matched against the "
        "sales of each month, newest first, until exhausted.",
    )
    dso_simple = fields.Float(
        string="DSO (simple, 12 months)",
        digits=(16, 1),
        readonly=True,
        help="Receivable at the date / sales (taxes included) of the last 12 months x days of these 12 months.",
    )
    overdue_ratio = fields.Float(string="Overdue Ratio (%)", digits=(16, 1), readonly=True)
    over_90_share = fields.Float(string="Over 90 Days (%)", digits=(16, 1), readonly=True)
    avg_days_late = fields.Float(
        string="Average Days Late",
        digits=(16, 1),
        readonly=True,
        help="Days between due date and payment over the 12 months before the date, weighted by the amount paid.",
    )

    @api.depends("company_id")
    def _compute_bucket_legend(self):
        for wizard in self:
            labels = wizard._bucket_labels()
            wizard.bucket_legend = ", ".join(
                self.env._("%(period)s: %(label)s", period=period, label=label)
                for period, label in zip(
                    [
                        self.env._("Period 1"),
                        self.env._("Period 2"),
                        self.env._("Period 3"),
                        self.env._("Period 4"),
                        self.env._("Older"),
                    ],
                    labels[1:],
                    strict=True,
                )
            )

    @api.depends("line_ids.total")
    def _compute_totals(self):
        for wizard in self:
            for key in BUCKET_FIELDS:
                wizard[f"total_{key}"] = sum(wizard.line_ids.mapped(key))
            wizard.total_overdue = sum(wizard.line_ids.mapped("overdue"))
            wizard.total = sum(wizard.line_ids.mapped("total"))

    # Actions

    def action_open_lines(self):
        """The customers of the aged balance, as a list, pivot or graph."""
        self.ensure_one()
        return self._credit_lines_action(
            "account_credit_recovery.credit_recovery_aged_balance_line_action",
            self.env._("Aged Balance at %(date)s", date=fields.Date.to_string(self.date)),
        )

    def action_print_pdf(self):
        self._credit_fill_once()
        return self.env.ref("account_credit_recovery.credit_recovery_aged_balance_report").report_action(self)

    def action_export_xlsx(self):
        """Export the aged balance as an Excel workbook, downloaded through an attachment."""
        self._credit_fill_once()
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._("aged_balance_%(date)s.xlsx", date=fields.Date.to_string(self.date)),
                "raw": self._export_xlsx(),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_open_overdue_trend(self):
        """The overdue amount at the end of each of the last 12 months, as a line graph."""
        return self._open_graph("credit.recovery.dso.line", "overdue", self.env._("Overdue Trend"))

    def action_open_dso_trend(self):
        """The DSO at the end of each of the last 12 months, as a line graph."""
        return self._open_graph("credit.recovery.dso.line", "dso", self.env._("DSO Trend"))

    def action_open_aged_buckets(self):
        """The amount of each ageing bucket, as a bar graph."""
        return self._open_graph("credit.recovery.aged.bucket.line", "buckets", self.env._("Aged Buckets"))

    @api.model
    def action_open_report_graph(self, graph):
        """Open ``graph`` (overdue, dso or buckets) for today's book of the current company (menus)."""
        wizard = self.create({})
        if graph == "overdue":
            return wizard.action_open_overdue_trend()
        if graph == "dso":
            return wizard.action_open_dso_trend()
        if graph == "buckets":
            return wizard.action_open_aged_buckets()
        raise UserError(self.env._("Unknown graph: %(graph)s", graph=graph))

    # Business logic

    def _open_graph(self, model, view, name):
        self._credit_fill_once()
        graph = self.env.ref(f"account_credit_recovery.{model.replace('.', '_')}_view_graph_{view}")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "%(graph)s at %(date)s, %(company)s",
                graph=name,
                date=fields.Date.to_string(self.date),
                company=self.company_id.name,
            ),
            "res_model": model,
            "view_mode": "graph,list",
            "views": [(graph.id, "graph"), (False, "list")],
            "domain": [("wizard_id", "=", self.id)],
            "context": {"create": False},
            "target": "current",
        }

    def _bucket_labels(self):
        """Column labels: not due, then each overdue bucket with its days."""
        self.ensure_one()
        return self.env["credit.recovery.book"]._bucket_labels(self.company_id)

    def _filtered_partner_ids(self):
        """Ids of the customers matching the filters, or None when no filter is set."""
        self.ensure_one()
        domain = []
        if self.salesperson_id:
            domain.append(("user_id", "=", self.salesperson_id.id))
        if self.controller_id:
            domain.append(("credit_controller_id", "=", self.controller_id.id))
        if self.risk_level:
            domain.append(("credit_risk_level", "=", self.risk_level))
        if not domain:
            return self.partner_ids.ids or None
        if self.partner_ids:
            domain.append(("id", "in", self.partner_ids.ids))
        partners = (
            self.env["res.partner"]
            .with_company(self.company_id)
            .with_context(active_test=False)
            .search([*domain, ("parent_id", "=", False)])
        )
        return partners.ids

    def _filtered_move_ids(self):
        """Ids of the invoices kept by the entry, dispute and litigation filters, or None when none is set."""
        self.ensure_one()
        if not (self.in_dispute or self.in_litigation or self.move_ids):
            return None
        move_ids = set(self.move_ids.ids) if self.move_ids else None
        if self.in_dispute:
            disputed = set(self._disputed_move_ids(self.company_id))
            move_ids = disputed if move_ids is None else move_ids & disputed
        if self.in_litigation:
            litigation = set(self._litigation_move_ids(self.company_id))
            move_ids = litigation if move_ids is None else move_ids & litigation
        return sorted(move_ids)

    @api.model
    def _disputed_move_ids(self, company):
        """Ids of the invoices of ``company`` with an open dispute."""
        self.env["credit.recovery.dispute"].flush_model(["move_id", "company_id", "state"])
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT move_id FROM credit_recovery_dispute WHERE company_id = %s AND state = 'open'",
                company.id,
            )
        )
        return [move_id for (move_id,) in self.env.cr.fetchall()]

    @api.model
    def _litigation_move_ids(self, company):
        """Ids of the invoices of ``company`` in litigation: claimed in an open litigation case.

        Read in SQL: accountants filter on it without access to the cases.
        """
        Move = self.env["account.move"]
        Move.flush_model(["credit_in_litigation", "company_id"])
        query = SQL(
            "SELECT id FROM account_move WHERE company_id = %s AND credit_in_litigation",
            company.id,
        )
        self.env.cr.execute(query)
        return [move_id for (move_id,) in self.env.cr.fetchall()]

    def _fill(self):
        """Replace the lines with the aged balance at the date, and compute the indicators."""
        self.ensure_one()
        company = self.company_id
        partner_ids = self._filtered_partner_ids()
        move_ids = self._filtered_move_ids()
        rows = self._compute_aged_balance(self.date, company, partner_ids=partner_ids, move_ids=move_ids)
        if move_ids is not None:
            # The indicators of the customers of the kept invoices.
            move_partners = set(self.env["account.move"].browse(move_ids).commercial_partner_id.ids)
            partner_ids = sorted(move_partners if partner_ids is None else move_partners & set(partner_ids))
        dso = self._compute_dso(self.date, company, partner_ids=partner_ids)
        late = self._compute_days_late(self.date, company, partner_ids=partner_ids)
        self.line_ids.unlink()
        self.dso_line_ids.unlink()
        self.bucket_line_ids.unlink()
        labels = self._bucket_labels()
        self.env["credit.recovery.aged.bucket.line"].create(
            [
                {
                    "wizard_id": self.id,
                    "sequence": index,
                    # The number keeps the buckets in order in the graph, which sorts them by name.
                    "name": f"{index}. {label}",
                    "amount": sum(row[key] for row in rows),
                }
                for index, (key, label) in enumerate(zip(BUCKET_FIELDS, labels, strict=True))
            ]
        )
        self.env["credit.recovery.aged.balance.line"].create(
            [
                {
                    "wizard_id": self.id,
                    "partner_id": row["partner_id"],
                    **{key: row[key] for key in BUCKET_FIELDS},
                    "dso": dso["partners"].get(row["partner_id"], 0.0),
                    "avg_days_late": late["partners"].get(row["partner_id"], 0.0),
                }
                for row in rows
            ]
        )
        self.env["credit.recovery.dso.line"].create(
            [
                {"wizard_id": self.id, **values}
                for values in self._compute_dso_series(self.date, company, partner_ids=partner_ids)
            ]
        )
        total = sum(row["total"] for row in rows)
        overdue = sum(row["total"] - row["not_due"] for row in rows)
        over_90 = sum(row["over_90"] for row in rows)
        self.write(
            {
                "computed": True,
                "dso_countback": dso["countback"],
                "dso_simple": dso["simple"],
                "overdue_ratio": 100.0 * overdue / total if total else 0.0,
                "over_90_share": 100.0 * over_90 / total if total else 0.0,
                "avg_days_late": late["company"],
            }
        )

    # The figures come from the receivable book (credit.recovery.book), the one definition of each.

    @api.model
    def _compute_aged_balance(self, date, company, partner_ids=None, move_ids=None):
        """Aged balance of the whole receivable book of ``company`` at ``date`` (see the book).

        Returns one dict per customer (``partner_id`` may be None for items without one) with the keys
        not_due, bucket_1 ... bucket_5 (limits from the company's settings), total and over_90, in
        company currency, ordered by customer name. The bench times this method.
        """
        return self.env["credit.recovery.book"]._aged_balance(company, date, partner_ids, move_ids)

    @api.model
    def _aged_balance_item_ids(self, date, company, partner_ids=None, move_ids=None):
        """Ids of the receivable items open at ``date`` (the drill-down of the aged balance)."""
        return self.env["credit.recovery.book"]._open_item_ids(company, date, partner_ids, move_ids)

    @api.model
    def _compute_dso(self, date, company, partner_ids=None):
        """DSO at ``date`` for the company (countback and simple methods) and per customer (countback)."""
        return self.env["credit.recovery.book"]._dso(company, date, partner_ids)

    @api.model
    def _compute_dso_series(self, date, company, partner_ids=None):
        """Company DSO at the end of each of the last 12 months (the last one being ``date``), oldest first."""
        return self.env["credit.recovery.book"]._dso_series(company, date, partner_ids)

    @api.model
    def _compute_days_late(self, date, company, partner_ids=None):
        """Average days late of the receipts of the 12 months before ``date``, weighted by amount.

        Returns {"company": days, "partners": {partner_id: days}}.
        """
        late = self.env["credit.recovery.book"]._days_late(company, date, partner_ids)
        return {
            "company": late["company"],
            "partners": {
                partner_id: values["avg_days_late"] for partner_id, values in late["partners"].items()
            },
        }

    def _export_xlsx(self):
        """The aged balance as the bytes of an .xlsx workbook."""
        self.ensure_one()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Aged Balance"))
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "#,##0.00"})
        money_bold = workbook.add_format({"num_format": "#,##0.00", "bold": True})
        sheet.write(
            0,
            0,
            self.env._(
                "Aged balance of %(company)s at %(date)s",
                company=self.company_id.name,
                date=fields.Date.to_string(self.date),
            ),
            bold,
        )
        headers = [self.env._("Customer"), *self._bucket_labels(), self.env._("Total")]
        for column, header in enumerate(headers):
            sheet.write(2, column, header, bold)
        row = 3
        for line in self.line_ids:
            sheet.write(row, 0, line.partner_id.display_name or self.env._("No customer"))
            for column, key in enumerate((*BUCKET_FIELDS, "total"), start=1):
                sheet.write_number(row, column, line[key], money)
            row += 1
        sheet.write(row, 0, self.env._("Total"), bold)
        for column, key in enumerate((*BUCKET_FIELDS, ""), start=1):
            sheet.write_number(row, column, self[f"total_{key}" if key else "total"], money_bold)
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, len(headers), 16)
        workbook.close()
        return output.getvalue()


class CreditRecoveryAgedBalancePart(models.AbstractModel):
    """What the lines of an aged balance share: their wizard, its company and its currency."""

    _name = "credit.recovery.aged.balance.part"
    _description = "Aged Receivable Balance Part"

    wizard_id = fields.Many2one(
        "credit.recovery.aged.balance.wizard", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="wizard_id.company_id", store=True)
    currency_id = fields.Many2one(related="wizard_id.currency_id")


class CreditRecoveryAgedBalanceLine(models.TransientModel):
    """One customer of an aged balance."""

    _name = "credit.recovery.aged.balance.line"
    _inherit = ["credit.recovery.aged.balance.part"]
    _description = "Aged Receivable Balance Line"
    _order = "id"

    date = fields.Date(related="wizard_id.date")
    partner_id = fields.Many2one("res.partner", string="Customer", ondelete="cascade")
    not_due = fields.Monetary(currency_field="currency_id")
    bucket_1 = fields.Monetary(string="Period 1", currency_field="currency_id")
    bucket_2 = fields.Monetary(string="Period 2", currency_field="currency_id")
    bucket_3 = fields.Monetary(string="Period 3", currency_field="currency_id")
    bucket_4 = fields.Monetary(string="Period 4", currency_field="currency_id")
    bucket_5 = fields.Monetary(string="Older", currency_field="currency_id")
    overdue = fields.Monetary(currency_field="currency_id", compute="_compute_total", store=True)
    total = fields.Monetary(currency_field="currency_id", compute="_compute_total", store=True)
    dso = fields.Float(string="DSO (countback)", digits=(16, 1), aggregator="avg")
    avg_days_late = fields.Float(string="Average Days Late", digits=(16, 1), aggregator="avg")

    @api.depends(*BUCKET_FIELDS)
    def _compute_total(self):
        for line in self:
            line.overdue = sum(line[key] for key in BUCKET_FIELDS[1:])
            line.total = line.not_due + line.overdue

    def action_open_items(self):
        """The customer's journal items open at the aged balance's date."""
        self.ensure_one()
        wizard = self.wizard_id
        item_ids = wizard._aged_balance_item_ids(
            wizard.date, wizard.company_id, [self.partner_id.id], wizard._filtered_move_ids()
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Open items of %(customer)s at %(date)s",
                customer=self.partner_id.display_name or self.env._("No customer"),
                date=fields.Date.to_string(wizard.date),
            ),
            "res_model": "account.move.line",
            "view_mode": "list,form",
            "views": [(self.env.ref("account.view_move_line_tree").id, "list"), (False, "form")],
            "domain": [("id", "in", item_ids)],
            "context": {"create": False},
            "target": "current",
        }


class CreditRecoveryDsoLine(models.TransientModel):
    """The company's DSO at the end of one month."""

    _name = "credit.recovery.dso.line"
    _inherit = ["credit.recovery.aged.balance.part"]
    _description = "DSO per Month"
    _order = "date"

    date = fields.Date(string="Month End", required=True)
    receivable = fields.Monetary(currency_field="currency_id")
    sales = fields.Monetary(string="Sales of the Month", currency_field="currency_id")
    dso_countback = fields.Float(string="DSO (countback)", digits=(16, 1), aggregator="avg")
    dso_simple = fields.Float(string="DSO (simple, 12 months)", digits=(16, 1), aggregator="avg")
    overdue = fields.Monetary(
        currency_field="currency_id",
        help="The receivable past its due date at the end of the month.",
    )


class CreditRecoveryAgedBucketLine(models.TransientModel):
    """The total of one ageing bucket of an aged balance (the aged buckets graph)."""

    _name = "credit.recovery.aged.bucket.line"
    _inherit = ["credit.recovery.aged.balance.part"]
    _description = "Aged Balance Bucket"
    _order = "sequence, id"

    sequence = fields.Integer()
    name = fields.Char(string="Bucket", required=True)
    amount = fields.Monetary(currency_field="currency_id")
