from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL

# What makes the module think a customer has paid or may have paid, by kind (see ``_payment_signal_sql``).
SIGNAL_KINDS = (
    "unreconciled_credit",
    "payment_in_process",
    "bank_statement_line",
    "draft_credit_note",
    "other_company_payment",
)


class CreditRecoveryBookPayment(models.AbstractModel):
    """The one answer to "has this customer paid, or may it have paid?", for SQL and Python alike.

    A customer has a payment signal in a company when the books hold, for its commercial partner:

    - ``unreconciled_credit``: an unreconciled credit of the company in the book's sense (a receipt or a
      credit note not matched with the invoices, beyond the company's tolerance);
    - ``payment_in_process``: an inbound customer payment of the company "in process" without a journal
      entry (Odoo 18 books it when the bank statement comes, nothing is on the receivable yet);
    - ``bank_statement_line``: a bank statement line of the company received from the customer and not
      reconciled yet;
    - ``draft_credit_note``: a credit note of the company still in draft;
    - ``other_company_payment``: a receipt booked in another company (an unreconciled credit of a payment,
      a statement line or a bank or cash entry, a payment in process, an unreconciled bank statement line):
      the customer may have paid the wrong entity.

    The dunning run reads it when it decides, and the actions again right before they are executed,
    printed, sent or posted: days can pass in between.
    """

    _name = "credit.recovery.book.payment"
    _description = "Receivable Book: Payment Signals"

    @api.model
    def _payment_signal_sql(self, company, partner_ids=None):
        """``SELECT partner_id, kind`` of the payment signals of ``company``'s customers, as an ``SQL``.

        ``partner_id`` is the commercial partner; ``partner_ids`` (commercial partners) narrows the query.
        The caller embeds it (``... IN (SELECT partner_id FROM (%s) signals)``) or runs it; the tables it
        reads are flushed here.

        The unreconciled credits are the book's (``credit.recovery.book._unreconciled_credit_items_sql``),
        those of the other companies limited to receipts (``credit.recovery.book._receipt_sql``).
        """
        self._flush_payment_signal_fields()
        book = self.env["credit.recovery.book"]
        partner_filter = (
            SQL("AND p.commercial_partner_id = ANY(%s)", list(partner_ids))
            if partner_ids is not None
            else SQL()
        )
        # sudo: a receipt booked in any company of the database is a signal, whatever the reader's companies.
        other_companies = (
            self.env["res.company"].sudo().with_context(active_test=False).search([("id", "!=", company.id)])
        )
        return SQL(
            """
            SELECT credits.partner_id, 'unreconciled_credit' AS kind
              FROM (%(credits)s) credits
             WHERE credits.partner_id IS NOT NULL
             UNION
            SELECT receipts.partner_id, 'other_company_payment'
              FROM (%(other_receipts)s) receipts
             WHERE receipts.partner_id IS NOT NULL
             UNION
            SELECT p.commercial_partner_id,
                   CASE WHEN pay.company_id = %(company)s THEN 'payment_in_process'
                        ELSE 'other_company_payment' END
              FROM account_payment pay
              JOIN res_partner p ON p.id = pay.partner_id
             WHERE pay.state = 'in_process'
               AND pay.move_id IS NULL
               AND pay.payment_type = 'inbound'
               AND pay.partner_type = 'customer'
               %(partner_filter)s
             UNION
            SELECT p.commercial_partner_id,
                   CASE WHEN st.company_id = %(company)s THEN 'bank_statement_line'
                        ELSE 'other_company_payment' END
              FROM account_bank_statement_line st
              JOIN account_move m ON m.id = st.move_id
              JOIN res_partner p ON p.id = st.partner_id
             WHERE NOT COALESCE(st.is_reconciled, FALSE)
               AND m.state = 'posted'
               AND st.amount > 0
               %(partner_filter)s
             UNION
            SELECT p.commercial_partner_id, 'draft_credit_note'
              FROM account_move m
              JOIN res_partner p ON p.id = m.partner_id
             WHERE m.company_id = %(company)s
               AND m.move_type = 'out_refund'
               AND m.state = 'draft'
               %(partner_filter)s
            """,
            company=company.id,
            credits=book._unreconciled_credit_items_sql(company, partner_ids),
            other_receipts=book._unreconciled_credit_items_sql(
                other_companies, partner_ids, receipts_only=True
            ),
            partner_filter=partner_filter,
        )

    @api.model
    def _payment_signals(self, company, partners):
        """``{commercial partner id: {kinds}}`` of the customers among ``partners`` with a payment signal."""
        commercial = partners.commercial_partner_id
        if not commercial:
            return {}
        self.env.cr.execute(self._payment_signal_sql(company, commercial.ids))
        signals = defaultdict(set)
        for partner_id, kind in self.env.cr.fetchall():
            signals[partner_id].add(kind)
        return dict(signals)

    @api.model
    def _flush_payment_signal_fields(self):
        self.env["credit.recovery.book"]._flush()
        self.env["account.move.line"].flush_model(
            [
                "company_id",
                "partner_id",
                "account_id",
                "parent_state",
                "reconciled",
                "amount_residual",
                "move_id",
            ]
        )
        self.env["account.move"].flush_model(
            ["company_id", "partner_id", "move_type", "state", "origin_payment_id", "statement_line_id"]
        )
        self.env["account.payment"].flush_model(
            ["company_id", "partner_id", "state", "move_id", "payment_type", "partner_type"]
        )
        self.env["account.bank.statement.line"].flush_model(
            ["company_id", "partner_id", "is_reconciled", "amount", "move_id"]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])

    @api.model
    def _signal_labels(self):
        """The kinds of signal as the user reads them."""
        return {
            "unreconciled_credit": self.env._("payments or credit notes not matched with the invoices"),
            "payment_in_process": self.env._("a payment in process, not yet on the bank statement"),
            "bank_statement_line": self.env._("a bank statement line not reconciled yet"),
            "draft_credit_note": self.env._("a credit note in draft"),
            "other_company_payment": self.env._("a payment booked in another company"),
        }

    @api.model
    def _describe(self, kinds):
        labels = self._signal_labels()
        return ", ".join(labels[kind] for kind in SIGNAL_KINDS if kind in kinds)
