import { registry } from "@web/core/registry";

// A date ten days ahead, within the page's promise limit, as the date input expects it.
const inTenDays = new Date(Date.now() + 10 * 86400000).toISOString().slice(0, 10);

// The customer opens the link of its reminder (no login), pays its overdue invoice with Odoo's demo payment
// provider, comes back to its page, then promises to pay the invoice that is not due yet.
registry.category("web_tour.tours").add("account_credit_recovery_customer_page", {
    steps: () => [
        {
            content: "The customer sees its statement",
            trigger: ".o_credit_portal tr[name='statement_item']",
        },
        {
            content: "Choose the overdue invoice (the page lists the oldest due first)",
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
            content: "The payment page shows the invoice's amount",
            trigger: ".o_credit_portal_pay td[name='pay_amount']:contains('760,00')",
        },
        {
            content: "Choose the demo payment method",
            trigger: ".o_credit_portal_pay input[name='o_payment_radio'][data-provider-code='demo']",
            run: "click",
        },
        {
            content: "The demo provider simulates a successful payment",
            trigger: ".o_credit_portal_pay #simulated_payment_state",
            run: "select done",
        },
        {
            content: "Pay",
            trigger: ".o_credit_portal_pay button[name='o_payment_submit_button']:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Back on its page through the payment status page, the payment is acknowledged",
            trigger: ".o_credit_portal .alert-success[name='done']",
            // The status page polls the transaction every few seconds before it sends the customer back.
            timeout: 30000,
        },
        {
            content: "Promise the rest: the amount",
            trigger: ".o_credit_portal #promise_amount",
            run: "edit 1440",
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
