from odoo import api, fields, models
from odoo.exceptions import UserError

OPERATIONS = [
    ("reclassify", "Reclassify to 416"),
    ("provision", "Set the Provision"),
    ("writeoff", "Write Off (irrecoverable)"),
]


class CreditRecoveryDoubtfulWizard(models.TransientModel):
    """Reclassify invoices as doubtful, set their provision or write them off, in one posted entry each."""

    _name = "credit.recovery.doubtful.wizard"
    _description = "Doubtful Receivables"

    operation = fields.Selection(OPERATIONS, required=True, default="reclassify")
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        required=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('payment_state', 'in', ('not_paid', 'partial'))]",
    )
    company_id = fields.Many2one(
        "res.company", compute="_compute_company_id", help="The company of the invoices."
    )
    date = fields.Date(string="Accounting Date", required=True, default=fields.Date.context_today)
    journal_id = fields.Many2one(
        "account.journal",
        compute="_compute_journal_id",
        store=True,
        readonly=False,
        domain="[('type', '=', 'general'), ('company_id', '=', company_id)]",
    )
    provision_percent = fields.Float(
        string="Provision (%)",
        digits=(5, 2),
        help="Share of the amount at risk excluding taxes to provision (0 to 100): the provision already "
        "booked is adjusted to it by a dotation or a reversal.",
    )

    @api.depends("move_ids")
    def _compute_company_id(self):
        for wizard in self:
            wizard.company_id = wizard.move_ids.company_id[:1] or self.env.company

    @api.depends("company_id")
    def _compute_journal_id(self):
        for wizard in self:
            wizard.journal_id = wizard.company_id._credit_doubtful_default_journal()

    @api.model
    def _credit_action(self, invoices, operation, partner=None):
        """The wizard's window action on ``invoices``, refused to anyone but a Credit Manager."""
        self.env["credit.recovery.doubtful.line"]._credit_check_manager()
        names = dict(self._fields["operation"]._description_selection(self.env))
        percent = 0.0
        if operation == "provision" and len(invoices) == 1:
            percent = (
                self.env["credit.recovery.doubtful.line"]
                .search([("move_id", "=", invoices.id)], limit=1)
                .provision_percent
            )
        return {
            "type": "ir.actions.act_window",
            "name": names[operation],
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_move_ids": invoices.ids,
                "default_operation": operation,
                "default_partner_id": partner.id if partner else False,
                "default_provision_percent": percent,
            },
        }

    def action_apply(self):
        self.ensure_one()
        Doubtful = self.env["credit.recovery.doubtful.line"]
        Doubtful._credit_check_manager()
        if len(self.move_ids.company_id) > 1:
            raise UserError(self.env._("Select invoices of one company at a time."))
        if self.partner_id and self.move_ids.commercial_partner_id - self.partner_id:
            raise UserError(
                self.env._("Select invoices of %(customer)s only.", customer=self.partner_id.display_name)
            )
        # All the entries of the operation or none: a refusal on the last invoice undoes the first ones.
        with self.env.cr.savepoint():
            if self.operation == "reclassify":
                records = Doubtful._credit_reclassify(self.move_ids, self.date, self.journal_id)
            else:
                records = Doubtful._credit_get_or_create(self.move_ids)
                if self.operation == "provision":
                    records._credit_set_provision(self.provision_percent, self.date, self.journal_id)
                else:
                    records._credit_write_off(self.date, self.journal_id)
        return records._get_records_action(name=self.env._("Doubtful Receivables"))
