from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

PROOF_KINDS = [
    ("signed_order", "Signed Order"),
    ("signed_quote", "Signed Quotation"),
    ("delivery_note", "Signed Delivery Note"),
    ("acceptance_report", "Acceptance Report (PV)"),
    ("receipt_email", "Customer E-mail Confirming Receipt"),
    ("other", "Other"),
]
# Proof that the customer ordered, and proof that it received what it ordered.
ORDER_PROOF_KINDS = frozenset({"signed_order", "signed_quote"})
DELIVERY_PROOF_KINDS = frozenset({"delivery_note", "acceptance_report", "receipt_email"})


class CreditRecoveryProof(models.Model):
    _name = "credit.recovery.proof"
    _description = "Proof Document of a Sale"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char(string="Description", required=True)
    kind = fields.Selection(PROOF_KINDS, required=True, default="signed_order", tracking=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    signatory_name = fields.Char(string="Signatory")
    signatory_function = fields.Char(string="Function", help="The signatory's position at the customer.")
    can_bind = fields.Boolean(
        string="Can Bind the Customer",
        help="The signatory has the power to commit the customer (legal representative or delegation).",
    )
    attachment_id = fields.Many2one("ir.attachment", ondelete="restrict", copy=False)
    file = fields.Binary(compute="_compute_file", inverse="_inverse_file")
    file_name = fields.Char()
    sale_order_id = fields.Many2one("sale.order", index="btree_not_null", ondelete="cascade", tracking=True)
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        index="btree_not_null",
        ondelete="cascade",
        domain="[('move_type', '=', 'out_invoice'), ('company_id', '=', company_id)]",
        tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_partner_company",
        store=True,
        readonly=False,
        required=True,
        index=True,
        precompute=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_partner_company",
        store=True,
        readonly=False,
        required=True,
        index=True,
        precompute=True,
        default=lambda self: self.env.company,
        ondelete="restrict",
    )
    note = fields.Text(string="Notes")
    active = fields.Boolean(default=True, help="Archive a proof to hide it; evidence is never deleted.")

    @api.depends("attachment_id.datas")
    def _compute_file(self):
        for proof in self:
            proof.file = proof.attachment_id.datas

    def _inverse_file(self):
        for proof in self:
            if not proof.file:
                continue
            values = {"datas": proof.file, "name": proof.file_name or proof.name}
            if proof.attachment_id:
                proof.attachment_id.write(values)
            else:
                values.update(res_model=self._name, res_id=proof.id)
                proof.attachment_id = self.env["ir.attachment"].create(values)

    @api.depends("sale_order_id", "move_id")
    def _compute_partner_company(self):
        for proof in self:
            document = proof.move_id or proof.sale_order_id
            if document:
                proof.partner_id = document.partner_id.commercial_partner_id
                proof.company_id = document.company_id
            elif not proof.company_id:
                proof.company_id = self.env.company

    @api.constrains("sale_order_id", "move_id", "partner_id", "company_id")
    def _check_document(self):
        for proof in self:
            if not proof.sale_order_id and not proof.move_id:
                raise ValidationError(
                    self.env._("Link the proof %(proof)s to a sale order or an invoice.", proof=proof.name)
                )
            for document in (proof.sale_order_id, proof.move_id):
                if not document:
                    continue
                if document.company_id != proof.company_id:
                    raise ValidationError(
                        self.env._(
                            "The proof %(proof)s and %(document)s belong to different companies.",
                            proof=proof.name,
                            document=document.display_name,
                        )
                    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_evidence(self):
        """Proofs of invoices a formal notice, a reminder or a litigation case relied on are evidence."""
        moves = self.move_id | self.sale_order_id.invoice_ids
        if not moves:
            return
        # sudo: the evidence is kept whoever deletes it, even a user who may not read the actions or cases.
        covered = (
            self.env["credit.recovery.action"]
            .sudo()
            .search([("state", "=", "done"), ("line_ids.move_id", "in", moves.ids)])
            .line_ids.move_id
            | self.env["credit.recovery.case"]
            .sudo()
            .search([("state", "!=", "draft"), ("move_ids", "in", moves.ids)])
            .move_ids
        )
        evidence = self.filtered(lambda proof: (proof.move_id | proof.sale_order_id.invoice_ids) & covered)
        if evidence:
            raise UserError(
                self.env._(
                    "%(proofs)s support invoices already claimed in a recovery action or a litigation case: "
                    "archive them instead of deleting them.",
                    proofs=", ".join(evidence.mapped("name")),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        proofs = super().create(vals_list)
        # A file uploaded elsewhere (chatter, documents) and picked as attachment: attach it to the proof.
        proofs.attachment_id.filtered(lambda attachment: not attachment.res_model).write(
            {"res_model": self._name}
        )
        for proof in proofs.filtered(lambda proof: proof.attachment_id.res_model == self._name):
            if not proof.attachment_id.res_id:
                proof.attachment_id.res_id = proof.id
        return proofs


class SaleOrder(models.Model):
    _inherit = "sale.order"

    credit_proof_ids = fields.One2many("credit.recovery.proof", "sale_order_id", string="Proof Documents")
    credit_proof_count = fields.Integer(string="Proofs", compute="_compute_credit_proof_count")

    @api.depends("credit_proof_ids")
    def _compute_credit_proof_count(self):
        for order in self:
            order.credit_proof_count = len(order.credit_proof_ids)

    def action_credit_proofs(self):
        """The proof documents of the order."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_credit_recovery.credit_recovery_proof_action"
        )
        action.update(
            {
                "domain": [("sale_order_id", "=", self.id)],
                "context": {"default_sale_order_id": self.id, "default_name": self.name},
            }
        )
        return action
