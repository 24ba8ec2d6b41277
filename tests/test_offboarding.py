from datetime import datetime, time, timedelta

import pytz

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import PARIS, ClientRelationshipAccountCase


@tagged("post_install", "-at_install")
class TestOffboarding(ClientRelationshipAccountCase):
    """What follows the decision: the tasks, the notice the law expects, the
    registered letter and the phone call."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client_company.write({"email": "contact@nuit.example", "lang": "fr_FR"})

    def _contract(self, years, notice_months=1, **values):
        start = fields.Date.subtract(self.today, years=years)
        return self.env["client.relationship.contract"].create(
            {
                "name": "Contrat de secrétariat",
                "partner_id": self.client_company.id,
                "date_start": start,
                "date_signed": start,
                "notice_period": notice_months,
                "notice_unit": "month",
                **values,
            }
        )

    def _end(self, wizard_form):
        wizard = wizard_form.save()
        action = wizard.action_confirm()
        return wizard.termination_id, action

    def _decided_days_ago(self, termination, days):
        """As if the end had been decided `days` ago, its notice counted from then."""
        decided = self.today - timedelta(days=days)
        end = fields.Date.add(decided, months=1)
        termination.sudo().write({"date": decided, "end_date": end, "earliest_end_date": end})
        return decided

    def _checks(self, wizard_form):
        return " | ".join(wizard_form.save().check_ids.mapped("message"))

    # The offboarding plan

    def test_the_plan_ships_in_french_for_a_french_installation(self):
        # make test installs the addon with French as the administrator's language.
        plan = self.env.ref("client_relationship.mail_activity_plan_offboarding")
        self.assertEqual(plan.res_model, "client.relationship.termination")
        self.assertEqual(self.env.company.relationship_offboarding_plan_id, plan)
        self.assertEqual(
            plan.template_ids.mapped("summary"),
            [
                "Arrêter les devis récurrents et les abonnements",
                "Émettre la facture de solde",
                "Rendre les documents et originaux du client",
                "Transmettre les identifiants",
                "Révoquer vos accès aux outils du client",
                "Archiver les dossiers du client",
                "Relance de courtoisie",
            ],
        )
        self.assertEqual(plan.name, "Fin d'une relation client")
        english = (
            self.env["mail.activity.plan"]
            .with_context(lang="en_US")
            ._relationship_create_offboarding_plan()
        )
        self.assertEqual(english.template_ids[-1].summary, "Courtesy follow-up")

    def test_confirming_schedules_the_plan_before_the_end_and_resuming_cancels_it(self):
        end = self.today + timedelta(days=60)
        wizard_form = self._wizard_form()
        wizard_form.end_date = end
        termination, __ = self._end(wizard_form)
        tasks = termination.offboarding_activity_ids
        self.assertEqual(len(tasks), 7)
        # On the termination, which only the addon's users read: not on the
        # contact, whose activities and chatter (the plan's launch) every user reads.
        self.assertEqual(tasks.mapped("res_id"), [termination.id] * 7)
        self.assertFalse(self.client_company.activity_ids)
        self.assertFalse(
            self.client_company.message_ids.filtered(lambda m: "Relance" in (m.body or ""))
        )
        self.assertEqual(set(tasks.mapped("user_id")), {self.manager})
        templates = self.env.company.relationship_offboarding_plan_id.template_ids
        summary = {
            template.delay_count if template.delay_from == "before_plan_date" else "after": (
                template.summary
            )
            for template in templates
        }
        follow_up = tasks.filtered(lambda a: a.summary == summary["after"])
        self.assertGreater(follow_up.date_deadline, end, "the follow-up comes after the end")
        for task in tasks - follow_up:
            self.assertLessEqual(task.date_deadline, end, task.summary)
        self.assertEqual(min(tasks.mapped("date_deadline")), end - timedelta(days=14), summary[14])
        # Your to-dos are not the client's business: the dossier sent to them omits them.
        text = self._pdf_text(
            "client_relationship.action_report_handover_dossier_termination", termination
        )
        self.assertIn("Dossier de passation", text)
        for task in tasks:
            self.assertNotIn(task.summary, text)
        # One task done before the client comes back: it stays done.
        done = tasks.filtered(lambda a: a.summary == summary[14])
        done.with_user(self.manager).action_feedback(feedback="Abonnement arrêté")
        self.client_company.with_user(self.manager).action_resume_relationship()
        self.assertFalse(termination.activity_ids, "the tasks still open are cancelled")
        self.assertTrue(
            termination.message_ids.filtered(lambda m: "Abonnement arrêté" in (m.body or "")),
            "the task done is kept in the chatter",
        )

    def test_the_plan_is_a_setting_of_each_company(self):
        own = self.env["mail.activity.plan"].create(
            {
                "name": "Ma fin de mission",
                "res_model": "client.relationship.termination",
                "template_ids": [
                    Command.create({"summary": "Rendre les clés", "responsible_type": "on_demand"})
                ],
            }
        )
        settings = self.env["res.config.settings"].create({})
        settings.relationship_offboarding_plan_id = own
        settings.execute()
        self.assertEqual(self.env.company.relationship_offboarding_plan_id, own)
        termination, __ = self._end(self._wizard_form())
        self.assertEqual(termination.offboarding_activity_ids.summary, "Rendre les clés")
        self.env.company.relationship_offboarding_plan_id = False
        other = self.env["res.partner"].create({"name": "Sans plan", "is_company": True})
        termination, __ = self._end(self._wizard_form(other))
        self.assertFalse(termination.offboarding_activity_ids)

    # A lawful notice for an established business relationship

    def test_a_long_business_relationship_calls_for_a_longer_notice(self):
        self._contract(years=6, notice_months=1)
        wizard_form = self._wizard_form()
        self.assertEqual(wizard_form.usual_notice_months, 6)
        checks = self._checks(wizard_form)
        self.assertIn("has lasted 6 years", checks)
        self.assertIn("about 6 months of notice", checks)
        self.assertIn("L442-1", checks)
        # A notice of six months meets the usage.
        wizard_form.end_date = fields.Date.add(self.today, months=6)
        checks = self._checks(wizard_form)
        self.assertIn("matches the usual 6 months", checks)
        self.assertNotIn("L442-1", checks)
        termination, __ = self._end(wizard_form)
        self.assertEqual(termination.usual_notice_months, 6)
        self.assertEqual(
            termination.relationship_start_date, fields.Date.subtract(self.today, years=6)
        )

    def test_the_rule_of_thumb_is_a_setting_capped_at_eighteen_months(self):
        self._contract(years=26)
        self.assertEqual(self._wizard_form().usual_notice_months, 18)
        self.env.company.relationship_notice_max_months = 12
        self.assertEqual(self._wizard_form().usual_notice_months, 12)
        self.env.company.write(
            {"relationship_notice_max_months": 18, "relationship_notice_months_per_year": 0.5}
        )
        self.assertEqual(self._wizard_form().usual_notice_months, 13)
        for values in (
            {"relationship_notice_months_per_year": 0},
            {"relationship_notice_max_months": 24},
        ):
            with self.assertRaisesRegex(UserError, "must be positive and at most 18"):
                self.env.company.write(values)

    def test_without_contract_the_relationship_starts_with_the_first_invoice(self):
        invoice = self._invoice(self.client_company, 500, due_days_ago=3 * 365 + 45)
        self._pay(invoice, 0)
        wizard_form = self._wizard_form()
        self.assertEqual(wizard_form.relationship_start_date, invoice.invoice_date)
        self.assertEqual(wizard_form.usual_notice_months, 3)
        self.assertRegex(self._checks(wizard_form), r"has lasted 3 years and 2 months \(since")

    def test_individuals_and_new_clients_get_no_usual_notice(self):
        individual = self.env["res.partner"].create({"name": "M. Tardif"})
        self._invoice(individual, 300, due_days_ago=5 * 365)
        self.assertEqual(self._wizard_form(individual).usual_notice_months, 0)
        self.assertNotIn("L442-1", self._checks(self._wizard_form(individual)))
        self._contract(years=0, date_start=self.today - timedelta(days=60))
        self.assertNotIn("L442-1", self._checks(self._wizard_form()))

    def test_serious_non_performance_ends_without_notice(self):
        self._contract(years=4, notice_months=3)
        self._invoice(self.client_company, 1200, due_days_ago=90)
        wizard_form = self._wizard_form()
        wizard_form.end_date = self.today
        self.assertIn("may count as serious non-performance", self._checks(wizard_form))
        self.assertTrue(wizard_form.save().has_blocking_check, "the notice still binds")
        wizard = (
            self.env["client.relationship.end.wizard"]
            .with_user(self.manager)
            .create(
                {
                    "partner_id": self.client_company.id,
                    "end_date": self.today,
                    "serious_non_performance": True,
                    "serious_non_performance_details": "  ",
                }
            )
        )
        with self.assertRaisesRegex(UserError, "Describe what the client failed to do"):
            wizard.action_confirm()
        wizard_form.serious_non_performance = True
        wizard_form.serious_non_performance_details = (
            "Factures de mars et avril impayées malgré trois relances."
        )
        checks = self._checks(wizard_form)
        self.assertIn("Ended without notice for serious non-performance", checks)
        self.assertNotIn("L442-1", checks)
        termination, __ = self._end(wizard_form)
        self.assertEqual(termination.state, "ended")
        self.assertTrue(termination.serious_non_performance)
        self.assertIn("trois relances", termination.serious_non_performance_details)
        text = self._pdf_text("client_relationship.action_report_termination_letter", termination)
        self.assertIn("manquements graves", text)
        self.assertIn("sans préavis", text)
        in_french = termination.with_context(lang="fr_FR")
        self.assertIn(in_french._date_in_full(self.today), text, "the exact end date")
        self.assertNotIn("trois relances", text, "the internal details stay internal")

    def test_only_a_manager_cites_serious_non_performance(self):
        self.user.group_ids += self.env.ref("client_relationship.group_relationship_user")
        with self.assertRaises(AccessError):
            self.env["client.relationship.end.wizard"].with_user(self.user).create(
                {
                    "partner_id": self.client_company.id,
                    "serious_non_performance": True,
                    "serious_non_performance_details": "Impayés",
                }
            )

    # The registered letter

    def test_the_notice_runs_from_the_registered_letters_receipt(self):
        self._contract(years=0, notice_months=1, termination_form="registered")
        wizard_form = self._wizard_form()
        self.assertEqual(wizard_form.send_by, "registered")
        termination, action = self._end(wizard_form)
        self.assertEqual(action["type"], "ir.actions.report")
        decided = self._decided_days_ago(termination, 10)
        planned_end = termination.end_date
        received = self.today
        termination.with_user(self.manager).write(
            {
                "registered_letter_number": "1A 234 567 8901 2",
                "registered_letter_sent_date": decided,
                "registered_letter_received_date": received,
            }
        )
        lawful = fields.Date.add(received, months=1)
        self.assertGreater(lawful, planned_end)
        self.assertEqual(termination.earliest_end_date, lawful)
        self.assertEqual(termination.end_date, lawful, "moved to the lawful date")
        self.assertEqual(self.client_company.relationship_end_date, lawful)
        self.assertIn("registered letter reached the client", termination.message_ids[0].body)
        text = self._pdf_text("client_relationship.action_report_termination_letter", termination)
        self.assertIn("Lettre recommandée avec accusé de réception n° 1A 234 567 8901 2", text)
        # French layout: the sender top left, then the recipient on the right below it.
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "client_relationship.action_report_termination_letter", termination.ids
            )[0]
        )
        sender, recipient = html.index('name="sender"'), html.index('name="recipient"')
        self.assertLess(sender, recipient)
        self.assertIn('class="col-5 offset-7" name="recipient"', html)
        self.assertIn("Nuit Blanche SARL", html[recipient:])

    def test_registered_letter_dates_must_make_sense(self):
        self._contract(years=0, notice_months=1, termination_form="registered")
        termination, __ = self._end(self._wizard_form())
        termination = termination.with_user(self.manager)
        termination.registered_letter_sent_date = self.today - timedelta(days=3)
        for values in (
            {"registered_letter_received_date": self.today - timedelta(days=5)},
            {"registered_letter_presented_date": self.today + timedelta(days=1)},
        ):
            with self.assertRaisesRegex(ValidationError, "do not follow each other"):
                termination.write(values)

    def test_an_unclaimed_letter_counts_from_its_first_presentation_for_a_business(self):
        self._contract(years=0, notice_months=1, termination_form="registered")
        termination, __ = self._end(self._wizard_form())
        self._decided_days_ago(termination, 10)
        presented = self.today - timedelta(days=2)
        termination.with_user(self.manager).registered_letter_presented_date = presented
        self.assertEqual(termination.end_date, fields.Date.add(presented, months=1))
        # An individual's unclaimed letter does not start the notice.
        individual = self.env["res.partner"].create({"name": "Mme Absente", "lang": "fr_FR"})
        self.env["client.relationship.contract"].create(
            {
                "name": "Contrat",
                "partner_id": individual.id,
                "date_start": self.today - timedelta(days=30),
                "date_signed": self.today - timedelta(days=30),
                "notice_period": 1,
                "termination_form": "registered",
            }
        )
        termination, __ = self._end(self._wizard_form(individual))
        self._decided_days_ago(termination, 10)
        end = termination.end_date
        termination.with_user(self.manager).registered_letter_presented_date = presented
        self.assertEqual(termination.end_date, end)

    def test_the_receipt_does_not_undo_a_decision_to_end_without_notice(self):
        self._contract(years=0, notice_months=3, termination_form="registered")
        wizard_form = self._wizard_form()
        wizard_form.end_date = self.today
        wizard_form.override_notice = True
        wizard_form.override_reason = "Accord écrit de la cliente"
        termination, __ = self._end(wizard_form)
        termination.with_user(self.manager).write(
            {
                "registered_letter_sent_date": self.today,
                "registered_letter_received_date": self.today,
            }
        )
        self.assertEqual(termination.end_date, self.today)
        self.assertEqual(termination.state, "ended")

    def test_a_late_receipt_reopens_a_relationship_ended_too_early(self):
        self._contract(years=0, notice_months=1, termination_form="registered")
        termination, __ = self._end(self._wizard_form())
        decided = self.today - timedelta(days=40)
        termination.sudo().write(
            {
                "date": decided,
                "end_date": self.today - timedelta(days=9),
                "earliest_end_date": self.today - timedelta(days=9),
            }
        )
        self.env["client.relationship.termination"]._cron_end_relationships()
        self.assertEqual(self.client_company.relationship_state, "ended")
        # The letter only reached the client a week ago: the notice still runs.
        termination.with_user(self.manager).write(
            {
                "registered_letter_sent_date": decided,
                "registered_letter_received_date": self.today - timedelta(days=7),
            }
        )
        self.assertEqual(
            termination.end_date, fields.Date.add(self.today - timedelta(days=7), months=1)
        )
        self.assertEqual(termination.state, "ending")
        self.assertEqual(self.client_company.relationship_state, "ending")

    def test_a_letter_without_receipt_is_chased_after_ten_days(self):
        self._contract(years=0, notice_months=1, termination_form="registered")
        termination, __ = self._end(self._wizard_form())
        termination.with_user(self.manager).registered_letter_sent_date = self.today - timedelta(
            days=9
        )
        cron = self.env["client.relationship.termination"]
        cron._cron_remind_registered_letters()
        self.assertFalse(termination.registered_letter_reminder_id, "not yet")
        termination.with_user(self.manager).registered_letter_sent_date = self.today - timedelta(
            days=10
        )
        cron._cron_remind_registered_letters()
        reminder = termination.registered_letter_reminder_id
        self.assertEqual(reminder.user_id, self.manager)
        self.assertEqual(reminder.summary, "Relancer la lettre recommandée", "in her language")
        cron._cron_remind_registered_letters()
        self.assertEqual(
            termination.activity_ids - termination.offboarding_activity_ids,
            reminder,
            "one reminder, not one a day",
        )
        termination.with_user(self.manager).registered_letter_received_date = self.today
        self.assertFalse(reminder.active, "done once the receipt is recorded")

    def test_the_end_changes_only_through_its_actions(self):
        termination, __ = self._end(self._wizard_form())
        for values in ({"end_date": self.today}, {"state": "ended"}, {"acknowledged_by": "X"}):
            with self.assertRaisesRegex(UserError, "cannot be changed directly"):
                termination.with_user(self.manager).write(values)
        with self.assertRaises(AccessError):
            termination.with_user(self.user).write({"registered_letter_number": "1A"})

    # By phone, then in writing

    def test_by_phone_schedules_the_call_and_prepares_the_written_confirmation(self):
        monday = self.today + timedelta(days=(7 - self.today.weekday()) or 7)
        wizard = (
            self.env["client.relationship.end.wizard"]
            .with_user(self.manager)
            .create({"partner_id": self.client_company.id, "send_by": "phone"})
        )
        self.assertTrue(wizard.schedule_call)
        with self.assertRaisesRegex(UserError, "Choose when you will call"):
            wizard.action_confirm()
        wizard_form = self._wizard_form()
        wizard_form.send_by = "phone"
        wizard_form.call_datetime = (
            PARIS.localize(datetime.combine(monday, time(20, 0))).astimezone(pytz.utc)
        ).replace(tzinfo=None)
        self.assertIn("outside your working hours", wizard_form.call_warning)
        wizard_form.call_datetime = (
            PARIS.localize(datetime.combine(monday, time(10, 0))).astimezone(pytz.utc)
        ).replace(tzinfo=None)
        self.assertFalse(wizard_form.call_warning)
        termination, action = self._end(wizard_form)
        self.assertEqual(action["res_model"], termination._name, "the call comes first")
        call = termination.activity_ids - termination.offboarding_activity_ids
        self.assertEqual(call.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        self.assertEqual(call.date_deadline, monday)
        self.assertIn("Send the Letter", call.note)
        # Written before the call, the confirmation would recall a conversation not yet held.
        with self.assertRaisesRegex(UserError, "Call the client first"):
            termination.with_user(self.manager).action_send_letter()
        # The call took place an hour earlier than planned.
        termination.with_user(self.manager).call_datetime = fields.Datetime.now() - timedelta(
            hours=1
        )
        action = termination.with_user(self.manager).action_send_letter()
        composer = Form(
            self.env["mail.compose.message"]
            .with_user(self.manager)
            .with_context(action["context"], force_report_rendering=True)
        )
        self.assertIn("Suite à notre conversation téléphonique du", composer.body)
        self.assertIn(termination.with_context(lang="fr_FR")._call_date_in_full(), composer.body)
        composer.save().action_send_mail()
        message = termination.message_ids[0]
        self.assertIn("conversation téléphonique", message.body)
        self.assertEqual(
            sorted(message.attachment_ids.mapped("name")),
            [
                "Dossier de passation - Nuit Blanche SARL.pdf",
                "Lettre de fin de collaboration - Nuit Blanche SARL.pdf",
            ],
        )
        text = self._pdf_text("client_relationship.action_report_termination_letter", termination)
        self.assertIn("conversation téléphonique du", text)
