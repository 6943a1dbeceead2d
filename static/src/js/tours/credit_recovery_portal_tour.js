import { registry } from "@web/core/registry";

// A date ten days ahead, within the page's promise limit, as the date input expects it.
const inTenDays = new Date(Date.now() + 10 * 86400000).toISOString().slice(0, 10);

registry.category("web_tour.tours").add("account_credit_recovery_customer_page", {
    steps: () => [
        {
            content: "The customer sees its statement",
            trigger: ".o_credit_portal tr[name='statement_item']",
        },
        {
            content: "Choose the overdue invoice",
            trigger: ".o_credit_portal form[name='pay_invoices'] input[name='invoice_ids']:first",
            run: "click",
        },
        {
            content: "Pay the chosen invoice",
            trigger: ".o_credit_portal button[name='pay_chosen']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The payment page shows the invoice's amount and the payment form",
            trigger: ".o_credit_portal_pay td[name='pay_amount']:contains('200,00')",
        },
        {
            content: "Back to the account",
            trigger: ".o_credit_portal_pay a.btn-link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Promise the rest: the amount",
            trigger: ".o_credit_portal #promise_amount",
            run: "edit 600",
        },
        {
            content: "Promise the rest: the date",
            trigger: ".o_credit_portal #promise_date",
            run() {
                document.querySelector(".o_credit_portal #promise_date").value = inTenDays;
            },
        },
        {
            content: "Send the promise",
            trigger: ".o_credit_portal button[name='promise_submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The promise is acknowledged",
            trigger: ".o_credit_portal .alert-success[name='done']",
        },
    ],
});
