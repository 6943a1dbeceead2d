import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("account_credit_recovery_customer_credit_page", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the Credit Recovery app",
            trigger: '.o_app[data-menu-xmlid="account_credit_recovery.credit_recovery_menu_root"]',
            run: "click",
        },
        {
            content: "Open the customers",
            trigger: ".o_menu_sections [data-menu-xmlid='account_credit_recovery.credit_recovery_menu_customers']",
            run: "click",
        },
        {
            content: "The customers list shows each customer's risk level",
            trigger: ".o_list_view .o_data_row .o_data_cell[name='credit_risk_level']",
        },
        {
            content: "Open the tour's customer",
            trigger: ".o_list_view .o_data_row .o_data_cell:contains('AAA Tour Customer SAS')",
            run: "click",
        },
        {
            content: "Open its Credit page",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Credit')",
            run: "click",
        },
        {
            content: "The exposure is shown",
            trigger: ".o_form_view .o_field_widget[name='credit_exposure']:contains('1,200.00')",
        },
        {
            content: "The overdue amount is shown",
            trigger: ".o_form_view .o_field_widget[name='credit_overdue_amount']:contains('1,200.00')",
        },
    ],
});
