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
            content: "1. Why: a reason from the list",
            trigger: ".modal div[name=reason_ids] label:contains('Familiarité excessive')",
            run: "click",
        },
        {
            content: "1. Why: in a few words",
            trigger: ".modal .o_field_widget[name=notes] textarea",
            run: "edit Des SMS la nuit et le week-end.",
        },
        {
            content: "2. Checks",
            trigger: ".modal .nav-link:contains('2. Vérifications')",
            run: "click",
        },
        {
            content: "The checks list what is still open",
            trigger: ".modal div[name=check_ids] .o_data_row:contains('dossier de passation')",
        },
        {
            content: "3. The letter",
            trigger: ".modal .nav-link:contains('3. La lettre')",
            run: "click",
        },
        {
            content: "The letter is prefilled in French, sandwich method",
            trigger: ".modal .o_field_widget[name=letter_opening] textarea:value(/confiance/)",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer button[name=action_confirm]:contains('Mettre fin à la relation')",
            run: "click",
        },
        {
            content: "The letter goes by e-mail: send it",
            trigger: ".modal button[name=action_send_mail]",
            run: "click",
        },
        {
            content: "Back on the contact, the relationship is ending",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Fin programmée')",
        },
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open Client Relationships",
            trigger: ".o_app[data-menu-xmlid='client_relationship.menu_client_relationship_root']",
            run: "click",
        },
        {
            content: "Open the ended relationships",
            trigger: ".o_menu_sections [data-menu-xmlid='client_relationship.menu_client_relationship_terminations']",
            run: "click",
        },
        {
            content: "The termination is in the list",
            trigger: ".o_list_view .o_data_row:contains('Madame Nuit')",
        },
    ],
});
