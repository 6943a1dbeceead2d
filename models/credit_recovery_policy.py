from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CreditRecoveryPolicy(models.Model):
    _name = "credit.recovery.policy"
    _description = "Dunning Policy"
    _order = "company_id, name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, ondelete="cascade", index=True
    )
    level_ids = fields.One2many("credit.recovery.level", "policy_id", string="Levels", copy=True)
    min_interval_days = fields.Integer(
        string="Minimum Days Between Contacts",
        default=3,
        help="A customer is not contacted again by the daily run sooner than this after its previous contact.",
    )
    note = fields.Html(string="Notes", translate=True)

    _sql_constraints = [
        (
            "min_interval_days_positive",
            "CHECK(min_interval_days >= 0)",
            "The minimum interval cannot be negative.",
        ),
    ]

    @api.constrains("level_ids")
    def _check_level_ids(self):
        for policy in self:
            delays = policy.level_ids.mapped("delay_days")
            if len(delays) != len(set(delays)):
                raise ValidationError(
                    self.env._("Two levels of the policy %(policy)s have the same delay.", policy=policy.name)
                )

    def _ordered_levels(self):
        """The levels of the policy, from the earliest to the latest delay."""
        self.ensure_one()
        return self.level_ids.sorted(lambda level: (level.delay_days, level.id))
