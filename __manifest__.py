{
    "name": "Client Relationships",
    "version": "19.0.1.0.0",
    "summary": "End a client relationship professionally: health score, deposits, "
    "termination letter and handover dossier",
    "category": "Sales/Sales",
    "author": "client_relationship contributors",
    "maintainers": ["client_relationship"],
    "website": "https://github.com/client-relationship/client_relationship",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["contacts", "sale_management", "account", "resource"],
    "data": [
        "security/client_relationship_groups.xml",
        "security/ir.model.access.csv",
        "security/client_relationship_security.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "wizard/client_relationship_end_wizard_views.xml",
        "views/res_partner_views.xml",
        "views/client_relationship_incident_views.xml",
        "views/client_relationship_health_snapshot_views.xml",
        "views/res_config_settings_views.xml",
        "views/client_relationship_menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "client_relationship/static/src/js/*.js",
        ],
        "web.assets_tests": [
            "client_relationship/static/tests/tours/*.js",
        ],
    },
    "application": True,
}
