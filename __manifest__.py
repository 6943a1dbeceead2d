# Copyright 2026 account_credit_recovery authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Credit Recovery",
    "summary": "French customer credit management: risk, deposits, dunning, "
    "formal notice, litigation and receivable reporting",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/account-credit-recovery/account_credit_recovery",
    "author": "account_credit_recovery authors",
    "maintainers": [],
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "account",
        "sale",
        "mail",
        "l10n_fr_account",
    ],
    "data": [
        "security/account_credit_recovery_security.xml",
        "security/ir.model.access.csv",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "report/credit_recovery_letter.xml",
        "report/credit_recovery_plan_report.xml",
        "data/mail_template_data.xml",
        "data/credit_recovery_policy_data.xml",
        "views/credit_recovery_policy_views.xml",
        "views/credit_recovery_action_views.xml",
        "views/credit_recovery_plan_views.xml",
        "wizards/credit_recovery_call_wizard_views.xml",
        "views/account_move_dunning_views.xml",
        "views/res_company_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/sale_order_views.xml",
        "wizards/credit_recovery_hold_wizard_views.xml",
        "wizards/credit_recovery_deposit_lift_wizard_views.xml",
        "views/menus.xml",
        "views/credit_recovery_deposit_schedule_views.xml",
    ],
    "demo": [
        "demo/credit_recovery_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "account_credit_recovery/static/src/js/tours/*.js",
        ],
    },
}
