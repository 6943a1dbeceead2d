from odoo import Command, models

EXCLUSION_FIELDS = ("credit_recovery_excluded", "credit_recovery_exclusion_reason")


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def write(self, vals):
        fnames = [fname for fname in EXCLUSION_FIELDS if fname in vals]
        if not fnames:
            return super().write(vals)
        before = {line.id: {fname: line[fname] for fname in fnames} for line in self}
        result = super().write(vals)
        self._credit_log_exclusion(fnames, before)
        return result

    def _credit_log_exclusion(self, fnames, before):
        """Log on each invoice who took its items out of the dunning run (or put them back), when and why.

        One message per invoice with the old and new values of the items' exclusion and its reason; the
        invoice belongs to one company, so its chatter is read by that company's users only.
        """
        Tracking = self.env["mail.tracking.value"].sudo()
        col_info = self.sudo().fields_get(
            fnames, attributes=("string", "type", "selection", "currency_field")
        )
        for move, lines in self.grouped("move_id").items():
            changes = {}
            for line in lines:
                for fname in fnames:
                    old, new = before[line.id][fname], line[fname]
                    if old != new and (old or new):
                        changes.setdefault(fname, (old, new))
            if changes:
                move._message_log(
                    body=self.env.context.get("credit_trail_body") or "",
                    author_id=self.env.user.partner_id.id,
                    tracking_value_ids=[
                        Command.create(
                            Tracking._create_tracking_values(old, new, fname, col_info[fname], lines[0])
                        )
                        for fname, (old, new) in changes.items()
                    ],
                )
