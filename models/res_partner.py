from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    """The customer's credit terms per company: who follows it, its dunning policy, the deposit and
    references its orders require, the proofs its invoices require; its promises, plans and actions.

    The rest of the credit file: ``res_partner_identity.py`` (identity and checks), ``res_partner_risk.py``
    (risk rules), ``res_partner_exposure.py`` (exposure, from the receivable book), ``res_partner_review.py``
    (credit reviews).
    """

    _inherit = "res.partner"

    # Per company: who follows the customer.
    credit_controller_id = fields.Many2one(
        "res.users",
        company_dependent=True,
        ondelete="set null",
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("account_credit_recovery.group_credit_controller").ids)
        ],
    )
    # Dunning, per company.
    credit_policy_id = fields.Many2one(
        "credit.recovery.policy",
        string="Dunning Policy",
        company_dependent=True,
        ondelete="restrict",
        help="Leave empty to follow the company's default policy.",
    )
    credit_recovery_paused_until = fields.Date(
        string="Dunning Paused Until",
        company_dependent=True,
        help="The daily run leaves the customer alone until then.",
        groups="base.group_user",
    )
    credit_recovery_action_ids = fields.One2many(
        "credit.recovery.action",
        "partner_id",
        string="Recovery Actions",
        groups="account.group_account_invoice",
    )
    # Deposits and order references required on sale orders, per company (see sale_order.py).
    credit_deposit_custom = fields.Boolean(
        string="Specific Deposit Rule",
        company_dependent=True,
        help="Replace the deposit of the customer's risk level with the rule below.",
    )
    credit_deposit_percent = fields.Float(
        string="Required Deposit (%)", digits=(5, 2), company_dependent=True
    )
    # A Float as Odoo's credit_limit: company-dependent fields cannot be Monetary.
    credit_deposit_min_amount = fields.Float(
        string="Deposit from Order Amount",
        digits="Account",
        company_dependent=True,
        help="Orders below this total (taxes included, company currency) require no deposit.",
    )
    credit_deposit_schedule_id = fields.Many2one(
        "credit.recovery.deposit.schedule",
        string="Payment Schedule",
        company_dependent=True,
        ondelete="restrict",
        help="Payments at order, during the work and at delivery; the part due at order is the deposit.",
    )
    credit_require_order_reference = fields.Boolean(
        string="Requires a Signed Quotation or PO Reference",
        company_dependent=True,
        help="Orders are confirmed only with the customer's purchase order reference or an online signature.",
    )

    # Indisputable invoices (see account_move_proof.py): what the customer requires, who does what there.
    credit_require_order_ref = fields.Boolean(
        related="credit_require_order_reference",
        readonly=False,
        string="Requires its Order Reference on Invoices",
        help="Invoices are sent only with the customer's order reference (on the invoice or its sale order).",
    )
    credit_require_delivery_proof = fields.Boolean(
        string="Requires a Proof of Delivery",
        company_dependent=True,
        help="Invoices are sent only with a signed delivery note, an acceptance report or the customer's e-mail "
        "confirming receipt.",
    )
    credit_require_signed_order = fields.Boolean(
        string="Requires a Signed Order",
        company_dependent=True,
        help="Invoices are sent only with the order or quotation signed by a person who can bind the customer.",
    )

    @api.constrains("credit_deposit_percent")
    def _check_credit_deposit_percent(self):
        for partner in self:
            if not 0.0 <= partner.credit_deposit_percent <= 100.0:
                raise ValidationError(
                    self.env._(
                        "The deposit of %(partner)s is a percentage between 0 and 100, not %(percent)s.",
                        partner=partner.display_name,
                        percent=partner.credit_deposit_percent,
                    )
                )

    def action_credit_log_call(self):
        """Log a call with this customer."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_credit_recovery.credit_recovery_call_wizard_action"
        )
        action["context"] = {
            "default_partner_id": self.commercial_partner_id.id,
            "default_contact_id": self.id,
        }
        return action

    def action_credit_recovery_history(self):
        """The customer's recovery actions, newest first."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_credit_recovery.credit_recovery_action_action"
        )
        action.update(
            {
                "domain": [("partner_id", "=", self.commercial_partner_id.id)],
                "context": {"default_partner_id": self.commercial_partner_id.id},
                "name": self.env._("Recovery of %(customer)s", customer=self.commercial_partner_id.name),
            }
        )
        return action

    def _credit_recovery_promised(self, date):
        """The customers among ``self`` whose payment promise still runs on ``date``."""
        groups = self.env["credit.recovery.promise"]._read_group(
            [
                ("partner_id", "in", self.ids),
                ("company_id", "=", self.env.company.id),
                ("state", "=", "open"),
                ("date", ">=", date),
            ],
            ["partner_id"],
        )
        return self.browse([partner.id for [partner] in groups])

    def _credit_recovery_in_plan(self):
        """The customers among ``self`` with a signed payment plan still running."""
        groups = self.env["credit.recovery.plan"]._read_group(
            [
                ("partner_id", "in", self.ids),
                ("company_id", "=", self.env.company.id),
                ("state", "=", "running"),
            ],
            ["partner_id"],
        )
        return self.browse([partner.id for [partner] in groups])
