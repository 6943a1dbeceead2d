"""The receivable book: the one place that says what is true about a company's customer receivables.

Every figure the module shows or acts on (the risk profile, the aged balance, the forecast, the
effectiveness report, the dashboard, the reconciliation to-do, the payment-term check) reads it here,
through an SQL fragment (``odoo.tools.SQL``) to embed in a larger query, or a Python method that runs one
query for a whole set of customers. Nothing else in the module writes these rules a second time.

The rules:

- **Receivable lines of a company**: posted journal items of a receivable account (and doubtful
  receivables reclassified by the module, whatever their account's type), per commercial partner.
- **Open item at a date**: a receivable line dated on or before the date whose residual at that date (its
  balance less the partial reconciliations made by then) is not zero. Without a date, the residual now.
- **Due date** of an item: its maturity, or its accounting date when it has none. **Overdue**: due before
  the date; the **aging buckets** count days past due against the company's bucket limits.
- **Unreconciled credit**: a receivable line not fully reconciled whose residual is below minus the
  company's overdue tolerance (a payment or credit note not matched yet; rounding leftovers excluded).
- **Settlement**: a partial reconciliation paying a receivable item by a *receipt* (a payment, a bank
  statement line, or an entry of a bank or cash journal); credit notes and write-offs are not payments.
  **Days late** of a settlement: days from the item's due date to the settlement, 0 when on time.
  **Average days late**: over the settlements of the 12 months before the date, weighted by amount.
- **Sales**: posted customer invoices less credit notes, taxes included, by invoice date.
  **DSO**: the countback method (the receivable exhausted against the sales of each month, newest first);
  the simple method (receivable / sales of 12 months x days) only where labelled as such.
- **Exposure**: open receivables + draft invoices + confirmed orders not yet invoiced - unreconciled
  credits.
- **Legal payment-term cap** (Code de commerce L441-10 I): see ``_payment_term_cap``.
"""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import aging, payment_terms

DSO_MONTHS = 12
# How far back the countback may walk before giving up (a customer who owes more than this many
# months of its sales has a DSO of at least this many months).
COUNTBACK_MAX_MONTHS = 36
BEHAVIOUR_DAYS = 365


class CreditRecoveryBook(models.AbstractModel):
    _name = "credit.recovery.book"
    _description = "Receivable Book"

    # ------------------------------------------------------------------------------------------------
    # SQL fragments
    # ------------------------------------------------------------------------------------------------
    @api.model
    def _flush(self):
        """Flush what the book's queries read."""
        self.env["account.move.line"].flush_model(
            [
                "partner_id",
                "company_id",
                "account_id",
                "parent_state",
                "date",
                "date_maturity",
                "balance",
                "amount_residual",
                "reconciled",
                "move_id",
                "payment_id",
                "statement_line_id",
                "journal_id",
            ]
        )
        self.env["account.partial.reconcile"].flush_model(
            ["debit_move_id", "credit_move_id", "amount", "max_date"]
        )
        self.env["account.move"].flush_model(
            [
                "move_type",
                "state",
                "company_id",
                "invoice_date",
                "commercial_partner_id",
                "amount_total_signed",
                "origin_payment_id",
                "statement_line_id",
                "journal_id",
            ]
        )
        self.env["account.journal"].flush_model(["type"])
        self.env["account.account"].flush_model(["account_type"])
        self.env["res.partner"].flush_model(
            ["commercial_partner_id", "name", "user_id", "credit_controller_id"]
        )
        self.env["credit.recovery.doubtful.line"].flush_model(["doubtful_move_line_id", "move_id"])

    @api.model
    def _receivable_lines_sql(self, company, date=None, partner_ids=None, move_ids=None):
        """The posted receivable lines of ``company``, as a subquery.

        Columns: id, move_id, partner_id (the commercial partner, or the line's partner), date, due,
        balance, residual (now), reconciled. ``date`` keeps the lines dated on or before it;
        ``partner_ids`` (commercial partners) and ``move_ids`` filter further when given.
        """
        filters = [SQL()]
        if date:
            filters.append(SQL("AND aml.date <= %s", date))
        if partner_ids is not None:
            filters.append(SQL("AND partner.commercial_partner_id = ANY(%s)", list(partner_ids)))
        if move_ids is not None:
            filters.append(SQL("AND %s = ANY(%s)", self._debt_move_sql(), list(move_ids)))
        return SQL(
            """
            SELECT aml.id,
                   %(debt_move)s AS move_id,
                   COALESCE(partner.commercial_partner_id, aml.partner_id) AS partner_id,
                   aml.date,
                   COALESCE(aml.date_maturity, aml.date) AS due,
                   aml.balance,
                   aml.amount_residual AS residual,
                   aml.reconciled
              FROM account_move_line aml
         LEFT JOIN res_partner partner ON partner.id = aml.partner_id
              %(doubtful_join)s
             WHERE aml.company_id = %(company)s
               AND aml.parent_state = 'posted'
               AND %(receivable)s
               %(filters)s
            """,
            company=company.id,
            debt_move=self._debt_move_sql(),
            doubtful_join=self._doubtful_join_sql(),
            receivable=self._receivable_item_sql(),
            filters=SQL(" ").join(filters),
        )

    @api.model
    def _open_items_sql(self, company, date=None, partner_ids=None, move_ids=None):
        """The receivable items of ``company`` open at ``date`` (now when None), as a subquery.

        Columns: id, move_id, partner_id, date, due, days (past due at the date, <= 0 when not due),
        balance, residual (at the date). At a date, the residual is the balance less the partial
        reconciliations of the item made by then (both of their items dated on or before it), and the
        items dated after it are left out. (Computed as the residual now plus the partial reconciliations
        made after the date: Odoo's residual is the balance less all of them.)

        When nothing of the book is dated after the date (``_dated_after``; the usual case: the date is
        today), no partial reconciliation was made after it either (one is dated by the later of its two
        items, both receivable items of the company): the items open at the date are then those open now,
        read without the items reconciled since.
        """
        if date and not self._dated_after(company, date):
            return self._open_items_at_sql(company, None, date, partner_ids, move_ids)
        return self._open_items_at_sql(company, date, date or self._today(), partner_ids, move_ids)

    @api.model
    def _open_items_at_sql(self, company, date, day, partner_ids, move_ids):
        """``_open_items_sql``'s items at ``date`` (now when None), days past due counted at ``day``."""
        lines = self._receivable_lines_sql(company, date=date, partner_ids=partner_ids, move_ids=move_ids)
        if date:
            # The residual now (Odoo's: the balance less every partial reconciliation of the item) with the
            # partial reconciliations made after the date given back: the same residual at the date as the
            # balance less those made by then, reading only the reconciliations after the date (few, none
            # today) instead of summing every one of the book. An item reconciled now is open at the date
            # only if it was reconciled after it.
            partials = SQL(
                """
                LEFT JOIN (SELECT apr.debit_move_id AS line_id, SUM(apr.amount) AS amount
                             FROM account_partial_reconcile apr
                            WHERE apr.max_date > %(date)s
                         GROUP BY apr.debit_move_id) debit_partials ON debit_partials.line_id = lines.id
                LEFT JOIN (SELECT apr.credit_move_id AS line_id, SUM(apr.amount) AS amount
                             FROM account_partial_reconcile apr
                            WHERE apr.max_date > %(date)s
                         GROUP BY apr.credit_move_id) credit_partials ON credit_partials.line_id = lines.id
                """,
                date=date,
            )
            residual = SQL(
                "lines.residual + COALESCE(debit_partials.amount, 0) - COALESCE(credit_partials.amount, 0)"
            )
            condition = SQL(
                "(NOT lines.reconciled OR debit_partials.line_id IS NOT NULL OR credit_partials.line_id IS NOT NULL)"
            )
        else:
            partials = SQL("")
            residual = SQL("lines.residual")
            condition = SQL("NOT lines.reconciled")
        return SQL(
            """
            SELECT * FROM (
                SELECT lines.id, lines.move_id, lines.partner_id, lines.date, lines.due,
                       %(day)s::date - lines.due AS days, lines.balance, %(residual)s AS residual
                  FROM (%(lines)s) lines
                  %(partials)s
                 WHERE %(condition)s
            ) open_items
             WHERE open_items.residual != 0
            """,
            day=day,
            residual=residual,
            lines=lines,
            partials=partials,
            condition=condition,
        )

    @api.model
    def _dated_after(self, company, date):
        """Whether a posted receivable item of ``company`` is dated after ``date``, in one query through the
        journal items' account and date index."""
        self._flush()
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM account_move_line aml WHERE aml.company_id = %s AND aml.parent_state = 'posted' "
                "AND aml.date > %s AND %s LIMIT 1",
                company.id,
                date,
                self._receivable_item_sql(),
            )
        )
        return bool(self.env.cr.fetchone())

    @api.model
    def _overdue_sql(self, alias="items"):
        """Condition on an open item of ``_open_items_sql``: it is overdue at the item's date."""
        return SQL("%s > 0", SQL.identifier(alias, "days"))

    @api.model
    def _aging_conditions_sql(self, company, alias="items"):
        """Conditions on an open item of ``_open_items_sql``, one per aging column: not due, then each
        overdue bucket of the company's limits (days past due)."""
        days = SQL.identifier(alias, "days")
        conditions = [SQL("%s <= 0", days)]
        for low, high in aging.bucket_bounds(company._credit_aged_bucket_limits()):
            if high is None:
                conditions.append(SQL("%s >= %s", days, low))
            else:
                conditions.append(SQL("%s BETWEEN %s AND %s", days, low, high))
        return conditions

    @api.model
    def _aging_columns_sql(self, company, alias="items"):
        """The six aging sums (not due, bucket_1 .. bucket_5) over open items of ``_open_items_sql``."""
        residual = SQL.identifier(alias, "residual")
        return SQL(", ").join(
            SQL("COALESCE(SUM(%s) FILTER (WHERE %s), 0)", residual, condition)
            for condition in self._aging_conditions_sql(company, alias)
        )

    @api.model
    def _bucket_labels(self, company):
        """Labels of the aging columns: not due, then each overdue bucket with its days."""
        labels = [self.env._("Not Due")]
        for low, high in aging.bucket_bounds(company._credit_aged_bucket_limits()):
            if high is None:
                labels.append(self.env._("Over %(days)s days", days=low - 1))
            else:
                labels.append(self.env._("%(low)s-%(high)s days", low=low, high=high))
        return labels

    @api.model
    def _aged_items_sql(self, company, date):
        """One row per receivable item of ``company`` open at ``date``, its residual in its aging column.

        Columns: id, company_id, partner_id, salesperson_id, controller_id, move_id, date, due,
        days_overdue, residual, overdue, not_due, bucket_1 .. bucket_5 (the aged balance's lines).
        """
        cases = [
            SQL("CASE WHEN %s THEN items.residual ELSE 0 END AS %s", condition, SQL.identifier(key))
            for condition, key in zip(self._aging_conditions_sql(company), aging.BUCKET_KEYS, strict=True)
        ]
        return SQL(
            """
            SELECT items.id,
                   %(company)s AS company_id,
                   items.partner_id,
                   %(customer_columns)s,
                   items.move_id,
                   items.date,
                   items.due,
                   GREATEST(items.days, 0) AS days_overdue,
                   items.residual,
                   CASE WHEN %(overdue)s THEN items.residual ELSE 0 END AS overdue,
                   %(cases)s
              FROM (%(items)s) items
         LEFT JOIN res_partner partner ON partner.id = items.partner_id
            """,
            company=company.id,
            customer_columns=self._customer_columns_sql(company),
            overdue=self._overdue_sql(),
            cases=SQL(", ").join(cases),
            items=self._open_items_sql(company, date),
        )

    @api.model
    def _unreconciled_credit_sql(self, company, alias="items"):
        """Condition on an open item of ``_open_items_sql``: an unreconciled credit (a payment or credit
        note not matched yet, beyond the company's tolerance for rounding leftovers)."""
        return SQL("%s < %s", SQL.identifier(alias, "residual"), -company.credit_overdue_tolerance)

    @api.model
    def _receipt_sql(self, line_alias="receipt_line", journal_alias="receipt_journal"):
        """Condition on a settlement's counterpart (a journal item, and its journal): it is a receipt.

        A payment, a bank statement line, or an entry of a bank or cash journal; not a credit note, not a
        write-off. Read on the item itself: its payment, statement line and journal are its entry's, stored
        on it.
        """
        return SQL(
            "(%s IS NOT NULL OR %s IS NOT NULL OR %s IN ('bank', 'cash'))",
            SQL.identifier(line_alias, "payment_id"),
            SQL.identifier(line_alias, "statement_line_id"),
            SQL.identifier(journal_alias, "type"),
        )

    @api.model
    def _settlements_sql(self, company, date_from=None, date_to=None, partner_ids=None):
        """The settlements of receivable items of ``company`` by receipts, as a subquery.

        Columns: id (of the partial reconciliation), line_id (the item paid), move_id, partner_id, due,
        paid_date, amount, days_late (0 when paid on time), reconciled (the item is fully paid). ``date_from`` (excluded) and ``date_to``
        (included) bound the settlement date.
        """
        filters = [SQL()]
        if date_from:
            filters.append(SQL("AND apr.max_date > %s", date_from))
        if date_to:
            filters.append(SQL("AND apr.max_date <= %s", date_to))
        return SQL(
            """
            SELECT apr.id,
                   item.id AS line_id,
                   item.move_id,
                   item.partner_id,
                   item.due,
                   apr.max_date AS paid_date,
                   apr.amount,
                   GREATEST(apr.max_date - item.due, 0) AS days_late,
                   item.reconciled
              FROM account_partial_reconcile apr
              JOIN (%(lines)s) item ON item.id = apr.debit_move_id
              JOIN account_move_line receipt_line ON receipt_line.id = apr.credit_move_id
              JOIN account_journal receipt_journal ON receipt_journal.id = receipt_line.journal_id
             WHERE %(receipt)s
               %(filters)s
            """,
            lines=self._receivable_lines_sql(company, partner_ids=partner_ids),
            receipt=self._receipt_sql(),
            filters=SQL(" ").join(filters),
        )

    @api.model
    def _sales_sql(self, company, date_from, date_to, partner_ids=None):
        """Posted customer invoices less credit notes of ``company`` invoiced in [date_from, date_to].

        Columns: partner_id (commercial), invoice_date, amount (taxes included, company currency, signed).
        """
        partner_filter = SQL()
        if partner_ids is not None:
            partner_filter = SQL("AND move.commercial_partner_id = ANY(%s)", list(partner_ids))
        return SQL(
            """
            SELECT move.commercial_partner_id AS partner_id, move.invoice_date, move.amount_total_signed AS amount
              FROM account_move move
             WHERE move.company_id = %(company)s
               AND move.state = 'posted'
               AND move.move_type IN ('out_invoice', 'out_refund')
               AND move.invoice_date >= %(start)s
               AND move.invoice_date <= %(end)s
               %(partner_filter)s
            """,
            company=company.id,
            start=date_from,
            end=date_to,
            partner_filter=partner_filter,
        )

    # ------------------------------------------------------------------------------------------------
    # Python answers (one query for a whole set of customers)
    # ------------------------------------------------------------------------------------------------
    @api.model
    def _today(self):
        return fields.Date.to_date(self.env.context.get("credit_recovery_date")) or fields.Date.context_today(
            self
        )

    @api.model
    def _aged_balance(self, company, date, partner_ids=None, move_ids=None):
        """The aged balance of ``company`` at ``date``, one dict per customer ordered by name.

        Keys: partner_id (None for items without customer), not_due, bucket_1 .. bucket_5, total, over_90.
        """
        self._flush()
        # Sums of amounts the currency already rounded: rounded to its decimals once more, without reading
        # the currency per value (tens of thousands of customers). Read before the query: reading it after
        # could run a query on the cursor before its rows are fetched.
        digits = company.currency_id.decimal_places
        self.env.cr.execute(
            SQL(
                """
                SELECT items.partner_id, %(aging)s, SUM(items.residual),
                       COALESCE(SUM(items.residual) FILTER (WHERE items.days > 90), 0)
                  FROM (%(items)s) items
             LEFT JOIN res_partner partner ON partner.id = items.partner_id
              GROUP BY items.partner_id, partner.name
                HAVING SUM(ABS(items.residual)) != 0
              ORDER BY partner.name, items.partner_id
                """,
                aging=self._aging_columns_sql(company),
                items=self._open_items_sql(company, date, partner_ids, move_ids),
            )
        )
        keys = (*aging.BUCKET_KEYS, "total", "over_90")
        return [
            {
                "partner_id": row[0],
                **{key: round(float(value), digits) for key, value in zip(keys, row[1:], strict=True)},
            }
            for row in self.env.cr.fetchall()
        ]

    @api.model
    def _open_item_ids(self, company, date=None, partner_ids=None, move_ids=None):
        """Ids of the receivable items open at ``date`` (now when None)."""
        self._flush()
        self.env.cr.execute(
            SQL(
                "SELECT items.id FROM (%s) items ORDER BY items.id",
                self._open_items_sql(company, date, partner_ids, move_ids),
            )
        )
        return [item_id for (item_id,) in self.env.cr.fetchall()]

    @api.model
    def _open_items(self, company, date=None, partner_ids=None):
        """(id, partner_id, days, residual) of the items open at ``date``, each customer's oldest first."""
        self._flush()
        self.env.cr.execute(
            SQL(
                """
                SELECT items.id, items.partner_id, items.days, items.residual
                  FROM (%s) items
              ORDER BY items.partner_id, items.days DESC, items.id
                """,
                self._open_items_sql(company, date, partner_ids),
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _unreconciled_credit_domain(self, companies):
        """Domain of ``account.move.line``: the unreconciled credits of ``companies`` (the to-do)."""
        per_company = [
            [("company_id", "=", company.id), ("amount_residual", "<", -company.credit_overdue_tolerance)]
            for company in companies
        ]
        company_domain = ["|"] * (len(per_company) - 1) + [
            leaf for domain in per_company for leaf in ["&", *domain]
        ]
        return [
            "|",
            ("account_id.account_type", "=", "asset_receivable"),
            ("id", "in", self._doubtful_line_ids()),
            ("parent_state", "=", "posted"),
            ("reconciled", "=", False),
            *(company_domain or [("id", "=", False)]),
        ]

    @api.model
    def _doubtful_line_ids(self):
        # The reclassification lines are few; their readers need no right on the doubtful records.
        lines = (
            self.env["credit.recovery.doubtful.line"]
            .sudo()
            .search_fetch([("doubtful_move_line_id", "!=", False)], ["doubtful_move_line_id"])
        )
        return lines.doubtful_move_line_id.ids

    @api.model
    def _unreconciled_credits(self, company, date=None, partner_ids=None):
        """{partner_id: amount} of the unreconciled credits of the customers at ``date`` (now when None),
        as positive amounts."""
        self._flush()
        self.env.cr.execute(
            SQL(
                "SELECT items.partner_id, -SUM(items.residual) FROM (%s) items WHERE %s GROUP BY items.partner_id",
                self._open_items_sql(company, date, partner_ids),
                self._unreconciled_credit_sql(company),
            )
        )
        return {partner_id: float(amount) for partner_id, amount in self.env.cr.fetchall()}

    @api.model
    def _unreconciled_credit_partner_ids(self, company, partner_ids):
        """Ids of the customers among ``partner_ids`` with unreconciled credits now, in one query."""
        return list(self._unreconciled_credits(company, partner_ids=partner_ids))

    @api.model
    def _is_unreconciled_credit(self, line, doubtful_ids):
        """Whether the journal item ``line`` is an unreconciled credit (the rule of the SQL above);
        ``doubtful_ids`` are the ids of ``_doubtful_line_ids``, read once for many lines."""
        return (
            line.parent_state == "posted"
            and (line.account_type == "asset_receivable" or line.id in doubtful_ids)
            and not line.reconciled
            and line.company_id.currency_id.compare_amounts(
                line.amount_residual, -line.company_id.credit_overdue_tolerance
            )
            < 0
        )

    @api.model
    def _days_late(self, company, date, partner_ids=None):
        """Payment behaviour over the 12 months before ``date``.

        Returns {"company": average days late, "partners": {partner_id: {"avg_days_late", "paid_invoices",
        "late_invoices"}}}: the averages are weighted by the amounts settled by receipts.
        """
        self._flush()
        self.env.cr.execute(
            SQL(
                """
                SELECT late.partner_id, late.late_weighted, late.settled, late.paid_invoices, late.late_invoices
                  FROM (%s) late
                """,
                self._days_late_by_partner_sql(company, date, partner_ids=partner_ids),
            )
        )
        partners = {}
        weighted_total = amount_total = 0.0
        for partner_id, weighted, amount, paid, late in self.env.cr.fetchall():
            weighted, amount = float(weighted or 0.0), float(amount or 0.0)
            partners[partner_id] = {
                "avg_days_late": weighted / amount if amount else 0.0,
                "paid_invoices": paid,
                "late_invoices": late,
            }
            weighted_total += weighted
            amount_total += amount
        return {"company": weighted_total / amount_total if amount_total else 0.0, "partners": partners}

    @api.model
    def _sales_and_receivables(self, company, date, months, partner_ids=None):
        """Monthly sales and receivable balances at ``date``, per customer.

        Returns (periods, sales, receivable): ``periods`` the monthly periods walking back from ``date``
        (see aging.month_periods), ``sales`` {partner_id: {period_index: amount}} and ``receivable``
        {partner_id: balance at ``date``}.
        """
        self._flush()
        periods = aging.month_periods(date, months)
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT sales.partner_id,
                       (EXTRACT(YEAR FROM %(date)s::date) - EXTRACT(YEAR FROM sales.invoice_date)) * 12
                           + EXTRACT(MONTH FROM %(date)s::date) - EXTRACT(MONTH FROM sales.invoice_date),
                       SUM(sales.amount)
                  FROM (%(sales)s) sales
              GROUP BY 1, 2
                """,
                date=date,
                sales=self._sales_sql(company, periods[-1][0], date, partner_ids),
            )
        )
        sales = defaultdict(dict)
        for partner_id, index, amount in cr.fetchall():
            sales[partner_id][int(index)] = float(amount)
        cr.execute(
            SQL(
                "SELECT lines.partner_id, SUM(lines.balance) FROM (%s) lines GROUP BY lines.partner_id",
                self._receivable_lines_sql(company, date=date, partner_ids=partner_ids),
            )
        )
        receivable = {partner_id: float(amount) for partner_id, amount in cr.fetchall()}
        return periods, sales, receivable

    @api.model
    def _dso(self, company, date, partner_ids=None):
        """DSO at ``date``: the company's by both methods, each customer's by the countback method.

        Returns {"countback": days, "simple": days, "partners": {partner_id: countback days},
        "with_sales": ids of the customers who bought on credit over the last 12 months (a DSO is known)}.
        """
        periods, sales, receivable = self._sales_and_receivables(
            company, date, COUNTBACK_MAX_MONTHS, partner_ids
        )
        company_sales = [0.0] * len(periods)
        for months in sales.values():
            for index, amount in months.items():
                company_sales[index] += amount
        partners = {}
        for partner_id, balance in receivable.items():
            months = sales.get(partner_id, {})
            partners[partner_id] = aging.dso_countback(
                balance, [(months.get(index, 0.0), period[2]) for index, period in enumerate(periods)]
            )
        total = sum(receivable.values())
        return {
            "countback": aging.dso_countback(
                total, [(company_sales[index], period[2]) for index, period in enumerate(periods)]
            ),
            "simple": aging.dso_simple(
                total,
                sum(company_sales[:DSO_MONTHS]),
                sum(period[2] for period in periods[:DSO_MONTHS]),
            ),
            "partners": partners,
            "with_sales": {
                partner_id
                for partner_id, months in sales.items()
                if any(months.get(index) for index in range(min(DSO_MONTHS, len(periods))))
            },
        }

    @api.model
    def _month_end_series(self, company, ends, partner_ids=None):
        """{day: (receivable balance, overdue amount)} at each of ``ends``, in one query.

        The overdue amount is the aged balance's: the residual at the day of the items due before it.
        """
        totals = self._totals_at(company, ends, partner_ids=partner_ids)
        return {day: (values["receivable"], values["overdue"]) for day, values in totals.items()}

    @api.model
    def _dso_series(self, company, date, partner_ids=None):
        """The company's DSO at the end of each of the last 12 months (the last one being ``date``),
        oldest first: dicts with date, receivable, sales, overdue, dso_countback, dso_simple."""
        ends = self._month_ends(date)
        periods, sales, _receivable = self._sales_and_receivables(
            company, date, COUNTBACK_MAX_MONTHS + DSO_MONTHS, partner_ids
        )
        monthly = [0.0] * len(periods)
        for months in sales.values():
            for index, amount in months.items():
                monthly[index] += amount
        figures = self._month_end_series(company, ends, partner_ids)
        series = []
        for offset, end in enumerate(ends):
            # Period ``offset`` is the month ending at ``end`` (the month of ``date`` up to ``date`` only).
            months = [(monthly[index], periods[index][2]) for index in range(offset, len(periods))]
            balance, overdue = figures.get(end, (0.0, 0.0))
            series.append(
                {
                    "date": end,
                    "receivable": balance,
                    "sales": months[0][0],
                    "overdue": overdue,
                    "dso_countback": aging.dso_countback(balance, months[:COUNTBACK_MAX_MONTHS]),
                    "dso_simple": aging.dso_simple(
                        balance,
                        sum(amount for amount, _days in months[:DSO_MONTHS]),
                        sum(days for _amount, days in months[:DSO_MONTHS]),
                    ),
                }
            )
        return list(reversed(series))

    @api.model
    def _exposure(self, company, partner_ids, date=None):
        """Exposure components of the commercial partners ``partner_ids`` in ``company`` now.

        Returns {partner_id: {receivable, unreconciled_credit, overdue, oldest_due, draft_invoices,
        orders_to_invoice}}: open receivables (positive residuals), unreconciled credits (as a positive
        amount), the overdue part of the receivables at ``date`` (today when None), the due date of the
        oldest overdue item above the tolerance, draft invoices and credit notes, confirmed orders not
        yet invoiced (taxes included, company currency).
        """
        result = defaultdict(dict)
        if not partner_ids:
            return result
        self._flush()
        self.env["sale.order.line"].flush_model(
            ["untaxed_amount_to_invoice", "price_total", "price_subtotal", "order_id"]
        )
        self.env["sale.order"].flush_model(["partner_id", "company_id", "state", "currency_rate"])
        cr = self.env.cr
        partner_ids = list(partner_ids)
        cr.execute(
            SQL(
                """
                SELECT items.partner_id,
                       COALESCE(SUM(items.residual) FILTER (WHERE items.residual > 0), 0),
                       COALESCE(-SUM(items.residual) FILTER (WHERE %(credit)s), 0),
                       COALESCE(SUM(items.residual) FILTER (WHERE items.residual > 0 AND %(overdue)s), 0),
                       MIN(items.due) FILTER (WHERE items.residual >= %(tolerance)s AND %(overdue)s)
                  FROM (%(items)s) items
              GROUP BY items.partner_id
                """,
                items=self._open_items_sql(company, partner_ids=partner_ids),
                credit=self._unreconciled_credit_sql(company),
                overdue=self._overdue_sql(),
                tolerance=company.credit_overdue_tolerance,
            )
        )
        for partner_id, receivable, credit, overdue, oldest_due in cr.fetchall():
            result[partner_id].update(
                receivable=float(receivable),
                unreconciled_credit=float(credit),
                overdue=float(overdue),
                oldest_due=oldest_due,
            )
        cr.execute(
            SQL(
                """
                SELECT move.commercial_partner_id, SUM(move.amount_total_signed)
                  FROM account_move move
                 WHERE move.company_id = %(company)s
                   AND move.state = 'draft'
                   AND move.move_type IN ('out_invoice', 'out_refund')
                   AND move.commercial_partner_id = ANY(%(partners)s)
              GROUP BY move.commercial_partner_id
                """,
                company=company.id,
                partners=partner_ids,
            )
        )
        for partner_id, amount in cr.fetchall():
            result[partner_id]["draft_invoices"] = float(amount or 0.0)
        # Odoo's amount to invoice, taxes included, converted to the company currency.
        cr.execute(
            SQL(
                """
                SELECT partner.commercial_partner_id,
                       SUM(sol.untaxed_amount_to_invoice
                           * CASE WHEN sol.price_subtotal != 0 THEN sol.price_total / sol.price_subtotal
                                  ELSE 1 END
                           / COALESCE(NULLIF(so.currency_rate, 0), 1))
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
                  JOIN res_partner partner ON partner.id = so.partner_id
                 WHERE so.company_id = %(company)s
                   AND so.state = 'sale'
                   AND sol.untaxed_amount_to_invoice != 0
                   AND partner.commercial_partner_id = ANY(%(partners)s)
              GROUP BY partner.commercial_partner_id
                """,
                company=company.id,
                partners=partner_ids,
            )
        )
        for partner_id, amount in cr.fetchall():
            result[partner_id]["orders_to_invoice"] = company.currency_id.round(float(amount or 0.0))
        return result

    @api.model
    def _active_customer_ids(self, company):
        """Commercial partners with receivable lines, draft invoices or confirmed orders in ``company``."""
        self._flush()
        self.env["sale.order"].flush_model(["partner_id", "company_id", "state"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT lines.partner_id FROM (%(lines)s) lines
                 UNION
                SELECT DISTINCT move.commercial_partner_id
                  FROM account_move move
                 WHERE move.company_id = %(company)s
                   AND move.state = 'draft'
                   AND move.move_type IN ('out_invoice', 'out_refund')
                 UNION
                SELECT DISTINCT partner.commercial_partner_id
                  FROM sale_order so
                  JOIN res_partner partner ON partner.id = so.partner_id
                 WHERE so.company_id = %(company)s
                   AND so.state = 'sale'
                """,
                lines=self._receivable_lines_sql(company),
                company=company.id,
            )
        )
        return [partner_id for (partner_id,) in self.env.cr.fetchall() if partner_id]

    # ------------------------------------------------------------------------------------------------
    # Payment terms
    # ------------------------------------------------------------------------------------------------
    @api.model
    def _payment_term_cap_applies(self, move):
        """Whether the legal cap binds ``move``: a customer invoice of a French company to a French (or
        country-less) business customer."""
        customer = move.commercial_partner_id
        country = move.company_id.account_fiscal_country_id or move.company_id.country_id
        return (
            move.move_type == "out_invoice"
            and country.code == "FR"
            and customer.credit_customer_type == "b2b"
            and customer.country_id.code in (False, "FR")
        )

    @api.model
    def _payment_term_cap(self, invoice_date, company):
        """The latest due date the law accepts for an invoice of ``company`` issued on ``invoice_date``.

        60 days from the invoice date, or "45 days end of month" by the method the company agrees with
        its customers (Settings), whichever is later (Code de commerce L441-10 I).
        """
        return payment_terms.legal_due_date_cap(invoice_date, company.credit_payment_term_cap_method)

    # ------------------------------------------------------------------------------------------------
    # What the run chases, the credits that signal a payment, the lists the user opens (issue #13)
    # ------------------------------------------------------------------------------------------------
    @api.model
    def _doubtful_lines_sql(self):
        """``SELECT`` of the ids of the receivable lines reclassified as doubtful (the 416 debits)."""
        return SQL(
            "SELECT doubtful_move_line_id FROM credit_recovery_doubtful_line WHERE doubtful_move_line_id IS NOT NULL"
        )

    @api.model
    def _dunning_items_sql(self, company, due_before, partner_ids=None):
        """The open items of ``company`` the dunning run chases, due on or before ``due_before``, as a
        subquery with the columns of ``_open_items_sql`` (residual now); of the commercial partners
        ``partner_ids`` only when given.

        Kept: the items of a customer with a positive residual, the 416 item of a reclassified invoice
        included (it is the invoice's debt: ``move_id`` is the invoice, whose blocks and factoring apply).
        Left out: the items excluded from dunning, factored invoices and the invoices ``account.move._credit_recovery_blocked`` names (its
        ``_credit_recovery_block_fields``), tested here for the whole book at once.
        """
        Move = self.env["account.move"]
        block_fields = Move._credit_recovery_block_fields()
        self._flush()
        self.env["account.move.line"].flush_model(["credit_recovery_excluded"])
        Move.flush_model(["credit_factored", *block_fields])
        return SQL(
            """
            SELECT items.*
              FROM (%(items)s) items
              JOIN account_move_line chased_line ON chased_line.id = items.id
              JOIN account_move chased_move ON chased_move.id = items.move_id
             WHERE items.residual > 0
               AND items.partner_id IS NOT NULL
               AND items.due <= %(due_before)s
               AND NOT COALESCE(chased_line.credit_recovery_excluded, FALSE)
               AND NOT COALESCE(chased_move.credit_factored, FALSE)
               %(not_blocked)s
            """,
            items=self._open_items_sql(company, partner_ids=partner_ids),
            due_before=due_before,
            not_blocked=SQL(" ").join(
                SQL("AND NOT COALESCE(%s, FALSE)", SQL.identifier("chased_move", fname))
                for fname in block_fields
            ),
        )

    @api.model
    def _unreconciled_credit_items_sql(self, companies, partner_ids=None, receipts_only=False):
        """The unreconciled credits of ``companies`` now, each company with its own tolerance, as a subquery.

        Columns: id, move_id, partner_id, company_id, residual. ``receipts_only`` keeps the receipts
        (``_receipt_sql``: payments, bank statement lines, entries of a bank or cash journal), not the
        credit notes. Without companies, no row.
        """
        selects = [
            SQL(
                """
                SELECT credits.id, credits.move_id, credits.partner_id, %(company)s AS company_id, credits.residual
                  FROM (%(items)s) credits
                  JOIN account_move_line receipt_line ON receipt_line.id = credits.id
                  JOIN account_journal receipt_journal ON receipt_journal.id = receipt_line.journal_id
                 WHERE %(credit)s
                   AND %(receipt)s
                """,
                company=company.id,
                items=self._open_items_sql(company, partner_ids=partner_ids),
                credit=self._unreconciled_credit_sql(company, "credits"),
                receipt=self._receipt_sql() if receipts_only else SQL("TRUE"),
            )
            for company in companies
        ]
        if not selects:
            return SQL(
                "SELECT NULL::integer AS id, NULL::integer AS move_id, NULL::integer AS partner_id, "
                "NULL::integer AS company_id, NULL::numeric AS residual WHERE FALSE"
            )
        return SQL(" UNION ALL ").join(selects)

    @api.model
    def _open_items_domain(self, company, partner=None):
        """Domain of ``account.move.line``: the receivable items of ``company`` open now, those of the
        commercial partner ``partner`` when given (the lists a user opens on the book)."""
        domain = [
            "|",
            ("account_id.account_type", "=", "asset_receivable"),
            ("id", "in", self._doubtful_line_ids()),
            ("company_id", "=", company.id),
            ("parent_state", "=", "posted"),
            ("reconciled", "=", False),
            ("amount_residual", "!=", 0),
        ]
        if partner is not None:
            domain.append(("partner_id.commercial_partner_id", "=", partner.commercial_partner_id.id))
        return domain

    # ------------------------------------------------------------------------------------------------
    # The book per customer, for the reports browsed as SQL views (DSO, forecast, effectiveness)
    # ------------------------------------------------------------------------------------------------
    @api.model
    def _days_late_by_partner_sql(self, company, date, partner_ids=None):
        """Payment behaviour per customer over the 12 months before ``date``, as a subquery.

        Columns: partner_id, late_weighted (amount settled x days late), settled (amount settled by
        receipts), avg_days_late (weighted by amount), paid_invoices, late_invoices.
        """
        return SQL(
            """
            SELECT settlement.partner_id,
                   SUM(settlement.amount * settlement.days_late) AS late_weighted,
                   SUM(settlement.amount) AS settled,
                   COALESCE(SUM(settlement.amount * settlement.days_late) / NULLIF(SUM(settlement.amount), 0), 0)
                       AS avg_days_late,
                   COUNT(DISTINCT settlement.move_id) AS paid_invoices,
                   COUNT(DISTINCT settlement.move_id) FILTER (WHERE settlement.days_late > 0) AS late_invoices
              FROM (%s) settlement
          GROUP BY settlement.partner_id
            """,
            self._settlements_sql(
                company, date - timedelta(days=BEHAVIOUR_DAYS), date, partner_ids=partner_ids
            ),
        )

    @api.model
    def _unreconciled_credits_by_partner_sql(self, company, date=None):
        """The unreconciled credits of each customer at ``date`` (positive amounts), as a subquery.

        Columns: partner_id, amount. The same figures as ``_unreconciled_credits``.
        """
        return SQL(
            "SELECT items.partner_id, -SUM(items.residual) AS amount FROM (%s) items WHERE %s GROUP BY items.partner_id",
            self._open_items_sql(company, date),
            self._unreconciled_credit_sql(company),
        )

    @api.model
    def _customer_book_sql(self, company, date):
        """One row per customer of ``company`` at ``date``: what it owes and how it buys and pays.

        Columns: company_id, partner_id, salesperson_id, controller_id, receivable (balance of its
        receivable lines at the date), overdue (the aged balance's overdue part), sales (invoices less
        credit notes of the 12 months up to the date, taxes included), late_weighted, settled and
        avg_days_late (``_days_late_by_partner_sql``). The customers who owe something or bought in the
        12 months.
        """
        periods = aging.month_periods(date, DSO_MONTHS)
        return SQL(
            """
            SELECT * FROM (
            WITH receivable AS (
                SELECT lines.partner_id, SUM(lines.balance) AS receivable
                  FROM (%(lines)s) lines
              GROUP BY lines.partner_id
            ), overdue AS (
                SELECT items.partner_id, SUM(items.residual) AS overdue
                  FROM (%(items)s) items
                 WHERE %(overdue_condition)s
              GROUP BY items.partner_id
            ), sales AS (
                SELECT sales.partner_id, SUM(sales.amount) AS sales
                  FROM (%(sales)s) sales
              GROUP BY sales.partner_id
            ), customers AS (
                SELECT partner_id FROM receivable WHERE receivable != 0
                 UNION
                SELECT partner_id FROM sales WHERE sales != 0
            )
            SELECT %(company)s AS company_id,
                   customers.partner_id,
                   %(customer_columns)s,
                   COALESCE(receivable.receivable, 0) AS receivable,
                   COALESCE(overdue.overdue, 0) AS overdue,
                   COALESCE(sales.sales, 0) AS sales,
                   COALESCE(late.late_weighted, 0) AS late_weighted,
                   COALESCE(late.settled, 0) AS settled,
                   COALESCE(late.avg_days_late, 0) AS avg_days_late
              FROM customers
         LEFT JOIN res_partner partner ON partner.id = customers.partner_id
         LEFT JOIN receivable ON receivable.partner_id IS NOT DISTINCT FROM customers.partner_id
         LEFT JOIN overdue ON overdue.partner_id IS NOT DISTINCT FROM customers.partner_id
         LEFT JOIN sales ON sales.partner_id IS NOT DISTINCT FROM customers.partner_id
         LEFT JOIN (%(late)s) late ON late.partner_id IS NOT DISTINCT FROM customers.partner_id
            ) customer_book
            """,
            lines=self._receivable_lines_sql(company, date=date),
            items=self._open_items_sql(company, date),
            overdue_condition=self._overdue_sql(),
            sales=self._sales_sql(company, periods[-1][0], date),
            company=company.id,
            customer_columns=self._customer_columns_sql(company),
            late=self._days_late_by_partner_sql(company, date),
        )

    @api.model
    def _dso_of_groups(self, company, date, groups):
        """The DSO of groups of customers of ``company`` at ``date``, each group taken as one customer.

        ``groups`` is {key: commercial partner ids (None for the lines without customer)}. Returns {key:
        {"countback": days, "simple": days}}: the countback method over the group's receivable and its
        monthly sales, and the simple method (receivable / sales of 12 months x days), as ``_dso`` does for
        the company. Two queries for all the groups.
        """
        partner_ids = {partner_id for members in groups.values() for partner_id in members}
        # The lines without customer are read with the whole book: no filter then.
        wanted = None if None in partner_ids else list(partner_ids)
        periods, sales, receivable = self._sales_and_receivables(company, date, COUNTBACK_MAX_MONTHS, wanted)
        result = {}
        for key, members in groups.items():
            monthly = [0.0] * len(periods)
            for partner_id in members:
                for index, amount in sales.get(partner_id, {}).items():
                    monthly[index] += amount
            total = sum(receivable.get(partner_id, 0.0) for partner_id in members)
            result[key] = {
                "countback": aging.dso_countback(
                    total, [(monthly[index], period[2]) for index, period in enumerate(periods)]
                ),
                "simple": aging.dso_simple(
                    total, sum(monthly[:DSO_MONTHS]), sum(period[2] for period in periods[:DSO_MONTHS])
                ),
            }
        return result

    # ------------------------------------------------------------------------------------------------
    # Doubtful receivables (416): the same debt as their invoice (issue #14, item 4)
    # ------------------------------------------------------------------------------------------------
    @api.model
    def _doubtful_join_sql(self, line_alias="aml", alias="doubtful"):
        """``LEFT JOIN`` of the doubtful receivable record whose 416 item is the journal item ``line_alias``."""
        return SQL(
            "LEFT JOIN credit_recovery_doubtful_line %s ON %s = %s",
            SQL.identifier(alias),
            SQL.identifier(alias, "doubtful_move_line_id"),
            SQL.identifier(line_alias, "id"),
        )

    @api.model
    def _receivable_item_sql(self, line_alias="aml"):
        """Condition on a journal item: it is a receivable.

        An item of a receivable account, or the 416 item of a reclassified invoice: reclassifying a debt as
        doubtful neither pays it nor makes it another debt.
        """
        # The receivable accounts as a list of ids (one small query), not a condition on the joined account:
        # PostgreSQL then reads the receivable items through the journal items' account index instead of
        # every item of the company (two in three are not receivables). The 416 items are few.
        return SQL(
            """(%s = ANY(%s) OR %s = ANY(ARRAY(
                   SELECT reclassified.doubtful_move_line_id FROM credit_recovery_doubtful_line reclassified
                    WHERE reclassified.doubtful_move_line_id IS NOT NULL)))""",
            SQL.identifier(line_alias, "account_id"),
            self._receivable_account_ids(),
            SQL.identifier(line_alias, "id"),
        )

    @api.model
    def _receivable_account_ids(self):
        """Ids of the receivable accounts, of every company (the book's queries filter the company)."""
        # sudo: the figures' readers need no right on the chart of accounts.
        accounts = self.env["account.account"].sudo().with_context(active_test=False)
        return accounts.search([("account_type", "=", "asset_receivable")]).ids

    @api.model
    def _debt_move_sql(self, line_alias="aml", alias="doubtful"):
        """The entry whose debt the journal item carries: the invoice for its 416 item, else its own entry.

        The 416 item also keeps the invoice's due date and dunning level (``credit.recovery.doubtful.line
        ._credit_debt_values``): the aged balance, the dunning run and the reports see one debt, aged from
        the invoice's due date, wherever it is booked.
        """
        return SQL(
            "COALESCE(%s, %s)", SQL.identifier(alias, "move_id"), SQL.identifier(line_alias, "move_id")
        )

    # ------------------------------------------------------------------------------------------------
    # Items in their own currency (issue #15): a debt in a foreign currency is claimed in it.
    # ------------------------------------------------------------------------------------------------
    @api.model
    def _open_items_in_currency(self, company, line_ids, date=None):
        """The open items among ``line_ids`` of ``company`` at ``date`` (now when None), in both currencies.

        Returns ``{line id: {"residual", "currency", "amount_currency", "residual_currency"}}``: the residual
        in company currency as ``_open_items_sql`` defines it, the item's currency (``res.currency``), its
        original amount and its residual in that currency (at a date: its amount less the partial
        reconciliations made by then, in the item's currency). Items not open are left out.
        """
        lines = self.env["account.move.line"].browse(line_ids)
        if not lines:
            return {}
        self._flush()
        self.env["account.move.line"].flush_model(
            ["currency_id", "amount_currency", "amount_residual_currency"]
        )
        self.env["account.partial.reconcile"].flush_model(
            ["debit_move_id", "credit_move_id", "debit_amount_currency", "credit_amount_currency", "max_date"]
        )
        if date:
            residual_currency = SQL(
                """aml.amount_currency
                   - COALESCE((SELECT SUM(apr.debit_amount_currency) FROM account_partial_reconcile apr
                                WHERE apr.debit_move_id = aml.id AND apr.max_date <= %(date)s), 0)
                   + COALESCE((SELECT SUM(apr.credit_amount_currency) FROM account_partial_reconcile apr
                                WHERE apr.credit_move_id = aml.id AND apr.max_date <= %(date)s), 0)""",
                date=date,
            )
        else:
            residual_currency = SQL("aml.amount_residual_currency")
        self.env.cr.execute(
            SQL(
                """
                SELECT items.id, items.residual, aml.currency_id, aml.amount_currency, %(residual_currency)s
                  FROM (%(items)s) items
                  JOIN account_move_line aml ON aml.id = items.id
                 WHERE items.id = ANY(%(line_ids)s)
                """,
                residual_currency=residual_currency,
                items=self._open_items_sql(company, date, move_ids=lines.credit_debt_move_id.ids),
                line_ids=list(lines.ids),
            )
        )
        Currency = self.env["res.currency"]
        result = {}
        for line_id, residual, currency_id, amount_currency, residual_in_currency in self.env.cr.fetchall():
            currency = Currency.browse(currency_id or company.currency_id.id)
            result[line_id] = {
                "residual": company.currency_id.round(float(residual)),
                "currency": currency,
                "amount_currency": currency.round(float(amount_currency or 0.0)),
                "residual_currency": currency.round(float(residual_in_currency or 0.0)),
            }
        return result

    # ------------------------------------------------------------------------------------------------
    # The customer columns of the reports' lines
    # ------------------------------------------------------------------------------------------------
    @api.model
    def _customer_columns_sql(self, company, partner_alias="partner"):
        """The columns salesperson_id and controller_id (in ``company``) of the customer ``partner_alias``
        (a ``res_partner`` joined by the query), as the reports' lines show them."""
        return SQL(
            "%s AS salesperson_id, (%s ->> %s)::integer AS controller_id",
            SQL.identifier(partner_alias, "user_id"),
            SQL.identifier(partner_alias, "credit_controller_id"),
            str(company.id),
        )

    # ------------------------------------------------------------------------------------------------
    # The legal payment period of public buyers (issue #14, Code de la commande publique)
    # ------------------------------------------------------------------------------------------------
    @api.model
    def _payment_term_public_cap(self, move, invoice_date=None):
        """The last day of the legal payment period of a public buyer's invoice, or ``False``.

        30 days (State, local authorities), 50 days (public health establishments) or 60 days (public
        undertakings) from the receipt of the invoice (R2192-10, R2192-11), the invoice date (or
        ``invoice_date``) standing for its receipt; no term agreed with a public buyer goes beyond it.
        """
        days = move.commercial_partner_id.credit_public_payment_days
        invoice_date = invoice_date or move.invoice_date
        if move.move_type != "out_invoice" or not days or not invoice_date:
            return False
        return invoice_date + timedelta(days=days)

    @api.model
    def _payment_term_legal_limit(self, move, invoice_date=None):
        """``(latest due date the law accepts, rule)`` for ``move``, ``(False, False)`` when no cap binds.

        The rule is ``"public"`` for a public buyer (``_payment_term_public_cap``), ``"l441_10"`` for a
        French business customer (``_payment_term_cap``). The one answer for the invoice's warning and the
        pre-send check.
        """
        invoice_date = invoice_date or move.invoice_date
        if move.commercial_partner_id.credit_public_buyer_kind:
            cap = self._payment_term_public_cap(move, invoice_date)
            return (cap, "public") if cap else (False, False)
        if invoice_date and self._payment_term_cap_applies(move):
            return self._payment_term_cap(invoice_date, move.company_id), "l441_10"
        return False, False

    # ------------------------------------------------------------------------------------------------
    # The book's totals at several days in one pass (issue #13: the dashboard and the DSO trend)
    # ------------------------------------------------------------------------------------------------
    @api.model
    def _totals_at(self, company, days, aging_day=None, partner_ids=None):
        """The totals of the book of ``company`` at each of ``days``, in one query.

        Returns {day: {"receivable", "overdue"}}: the balance of the receivable lines dated on or before the
        day, and the aged balance's overdue amount at the day (the residual at the day of the items due
        before it). For ``aging_day`` (one of ``days``), also the aged balance's columns summed over the
        customers: not_due, bucket_1 .. bucket_5.

        The residual of an item at a day is its balance less its partial reconciliations made by then (as
        ``_open_items_sql`` says), so each figure is a sum of balances and of partial amounts ("movements"):
        a movement counts in the overdue amount from the day its item is dated, due and the movement made;
        the movements are summed once per such day, then for each of ``days``, without the residual of each
        item at each day.
        """
        self._flush()
        days = list(days)
        buckets = SQL(" ").join(
            SQL("WHEN %s THEN %s", condition, key)
            for condition, key in zip(
                self._aging_conditions_sql(company, "movements"), aging.BUCKET_KEYS, strict=True
            )
        )
        self.env.cr.execute(
            SQL(
                """
                WITH items AS MATERIALIZED (%(lines)s),
                movements AS MATERIALIZED (
                    SELECT items.date, items.due, items.date AS made, items.balance AS amount, TRUE AS is_balance
                      FROM items
                     UNION ALL
                    SELECT items.date, items.due, apr.max_date, -apr.amount, FALSE
                      FROM items
                      JOIN account_partial_reconcile apr ON apr.debit_move_id = items.id
                     UNION ALL
                    SELECT items.date, items.due, apr.max_date, apr.amount, FALSE
                      FROM items
                      JOIN account_partial_reconcile apr ON apr.credit_move_id = items.id
                ),
                balances AS MATERIALIZED (
                    SELECT movements.date AS day, SUM(movements.amount) AS amount
                      FROM movements
                     WHERE movements.is_balance
                  GROUP BY movements.date
                ),
                overdue AS MATERIALIZED (
                    SELECT GREATEST(movements.date, movements.made, movements.due + 1) AS day,
                           SUM(movements.amount) AS amount
                      FROM movements
                  GROUP BY 1
                )
                SELECT total.day, NULL AS bucket,
                       COALESCE((SELECT SUM(balances.amount) FROM balances WHERE balances.day <= total.day), 0),
                       COALESCE((SELECT SUM(overdue.amount) FROM overdue WHERE overdue.day <= total.day), 0)
                  FROM unnest(%(days)s::date[]) AS total(day)
                 UNION ALL
                SELECT NULL, CASE %(buckets)s END, SUM(movements.amount), NULL
                  FROM (
                      SELECT %(aging_day)s::date - movements.due AS days, SUM(movements.amount) AS amount
                        FROM movements
                       WHERE %(with_aging)s AND movements.date <= %(aging_day)s AND movements.made <= %(aging_day)s
                    GROUP BY movements.due
                  ) movements
              GROUP BY 2
                """,
                lines=self._receivable_lines_sql(company, date=max(days), partner_ids=partner_ids),
                days=days,
                buckets=buckets,
                aging_day=aging_day or max(days),
                with_aging=bool(aging_day),
            )
        )
        round_amount = company.currency_id.round
        result = {day: {} for day in days}
        aging_totals = dict.fromkeys(aging.BUCKET_KEYS, 0.0)
        for day, bucket, receivable, overdue in self.env.cr.fetchall():
            if day:
                result[day].update(receivable=float(receivable), overdue=round_amount(float(overdue)))
            elif bucket:
                aging_totals[bucket] = round_amount(float(receivable))
        if aging_day:
            result.setdefault(aging_day, {}).update(aging_totals)
        return result

    @api.model
    def _month_ends(self, date):
        """The days of the 12-month trends: ``date``, then the end of each of the 11 months before it."""
        return [date] + [aging.month_end(date, months_back) for months_back in range(1, DSO_MONTHS)]

    @api.model
    def _record_month_ends(self, company, date):
        """Compute the overdue amount of ``company`` at the 11 month ends before ``date`` (``_totals_at``) and
        record it (``credit.recovery.book.month``), replacing what was recorded earlier: once a day, by the
        run."""
        days = self._month_ends(date)[1:]
        totals = self._totals_at(company, days)
        # sudo: the figures are the book's, recorded by the run whoever started it.
        Month = self.env["credit.recovery.book.month"].sudo()
        recorded = {
            record.date: record
            for record in Month.search([("company_id", "=", company.id), ("date", "in", days)])
        }
        to_create = []
        for day in days:
            values = {"overdue_amount": totals[day]["overdue"], "computed_on": date}
            if day in recorded:
                recorded[day].write(values)
            else:
                to_create.append({"company_id": company.id, "date": day, **values})
        Month.create(to_create)

    @api.model
    def _overdue_at_month_ends(self, company, date):
        """{day: overdue amount} of ``company`` at each of the 11 month ends before ``date``, as
        ``_totals_at`` says: as the daily run recorded them (``_record_month_ends``), those not recorded
        computed now."""
        days = self._month_ends(date)[1:]
        overdue = self.env["credit.recovery.book.month"]._recorded_overdue(company, days)
        missing = [day for day in days if day not in overdue]
        if missing:
            totals = self._totals_at(company, missing)
            overdue.update((day, totals[day]["overdue"]) for day in missing)
        return overdue

    @api.model
    def _aged_totals(self, company, date):
        """The aged balance of ``company`` at ``date`` summed over the customers, in one query: {"overdue",
        "not_due", "bucket_1" .. "bucket_5"}, the figures of ``_totals_at`` at the date, read from the items
        open at the date (``_open_items_sql``), so from the open items alone when nothing of the book is
        dated after the date."""
        self._flush()
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(SUM(items.residual) FILTER (WHERE %(overdue)s), 0), %(aging)s
                  FROM (%(items)s) items
                """,
                overdue=self._overdue_sql(),
                aging=self._aging_columns_sql(company),
                items=self._open_items_sql(company, date),
            )
        )
        round_amount = company.currency_id.round
        keys = ("overdue", *aging.BUCKET_KEYS)
        return {
            key: round_amount(float(value)) for key, value in zip(keys, self.env.cr.fetchone(), strict=True)
        }

    # ------------------------------------------------------------------------------------------------
    # Payment plans: what a plan has received, which instalments that covers
    # ------------------------------------------------------------------------------------------------
    @api.model
    def _running_plans_sql(self, company):
        """The running payment plans of ``company`` with what each has received since it was signed.

        Columns: id, partner_id (commercial), amount_total, paid: the plan's debt less what its items still
        owe now (0 for a plan without a debt). ``_plan_paid`` is the same rule on a record.
        """
        return SQL(
            """
            SELECT plan.id, partner.commercial_partner_id AS partner_id, plan.amount_total,
                   CASE WHEN COALESCE(plan.amount_total, 0) != 0
                        THEN plan.amount_total - COALESCE(SUM(aml.amount_residual), 0)
                        ELSE 0 END AS paid
              FROM credit_recovery_plan plan
              JOIN res_partner partner ON partner.id = plan.partner_id
         LEFT JOIN credit_recovery_plan_line_rel rel ON rel.plan_id = plan.id
         LEFT JOIN account_move_line aml ON aml.id = rel.line_id
             WHERE plan.company_id = %(company)s
               AND plan.state = 'running'
          GROUP BY plan.id, partner.commercial_partner_id, plan.amount_total
            """,
            company=company.id,
        )

    @api.model
    def _plan_paid(self, plan):
        """What ``plan`` has received since it was signed: the rule of ``_running_plans_sql`` on a record
        (its items' residuals as the ORM holds them, before they are written)."""
        if not plan.amount_total:
            return 0.0
        return plan.amount_total - sum(plan.line_ids.mapped("amount_residual"))

    @api.model
    def _plan_instalments_sql(self, company):
        """The instalments of the running plans of ``company``, each with what the plan's payments leave
        after it and the earlier ones (date, then id).

        Columns: id, plan_id, partner_id, date, amount, left_after (rounded to the company currency): the
        instalment is paid when it is not below zero. ``_instalments_left`` is the same rule on records.
        """
        return SQL(
            """
            SELECT instalment.id, instalment.plan_id, plans.partner_id, instalment.date, instalment.amount,
                   ROUND(plans.paid - SUM(instalment.amount) OVER (
                       PARTITION BY instalment.plan_id ORDER BY instalment.date, instalment.id
                   ), %(digits)s) AS left_after
              FROM credit_recovery_plan_instalment instalment
              JOIN (%(plans)s) plans ON plans.id = instalment.plan_id
            """,
            plans=self._running_plans_sql(company),
            digits=company.currency_id.decimal_places,
        )

    @api.model
    def _instalments_left(self, plan, instalments):
        """[(instalment, left after it)] for ``instalments`` of ``plan``, in the order they fall due (date,
        then creation): the rule of ``_plan_instalments_sql`` on records. An instalment is paid when what is
        left after it is not below zero (``currency.compare_amounts(left, 0) >= 0``)."""
        left = self._plan_paid(plan)
        result = []
        for instalment in instalments.sorted(lambda item: (item.date, item._origin.id or 0)):
            left -= instalment.amount
            result.append((instalment, left))
        return result
