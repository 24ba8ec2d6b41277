import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("client_relationship_end_wizard_fr", {
    steps: () => [
        {
            content: "The contact form offers to end the relationship, in French",
            trigger: ".o_form_view .o_form_statusbar button[name=action_end_relationship]:contains('Mettre fin à la relation')",
            run: "click",
        },
        {
            content: "The wizard opens on this client",
            trigger: ".modal .o_field_widget[name=partner_id]:contains('Madame Nuit')",
        },
        {
            content: "Say why",
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: "edit Des SMS la nuit et le week-end.",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer button[name=action_confirm]:contains('Mettre fin à la relation')",
            run: "click",
        },
        {
            content: "The end is noted in the chatter",
            trigger: ".o-mail-Message:contains('Des SMS la nuit et le week-end.')",
        },
    ],
});
