from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTours(HttpCase):
    def test_french_manager_opens_the_end_wizard(self):
        self.env.ref("base.lang_fr").active = True
        new_test_user(
            self.env,
            login="claire",
            groups="base.group_user,client_relationship.group_relationship_manager",
            name="Claire Secrétaire",
            lang="fr_FR",
        )
        client = self.env["res.partner"].create({"name": "Madame Nuit", "is_company": True})
        self.start_tour(
            f"/odoo/res.partner/{client.id}", "client_relationship_end_wizard_fr", login="claire"
        )
        self.assertIn("La relation prend fin le", client.message_ids[0].body)
