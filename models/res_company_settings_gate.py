from odoo import api, models
from odoo.exceptions import AccessError, ValidationError

MANAGER_GROUP = "account_credit_recovery.group_credit_manager"
# Account settings -> the account types they accept (the French chart's 416 and 491 are current assets).
CREDIT_ACCOUNT_TYPES = {
    "credit_doubtful_account_id": ("asset_receivable", "asset_current"),
    "credit_provision_account_id": ("asset_receivable", "asset_current"),
    "credit_provision_expense_account_id": ("expense", "expense_depreciation"),
    "credit_provision_income_account_id": ("income", "income_other"),
    "credit_loss_account_id": ("expense", "expense_depreciation"),
    "credit_loss_vat_account_id": ("liability_current",),
}
CREDIT_JOURNAL_TYPES = {"credit_doubtful_journal_id": ("general",)}
# Settings that are amounts or counts and cannot be negative.
CREDIT_NON_NEGATIVE = (
    "credit_risk_signs_medium",
    "credit_risk_signs_high",
    "credit_risk_late_days_medium",
    "credit_risk_late_days_high",
    "credit_risk_overdue_days_high",
    "credit_risk_overdue_days_critical",
    "credit_overdue_tolerance",
    "credit_deposit_min_amount",
    "credit_hold_overdue_days",
    "credit_bap_days_before_due",
    "credit_bap_min_amount",
    "credit_recovery_indemnity_amount",
)


class ResCompany(models.Model):
    """Credit Managers write the credit settings of their companies with their own rights.

    ``security/ir.model.access.csv`` gives Credit Managers the right to write companies; this write lets
    them change only the stored credit settings (``_credit_manager_settings``) of the companies they belong
    to, and the constraints below check what they write: accounts and journals of the company and of the
    right type, percentages between 0 and 100, no negative amount or number of days. Settings
    administrators (``base.group_erp_manager``) keep Odoo's own rights.
    """

    _inherit = "res.company"

    def write(self, vals):
        if not self.env.su and vals and not self.env.user.has_group("base.group_erp_manager"):
            self._credit_check_manager_write(vals)
        return super().write(vals)

    def _credit_check_manager_write(self, vals):
        user = self.env.user
        if not user.has_group(MANAGER_GROUP):
            return  # Odoo's access rights refuse the write
        others = sorted(set(vals) - self._credit_manager_settings())
        if others:
            raise AccessError(
                self.env._(
                    "A Credit Manager changes only the credit settings of a company, not %(fields)s.",
                    fields=", ".join(others),
                )
            )
        foreign = self - user.company_ids
        if foreign:
            raise AccessError(
                self.env._(
                    "You can change the credit settings of your own companies only, not of %(companies)s.",
                    companies=", ".join(foreign.mapped("name")),
                )
            )

    @api.constrains(lambda self: (*CREDIT_ACCOUNT_TYPES, *CREDIT_JOURNAL_TYPES))
    def _check_credit_setting_types(self):
        """The accounts and journals of the credit settings are of the kind the entries need."""
        for company in self:
            for fname, types in (*CREDIT_ACCOUNT_TYPES.items(), *CREDIT_JOURNAL_TYPES.items()):
                if fname not in self._fields:
                    continue
                # sudo: the type of a record of another company is compared, not shown.
                record = company[fname].sudo()
                if not record:
                    continue
                is_account = record._name == "account.account"
                kind_field = "account_type" if is_account else "type"
                if record[kind_field] in types and not (is_account and record.deprecated):
                    continue
                labels = dict(record._fields[kind_field]._description_selection(self.env))
                raise ValidationError(
                    self.env._(
                        "%(record)s cannot be the %(setting)s of %(company)s: choose an active one of type "
                        "%(kinds)s.",
                        record=record.display_name,
                        setting=self._fields[fname]._description_string(self.env),
                        company=company.name,
                        kinds=", ".join(labels.get(kind, kind) for kind in types),
                    )
                )

    @api.constrains(lambda self: (*CREDIT_NON_NEGATIVE, "credit_penalty_rate"))
    def _check_credit_setting_ranges(self):
        for company in self:
            negative = [
                fname for fname in CREDIT_NON_NEGATIVE if fname in self._fields and company[fname] < 0
            ]
            if negative:
                raise ValidationError(
                    self.env._(
                        "%(settings)s of %(company)s cannot be negative.",
                        settings=", ".join(
                            self._fields[fname]._description_string(self.env) for fname in negative
                        ),
                        company=company.name,
                    )
                )
            if not 0.0 <= company.credit_penalty_rate <= 100.0:
                raise ValidationError(
                    self.env._(
                        "The contractual penalty rate of %(company)s is a percentage a year between 0 and 100, "
                        "not %(rate)s.",
                        company=company.name,
                        rate=company.credit_penalty_rate,
                    )
                )
