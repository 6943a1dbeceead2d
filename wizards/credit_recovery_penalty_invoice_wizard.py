from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_date


class CreditRecoveryPenaltyInvoiceWizard(models.TransientModel):
    _name = "credit.recovery.penalty.invoice.wizard"
    _description = "Bill Late-Payment Penalties"

    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        domain=[("move_type", "=", "out_invoice"), ("state", "=", "posted")],
    )
    date = fields.Date(
        string="Penalties Up To",
        required=True,
        default=fields.Date.context_today,
        help="Penalties are billed for the days up to and including this date; it is also the date of the "
        "penalty invoices.",
    )

    @api.constrains("date")
    def _check_date(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            if wizard.date > today:
                raise ValidationError(
                    self.env._("Penalties are billed for days already past, up to today at the latest.")
                )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if (
            "move_ids" in fields_list
            and not values.get("move_ids")
            and self.env.context.get("active_model") == "account.move"
        ):
            values["move_ids"] = [Command.set(self.env.context.get("active_ids", []))]
        return values

    def action_create_invoices(self):
        """One penalty invoice per customer: penalties and indemnities not billed yet, without VAT."""
        self.ensure_one()
        # Claims born before an opening judgment: their penalties stop and are declared, never billed.
        self.env["res.partner"]._credit_check_no_pursuit(self.move_ids, self.env._("A penalty invoice"))
        moves = self.move_ids.filtered(
            lambda move: (
                move.move_type == "out_invoice"
                and move.state == "posted"
                and not move.credit_is_penalty_invoice
                and move.partner_id.commercial_partner_id.credit_customer_type != "b2c"
            )
        )
        details = moves._credit_claimable_details(self.date)
        # A missing official rate bills the days up to the last published semester (the rest later),
        # unless the company blocks until the rate is entered.
        errors = [
            detail["error"]
            for move, detail in details.items()
            if detail.get("error") and move.company_id.credit_missing_rate_policy == "block"
        ]
        if errors:
            raise UserError(errors[0])
        groups = defaultdict(list)
        for move in moves:
            detail = details.get(move)
            if detail and (detail["penalties"] or detail["indemnity"]):
                key = (move.company_id, move.partner_id.commercial_partner_id, move.currency_id)
                groups[key].append((move, detail))
        if not groups:
            raise UserError(
                self.env._("These invoices have no late-payment penalty or indemnity left to bill.")
            )
        penalty_moves = self.env["account.move"]
        for (company, partner, currency), items in groups.items():
            penalty_moves |= self._create_penalty_invoice(company, partner, currency, items)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Penalty Invoices"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", penalty_moves.ids)],
            "context": {"default_move_type": "out_invoice"},
        }

    def _create_penalty_invoice(self, company, partner, currency, items):
        """Create the penalty invoice of one customer and record what it bills."""
        product = company._credit_penalty_product()
        if not product:
            raise UserError(self.env._("Choose the penalty product in the Credit Recovery settings."))
        line_values = []
        billed = []
        # Penalties are financial income (7631, or the income account configured on the penalty product),
        # the indemnity other operating income (758, or its product's account), on the French chart.
        indemnity_product = company._credit_indemnity_product()
        penalty_account = product.with_company(
            company
        ).property_account_income_id or company._credit_find_account(("7631",))
        indemnity_account = indemnity_product.with_company(
            company
        ).property_account_income_id or company._credit_find_account(("758",))
        for move, detail in items:
            for item in detail["penalties"]:
                first_day = item["date_from"] + timedelta(days=1)
                line_values.append(
                    self._line_values(
                        product,
                        item["amount"],
                        self.env._(
                            "Late-payment penalties on %(invoice)s (due %(due)s), from %(start)s to %(end)s, "
                            "at %(rates)s a year",
                            invoice=move.name,
                            due=format_date(self.env, item["line"].date_maturity),
                            start=format_date(self.env, first_day),
                            end=format_date(self.env, item["date_to"]),
                            rates=", ".join(move._credit_format_rate(rate) for rate in item["rates"]),
                        ),
                        penalty_account,
                    )
                )
                billed.append(
                    {
                        "receivable_line_id": item["line"].id,
                        "kind": "penalty",
                        "date_from": first_day,
                        "date_to": item["date_to"],
                        "amount": item["amount"],
                    }
                )
            if detail["indemnity"]:
                receivable = move.line_ids.filtered(lambda line: line.display_type == "payment_term")[:1]
                line_values.append(
                    self._line_values(
                        indemnity_product,
                        detail["indemnity"],
                        self.env._(
                            "Fixed recovery indemnity for the late payment of %(invoice)s "
                            "(Code de commerce D441-5)",
                            invoice=move.name,
                        ),
                        indemnity_account,
                    )
                )
                billed.append(
                    {"receivable_line_id": receivable.id, "kind": "indemnity", "amount": detail["indemnity"]}
                )
        penalty_move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "company_id": company.id,
                "partner_id": partner.id,
                "currency_id": currency.id,
                "invoice_date": self.date,
                "credit_is_penalty_invoice": True,
                "invoice_origin": ", ".join(move.name for move, _detail in items),
                # Penalties and the indemnity are damages, not the price of a supply: out of the scope of VAT.
                "narration": self.with_context(lang=self._penalty_invoice_lang(partner)).env._(
                    "Out of the scope of VAT (article 256 of the French General Tax Code)."
                ),
                "invoice_line_ids": [Command.create(values) for values in line_values],
            }
        )
        # Each billed item matches the invoice line created at the same position.
        for values, invoice_line in zip(
            billed, penalty_move.invoice_line_ids.sorted(lambda line: (line.sequence, line.id)), strict=True
        ):
            values["penalty_move_line_id"] = invoice_line.id
        self.env["credit.recovery.penalty.line"].create(billed)
        return penalty_move

    def _line_values(self, product, amount, label, account=None):
        values = {
            "product_id": product.id,
            "name": label,
            "quantity": 1.0,
            "price_unit": amount,
            "tax_ids": [Command.clear()],
        }
        if account:
            values["account_id"] = account.id
        return values

    def _penalty_invoice_lang(self, partner):
        """The customer's document language (French for a customer established in France)."""
        return partner._credit_document_lang()
