import os
import shutil
import stat
import tempfile
from unittest.mock import patch

from cryptography.fernet import Fernet

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import config, html2plaintext, mute_logger

from odoo.addons.client_relationship.models.client_relationship_handover_item import (
    CREDENTIALS_GROUP,
    KEY_OPTION,
    current_key,
    key_fingerprint,
    read_key,
)

from .common import ClientRelationshipAccountCase, pdf_text

PASSWORD = "Impots-2026!secret"


@tagged("post_install", "-at_install")
class TestHandover(ClientRelationshipAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Never the server's key: a key file of the test's own.
        cls.key_path = cls._temporary_key_path()
        cls.startClassPatcher(patch.dict(config.options, {KEY_OPTION: cls.key_path}))
        # Secrets of other data (demo) were encrypted with the server's key.
        cls.env["client.relationship.handover.item"].sudo().search([]).write(
            {"secret_encrypted": False, "key_fingerprint": False}
        )
        # A manager who may also read the passwords; cls.manager may not.
        cls.keeper = new_test_user(
            cls.env,
            login="cr_keeper",
            name="Camille Gardienne",
            groups=f"sales_team.group_sale_manager,{CREDENTIALS_GROUP}",
        )
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

    @classmethod
    def _temporary_key_path(cls):
        folder = tempfile.mkdtemp(prefix="client_relationship_key_")
        cls.addClassCleanup(shutil.rmtree, folder)
        return os.path.join(folder, "secrets.key")

    def _use_key_file(self, path):
        """The addon reads its key from path, for this test only."""
        self.startPatcher(patch.dict(config.options, {KEY_OPTION: path}))
        self.env["client.relationship.handover.item"].invalidate_model(["secret", "secret_warning"])

    def _stored_secrets(self):
        """{id: (token, fingerprint)}, as PostgreSQL keeps them."""
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT id, secret_encrypted, key_fingerprint FROM client_relationship_handover_item
               WHERE secret_encrypted IS NOT NULL"""
        )
        return {
            item_id: (token, fingerprint) for item_id, token, fingerprint in self.env.cr.fetchall()
        }

    def _accesses(self, access_type, user=None):
        return (
            self.env["client.relationship.handover.access"]
            .sudo()
            .search([("access_type", "=", access_type), ("user_id", "=", (user or self.keeper).id)])
        )

    def test_secret_is_encrypted_at_rest(self):
        token, fingerprint = self._stored_secrets()[self.credential.id]
        self.assertNotIn(PASSWORD, token)
        self.assertEqual(fingerprint, key_fingerprint(read_key(self.key_path)))
        self.assertEqual(stat.S_IMODE(os.stat(self.key_path).st_mode), 0o600)
        self.assertEqual(self.credential.with_user(self.keeper).secret, PASSWORD)

    def test_the_right_to_read_credentials_is_a_right_of_its_own(self):
        credentials = self.env.ref(CREDENTIALS_GROUP)
        for role in (
            "sales_team.group_sale_manager",
            "client_relationship.group_relationship_manager",
        ):
            self.assertNotIn(credentials, self.env.ref(role).all_implied_ids)
        self.assertFalse(self.manager.has_group(CREDENTIALS_GROUP))
        self.assertTrue(self.env.ref("base.user_admin").has_group(CREDENTIALS_GROUP))

    def test_manager_without_the_right_reads_no_secret(self):
        for user in (self.manager, self.user):
            as_user = self.credential.with_user(user)
            values = as_user.read(["secret", "secret_warning", "has_secret"])[0]
            self.assertFalse(values["secret"])
            self.assertFalse(values["secret_warning"])
            self.assertTrue(values["has_secret"])
            for field in ("secret_encrypted", "key_fingerprint"):
                with self.assertRaises(AccessError):
                    as_user.read([field])
        with self.assertRaises(AccessError):
            self.env["client.relationship.handover.access"].with_user(self.manager).search([])
        # Not even a reader allowed to export gets it out.
        self.keeper.group_ids += self.env.ref("base.group_allow_export")
        as_keeper = self.credential.with_user(self.keeper)
        self.assertFalse(as_keeper.fields_get(["secret"], ["exportable"])["secret"]["exportable"])
        self.assertNotIn(PASSWORD, str(as_keeper.export_data(["name", "login", "secret"])))
        exported = self.client_company.with_user(self.keeper).export_data(
            ["name", "relationship_handover_item_ids/secret"]
        )
        self.assertNotIn(PASSWORD, str(exported))

    def test_manager_without_the_right_cannot_print_the_passwords(self):
        Item = self.env["client.relationship.handover.item"].with_user(self.manager)
        with self.assertRaises(AccessError):
            Item._dossier_with_credentials_pdf(self.client_company.with_user(self.manager))
        with self.assertRaises(AccessError):
            self.env["client.relationship.handover.print.wizard"].with_user(self.manager).create(
                {"partner_id": self.client_company.id, "include_credentials": True}
            ).action_print()
        action = self.client_company.with_user(self.manager).action_end_relationship()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"])
        ).save()
        wizard.include_credentials = True
        with self.assertRaises(AccessError):
            wizard.action_confirm()
        self.assertFalse(wizard.termination_id)
        self.assertFalse(self._accesses("print", self.manager))

    def test_each_reading_in_clear_is_logged(self):
        as_keeper = self.credential.with_user(self.keeper)
        # Checks and computations show nothing: nothing to log.
        self.assertEqual(as_keeper.secret, PASSWORD)
        as_keeper.read(["name", "has_secret"])
        self.assertFalse(self._accesses("read"))

        self.assertEqual(as_keeper.read(["secret"])[0]["secret"], PASSWORD)
        logged = self._accesses("read")
        self.assertEqual(len(logged), 1)
        self.assertEqual(logged.item_id, self.credential)
        self.assertEqual(logged.partner_id, self.client_company)
        self.assertTrue(logged.create_date)

        # The contact form lists the client's items: one row per password shown.
        self.client_company.with_user(self.keeper).web_read(
            {"relationship_handover_item_ids": {"fields": {"name": {}, "secret": {}}}}
        )
        self.assertEqual(len(self._accesses("read")), 2)
        # Read-only, even for those who may read it.
        with self.assertRaises(AccessError):
            logged.with_user(self.keeper).unlink()
        with self.assertRaises(AccessError):
            logged.with_user(self.keeper).write({"access_type": "print"})

    def test_dossier_groups_items_and_hides_credentials_by_default(self):
        text = self._pdf_text(
            "client_relationship.action_report_handover_dossier", self.client_company
        )
        self.assertIn("Dossier de passation", text)
        # Plural section titles; « Accès » is the category, « Identifiant » the login.
        for label in (
            "Consignes",
            "Sites web",
            "Emplacements des fichiers",
            "Accès",
            "Identifiant",
        ):
            self.assertIn(label, text)
        self.assertIn("Drive > Clients > Nuit Blanche > Achats", text)
        self.assertIn("communiqué séparément", text)
        self.assertNotIn(PASSWORD, text)

    def test_the_copy_with_the_passwords_is_streamed_never_stored(self):
        wizard = Form(
            self.env["client.relationship.handover.print.wizard"]
            .with_user(self.keeper)
            .with_context(default_partner_id=self.client_company.id)
        )
        wizard.include_credentials = True
        action = wizard.save().action_print()
        Item = self.env["client.relationship.handover.item"].with_user(self.keeper)
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(action["url"], Item._dossier_with_credentials_url(self.client_company))
        # The report action, asked for the passwords the former way, prints none.
        pdf, __ = (
            self.env["ir.actions.report"]
            .with_user(self.keeper)
            .with_context(force_report_rendering=True, include_credentials=True)
            ._render_qweb_pdf(
                "client_relationship.action_report_handover_dossier", self.client_company.ids
            )
        )
        self.assertNotIn(PASSWORD, pdf_text(pdf))
        # The copy with them is saved nowhere, even if someone sets the report to
        # save its PDFs as attachments.
        self.env.ref(
            "client_relationship.action_report_handover_dossier"
        ).sudo().attachment = "'Handover dossier.pdf'"
        Attachment = self.env["ir.attachment"].sudo()
        attachments_before = Attachment.search_count([])
        pdf, filename = Item.with_context(
            force_report_rendering=True
        )._dossier_with_credentials_pdf(self.client_company.with_user(self.keeper))
        self.assertIn(PASSWORD, pdf_text(pdf))
        self.assertIn("Nuit Blanche SARL", filename)
        self.assertEqual(Attachment.search_count([]), attachments_before)
        printed = self._accesses("print")
        self.assertEqual(printed.item_id, self.credential)

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

    def test_termination_email_never_carries_the_passwords(self):
        # English, so that the e-mail reads as the template is written.
        self.client_company.lang = "en_US"
        last_attachment_id = (
            self.env["ir.attachment"].sudo().search([], order="id desc", limit=1).id
        )
        action = self.client_company.with_user(self.keeper).action_end_relationship()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.keeper).with_context(**action["context"])
        )
        wizard.include_credentials = True
        wizard = wizard.save()
        notification = wizard.action_confirm()
        # A link to the copy with the passwords, then the e-mail without them.
        Item = self.env["client.relationship.handover.item"]
        self.assertEqual(notification["tag"], "display_notification")
        self.assertEqual(
            notification["params"]["links"][0]["url"],
            Item._dossier_with_credentials_url(self.client_company),
        )
        send = notification["params"]["next"]
        composer = (
            self.env[send["res_model"]]
            .with_user(self.keeper)
            .with_context(**send["context"], force_report_rendering=True)
        ).create({})
        self.assertIn(
            "the passwords listed in the handover dossier are not in this e-mail: they will be "
            "handed over to you separately",
            html2plaintext(composer.body),
        )
        composer.action_send_mail()

        pdfs = (
            self.env["ir.attachment"]
            .sudo()
            .search([("id", ">", last_attachment_id or 0), ("mimetype", "=", "application/pdf")])
        )
        texts = [pdf_text(attachment.raw) for attachment in pdfs]
        self.assertGreaterEqual(len(texts), 2)
        self.assertTrue(any("Relancer les impayés le 5 du mois" in text for text in texts))
        for text in texts:
            self.assertNotIn(PASSWORD, text)
        self.assertIn("communicated separately", " ".join(texts))
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", wizard.termination_id._name),
                    ("res_id", "=", wizard.termination_id.id),
                ]
            )
        )
        self.assertTrue(messages)
        self.assertNotIn(PASSWORD, str(messages.mapped("body")))
        reprinted = self._pdf_text(
            "client_relationship.action_report_handover_dossier_termination",
            wizard.termination_id.with_user(self.keeper),
        )
        self.assertNotIn(PASSWORD, reprinted)

    def test_a_missing_key_is_named_and_never_replaced(self):
        fingerprint = key_fingerprint(read_key(self.key_path))
        folder = os.path.dirname(self._temporary_key_path())
        missing_path = os.path.join(folder, "restore-me", "secrets.key")
        self._use_key_file(missing_path)
        as_keeper = self.credential.with_user(self.keeper)
        self.assertFalse(as_keeper.secret)
        self.assertIn(fingerprint, as_keeper.secret_warning)
        self.assertIn(missing_path, as_keeper.secret_warning)

        new_secret = {
            "partner_id": self.client_company.id,
            "category": "credential",
            "name": "Banque en ligne",
            "secret": "Banque-2026",
        }
        Item = self.env["client.relationship.handover.item"].with_user(self.user)
        with self.assertRaises(UserError) as refused:
            Item.create(new_secret)
        self.assertIn(fingerprint, str(refused.exception))
        self.assertIn(missing_path, str(refused.exception))
        self.assertFalse(os.path.exists(os.path.dirname(missing_path)))

        # Another key in its place is no better: it is not the one that encrypted.
        other_path = self._temporary_key_path()
        with open(other_path, "wb") as key_file:
            key_file.write(Fernet.generate_key())
        other_key = read_key(other_path)
        self._use_key_file(other_path)
        self.assertIn(fingerprint, self.credential.with_user(self.keeper).secret_warning)
        with self.assertRaises(UserError) as refused:
            Item.create(new_secret)
        self.assertIn(fingerprint, str(refused.exception))
        self.assertEqual(read_key(other_path), other_key)

        # The key restored, the secret reads again.
        self._use_key_file(self.key_path)
        self.assertEqual(self.credential.with_user(self.keeper).secret, PASSWORD)

    def test_two_workers_creating_the_first_key_end_with_the_same(self):
        path = self._temporary_key_path()
        self._use_key_file(path)
        winner_key = Fernet.generate_key()
        link = os.link

        def another_worker_links_first(source, destination):
            with open(destination, "wb") as key_file:
                key_file.write(winner_key)
            return link(source, destination)

        with patch.object(os, "link", side_effect=another_worker_links_first):
            self.assertEqual(current_key(), winner_key)
        self.assertEqual(read_key(path), winner_key)
        # The loser's temporary file is gone.
        self.assertEqual(os.listdir(os.path.dirname(path)), ["secrets.key"])

    def test_rotation_re_encrypts_every_secret_and_keeps_the_former_key(self):
        path = self._temporary_key_path()
        shutil.copy(self.key_path, path)
        self._use_key_file(path)
        former_fingerprint = key_fingerprint(read_key(path))
        second = (
            self.env["client.relationship.handover.item"]
            .with_user(self.user)
            .create(
                {
                    "partner_id": self.client_company.id,
                    "category": "credential",
                    "name": "Banque en ligne",
                    "secret": "Banque-2026",
                }
            )
        )
        before = self._stored_secrets()
        Access = self.env["client.relationship.handover.access"]
        with self.assertRaises(AccessError):
            Access.with_user(self.manager).action_rotate_key()

        Access.with_user(self.keeper).action_rotate_key()
        after = self._stored_secrets()
        new_fingerprint = key_fingerprint(read_key(path))
        self.assertNotEqual(new_fingerprint, former_fingerprint)
        self.assertEqual(after.keys(), before.keys())
        for item_id, (token, fingerprint) in after.items():
            self.assertNotEqual(token, before[item_id][0])
            self.assertEqual(fingerprint, new_fingerprint)
        self.assertEqual(read_key(f"{path}.{former_fingerprint}.bak"), read_key(self.key_path))
        self.env.invalidate_all()
        self.assertEqual(self.credential.with_user(self.keeper).secret, PASSWORD)
        self.assertEqual(second.with_user(self.keeper).secret, "Banque-2026")
        self.assertEqual(self._accesses("rotation").item_id, self.credential | second)


@tagged("post_install", "-at_install")
class TestHandoverDownload(HttpCase):
    """The copy with the passwords, as the browser gets it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        folder = tempfile.mkdtemp(prefix="client_relationship_key_")
        cls.addClassCleanup(shutil.rmtree, folder)
        key_path = os.path.join(folder, "secrets.key")
        cls.startClassPatcher(patch.dict(config.options, {KEY_OPTION: key_path}))
        cls.env["client.relationship.handover.item"].sudo().search([]).write(
            {"secret_encrypted": False, "key_fingerprint": False}
        )
        groups = "sales_team.group_sale_manager"
        new_test_user(cls.env, login="cr_keeper_http", groups=f"{groups},{CREDENTIALS_GROUP}")
        new_test_user(cls.env, login="cr_manager_http", groups=groups)
        cls.client = cls.env["res.partner"].create(
            {"name": "Nuit Blanche SARL", "is_company": True}
        )
        cls.env["client.relationship.handover.item"].create(
            {
                "partner_id": cls.client.id,
                "category": "credential",
                "name": "Espace impots.gouv",
                "secret": PASSWORD,
            }
        )

    def test_only_the_right_downloads_it_and_nothing_is_saved(self):
        url = self.env["client.relationship.handover.item"]._dossier_with_credentials_url(
            self.client
        )
        Attachment = self.env["ir.attachment"].sudo()
        attachments_before = Attachment.search_count([])
        self.authenticate("cr_manager_http", "cr_manager_http")
        with mute_logger("odoo.http"):
            self.assertEqual(self.url_open(url).status_code, 403)

        self.authenticate("cr_keeper_http", "cr_keeper_http")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Disposition"].startswith("attachment"))
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        # HTML while testing (wkhtmltopdf would call this test server back): the same text.
        self.assertIn(PASSWORD, response.text)
        self.assertEqual(Attachment.search_count([]), attachments_before)
        access = self.env["client.relationship.handover.access"].sudo().search([])
        self.assertEqual(access.mapped("access_type"), ["print"])
        self.assertEqual(access.user_id.login, "cr_keeper_http")
