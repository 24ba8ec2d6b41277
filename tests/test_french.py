"""The French a French secretary would sign: the letter as wkhtmltopdf prints
it, the e-mails as the client receives them."""

import re
import subprocess
from datetime import date, timedelta

from lxml import html as lxml_html

from odoo import fields
from odoo.tests import Form, tagged
from odoo.tools import html2plaintext

from .common import ClientRelationshipAccountCase
from .test_end_relationship import signature_png

NB = "\u00a0"
MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
# A date written in full, as a letter writes it: « 1er décembre 2026 », « 27 novembre 2026 ».
IN_FULL = rf"(1er|[12]?[0-9]|3[01]) ({MONTHS}) 20\d\d"


def plain(text):
    """Spaces of any kind as one space: what the reader reads."""
    return re.sub(r"\s+", " ", text.replace(NB, " ")).strip()


@tagged("post_install", "-at_install")
class TestFrench(ClientRelationshipAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write({"street": "3 place Bellecour", "zip": "69002", "city": "Lyon"})
        cls.client_company.write(
            {
                "lang": "fr_FR",
                "email": "contact@nuit.example",
                "street": "5 rue de la Nuit",
                "zip": "75002",
                "city": "Paris",
                "country_id": cls.env.ref("base.fr").id,
            }
        )
        # A person whose salutation is known: « Madame, », « Bonjour Madame Nuit, ».
        cls.madam = cls.env["res.partner"].create(
            {
                "name": "Nadia Nuit",
                "relationship_salutation": "madam",
                "lang": "fr_FR",
                "email": "nadia.nuit@example.com",
                "street": "8 rue de la Lune",
                "zip": "75018",
                "city": "Paris",
                "country_id": cls.env.ref("base.fr").id,
            }
        )
        cls.contract = cls.env["client.relationship.contract"].create(
            {
                "name": "Prestations de secrétariat",
                "partner_id": cls.madam.id,
                "date_start": date(2025, 3, 1),
                "date_signed": date(2025, 3, 1),
                "notice_period": 1,
                "notice_unit": "month",
                "termination_clause": "Chaque partie peut résilier avec un préavis d'un mois.",
            }
        )

    # Helpers

    def _end(self, partner, send_by="print"):
        """End the relationship through the wizard, as the contact's button does."""
        action = partner.with_user(self.manager).action_end_relationship()
        wizard_form = Form(
            self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"])
        )
        wizard_form.send_by = send_by
        wizard = wizard_form.save()
        return wizard, wizard.action_confirm()

    def _letter_text(self, termination):
        """The letter as wkhtmltopdf prints it and pdftotext reads it (as plain
        spaces: pdftotext does not tell a non-breaking space from another)."""
        pdf, __ = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "client_relationship.action_report_termination_letter", termination.ids
            )
        )
        self.assertTrue(pdf.startswith(b"%PDF"), "rendered by wkhtmltopdf")
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        return re.sub(r"[ \t\r\n]+", " ", text).strip()

    def _letter_html_text(self, termination):
        """The letter's text before wkhtmltopdf: its non-breaking spaces as written."""
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "client_relationship.action_report_termination_letter", termination.ids
        )
        document = lxml_html.fromstring(html)
        for element in document.xpath("//head|//script|//style"):
            element.drop_tree()
        return re.sub(r"[ \t\r\n]+", " ", document.text_content()).strip()

    def _composer(self, action, user=None):
        return (
            self.env[action["res_model"]]
            .with_user(user or self.manager)
            .with_context(**action["context"])
            .create({})
        )

    def assertReadsFrench(self, text, what, spaces=NB):
        """The faults of a translated text, as a French reader spots them. `spaces`:
        the spaces accepted before : ; ? ! and inside « »."""
        read = plain(text)
        doubled = re.search(r"\b(\w+) \1\b", read, re.IGNORECASE)
        self.assertFalse(doubled, f"{what}: a word twice in a row: {doubled and doubled[0]!r}")
        self.assertNotRegex(read, r"\b[01] (jours|semaines)\b", f"{what}: a singular in plural")
        self.assertNotRegex(read, r"[“”]", f"{what}: English quotation marks")
        # Before : ; ? ! and inside « », a non-breaking space; times, URLs aside.
        for match in re.finditer(r"(?<!\d)[:;?!](?!//|\d)", text):
            context = text[max(0, match.start() - 25) : match.end() + 5]
            self.assertIn(
                text[match.start() - 1],
                spaces,
                f"{what}: no non-breaking space before {match[0]!r} in {context!r}",
            )
        self.assertNotRegex(
            text, rf"«(?![{spaces}])|(?<![{spaces}])»", f"{what}: « » without their spaces"
        )

    def assertGreetingMatchesSignOff(self, text, salutation):
        read = plain(text)
        # The greeting opens the letter, whose first paragraph thanks.
        self.assertIn(f"{salutation}, Je vous remercie", read)
        self.assertIn(
            f"Je vous prie d'agréer, {salutation}, l'expression de mes salutations distinguées.",
            read,
        )
        if salutation != "Madame, Monsieur":
            self.assertNotIn("Madame, Monsieur", read)

    # The letter

    def test_letter_with_a_contract_to_a_person_with_a_salutation(self):
        wizard, __ = self._end(self.madam)
        termination = wizard.termination_id
        self.assertEqual(termination.contract_id, self.contract)
        for what, text in (
            ("letter (PDF)", self._letter_text(termination)),
            ("letter (HTML)", self._letter_html_text(termination)),
        ):
            read = plain(text)
            self.assertIn(
                "Objet : Résiliation du contrat « Prestations de secrétariat »",
                read,
                what,
            )
            self.assertRegex(read, rf"Lyon, le {IN_FULL}", "place and date, the date in full")
            self.assertIn(
                "Par la présente, je vous notifie la résiliation du contrat « Prestations de "
                "secrétariat » signé le 1er mars 2025.",
                read,
            )
            self.assertRegex(
                read,
                rf"Conformément à sa clause de résiliation, qui prévoit un préavis de 1 mois, "
                rf"il prendra fin le {IN_FULL}\.",
            )
            self.assertIn("« Chaque partie peut résilier avec un préavis d'un mois. »", read)
            self.assertGreetingMatchesSignOff(text, "Madame")
            # Each thing said once: the thanks, the enclosed dossier, the decision.
            self.assertEqual(read.count("remercie"), 1, f"{what}: thanks said twice")
            self.assertEqual(read.count("ci-joint"), 1, f"{what}: the dossier enclosed twice")
            self.assertEqual(
                read.lower().count("résiliation du contrat"), 2, "the subject, the notice"
            )
            self.assertLessEqual(read.count("collaboration"), 1, what)
            self.assertNotIn("consœur", read)
            # The HTML wkhtmltopdf prints has its non-breaking spaces; the PDF, spaces.
            self.assertReadsFrench(text, what, spaces=NB if "HTML" in what else f"{NB} ")

    def test_letter_with_the_notice_of_the_terms_of_sale(self):
        terms = self.env["client.relationship.terms"].create(
            {"name": "Édition 2026", "notice_period": 15, "notice_unit": "day"}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.client_company.id,
                "order_line": [
                    fields.Command.create({"product_id": self.product_a.id, "product_uom_qty": 1})
                ],
            }
        )
        order.write(
            {
                "signature": signature_png(),
                "signed_by": "Mme Nuit",
                "signed_on": fields.Datetime.now(),
            }
        )
        self.assertEqual(self.client_company.relationship_accepted_terms_id, terms)
        self._invoice(self.client_company, 480, due_days_ago=3)
        wizard, __ = self._end(self.client_company)
        self.assertEqual(wizard.end_date, self.today + timedelta(days=15))
        html_text = self._letter_html_text(wizard.termination_id)
        pdf_text = self._letter_text(wizard.termination_id)
        self.assertReadsFrench(html_text, "letter (HTML)")
        self.assertReadsFrench(pdf_text, "letter (PDF)", spaces=f"{NB} ")
        for text in (html_text, pdf_text):
            read = plain(text)
            self.assertIn("Objet : Fin de notre collaboration", read)
            self.assertRegex(
                read,
                "J'ai donc pris la décision d'arrêter notre collaboration. Conformément à nos "
                "conditions générales de vente « Édition 2026 », qui prévoient un préavis de "
                rf"15 jours, elle prendra fin le {IN_FULL}\.",
            )
            self.assertRegex(
                read,
                # In the company's currency, whichever it is.
                r"Le solde restant dû sur mes factures s'élève à (\S+ )?480,00( \S+)? ; je vous "
                "remercie de bien vouloir le régler d'ici cette date.",
            )
            self.assertGreetingMatchesSignOff(text, "Madame, Monsieur")
            self.assertNotIn("Nuit Blanche SARL,", read, "a company is no one to greet")

    def test_notice_units_agree_with_their_number(self):
        fr = self.env(context={"lang": "fr_FR"})
        contract = self.contract.with_env(fr)
        for period, unit, expected in (
            (1, "day", "1 jour"),
            (2, "day", "2 jours"),
            (1, "week", "1 semaine"),
            (3, "week", "3 semaines"),
            (1, "month", "1 mois"),
            (6, "month", "6 mois"),
        ):
            contract.write({"notice_period": period, "notice_unit": unit})
            self.assertEqual(contract._notice_text(), expected)
        contract.write({"notice_period": 2, "notice_unit": "week"})
        self.assertEqual(self.contract.with_context(lang="en_US")._notice_text(), "2 weeks")
        units = dict(contract._fields["notice_unit"]._description_selection(fr))
        self.assertEqual(list(units.values()), ["Jours", "Semaines", "Mois"])
        wizard = (
            self.env["client.relationship.end.wizard"]
            .with_context(lang="fr_FR")
            .create({"partner_id": self.madam.id})
        )
        messages = " | ".join(wizard.check_ids.mapped("message"))
        self.assertIn(
            f"Contrat «{NB}Prestations de secrétariat{NB}»{NB}: préavis de 2 semaines, fin "
            "possible au plus tôt le",
            messages,
        )

    # The e-mails

    def test_mediation_email_greets_a_person_by_name_and_a_company_plainly(self):
        for partner, greeting in (
            (self.madam, "Bonjour Madame Nuit,"),
            (self.client_company, "Bonjour,"),
        ):
            action = partner.with_user(self.manager).action_relationship_try_resolve()
            composer = self._composer(action)
            body = html2plaintext(composer.body)
            self.assertTrue(body.startswith(greeting), body[:40])
            self.assertNotIn(f"Bonjour {partner.name}", body)
            self.assertIn("Je ne doute pas que nous trouverons", body)
            self.assertNotIn("sans doute", body)
            self.assertEqual(
                composer.subject, f"Et si nous faisions le point sur notre collaboration{NB}?"
            )
            self.assertReadsFrench(body, "mediation e-mail")

    def test_termination_email(self):
        __, action = self._end(self.client_company, send_by="email")
        composer = self._composer(action)
        self.assertEqual(composer.subject, "Fin de notre collaboration")
        self.assertEqual(len(composer.attachment_ids), 2, "the letter and the dossier")
        body = html2plaintext(composer.body)
        self.assertTrue(body.startswith("Bonjour,"), body[:40])
        self.assertNotIn("Bonjour Nuit Blanche SARL", body)
        self.assertRegex(
            plain(body),
            rf"elle prendra fin le {IN_FULL}\. Vous trouverez en pièces jointes ma lettre et le "
            "dossier de passation.",
        )
        self.assertReadsFrench(body, "termination e-mail")

    def test_decline_email_to_a_person(self):
        order = self.env["sale.order"].create(
            {"partner_id": self.madam.id, "user_id": self.manager.id}
        )
        template = self.env.ref("client_relationship.mail_template_decline_politely")
        body = html2plaintext(
            template._render_field("body_html", order.ids, compute_lang=True)[order.id]
        )
        self.assertTrue(body.startswith("Bonjour Madame Nuit,"), body[:40])
        self.assertIn("mon planning est complet", body)
        self.assertReadsFrench(body, "decline e-mail")
