from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

MILESTONES = [
    ("order", "At order"),
    ("work", "During the work"),
    ("delivery", "At delivery"),
]


class CreditRecoveryDepositSchedule(models.Model):
    _name = "credit.recovery.deposit.schedule"
    _description = "Deposit Payment Schedule"
    _order = "name, id"

    name = fields.Char(required=True, translate=True, help="e.g. 30 % at order, 40 % during the work...")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        ondelete="cascade",
        default=lambda self: self.env.company,
    )
    line_ids = fields.One2many(
        "credit.recovery.deposit.schedule.line", "schedule_id", string="Payments", copy=True
    )
    order_percent = fields.Float(
        string="Due at Order (%)",
        compute="_compute_order_percent",
        help="What the deposit invoice issued at confirmation asks for.",
    )

    @api.depends("line_ids.percent", "line_ids.milestone")
    def _compute_order_percent(self):
        for schedule in self:
            schedule.order_percent = sum(
                schedule.line_ids.filtered(lambda line: line.milestone == "order").mapped("percent")
            )

    @api.constrains("line_ids")
    def _check_line_ids(self):
        for schedule in self:
            total = sum(schedule.line_ids.mapped("percent"))
            if schedule.line_ids and float_compare(total, 100.0, precision_digits=2):
                raise ValidationError(
                    self.env._(
                        "The payments of the schedule %(schedule)s must add up to 100 %% (now %(total)s %%).",
                        schedule=schedule.name,
                        total=total,
                    )
                )

    def _credit_instalment_lines(self):
        """The payments invoiced after the confirmation, in their order."""
        self.ensure_one()
        return self.line_ids.filtered(lambda line: line.milestone != "order").sorted(
            lambda line: (line.sequence, line.id)
        )


class CreditRecoveryDepositScheduleLine(models.Model):
    _name = "credit.recovery.deposit.schedule.line"
    _description = "Deposit Payment Schedule Line"
    _order = "schedule_id, sequence, id"

    schedule_id = fields.Many2one(
        "credit.recovery.deposit.schedule", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="schedule_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    milestone = fields.Selection(MILESTONES, required=True, default="order")
    percent = fields.Float(string="Percentage", digits=(5, 2), required=True)
    name = fields.Char(string="Description", translate=True)

    _sql_constraints = [
        (
            "percent_range",
            "CHECK(percent > 0 AND percent <= 100)",
            "A payment of a schedule is a percentage above 0 and up to 100.",
        ),
    ]
