from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from odoo.addons.client_relationship.models import client_relationship_handover_item

from .common import ClientRelationshipAccountCase

PASSWORD = "Impots-2026!secret"


@tagged("post_install", "-at_install")
class TestHandover(ClientRelationshipAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client_company.write({"lang": "fr_FR", "email": "contact@nuit.example"})
        Item = cls.env["client.relationship.handover.item"]
        cls.items = Item.create(
            [
                {
                    "partner_id": cls.client_company.id,
                    "category": "instruction",
                    "name": "Relancer les impayés le 5 du mois",
                },
                {
                    "partner_id": cls.client_company.id,
                    "category": "website",
                    "name": "Commandes de fournitures",
                    "url": "https://fournitures.example",
                    "login": "nuit-blanche",
                },
                {
                    "partner_id": cls.client_company.id,
                    "category": "file_location",
                    "name": "Factures fournisseurs",
                    "location": "Drive > Clients > Nuit Blanche > Achats",
                },
            ]
        )
        # A salesperson types the password: she can set it, not read it back.
        cls.credential = Item.with_user(cls.user).create(
            {
                "partner_id": cls.client_company.id,
                "category": "credential",
                "name": "Espace impots.gouv",
                "login": "nuit.blanche",
                "secret": PASSWORD,
            }
        )

    def test_secret_is_encrypted_at_rest(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT secret_encrypted FROM client_relationship_handover_item WHERE id = %s",
            [self.credential.id],
        )
        stored = self.env.cr.fetchone()[0]
        self.assertTrue(stored)
        self.assertNotIn(PASSWORD, stored)
        self.assertEqual(self.credential.with_user(self.manager).secret, PASSWORD)

    def test_only_managers_read_the_secret(self):
        as_user = self.credential.with_user(self.user)
        self.assertFalse(as_user.secret)
        self.assertTrue(as_user.has_secret)
        with self.assertRaises(AccessError):
            as_user.read(["secret_encrypted"])
        # Not even a manager allowed to export gets it out.
        self.manager.group_ids += self.env.ref("base.group_allow_export")
        as_manager = self.credential.with_user(self.manager)
        self.assertFalse(as_manager.fields_get(["secret"], ["exportable"])["secret"]["exportable"])
        exported = as_manager.export_data(["name", "login", "secret"])
        self.assertNotIn(PASSWORD, str(exported))
        exported = self.client_company.with_user(self.manager).export_data(
            ["name", "relationship_handover_item_ids/secret"]
        )
        self.assertNotIn(PASSWORD, str(exported))
        self.assertFalse(as_user._fields["secret"].exportable)

    def test_lost_key_gives_a_clear_message_and_keeps_the_value(self):
        original = client_relationship_handover_item.secret_key_path
        client_relationship_handover_item.secret_key_path = lambda: "/nonexistent/secrets.key"
        try:
            self.credential.invalidate_recordset()
            as_manager = self.credential.with_user(self.manager)
            self.assertFalse(as_manager.secret)
            self.assertIn("cannot be decrypted", as_manager.secret_warning)
        finally:
            client_relationship_handover_item.secret_key_path = original
        self.credential.invalidate_recordset()
        self.assertEqual(self.credential.with_user(self.manager).secret, PASSWORD)

    def test_dossier_groups_items_and_hides_credentials_by_default(self):
        text = self._pdf_text(
            "client_relationship.action_report_handover_dossier", self.client_company
        )
        self.assertIn("Dossier de passation", text)
        for label in ("Consigne", "Site web", "Emplacement des fichiers", "Identifiant"):
            self.assertIn(label, text)
        self.assertIn("Drive > Clients > Nuit Blanche > Achats", text)
        self.assertIn("communiqué séparément", text)
        self.assertNotIn(PASSWORD, text)

    def test_manager_who_asks_gets_the_credentials(self):
        wizard = Form(
            self.env["client.relationship.handover.print.wizard"]
            .with_user(self.manager)
            .with_context(default_partner_id=self.client_company.id)
        )
        wizard.include_credentials = True
        action = wizard.save().action_print()
        self.assertTrue(action["context"]["include_credentials"])
        text = self._pdf_text(
            "client_relationship.action_report_handover_dossier",
            self.client_company.with_user(self.manager),
            include_credentials=True,
        )
        self.assertIn(PASSWORD, text)
        with self.assertRaisesRegex(UserError, "Only a relationship manager"):
            self.env["client.relationship.handover.print.wizard"].with_user(self.user).create(
                {"partner_id": self.client_company.id, "include_credentials": True}
            ).action_print()

    def test_completeness(self):
        self.assertEqual(self.client_company.relationship_handover_completeness, 80)

    def test_termination_email_carries_letter_and_dossier(self):
        action = self.client_company.with_user(self.manager).action_end_relationship()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"])
        ).save()
        send = wizard.action_confirm()
        composer = (
            self.env[send["res_model"]]
            .with_user(self.manager)
            .with_context(**send["context"], force_report_rendering=True)
        ).create({})
        names = composer.attachment_ids.mapped("name")
        self.assertEqual(len(names), 2, names)
        self.assertEqual(
            sorted(names),
            [
                "Dossier de passation - Nuit Blanche SARL.pdf",
                "Lettre de fin de collaboration - Nuit Blanche SARL.pdf",
            ],
        )
        text = self._pdf_text(
            "client_relationship.action_report_handover_dossier_termination",
            wizard.termination_id,
        )
        self.assertIn("Relancer les impayés le 5 du mois", text)
