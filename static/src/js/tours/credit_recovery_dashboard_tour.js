import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("account_credit_recovery_dashboard", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the Credit Recovery app: it opens on the controller's day",
            trigger: '.o_app[data-menu-xmlid="account_credit_recovery.credit_recovery_menu_root"]',
            run: "click",
        },
        {
            content: "The calls tile counts the call due today",
            trigger: ".o_form_view .o_tile_calls .o_field_widget[name='calls_count']:contains('1')",
        },
        {
            content: "Open the customer to call",
            trigger:
                ".o_field_widget[name='call_ids'] .o_data_row:contains('AAA Dashboard Customer SAS') button[name='action_open_customer']",
            run: "click",
        },
        {
            content: "Open its Credit page",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Credit')",
            run: "click",
        },
        {
            content: "Log a call",
            trigger: ".o_form_view button[name='action_credit_log_call']",
            run: "click",
        },
        {
            content: "Agree on the next call",
            trigger: ".modal .o_field_widget[name='next_call_date'] input",
            run: "edit 12/31/2099",
        },
        {
            content: "Add a note",
            trigger: ".modal .o_field_widget[name='notes'] textarea",
            run: "edit Will pay on Friday",
        },
        {
            content: "Log the call",
            trigger: ".modal button[name='action_log_call']",
            run: "click",
        },
        {
            content: "The call is in the customer's chatter",
            trigger: ".o-mail-Message:contains('Will pay on Friday')",
        },
    ],
});
