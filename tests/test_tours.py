from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTours(HttpCase):
    def test_french_manager_ends_a_relationship(self):
        self.env.ref("base.lang_fr").active = True
        new_test_user(
            self.env,
            login="claire",
            groups="sales_team.group_sale_manager,account.group_account_invoice",
            name="Claire Secrétaire",
            lang="fr_FR",
            email="claire@secretariat.example",
        )
        client = self.env["res.partner"].create(
            {
                "name": "Madame Nuit",
                "is_company": True,
                "email": "nuit@example.com",
                "lang": "fr_FR",
            }
        )
        self.env["client.relationship.contract"].create(
            {
                "name": "Contrat de secrétariat",
                "partner_id": client.id,
                "date_start": "2025-01-06",
                "date_signed": "2025-01-06",
                "notice_period": 1,
                "notice_unit": "month",
            }
        )
        self.start_tour(
            f"/odoo/res.partner/{client.id}", "client_relationship_end_wizard_fr", login="claire"
        )
        termination = client.relationship_termination_ids
        self.assertEqual(len(termination), 1)
        self.assertEqual(client.relationship_state, "ending")
        self.assertIn("Des SMS la nuit", termination.notes)
        self.assertTrue(
            termination.message_ids.filtered(lambda m: m.subject == "Fin de notre collaboration"),
            "the letter was e-mailed from the termination",
        )

    def test_log_an_incident_from_a_message(self):
        new_test_user(
            self.env,
            login="ulysse",
            groups="sales_team.group_sale_salesman",
            name="Ulysse Commercial",
            lang="fr_FR",
        )
        client = self.env["res.partner"].create({"name": "Nuit Blanche SARL", "is_company": True})
        contact = self.env["res.partner"].create({"name": "Mme Nuit", "parent_id": client.id})
        client.message_post(
            body="Vous êtes là ? On est dimanche soir", author_id=contact.id, message_type="comment"
        )
        self.start_tour(
            f"/odoo/res.partner/{client.id}",
            "client_relationship_log_incident_from_message",
            login="ulysse",
        )
        incident = client.relationship_incident_ids
        self.assertEqual(incident.incident_type, "out_of_hours")
        self.assertIn("dimanche soir", incident.description)
        self.assertEqual(client.relationship_incident_count, 2)

    def test_french_manager_sets_deposit_rules_and_sees_them_on_a_quotation(self):
        self.env.ref("base.lang_fr").active = True
        new_test_user(
            self.env,
            login="claire",
            # A freelancer administers her own Odoo: the settings are hers.
            groups="base.group_system,sales_team.group_sale_manager,account.group_account_invoice",
            name="Claire Secrétaire",
            lang="fr_FR",
        )
        client = self.env["res.partner"].create({"name": "Mme Minuit", "lang": "fr_FR"})
        self.start_tour(
            "/odoo/action-sale.action_sale_config_settings",
            "client_relationship_deposit_settings_fr",
            login="claire",
        )
        company = self.env.company
        self.assertTrue(company.relationship_deposit_enabled)
        self.assertAlmostEqual(company.relationship_deposit_individual_percent, 0.4)
        order = self.env["sale.order"].search([("partner_id", "=", client.id)])
        self.assertEqual(len(order), 1)
        self.assertTrue(order.require_payment)
        self.assertAlmostEqual(order.prepayment_percent, 0.4)
