from datetime import datetime, time, timedelta

import pytz

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import html2plaintext

from .common import PARIS, ClientRelationshipAccountCase


@tagged("post_install", "-at_install")
class TestRelationshipHealth(ClientRelationshipAccountCase):
    def _message(self, author, local_dt, tz=PARIS):
        message = self.client_company.message_post(
            body="Vous êtes là ?", author_id=author.id, message_type="comment"
        )
        message.date = tz.localize(local_dt).astimezone(pytz.utc).replace(tzinfo=None)
        return message

    def _recent_weekday(self, weekday):
        """A date of the previous full week with that weekday (0 = Monday)."""
        monday = self.today - timedelta(days=self.today.weekday() + 7)
        return monday + timedelta(days=weekday)

    def _recompute(self, partner=None):
        (partner or self.client_company).action_recompute_relationship_health()

    # Signals

    def test_new_client_is_good(self):
        self._recompute()
        self.assertEqual(self.client_company.relationship_health_score, 100)
        self.assertEqual(self.client_company.relationship_health_band, "good")
        self.assertIn("No warning sign", self.client_company.relationship_health_explanation)

    def test_payment_delay_is_weighted_by_amount(self):
        late = self._invoice(self.client_company, 1000, due_days_ago=40)
        on_time = self._invoice(self.client_company, 3000, due_days_ago=20)
        self._pay(late, paid_days_after_due=10)
        self._pay(on_time, paid_days_after_due=-2)
        # Paid more than a year ago: ignored.
        old = self._invoice(self.client_company, 5000, due_days_ago=500)
        self._pay(old, paid_days_after_due=60)
        self._recompute()
        # 1000 paid 10 days late, 3000 early (counts 0): (1000 × 10) / 4000.
        self.assertAlmostEqual(self.client_company.relationship_payment_delay_avg, 2.5)
        self.assertEqual(self.client_contact.relationship_payment_delay_avg, 2.5)

    def test_overdue_invoices_today(self):
        overdue = self._invoice(self.client_contact, 1200, due_days_ago=1)
        half_paid = self._invoice(self.client_company, 800, due_days_ago=15)
        self._pay(half_paid, paid_days_after_due=1, amount=300)
        self._invoice(self.client_company, 999, due_days_ago=-5)  # not due yet
        self._invoice(self.client_company, 777, due_days_ago=30, post=False)  # draft
        self._recompute()
        company = self.client_company
        self.assertEqual(company.relationship_overdue_count, 2)
        self.assertAlmostEqual(company.relationship_overdue_amount, 1200 + 500)
        self.assertEqual(overdue.payment_state, "not_paid")

    def test_messages_out_of_working_hours(self):
        friday, saturday = self._recent_weekday(4), self._recent_weekday(5)
        tuesday, wednesday = self._recent_weekday(1), self._recent_weekday(2)
        thursday = self._recent_weekday(3)
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Jour férié",
                "date_from": PARIS.localize(datetime.combine(thursday, time(0, 0)))
                .astimezone(pytz.utc)
                .replace(tzinfo=None),
                "date_to": PARIS.localize(datetime.combine(thursday, time(23, 59)))
                .astimezone(pytz.utc)
                .replace(tzinfo=None),
                "calendar_id": False,
                "company_id": self.env.company.id,
            }
        )
        out_of_hours = [
            datetime.combine(friday, time(18, 5)),
            datetime.combine(saturday, time(12, 0)),
            datetime.combine(thursday, time(10, 0)),  # public holiday
            datetime.combine(tuesday, time(8, 30)),  # 7:30 or 6:30 UTC: early in Paris
        ]
        in_hours = [
            datetime.combine(friday, time(17, 55)),
            datetime.combine(wednesday, time(10, 0)),
            datetime.combine(tuesday, time(9, 30)),
        ]
        for moment in out_of_hours:
            self._message(self.client_contact, moment)
        for moment in in_hours:
            self._message(self.client_company, moment)
        # Not counted: more than 90 days ago, or written by us.
        self._message(
            self.client_company, datetime.combine(saturday, time(23, 40)) - timedelta(days=100)
        )
        self._message(self.manager.partner_id, datetime.combine(saturday, time(23, 40)))
        self._recompute()
        self.assertEqual(self.client_company.relationship_out_of_hours_count, 4)

    def test_incidents_weighted_by_severity(self):
        incident_form = Form(
            self.env["client.relationship.incident"]
            .with_user(self.user)
            .with_context(default_partner_id=self.client_contact.id)
        )
        incident_form.incident_type = "blame"
        incident_form.severity = "high"
        incident_form.save()
        self.env["client.relationship.incident"].create(
            [
                {
                    "partner_id": self.client_company.id,
                    "incident_type": "oversharing",
                    "severity": "low",
                },
                {
                    "partner_id": self.client_company.id,
                    "incident_type": "intervention",
                    "severity": "high",
                    "date": self.today - timedelta(days=400),
                },
            ]
        )
        # Logging an incident updates the score at once.
        self.assertEqual(self.client_company.relationship_incident_count, 4)
        self.assertEqual(self.client_company.relationship_health_score, 80)
        self.assertEqual(
            self.client_company.relationship_incident_ids.commercial_partner_id, self.client_company
        )

    def test_gut_feeling_and_profile(self):
        self.client_company.write(
            {"relationship_gut_feeling": "3", "relationship_profile_fit": "mismatch"}
        )
        self.assertEqual(self.client_company.relationship_health_score, 100 - 15 - 10)
        explanation = html2plaintext(self.client_company.relationship_health_explanation)
        self.assertIn("Gut feeling: My throat tightens when they call: *−15*", explanation)
        self.assertIn("Does not match your ideal client profile: *−10*", explanation)

    def test_night_texting_late_payer_is_critical(self):
        for due_days_ago in (60, 45):
            self._pay(self._invoice(self.client_company, 500, due_days_ago), paid_days_after_due=20)
        self._invoice(self.client_company, 900, due_days_ago=10)
        for day in range(3):
            sunday = self._recent_weekday(6) - timedelta(days=7 * day)
            self._message(self.client_contact, datetime.combine(sunday, time(9, 0)))
            self._message(self.client_contact, datetime.combine(sunday, time(23, 40)))
        for incident_type in ("intervention", "blame", "oversharing"):
            self.env["client.relationship.incident"].create(
                {"partner_id": self.client_company.id, "incident_type": incident_type}
            )
        self._recompute()
        company = self.client_company
        self.assertEqual(company.relationship_health_band, "critical")
        # 20 days late (−20), 1 overdue invoice (−10), 6 messages (−24 capped at −20),
        # 6 incident points (−30 capped at −30).
        self.assertEqual(company.relationship_health_score, 20)
        explanation = html2plaintext(company.relationship_health_explanation)
        self.assertIn("6 message(s) outside working hours in 90 days: *−20*", explanation)
        # A whole number of days is written without decimals.
        self.assertIn("Invoices paid 20 days late on average: *−20*", explanation)

    def test_band_worsening_schedules_one_review_activity(self):
        self.client_company.user_id = self.manager
        for incident_type in ("intervention", "blame"):
            self.env["client.relationship.incident"].create(
                {
                    "partner_id": self.client_company.id,
                    "incident_type": incident_type,
                    "severity": "high",
                }
            )
        self._recompute()
        self._recompute()  # still to watch: no second alert
        activities = self.client_company.activity_ids.filtered(
            lambda a: a.summary == "Faire le point sur la relation avec Nuit Blanche SARL"
        )
        self.assertEqual(self.client_company.relationship_health_band, "watch")
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.manager)
        # Whoever reads contacts reads the activity: it says nothing of the client.
        self.assertIn(
            "La santé de la relation s'est dégradée : l'onglet Relation explique pourquoi",
            html2plaintext(activities.note).replace("\xa0", " "),
        )
        self.assertNotIn("incident", html2plaintext(activities.note))
        self.assertEqual(self.client_company.relationship_state, "watch")
        # Worse again: one more alert.
        self._invoice(self.client_company, 300, due_days_ago=5)
        self.client_company.write(
            {"relationship_gut_feeling": "3", "relationship_profile_fit": "mismatch"}
        )
        self.assertEqual(self.client_company.relationship_health_band, "critical")
        self.assertEqual(self.client_company.relationship_health_score, 35)
        self.assertEqual(
            len(
                self.client_company.activity_ids.filtered(
                    lambda a: a.summary.startswith("Faire le point")
                )
            ),
            2,
        )

    def test_query_count_does_not_grow_with_partners(self):
        def queries_for(count):
            partners = self.env["res.partner"].create(
                [{"name": f"Client {count}-{index}", "is_company": True} for index in range(count)]
            )
            self._invoice(partners[0], 100, due_days_ago=3)
            self._message(partners[-1], datetime.combine(self._recent_weekday(5), time(22, 0)))
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            partners._recompute_relationship_health()
            return self.env.cr.sql_log_count - before

        queries_for(10)  # warm up the caches
        a = queries_for(10)
        b = queries_for(200)
        self.assertEqual(a, b)

    # Settings

    def test_weights_and_thresholds_from_settings(self):
        settings = Form(self.env["res.config.settings"])
        settings.relationship_weight_out_of_hours = 10
        settings.relationship_threshold_watch = 90
        settings.save().execute()
        self.assertEqual(self.env.company.relationship_weight_out_of_hours, 10)
        self._message(self.client_contact, datetime.combine(self._recent_weekday(6), time(23, 0)))
        self._recompute()
        self.assertEqual(self.client_company.relationship_health_score, 90)
        self.assertEqual(self.client_company.relationship_health_band, "good")
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.env.company.relationship_cap_incident = -1
        with self.assertRaisesRegex(ValidationError, "0 ≤ critical"):
            self.env.company.relationship_threshold_critical = 95

    def test_only_managers_change_weights(self):
        with self.assertRaises(AccessError):
            self.env.company.with_user(self.user).relationship_weight_overdue = 0
        # Users read the health and log incidents.
        self.assertEqual(self.client_company.with_user(self.user).relationship_health_band, "good")
        outsider = new_test_user(self.env, login="outsider", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["client.relationship.incident"].with_user(outsider).search([])

    # Lifecycle

    def _run_cron(self, xmlid):
        # The cron runs in a cursor of its own, as the scheduler runs it.
        cron = self.env.ref(xmlid)
        cron.user_id = self.env.user  # health is computed in the company of the cron's user
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.env.invalidate_all()

    def test_try_to_resolve_then_back_to_normal(self):
        self.client_company.lang = "fr_FR"
        client = self.client_company.with_context(tracking_disable=False, mail_notrack=False)
        action = client.with_user(self.manager).action_relationship_try_resolve()
        self.assertEqual(self.client_company.relationship_state, "mediation")
        self.assertEqual(action["res_model"], "mail.compose.message")
        composer = Form(
            self.env["mail.compose.message"]
            .with_user(self.manager)
            .with_context(**action["context"])
        )
        self.assertEqual(
            composer.subject, "Et si nous faisions le point sur notre collaboration\u00a0?"
        )
        self.assertIn("Pourrions-nous prendre une demi-heure", composer.body)
        follow_up = self.client_company.activity_ids
        self.assertEqual(len(follow_up), 1)
        self.assertEqual(follow_up.date_deadline, self.today + timedelta(days=7))
        self.env.cr.precommit.run()  # tracking is written at commit time
        client.with_user(self.manager).action_relationship_back_to_normal()
        self.assertEqual(self.client_company.relationship_state, "active")
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        tracked = self.client_company.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "relationship_state"
        )
        self.assertIn(
            ("In Mediation", "Active"), [(t.old_value_char, t.new_value_char) for t in tracked]
        )

    def test_log_incident_from_a_message(self):
        message = self._message(
            self.client_contact, datetime.combine(self._recent_weekday(6), time(23, 0))
        )
        incident_form = Form(
            self.env["client.relationship.incident"]
            .with_user(self.user)
            .with_context(default_message_id=message.id)
        )
        self.assertEqual(incident_form.partner_id, self.client_company)
        incident_form.incident_type = "out_of_hours"
        incident = incident_form.save()
        self.assertEqual(incident.message_id, message)

    # Crons

    def test_snapshot_cron_keeps_changes_only(self):
        Snapshot = self.env["client.relationship.health.snapshot"]
        self.env["client.relationship.incident"].create(
            {"partner_id": self.client_company.id, "incident_type": "blame", "severity": "high"}
        )
        self._run_cron("client_relationship.ir_cron_snapshot_relationship_health")
        self._run_cron("client_relationship.ir_cron_snapshot_relationship_health")
        history = Snapshot.search([("partner_id", "=", self.client_company.id)])
        self.assertEqual(history.mapped("score"), [85])
        self.env["client.relationship.incident"].create(
            {"partner_id": self.client_company.id, "incident_type": "scope", "severity": "low"}
        )
        self._run_cron("client_relationship.ir_cron_snapshot_relationship_health")
        history = Snapshot.search([("partner_id", "=", self.client_company.id)])
        self.assertEqual(sorted(history.mapped("score")), [80, 85])
        self.assertIn("<polyline", self.client_company.relationship_health_trend)
        self.assertFalse(Snapshot.search([("partner_id", "=", self.client_contact.id)]))

    def test_nightly_cron_recomputes_every_client(self):
        self._invoice(self.client_company, 400, due_days_ago=8)
        other = self.env["res.partner"].create({"name": "Particulier en retard"})
        self._invoice(other, 250, due_days_ago=2)
        self._run_cron("client_relationship.ir_cron_recompute_relationship_health")
        self.assertEqual(self.client_company.relationship_overdue_count, 1)
        self.assertEqual(other.relationship_overdue_count, 1)
        self.assertEqual(other.relationship_health_score, 90)
