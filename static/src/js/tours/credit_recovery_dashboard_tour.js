import { registry } from "@web/core/registry";

// The credit controller's day on the demo data, in French (the demo users' language).

registry.category("web_tour.tours").add("account_credit_recovery_dashboard", {
    url: "/odoo",
    steps: () => [
        {
            content: "The controller lands on the day's dashboard, in French",
            trigger: ".o_credit_recovery_dashboard .o_crd_calls .card-header:contains('Appels du jour')",
        },
        {
            content: "The calls tile counts today's calls, with their amount",
            trigger: ".o_credit_recovery_dashboard .o_crd_tile_calls .o_crd_amount:contains('€')",
        },
        {
            content: "The call comes with its script",
            trigger: ".o_crd_call:contains('Pharmacie du Marché') .o_crd_script_toggle",
            run: "click",
        },
        {
            content: "Read the script",
            trigger: ".o_crd_call:contains('Pharmacie du Marché') .o_crd_script",
        },
        {
            content: "Log the call",
            trigger: ".o_crd_call:contains('Pharmacie du Marché') .o_crd_log_call",
            run: "click",
        },
        {
            content: "The customer promises to pay",
            trigger: ".modal .o_field_widget[name='promise_amount'] input",
            run: "edit 1620",
        },
        {
            content: "by the end of the year",
            trigger: ".modal .o_field_widget[name='promise_date'] input",
            run: "edit 31/12/2099",
        },
        {
            content: "Agree on the next call",
            trigger: ".modal .o_field_widget[name='next_call_date'] input",
            run: "edit 31/12/2099",
        },
        {
            content: "Note what was said",
            trigger: ".modal .o_field_widget[name='notes'] textarea",
            run: "edit Virement promis par la comptable",
        },
        {
            content: "Save the call",
            trigger: ".modal button[name='action_log_call']",
            run: "click",
        },
        {
            content: "Back on the dashboard, the call is done",
            trigger:
                ".o_credit_recovery_dashboard .o_crd_calls:not(:has(.o_crd_call:contains('Pharmacie du Marché')))",
        },
    ],
});

registry.category("web_tour.tours").add("account_credit_recovery_notice_validation", {
    url: "/odoo",
    steps: () => [
        {
            content: "The Credit Manager sees the formal notice waiting for validation",
            trigger: ".o_credit_recovery_dashboard .o_crd_notices .card-header:contains('Mises en demeure à valider')",
        },
        {
            content: "Validate it",
            trigger: ".o_crd_notice:contains('Électricité Bernard SAS') .o_crd_validate",
            run: "click",
        },
        {
            content: "It is validated, and waits for printing",
            trigger: ".o_crd_letters .o_crd_print_notices",
        },
        {
            content: "Nothing else waits for validation",
            trigger: ".o_crd_notices:not(:has(.o_crd_notice))",
        },
    ],
});

registry.category("web_tour.tours").add("account_credit_recovery_print_letters", {
    url: "/odoo",
    steps: () => [
        {
            content: "The letters of the day are on the dashboard",
            trigger: ".o_credit_recovery_dashboard .o_crd_letters .card-header:contains('Courriers à imprimer')",
        },
        {
            content: "Print the formal notices as one batch",
            trigger: ".o_crd_letters .o_crd_print_notices",
            run: "click",
        },
        {
            content: "Printed: nothing left to print",
            trigger: ".o_crd_letters:not(:has(.o_crd_print_notices))",
        },
    ],
});
