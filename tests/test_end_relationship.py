import base64
import io
import re
import subprocess
from datetime import datetime, time, timedelta

import pytz
from PIL import Image

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import PARIS, ClientRelationshipAccountCase


def signature_png():
    """A signature as the portal's signature pad sends it: a base64 PNG."""
    buffer = io.BytesIO()
    Image.new("RGBA", (60, 20), (0, 0, 80, 255)).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


FRENCH_MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip


@tagged("post_install", "-at_install")
class TestEndRelationship(ClientRelationshipAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # French first: the client reads French, so do her letters.
        cls.client_company.write({"email": "contact@nuit.example", "lang": "fr_FR"})

    def _contract(self, notice_period, notice_unit, **values):
        return self.env["client.relationship.contract"].create(
            {
                "name": "Contrat de secrétariat",
                "partner_id": self.client_company.id,
                "date_start": self.today - timedelta(days=400),
                "date_signed": self.today - timedelta(days=400),
                "notice_period": notice_period,
                "notice_unit": notice_unit,
                **values,
            }
        )

    def _order(self, partner=None, qty=2.0):
        return self.env["sale.order"].create(
            {
                "partner_id": (partner or self.client_company).id,
                "order_line": [
                    Command.create({"product_id": self.product_a.id, "product_uom_qty": qty})
                ],
            }
        )

    def _checks(self, wizard_form):
        return [(check.level, check.message) for check in wizard_form.save().check_ids]

    # Contract and terms

    def test_notice_in_calendar_months_days_and_weeks(self):
        contract = self._contract(1, "month", termination_form="registered")
        wizard_form = self._wizard_form()
        expected = fields.Date.add(self.today, months=1)
        self.assertEqual(wizard_form.earliest_end_date, expected)
        self.assertEqual(wizard_form.end_date, expected, "the lawful date is proposed")
        checks = self._checks(wizard_form)
        self.assertIn("ok", [level for level, __ in checks])
        self.assertTrue(any("registered letter" in message for __, message in checks))
        contract.write({"notice_period": 10, "notice_unit": "day"})
        self.assertEqual(self._wizard_form().earliest_end_date, self.today + timedelta(days=10))
        contract.write({"notice_period": 2, "notice_unit": "week"})
        self.assertEqual(self._wizard_form().earliest_end_date, self.today + timedelta(days=14))

    def test_contract_in_force_is_the_signed_one_with_latest_start(self):
        self._contract(3, "month")
        newer = self._contract(
            1, "week", name="Avenant 2026", date_start=self.today - timedelta(days=30)
        )
        self._contract(6, "month", name="Brouillon", date_start=self.today, date_signed=False)
        self.assertEqual(self.client_company.relationship_contract_id, newer)

    def test_end_before_the_notice_blocks_unless_overridden_with_a_reason(self):
        self._contract(1, "month")
        wizard_form = self._wizard_form()
        wizard_form.end_date = self.today + timedelta(days=3)
        wizard = wizard_form.save()
        self.assertTrue(wizard.has_blocking_check)
        with self.assertRaisesRegex(UserError, "notice"):
            wizard.action_confirm()
        wizard_form = self._wizard_form()
        wizard_form.end_date = self.today + timedelta(days=3)
        wizard_form.override_notice = True
        wizard_form.override_reason = "Accord écrit de la cliente"
        wizard = wizard_form.save()
        self.assertFalse(wizard.has_blocking_check)
        wizard.action_confirm()
        self.assertEqual(wizard.termination_id.override_reason, "Accord écrit de la cliente")
        self.assertEqual(self.client_company.relationship_end_date, self.today + timedelta(days=3))

    def test_nothing_to_rely_on_and_outdated_terms(self):
        checks = self._checks(self._wizard_form())
        self.assertTrue(any("nothing to rely on" in message for __, message in checks))
        old_terms = self.env["client.relationship.terms"].create(
            {"name": "CGV 2024", "version_date": self.today - timedelta(days=700)}
        )
        order = self._order()
        # The portal writes the signature when the client accepts the quotation.
        order.write(
            {
                "signature": signature_png(),
                "signed_by": "Mme Nuit",
                "signed_on": fields.Datetime.now(),
            }
        )
        self.assertEqual(order.relationship_terms_id, old_terms)
        self.env["client.relationship.terms"].create(
            {"name": "CGV 2026", "version_date": self.today}
        )
        self.assertEqual(self.client_company.relationship_accepted_terms_id, old_terms)
        checks = self._checks(self._wizard_form())
        self.assertFalse(any("nothing to rely on" in message for __, message in checks))
        self.assertTrue(any("older than the current version" in message for __, message in checks))

    def test_without_contract_the_accepted_terms_set_the_notice(self):
        self.env["client.relationship.terms"].create(
            {"name": "CGV 2026", "notice_period": 15, "notice_unit": "day"}
        )
        order = self._order()
        order.write(
            {
                "signature": signature_png(),
                "signed_by": "Mme Nuit",
                "signed_on": fields.Datetime.now(),
            }
        )
        wizard_form = self._wizard_form()
        self.assertEqual(wizard_form.earliest_end_date, self.today + timedelta(days=15))
        wizard_form.end_date = self.today + timedelta(days=2)
        wizard = wizard_form.save()
        self.assertTrue(wizard.has_blocking_check)
        with self.assertRaisesRegex(UserError, "notice of “CGV 2026”"):
            wizard.action_confirm()

    def test_current_terms_are_attached_to_the_quotation_email(self):
        self.env["client.relationship.terms"].create(
            {
                "name": "CGV 2026",
                "document": base64.b64encode(b"%PDF-1.4 CGV"),
                "document_name": "CGV-2026.pdf",
            }
        )
        order = self._order()
        action = order.action_quotation_send()
        composer = self.env[action["res_model"]].with_context(**action["context"]).create({})
        self.assertIn("CGV-2026.pdf", composer.attachment_ids.mapped("name"))

    # What is still open

    def test_open_work_invoices_and_activities_are_listed(self):
        quotation = self._order()
        half_invoiced = self._order()
        half_invoiced.action_confirm()
        invoice = half_invoiced._create_invoices()
        invoice.invoice_line_ids.quantity = 1
        invoice.action_post()
        unpaid = self._invoice(self.client_company, 700, due_days_ago=5)
        self.client_company.activity_schedule("mail.mail_activity_data_todo", summary="Relancer")
        checks = {
            message.split(":")[0]: level for level, message in self._checks(self._wizard_form())
        }
        messages = " | ".join(message for __, message in self._checks(self._wizard_form()))
        self.assertIn(quotation.name, messages)
        self.assertIn(half_invoiced.name, messages)
        self.assertIn("2 unpaid invoices", messages)
        self.assertIn("still planned on this client", messages)
        self.assertIn("handover dossier has no instruction", messages)
        self.assertEqual(checks.get("Work not fully invoiced"), "warning")
        self.assertEqual(unpaid.payment_state, "not_paid")
        # A filled handover dossier silences its warning.
        self.env["client.relationship.handover.item"].create(
            {
                "partner_id": self.client_company.id,
                "category": "file_location",
                "name": "Factures",
                "location": "Drive/Clients/Nuit",
            }
        )
        messages = " | ".join(message for __, message in self._checks(self._wizard_form()))
        self.assertNotIn("handover dossier has no instruction", messages)

    # Confirm, resume, cron

    def test_confirm_ends_cleanly_and_deletes_nothing(self):
        contract = self._contract(1, "month")
        quotation = self._order()
        reason = self.env.ref("client_relationship.end_reason_familiar")
        wizard_form = self._wizard_form()
        wizard_form.reason_ids.add(reason)
        wizard_form.notes = "SMS à 23h40, le dimanche."
        wizard = wizard_form.save()
        action = wizard.action_confirm()
        termination = wizard.termination_id
        self.assertEqual(termination.state, "ending")
        self.assertEqual(termination.contract_id, contract)
        self.assertEqual(termination.reason_ids, reason)
        self.assertEqual(self.client_company.relationship_state, "ending")
        self.assertEqual(quotation.state, "cancel", "cancelled, not deleted")
        self.assertTrue(quotation.exists() and self.client_company.active)
        # Why and the checks are told to the addon's users, on the termination;
        # the contact's chatter, which any user reads, says nothing of them.
        self.assertTrue(any("The relationship ends on" in m.body for m in termination.message_ids))
        self.assertFalse(
            [m for m in self.client_company.message_ids if "relationship ends" in (m.body or "")]
        )
        # Sent by e-mail: the composer opens on the letter template.
        self.assertEqual(action["res_model"], "mail.compose.message")
        self.assertEqual(
            action["context"]["default_template_id"],
            self.env.ref("client_relationship.mail_template_termination_letter").id,
        )
        # A double click does not end twice.
        wizard.action_confirm()
        self.assertEqual(len(self.client_company.relationship_termination_ids), 1)

    def test_end_today_is_ended_at_once_and_cron_ends_the_others(self):
        wizard_form = self._wizard_form()
        wizard_form.send_by = "print"
        action = wizard_form.save().action_confirm()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(self.client_company.relationship_state, "ended")
        other = self.env["res.partner"].create({"name": "Client en préavis", "is_company": True})
        wizard_form = self._wizard_form(other)
        wizard_form.end_date = self.today + timedelta(days=20)
        wizard = wizard_form.save()
        wizard.action_confirm()
        self.assertEqual(other.relationship_state, "ending")
        wizard.termination_id.sudo().end_date = self.today - timedelta(days=1)  # 20 days later
        self.env["client.relationship.termination"]._cron_end_relationships()
        self.assertEqual(wizard.termination_id.state, "ended")
        self.assertEqual(other.relationship_state, "ended")

    def test_resume_the_relationship(self):
        self._wizard_form().save().action_confirm()
        self.client_company.with_user(self.manager).action_resume_relationship()
        self.assertEqual(self.client_company.relationship_state, "active")
        self.assertEqual(self.client_company.relationship_termination_ids.state, "cancelled")
        self.assertIn(
            "resumed", self.client_company.relationship_termination_ids.message_ids[0].body
        )
        with self.assertRaisesRegex(UserError, "nothing to resume"):
            self.client_company.with_user(self.manager).action_resume_relationship()

    def test_mediation_first(self):
        wizard = self._wizard_form().save()
        self.assertFalse(wizard.mediation_tried)
        action = wizard.action_try_resolve_first()
        self.assertEqual(action["res_model"], "mail.compose.message")
        self.assertEqual(self.client_company.relationship_state, "mediation")
        self.assertTrue(self._wizard_form().save().mediation_tried)

    def test_conversation_outside_working_hours_is_flagged(self):
        self.client_company.relationship_avoid_contact = "Réunion hebdomadaire le lundi matin"
        saturday = self.today + timedelta(days=(5 - self.today.weekday()) % 7 or 7)
        wizard_form = self._wizard_form()
        wizard_form.schedule_call = True
        wizard_form.call_datetime = (
            PARIS.localize(datetime.combine(saturday, time(10, 0)))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
        )
        self.assertIn("outside your working hours", wizard_form.call_warning)
        self.assertEqual(wizard_form.avoid_contact, "Réunion hebdomadaire le lundi matin")
        tuesday = saturday + timedelta(days=3)
        wizard_form.call_datetime = (
            PARIS.localize(datetime.combine(tuesday, time(10, 0)))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
        )
        self.assertFalse(wizard_form.call_warning)
        wizard = wizard_form.save()
        wizard.action_confirm()
        # On the termination: on the contact, any user would read it.
        call = wizard.termination_id.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(call.date_deadline, tuesday)

    # Bad input and access

    def test_bad_input_is_refused_clearly(self):
        wizard_form = self._wizard_form()
        wizard_form.end_date = self.today - timedelta(days=1)
        with self.assertRaisesRegex(UserError, "in the past"):
            wizard_form.save().action_confirm()
        with self.assertRaisesRegex(UserError, "Nuit Blanche SARL"):
            self.client_contact.with_user(self.manager).action_end_relationship()
        self._wizard_form().save().action_confirm()
        with self.assertRaisesRegex(UserError, "already ending or ended"):
            self.client_company.with_user(self.manager).action_end_relationship()

    def test_created_by_code_the_wizard_proposes_the_lawful_date(self):
        self._contract(2, "week")
        wizard = self.env["client.relationship.end.wizard"].create(
            {"partner_id": self.client_company.id}
        )
        self.assertEqual(wizard.end_date, self.today + timedelta(days=14))

    def test_users_cannot_end_managers_can(self):
        with self.assertRaises(AccessError):
            self.env["client.relationship.end.wizard"].with_user(self.user).create(
                {"partner_id": self.client_company.id}
            )
        self._wizard_form().save().action_confirm()
        termination = self.client_company.relationship_termination_ids
        with self.assertRaises(AccessError):
            termination.with_user(self.user).write({"end_date": self.today})
        self.assertEqual(termination.with_user(self.user).state, "ended", "users can read it")

    def test_a_manager_ends_only_in_her_companies_and_forges_nothing(self):
        other = self.setup_other_company(name="Secrétariat Genève")["company"]
        manager_b = self.manager.copy(
            {
                "login": "cr_manager_b",
                "company_id": other.id,
                "company_ids": [Command.set(other.ids)],
            }
        )
        # Company A's quotations and amounts are not hers to check nor cancel,
        # whether she saves the wizard or only asks what it would show.
        self._order()
        Wizard = self.env["client.relationship.end.wizard"].with_user(manager_b).with_company(other)
        values = {"partner_id": self.client_company.id, "company_id": self.env.company.id}
        with self.assertRaises(AccessError):
            Wizard.create(values)
        with self.assertRaises(AccessError):
            Wizard.onchange(values, [], {"check_ids": {"fields": {"message": {}}}})
        self._wizard_form().save().action_confirm()
        termination = self.client_company.relationship_termination_ids.with_user(self.manager)
        # Who decided, when and why the notice was overridden are facts of the decision.
        for values in (
            {"user_id": self.env.ref("base.user_admin").id},
            {"date": self.today - timedelta(days=30)},
            {"override_reason": "Inventé"},
            {"access_token": "choisi-par-moi"},
        ):
            with self.assertRaises(UserError, msg=values):
                termination.write(values)
        with self.assertRaisesRegex(UserError, "State"):
            termination.with_context(
                default_partner_id=self.client_company.id,
                default_state="ended",
                default_end_date=self.today,
            ).create({"notes": "Forgé"})

    def test_decline_politely(self):
        self._wizard_form().save().action_confirm()
        quotation = self._order()
        quotation.with_user(self.manager).action_decline_politely()
        self.assertEqual(quotation.state, "cancel")
        self.assertIn("mon planning est complet", quotation.message_ids[0].body)

    # The letter, rendered by wkhtmltopdf

    def test_letter_pdf_reads_like_a_letter(self):
        self._contract(
            1, "month", termination_clause="Chaque partie peut résilier avec un mois de préavis."
        )
        self._invoice(self.client_company, 480, due_days_ago=3)
        wizard_form = self._wizard_form()
        wizard_form.send_by = "print"
        wizard = wizard_form.save()
        wizard.action_confirm()
        pdf, __ = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "client_relationship.action_report_termination_letter", wizard.termination_id.ids
            )
        )
        self.assertTrue(pdf.startswith(b"%PDF"))
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
        pages = re.search(r"^Pages:\s+(\d+)$", info.stdout.decode(), re.MULTILINE).group(1)
        self.assertEqual(pages, "1", "one page in the usual case")
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        flat = " ".join(text.split())
        opening, core, closing = (
            flat.find(" ".join(part.split())[:40])
            for part in (wizard.letter_opening, wizard.letter_core, wizard.letter_closing)
        )
        self.assertTrue(0 <= opening < core < closing, "sandwich order: opening, core, closing")
        self.assertIn("Chaque partie peut résilier", flat)
        self.assertIn(self.env.company.name, flat, "the sender's block")
        self.assertIn("Vous trouverez ci-joint le dossier de passation", flat)
        # French dates and amounts.
        end = wizard.termination_id.end_date
        day = "1er" if end.day == 1 else end.day
        self.assertIn(f"prendra fin le {day} {FRENCH_MONTHS[end.month - 1]} {end.year}", flat)
        self.assertIn("480,00", flat)
