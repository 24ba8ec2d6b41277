from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import ClientRelationshipCase


@tagged("post_install", "-at_install")
class TestEndRelationship(ClientRelationshipCase):
    def _open_wizard(self, partner, user):
        action = partner.with_user(user).action_end_relationship()
        self.assertEqual(action["res_model"], "client.relationship.end.wizard")
        return Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"]))

    def test_manager_ends_relationship_from_the_contact(self):
        wizard_form = self._open_wizard(self.client, self.manager)
        self.assertEqual(wizard_form.partner_id, self.client)
        wizard_form.note = "Messages at night, every weekend."
        wizard_form.save().action_confirm()
        message = self.client.message_ids[0]
        self.assertIn("Messages at night, every weekend.", message.body)
        self.assertEqual(message.author_id, self.manager.partner_id)
        self.assertTrue(self.client.exists() and self.client.active, "nothing is archived")

    def test_end_date_in_the_past_is_refused(self):
        wizard_form = self._open_wizard(self.client, self.manager)
        wizard_form.end_date = fields.Date.today() - timedelta(days=1)
        wizard = wizard_form.save()
        with self.assertRaisesRegex(UserError, "in the past"):
            wizard.action_confirm()

    def test_contact_of_a_company_is_sent_to_the_company(self):
        with self.assertRaisesRegex(UserError, "Nuit Blanche SARL"):
            self.client_contact.with_user(self.manager).action_end_relationship()

    def test_user_cannot_end_a_relationship(self):
        with self.assertRaises(AccessError):
            self.env["client.relationship.end.wizard"].with_user(self.user).create(
                {"partner_id": self.client.id}
            )

    def test_sales_roles_get_relationship_groups(self):
        sales_manager = self.env.ref("sales_team.group_sale_manager")
        salesman = self.env.ref("sales_team.group_sale_salesman")
        self.assertIn(
            self.env.ref("client_relationship.group_relationship_manager"),
            sales_manager.all_implied_ids,
        )
        self.assertIn(
            self.env.ref("client_relationship.group_relationship_user"), salesman.all_implied_ids
        )
        self.assertNotIn(
            self.env.ref("client_relationship.group_relationship_manager"),
            salesman.all_implied_ids,
        )
