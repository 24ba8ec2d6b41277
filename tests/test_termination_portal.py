import os
import shutil
import tempfile
from datetime import timedelta
from unittest.mock import patch

from odoo import http
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import config, html2plaintext

from odoo.addons.client_relationship.models.client_relationship_handover_item import (
    CREDENTIALS_GROUP,
    KEY_OPTION,
)

from .common import ClientRelationshipAccountCase, pdf_text

PASSWORD = "Portail-2026!secret"
NOTES = "Des SMS à 23h40, le dimanche."
FRENCH_MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip


def french_in_full(date):
    day = "1er" if date.day == 1 else str(date.day)
    return f"{day} {FRENCH_MONTHS[date.month - 1]} {date.year}"


def flat(html):
    """The words of a page, as one line, non-breaking spaces as spaces."""
    return " ".join(html2plaintext(html).replace("\xa0", " ").replace("\u202f", " ").split())


class TerminationPortalCase(ClientRelationshipAccountCase):
    """A French client whose relationship ends, with an open order, an unpaid
    invoice, a password in the handover dossier and a portal user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Never the server's key: a key file of the test's own.
        folder = tempfile.mkdtemp(prefix="client_relationship_key_")
        cls.addClassCleanup(shutil.rmtree, folder)
        cls.startClassPatcher(
            patch.dict(config.options, {KEY_OPTION: os.path.join(folder, "secrets.key")})
        )
        cls.env["client.relationship.handover.item"].sudo().search([]).write(
            {"secret_encrypted": False, "key_fingerprint": False}
        )
        cls.env.ref("base.lang_fr").active = True
        # The relationship ends by a manager who may read the passwords: the PDFs
        # of the portal are printed in her name, and still without them.
        cls.keeper = new_test_user(
            cls.env,
            login="cr_keeper",
            name="Camille Gardienne",
            lang="fr_FR",
            groups=f"sales_team.group_sale_manager,account.group_account_invoice,"
            f"{CREDENTIALS_GROUP}",
        )
        cls.client_company.write(
            {"email": "contact@nuit.example", "lang": "fr_FR", "tz": "Europe/Paris"}
        )
        cls.client_contact.write({"email": "nuit@nuit.example", "lang": "fr_FR"})
        # Mme Nuit reads her company's portal.
        cls.portal_user = new_test_user(
            cls.env,
            login="nuit_portal",
            name="Mme Nuit",
            email="nuit@nuit.example",
            groups="base.group_portal",
            partner_id=cls.client_contact.id,
            lang="fr_FR",
        )
        other_client = cls.env["res.partner"].create(
            {"name": "Autre Client SAS", "is_company": True, "lang": "fr_FR"}
        )
        cls.other_portal_user = new_test_user(
            cls.env,
            login="autre_portal",
            name="M. Autre",
            groups="base.group_portal",
            lang="fr_FR",
            parent_id=other_client.id,
        )
        Item = cls.env["client.relationship.handover.item"]
        cls.instruction = Item.create(
            {
                "partner_id": cls.client_company.id,
                "category": "instruction",
                "name": "Relancer les impayés le 5 du mois",
            }
        )
        cls.credential = Item.with_user(cls.keeper).create(
            {
                "partner_id": cls.client_company.id,
                "category": "credential",
                "name": "Espace impots.gouv",
                "login": "nuit.blanche",
                "secret": PASSWORD,
            }
        )
        cls.reason = cls.env.ref("client_relationship.end_reason_familiar")

    def setUp(self):
        super().setUp()
        self.invoice = self._invoice(self.client_company, 480, due_days_ago=3)
        self.order = self.env["sale.order"].create(
            {
                "partner_id": self.client_contact.id,
                "order_line": [
                    Command.create({"product_id": self.product_a.id, "product_uom_qty": 2})
                ],
            }
        )
        self.order.action_confirm()
        self.action, self.termination = self._end_relationship()

    def _end_relationship(self):
        """The end, the real way: the contact form's button, then the wizard."""
        partner = self.client_company.with_user(self.keeper)
        action = partner.action_end_relationship()
        wizard_form = Form(
            self.env[action["res_model"]].with_user(self.keeper).with_context(**action["context"])
        )
        wizard_form.reason_ids.add(self.reason)
        wizard_form.notes = NOTES
        wizard_form.end_date = self.today + timedelta(days=45)
        wizard = wizard_form.save()
        action = wizard.action_confirm()
        termination = wizard.termination_id
        self.assertEqual(termination.state, "ending")
        return action, termination


@tagged("post_install", "-at_install")
class TestTerminationPortal(TerminationPortalCase, HttpCase):
    """The client reads the end of the relationship on the portal and
    acknowledges receipt; nobody else reads it."""

    def _url(self, token=None, **params):
        url = self.termination.access_url
        if token:
            params["access_token"] = token
        query = "&".join(f"{key}={value}" for key, value in params.items())
        return f"{url}?{query}" if query else url

    def _token(self):
        return self.termination.sudo()._portal_ensure_token()

    def _acknowledge(self, name, token=None):
        return self.url_open(
            self._url(token).replace(
                self.termination.access_url, f"{self.termination.access_url}/acknowledge"
            ),
            data={"name": name, "csrf_token": http.Request.csrf_token(self)},
            allow_redirects=False,
        )

    def _assert_nothing_shown(self, response):
        self.assertIn(response.status_code, (303, 403, 404))
        if response.status_code == 303:
            self.assertTrue(response.headers["Location"].endswith("/my"))
        for secret in (self.termination.letter_opening[:30], self.invoice.name, "Nuit Blanche"):
            self.assertNotIn(secret, response.text)

    def _assert_the_page_tells_the_client(self, response):
        self.assertEqual(response.status_code, 200)
        page = flat(response.text)
        self.assertIn(
            f"Notre collaboration prend fin le {french_in_full(self.termination.end_date)}", page
        )
        self.assertIn("Fin de notre collaboration", page)
        self.assertIn(" ".join(self.termination.letter_opening.split())[:40], page)
        self.assertIn("D'ici là, je terminerai les travaux en cours", page)
        self.assertIn("Travaux encore en cours", page)
        self.assertIn(f"{self.order.name} ", page)
        self.assertIn("Pas encore facturée", page)
        self.assertIn(self.invoice.name, page)
        self.assertIn("480,00", page)
        self.assertIn("Accuser réception", page)
        self.assertIn("Télécharger la lettre", page)
        self.assertIn("Télécharger le dossier de passation", page)
        self.assertIn("report=letter", response.text)
        self.assertIn("report=dossier", response.text)
        # Nothing internal: why, the notes, the checks, the passwords.
        self.assertNotIn(NOTES, page)
        self.assertNotIn(self.reason.with_context(lang="fr_FR").name, page)
        self.assertNotIn(PASSWORD, response.text)
        return page

    def _report(self, report, token=None):
        response = self.url_open(self._url(token, report_type="pdf", report=report))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        # Odoo renders reports as HTML in test mode; the PDF itself is checked below.
        return flat(response.text)

    # Who reads the page

    def test_client_portal_user_reads_the_end_and_downloads_the_documents(self):
        self.authenticate("nuit_portal", "nuit_portal")
        self._assert_the_page_tells_the_client(self.url_open(self.termination.access_url))

        letter = self._report("letter")
        self.assertIn(self.env.company.name, letter)
        self.assertIn(f"prendra fin le {french_in_full(self.termination.end_date)}", letter)
        self.assertIn("480,00", letter)

        dossier = self._report("dossier")
        self.assertIn("Dossier de passation", dossier)
        self.assertIn("Espace impots.gouv", dossier)
        self.assertIn("communiqué séparément", dossier)
        self.assertIn("Camille Gardienne", dossier, "prepared by the one who ended it")
        self.assertNotIn(PASSWORD, dossier)
        self.assertIn(self.order.name, dossier)

        # No other report, and never the copy with the passwords.
        response = self.url_open(self._url(report_type="pdf", report="credentials"))
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(PASSWORD, response.text)

    def test_anyone_with_the_token_reads_it_nobody_else(self):
        self.authenticate(None, None)
        self.opener.cookies["frontend_lang"] = "fr_FR"
        token = self._token()
        self._assert_the_page_tells_the_client(self.url_open(self._url(token)))
        self.assertIn("Dossier de passation", self._report("dossier", token))
        for wrong in ("wrong", token[:-1] + ("0" if token[-1] != "0" else "1"), ""):
            response = self.url_open(self._url(wrong), allow_redirects=False)
            self.assertEqual(response.status_code, 404, wrong)
            self._assert_nothing_shown(response)
            response = self.url_open(
                self._url(wrong, report_type="pdf", report="dossier"), allow_redirects=False
            )
            self.assertEqual(response.status_code, 404, wrong)
            self._assert_nothing_shown(response)
        self._assert_nothing_shown(self._acknowledge("Intrus", token="wrong"))
        self.assertFalse(self.termination.acknowledged_date)

    def test_another_client_s_portal_user_reads_nothing(self):
        self.authenticate("autre_portal", "autre_portal")
        for url in (
            self._url(),
            self._url("wrong"),
            self._url(report_type="pdf", report="letter"),
            self._url(report_type="pdf", report="dossier"),
        ):
            self._assert_nothing_shown(self.url_open(url, allow_redirects=False))
        self._assert_nothing_shown(self._acknowledge("M. Autre"))
        self.assertFalse(self.termination.acknowledged_date)

    def test_a_resumed_relationship_shows_nothing(self):
        token = self._token()
        self.client_company.with_user(self.keeper).action_resume_relationship()
        self.assertEqual(self.termination.state, "cancelled")
        self.authenticate(None, None)
        response = self.url_open(self._url(token), allow_redirects=False)
        self.assertEqual(response.status_code, 404)
        self._assert_nothing_shown(response)
        self.authenticate("nuit_portal", "nuit_portal")
        response = self.url_open(self._url(), allow_redirects=False)
        self.assertEqual(response.status_code, 404)
        self._assert_nothing_shown(response)
        self.assertEqual(self._acknowledge("Mme Nuit").status_code, 404)
        self.assertFalse(self.termination.acknowledged_date)

    # From the back office

    def test_the_letter_e_mail_links_to_the_page_and_the_form_previews_it(self):
        self.assertEqual(self.action["res_model"], "mail.compose.message")
        composer = (
            self.env[self.action["res_model"]]
            .with_user(self.keeper)
            .with_context(**self.action["context"])
            .create({})
        )
        self.assertIn(self.termination.access_url, composer.body)
        self.assertIn(f"access_token={self.termination.access_token}", composer.body)
        self.assertIn("accuser réception", composer.body)
        preview = self.termination.with_user(self.keeper).action_preview_termination()
        self.assertEqual(preview["type"], "ir.actions.act_url")
        self.assertIn(f"access_token={self.termination.access_token}", preview["url"])
        # A relationship user reads the page without the token, as a preview,
        # and cannot acknowledge in the client's place, even with the token.
        self.authenticate("cr_keeper", "cr_keeper")
        response = self.url_open(self.termination.access_url)
        self.assertIn("Travaux encore en cours", flat(response.text))
        self.assertNotIn("relationship_end_acknowledge_button", response.text)
        response = self._acknowledge("Mme Nuit", self._token())
        self.assertEqual(response.status_code, 200)
        self.assertIn("Seul le client accuse réception", flat(response.text))
        self.termination.invalidate_recordset()
        self.assertFalse(self.termination.acknowledged_date)

    # Accuser réception

    def test_acknowledge_receipt_by_http(self):
        self.termination.sudo().write(
            {
                "send_by": "registered",
                "registered_letter_number": "1A 234 567 8901 2",
                "registered_letter_sent_date": self.today - timedelta(days=11),
            }
        )
        # As the scheduled action runs it: as OdooBot, the superuser.
        self.env["client.relationship.termination"].sudo()._cron_remind_registered_letters()
        reminder = self.termination.registered_letter_reminder_id
        self.assertTrue(reminder.active, "the registered letter needs chasing")
        token = self._token()
        self.authenticate(None, None)
        self.opener.cookies["frontend_lang"] = "fr_FR"

        # A name is required.
        response = self._acknowledge("   ", token)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Veuillez saisir votre nom", flat(response.text))
        self.assertFalse(self.termination.acknowledged_date)

        response = self._acknowledge("  Mme   Nuit ", token)
        self.assertEqual(response.status_code, 303)
        self.assertIn("message=acknowledged", response.headers["Location"])
        self.termination.invalidate_recordset()
        self.assertTrue(self.termination.acknowledged_date)
        self.assertEqual(self.termination.acknowledged_by, "Mme Nuit")
        self.assertEqual(self.termination.acknowledged_ip, "127.0.0.1")
        note = self.termination.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_note") and "Mme Nuit" in (m.body or "")
        )
        self.assertIn("127.0.0.1", note.body)
        self.assertIn("Réception de la fin de la relation accusée par Mme Nuit le", note.body)
        self.assertEqual(note.author_id, self.client_company, "the client, not the public")
        self.assertFalse(
            self.client_company.message_ids.filtered(lambda m: "Mme Nuit" in (m.body or "")),
            "the contact's chatter, which any user reads, says nothing of the end",
        )
        self.assertFalse(reminder.exists() and reminder.active, "the reminder is done")
        done = self.termination.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_activities")
        )
        self.assertIn("accusée par Mme Nuit", done.body)
        self.assertEqual(done.author_id, self.env.ref("base.partner_root"))

        page = flat(self.url_open(self._url(token, message="acknowledged")).text)
        self.assertIn("Réception accusée par Mme Nuit le", page)
        self.assertNotIn("relationship_end_acknowledge_button", page)

        # Once only.
        response = self._acknowledge("Quelqu'un d'autre", token)
        self.assertEqual(response.status_code, 200)
        self.assertIn("La réception a déjà été accusée par Mme Nuit le", flat(response.text))
        self.termination.invalidate_recordset()
        self.assertEqual(self.termination.acknowledged_by, "Mme Nuit")

    def test_only_the_portal_acknowledges_and_only_once(self):
        termination = self.termination.with_user(self.keeper).with_context(lang="en_US")
        with self.assertRaisesRegex(UserError, "customer portal"):
            termination.action_portal_acknowledge("Camille Gardienne", "10.0.0.1")
        with self.assertRaisesRegex(UserError, "type your name"):
            termination.sudo().action_portal_acknowledge(" ", "10.0.0.1")
        with self.assertRaisesRegex(UserError, "too long"):
            termination.sudo().action_portal_acknowledge("Nuit" * 40, "10.0.0.1")
        with self.assertRaises(UserError):
            termination.write({"acknowledged_by": "Camille Gardienne"})
        termination.sudo().action_portal_acknowledge("Mme Nuit", None)
        self.assertEqual(self.termination.acknowledged_by, "Mme Nuit")
        self.assertFalse(self.termination.acknowledged_ip)
        with self.assertRaisesRegex(UserError, "already acknowledged by Mme Nuit"):
            termination.sudo().action_portal_acknowledge("Mme Nuit", None)

    def test_french_client_acknowledges_receipt_in_the_portal_tour(self):
        self.start_tour(
            self.termination.access_url,
            "client_relationship_termination_acknowledge",
            login="nuit_portal",
        )
        self.termination.invalidate_recordset()
        self.assertEqual(self.termination.acknowledged_by, "Mme Nuit")
        self.assertTrue(self.termination.acknowledged_ip)
        note = self.termination.message_ids.filtered(
            lambda m: "accusée par Mme Nuit" in (m.body or "")
        )
        self.assertEqual(note.author_id, self.client_contact, "posted as the portal user")

    def test_the_page_and_the_dossier_say_alike_how_far_the_work_is_invoiced(self):
        self.authenticate("nuit_portal", "nuit_portal")

        def said(text):
            return text.split(self.order.name, 1)[1][:60].lower()

        page = self._assert_the_page_tells_the_client(self.url_open(self.termination.access_url))
        self.assertIn("pas encore facturée", said(page))
        self.assertIn("pas encore facturée", said(self._report("dossier")))
        # A down payment of 30 %, invoiced through Odoo's own wizard and posted.
        down_payment = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=self.order.ids)
            .create({"advance_payment_method": "percentage", "amount": 30})
        )
        down_payment.create_invoices()
        self.order.invoice_ids.action_post()
        page = flat(self.url_open(self.termination.access_url).text)
        self.assertIn("partiellement facturée", said(page))
        self.assertIn("partiellement facturée", said(self._report("dossier")))


@tagged("post_install", "-at_install")
class TestTerminationPortalDossier(TerminationPortalCase):
    def test_dossier_pdf_of_the_portal_never_prints_the_password(self):
        """The report the portal serves, rendered for real by wkhtmltopdf, in the
        name of a manager who may read the password."""
        self.assertEqual(self.credential.with_user(self.keeper).secret, PASSWORD)
        pdf, __ = (
            self.env["ir.actions.report"]
            .with_user(self.keeper)
            .sudo()
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "client_relationship.action_report_handover_dossier_termination",
                self.termination.ids,
            )
        )
        self.assertTrue(pdf.startswith(b"%PDF"), "rendered by wkhtmltopdf")
        text = pdf_text(pdf).replace("\xa0", " ")
        self.assertIn("Espace impots.gouv", text)
        self.assertIn("Camille Gardienne", text)
        self.assertIn("communiqué séparément", text)
        self.assertNotIn(PASSWORD, text)

    def test_once_ended_the_page_says_it_ended(self):
        termination = self.termination.with_context(lang="en_US")
        self.assertIn("ends on", termination._portal_end_sentence())
        termination.sudo().write({"end_date": self.today - timedelta(days=1)})
        self.env["client.relationship.termination"].sudo()._cron_end_relationships()
        self.assertEqual(termination.state, "ended")
        self.assertEqual(
            termination._portal_end_sentence(),
            f"Our collaboration ended on {termination._date_in_full(termination.end_date)}.",
        )
