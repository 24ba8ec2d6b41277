import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("client_relationship_deposit_settings_fr", {
    steps: () => [
        {
            content: "Sales settings lead to the deposit rules",
            trigger: "#relationship_deposit_link button:contains('Règles d\'acompte')",
            run: "click",
        },
        {
            content: "The deposit rules are in the addon's settings, in French",
            trigger: "#relationship_deposit_rules:contains('Acomptes avant le début du travail')",
        },
        {
            content: "Require deposits",
            trigger: "#relationship_deposit_rules .o_field_boolean input",
            run: "click",
        },
        {
            content: "40% from individuals",
            trigger: "#relationship_deposit_rules div[name=relationship_deposit_individual_percent] input",
            run: "edit 40",
        },
        {
            content: "Save the settings",
            trigger: ".o_form_button_save",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The settings are saved",
            trigger: "#relationship_deposit_rules div[name=relationship_deposit_individual_percent] input:value(/^40/)",
        },
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open Sales",
            trigger: ".o_app[data-menu-xmlid='sale.sale_menu_root']",
            run: "click",
        },
        {
            content: "New quotation",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "For an individual client",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Mme Minuit",
        },
        {
            content: "Pick her",
            trigger: ".o-autocomplete--dropdown-item:contains('Mme Minuit')",
            run: "click",
        },
        {
            content: "The quotation asks the deposit set a moment ago",
            trigger: ".o_form_view .alert-info:contains('Acompte de 40 % requis : client particulier')",
        },
        {
            content: "Save the quotation",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_breadcrumb:contains('S0')",
        },
    ],
});
