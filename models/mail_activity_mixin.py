from odoo import models


class MailActivityMixin(models.AbstractModel):
    _inherit = "mail.activity.mixin"

    def _credit_activity_schedule_once(self, act_type_xmlid, date_deadline, describe, match_summary=False):
        """Schedule an activity of type ``act_type_xmlid`` due on ``date_deadline`` on each record that has
        none open of that type (with the same summary when ``match_summary``): a daily job run again adds no
        duplicate.

        ``describe(record)`` gives the activity's ``(summary, note, user)``. Returns the records an activity
        was scheduled on.
        """
        activity_type = self.env.ref(act_type_xmlid)
        opened = {
            (res_id, summary) if match_summary else res_id
            for res_id, summary in self.env["mail.activity"]._read_group(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ],
                ["res_id", "summary"],
            )
        }
        scheduled = self.browse()
        for record in self:
            summary, note, user = describe(record)
            if ((record.id, summary) if match_summary else record.id) in opened:
                continue
            record.activity_schedule(
                act_type_xmlid=act_type_xmlid,
                date_deadline=date_deadline,
                summary=summary,
                note=note,
                user_id=user.id,
            )
            scheduled |= record
        return scheduled
