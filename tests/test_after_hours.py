import uuid
from datetime import datetime

import pytz
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import html2plaintext

from .common import PARIS, ClientRelationshipAccountCase

# In Paris (UTC+1 in November): Saturday 21 November 2026 at 23:40, the next
# working slot being Monday 23 November at 9:00, 8:00 UTC.
SATURDAY_NIGHT = "2026-11-21 22:40:00"
MONDAY_9AM_UTC = datetime(2026, 11, 23, 8, 0)
ANSWER_ON_MONDAY = (
    "Merci pour votre message. Il m'est parvenu en dehors de mes heures de travail : "
    "je vous répondrai lundi 23 novembre à 9 h."
)


def words(html):
    """The text of an HTML body, non-breaking spaces read as spaces."""
    return " ".join(html2plaintext(html).replace("\xa0", " ").split())


@tagged("post_install", "-at_install")
class TestAfterHoursReply(ClientRelationshipAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.relationship_after_hours_reply = True
        # A customer: the automatic reply goes to clients only.
        cls.client_company.write(
            {"lang": "fr_FR", "company_id": cls.env.company.id, "customer_rank": 1}
        )
        cls.client_contact.write({"lang": "fr_FR", "email": "nuit@example.com"})

    def _client_writes(self, author=None, subtype_xmlid="mail.mt_comment"):
        return self.client_company.message_post(
            body="Vous êtes là ?",
            subject="Mon dossier",
            author_id=(author or self.client_contact).id,
            message_type="comment",
            subtype_xmlid=subtype_xmlid,
        )

    def _replies(self):
        return self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", self.client_company.id),
                ("message_type", "=", "out_of_office"),
            ]
        )

    def _receive_email(self, date_header, **headers):
        """An e-mail from the client through the mail gateway, answering our last message."""
        ours = self.client_company.message_post(
            body="Voici le devis.",
            author_id=self.manager.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        raw = (
            "From: Mme Nuit <nuit@example.com>\r\n"
            "To: Claire Secrétaire <claire@example.com>\r\n"
            "Subject: Re: Mon dossier\r\n"
            f"Message-Id: <{uuid.uuid4().hex}@example.com>\r\n"
            f"In-Reply-To: {ours.message_id}\r\n"
            f"References: {ours.message_id}\r\n"
            f"Date: {date_header}\r\n"
            f"{extra}"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "\r\n"
            "Vous êtes là ? J'ai besoin du devis ce soir.\r\n"
        )
        self.env["mail.thread"].message_process("res.partner", raw.encode())
        return self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", self.client_company.id),
                ("message_type", "=", "email"),
                ("author_id", "=", self.client_contact.id),
            ]
        )

    def test_saturday_night_one_reply_naming_monday(self):
        with freeze_time(SATURDAY_NIGHT):
            message = self._client_writes()
        self.assertEqual(message.record_company_id, self.env.company)
        reply = self._replies()
        self.assertEqual(len(reply), 1)
        self.assertIn(ANSWER_ON_MONDAY, words(reply.body))
        self.assertTrue(words(reply.body).startswith("Bonjour,"))
        self.assertIn("Vous êtes là ?", words(reply.body), "quotes the client's message")
        self.assertEqual(reply.subject, "Réponse automatique\xa0: Mon dossier")
        # Without a salesperson on the document, the company answers.
        self.assertEqual(reply.author_id, self.env.company.partner_id)
        self.assertEqual(reply.partner_ids, self.client_contact)
        self.assertEqual(reply.subtype_id, self.env.ref("mail.mt_comment"))
        mail = self.env["mail.mail"].sudo().search([("mail_message_id", "=", reply.id)])
        self.assertIn("auto-replied", mail.headers, "Auto-Submitted: no reply to the reply")
        self.assertIn(self.client_contact, mail.recipient_ids)

        # A quarter of an hour later, the client insists: no second reply.
        with freeze_time("2026-11-21 22:55:00"):
            self._client_writes()
            self.assertEqual(len(self._replies()), 1)
            # The health score counts the same two messages as out of hours.
            self.client_company.action_recompute_relationship_health()
        self.assertEqual(self.client_company.relationship_out_of_hours_count, 2)

    def test_next_day_the_client_gets_another_reply(self):
        with freeze_time(SATURDAY_NIGHT):
            self._client_writes()
        with freeze_time("2026-11-22 11:00:00"):  # Sunday noon, more than 12 hours later
            self._client_writes()
        self.assertEqual(len(self._replies()), 2)

    def test_portal_message_gets_a_reply(self):
        portal = new_test_user(
            self.env, login="nuit_portal", groups="base.group_portal", lang="fr_FR"
        )
        portal.partner_id.parent_id = self.client_company
        with freeze_time(SATURDAY_NIGHT):
            # As the portal chatter posts: in sudo, in the portal user's name.
            self.client_company.with_user(portal).sudo().message_post(
                body="Un petit souci sur la facture.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        reply = self._replies()
        self.assertEqual(reply.partner_ids, portal.partner_id)
        self.assertIn(ANSWER_ON_MONDAY, words(reply.body))

    def test_tuesday_morning_no_reply(self):
        with freeze_time("2026-11-24 09:30:00"):  # 10:30 in Paris
            self._client_writes()
        self.assertFalse(self._replies())

    def test_public_holiday_reply_names_the_next_day(self):
        armistice = [
            PARIS.localize(moment).astimezone(pytz.utc).replace(tzinfo=None)
            for moment in (datetime(2026, 11, 11, 0, 0), datetime(2026, 11, 12, 0, 0))
        ]
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Armistice",
                "calendar_id": self.calendar.id,
                "resource_id": False,
                "date_from": armistice[0],
                "date_to": armistice[1],
            }
        )
        with freeze_time("2026-11-11 09:30:00"):  # Wednesday 10:30 in Paris
            self._client_writes()
        self.assertIn("je vous répondrai jeudi 12 novembre à 9 h.", words(self._replies().body))

    def test_notes_and_our_own_messages_get_no_reply(self):
        with freeze_time(SATURDAY_NIGHT):
            self._client_writes(subtype_xmlid="mail.mt_note")
            self._client_writes(author=self.manager.partner_id)
            self.client_company.message_post(body="Relance envoyée", message_type="notification")
        self.assertFalse(self._replies())

    def test_setting_off_no_reply(self):
        self.env.company.relationship_after_hours_reply = False
        with freeze_time(SATURDAY_NIGHT):
            self._client_writes()
        self.assertFalse(self._replies())

    def test_switch_per_client_turns_the_reply_off(self):
        self.client_company.relationship_after_hours_reply_off = True
        self.assertTrue(self.client_contact.relationship_after_hours_reply_off, "contacts follow")
        with freeze_time(SATURDAY_NIGHT):
            self._client_writes()
        self.assertFalse(self._replies())

    def test_incoming_email_through_the_gateway(self):
        self.client_company.user_id = self.manager
        with freeze_time(SATURDAY_NIGHT):
            incoming = self._receive_email("Sat, 21 Nov 2026 23:40:00 +0100")
        self.assertEqual(len(incoming), 1)
        reply = self._replies()
        self.assertEqual(len(reply), 1)
        self.assertIn(ANSWER_ON_MONDAY, words(reply.body))
        # The salesperson answers the clients they follow.
        self.assertEqual(reply.author_id, self.manager.partner_id)
        self.assertEqual(reply.partner_ids, self.client_contact)

    def test_automatic_emails_get_no_reply(self):
        for headers in (
            {"Auto-Submitted": "auto-replied"},
            {"Auto-Submitted": "auto-generated; type=vacation"},
            {"Precedence": "bulk"},
        ):
            with self.subTest(headers=headers), freeze_time(SATURDAY_NIGHT):
                self.assertTrue(self._receive_email("Sat, 21 Nov 2026 23:40:00 +0100", **headers))
                self.assertFalse(self._replies())

    def test_email_written_or_read_in_hours_gets_no_reply(self):
        for written, read in (
            ("Mon, 23 Nov 2026 08:58:00 +0100", "2026-11-23 08:03:00"),  # read at 9:03
            ("Fri, 20 Nov 2026 17:58:00 +0100", "2026-11-20 17:03:00"),  # read at 18:03
        ):
            with self.subTest(written=written), freeze_time(read):
                self.assertTrue(self._receive_email(written))
                self.assertFalse(self._replies())

    def test_next_slot_in_words(self):
        company = self.env.company
        half_past = PARIS.localize(datetime(2026, 11, 23, 9, 30))
        self.assertEqual(
            company._relationship_slot_in_words(half_past, "fr_FR"),
            "lundi 23 novembre à 9\xa0h\xa030",
        )
        self.assertIn(
            "Monday, November 23", company._relationship_slot_in_words(half_past, "en_US")
        )

    def test_send_at_my_next_working_slot(self):
        composer_action = {
            "default_model": "res.partner",
            "default_res_ids": self.client_company.ids,
            "default_composition_mode": "comment",
            "default_partner_ids": self.client_contact.ids,
            "lang": "fr_FR",
        }
        Composer = self.env["mail.compose.message"].with_user(self.manager)
        with freeze_time("2026-11-24 09:30:00"):  # Tuesday 10:30: send now
            form = Form(Composer.with_context(**composer_action))
            form.subject = "Votre devis"
            composer = form.save()
            self.assertFalse(composer.relationship_next_slot)
            with self.assertRaises(UserError):
                composer.action_relationship_send_at_next_slot()

        with freeze_time(SATURDAY_NIGHT):
            form = Form(Composer.with_context(**composer_action))
            form.subject = "Votre devis"
            form.body = "<p>Voici votre devis.</p>"
            composer = form.save()
            self.assertEqual(composer.relationship_next_slot, MONDAY_9AM_UTC)
            self.assertEqual(composer.relationship_next_slot_words, "lundi 23 novembre à 9\xa0h")
            composer.action_relationship_send_at_next_slot()
        scheduled = self.env["mail.scheduled.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.client_company.id)]
        )
        self.assertEqual(scheduled.scheduled_date, MONDAY_9AM_UTC)

        def sent():
            return self.client_company.message_ids.filtered(
                lambda message: "Voici votre devis." in (message.body or "")
            )

        with freeze_time("2026-11-23 07:59:00"):
            self.env["mail.scheduled.message"]._post_messages_cron()
        self.assertFalse(sent(), "not before Monday 9:00")
        with freeze_time(MONDAY_9AM_UTC):
            self.env["mail.scheduled.message"]._post_messages_cron()
        self.assertEqual(sent().date, MONDAY_9AM_UTC)
        self.assertEqual(sent().author_id, self.manager.partner_id)
        self.assertEqual(sent().partner_ids, self.client_contact)
        self.assertFalse(scheduled.exists())

    def test_no_reply_to_someone_who_is_not_a_client(self):
        self.client_company.customer_rank = 0  # a vendor, an applicant…
        with freeze_time(SATURDAY_NIGHT):
            self._client_writes()
        self.assertFalse(self._replies())
