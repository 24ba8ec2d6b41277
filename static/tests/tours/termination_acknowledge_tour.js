import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("client_relationship_termination_acknowledge", {
    steps: () => [
        {
            content: "The client reads the end date in full, in French",
            trigger: "#relationship_end_date:contains('Notre collaboration prend fin le')",
        },
        {
            content: "The letter is on the page",
            trigger: "#relationship_end_letter:contains('ici là, je terminerai')",
        },
        {
            content: "The work still open is listed",
            trigger: "#relationship_end_orders tbody tr",
        },
        {
            content: "Acknowledge receipt",
            trigger: "#relationship_end_acknowledge_button:contains('Accuser réception')",
            run: "click",
        },
        {
            content: "Type the name",
            trigger: ".modal.show #relationship_end_acknowledge_name",
            run: "edit Mme Nuit",
        },
        {
            content: "Confirm",
            trigger: ".modal.show #relationship_end_acknowledge_confirm:contains('Accuser réception')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Thanked, in French",
            trigger: ".alert-success:contains('Merci')",
        },
        {
            content: "The page says who acknowledged receipt, in French",
            trigger: "#relationship_end_acknowledged:contains('Réception accusée par Mme Nuit le')",
        },
        {
            content: "No second acknowledgement",
            trigger: "#relationship_end_sidebar:not(:has(#relationship_end_acknowledge_button))",
        },
    ],
});
