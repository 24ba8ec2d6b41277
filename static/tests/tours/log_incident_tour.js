import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("client_relationship_log_incident_from_message", {
    steps: () => [
        {
            content: "Open the actions of the client's message",
            trigger: ".o-mail-Message:contains('Vous êtes là ? On est dimanche soir')",
            run: "hover && click .o-mail-Message [title='Déplier']",
        },
        {
            content: "First click: log an incident from the message",
            trigger: ".o-mail-Message-moreMenu .o-mail-ActionList-actionLabel:contains('Consigner un incident')",
            run: "click",
        },
        {
            content: "The client is the message's author",
            trigger: ".modal .o_field_widget[name=partner_id] input:value(/Nuit Blanche SARL/)",
        },
        {
            content: "What happened",
            trigger: ".modal div[name=incident_type] label:contains('Me contacte en dehors de mes heures')",
            run: "click",
        },
        {
            content: "Second click: save",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The dialog closes",
            trigger: "body:not(:has(.modal .o_form_view))",
        },
    ],
});
