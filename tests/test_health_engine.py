import time
from datetime import datetime, timedelta
from datetime import time as dt_time
from unittest.mock import patch

import pytz
from freezegun import freeze_time

from odoo import fields
from odoo.fields import Command
from odoo.tests import new_test_user, tagged
from odoo.tools import html2plaintext

from .common import PARIS, ClientRelationshipAccountCase


@tagged("post_install", "-at_install")
class TestHealthEngine(ClientRelationshipAccountCase):
    """Health per company, the resumable nightly run, customers only, a quiet
    first computation, signals other addons extend and charts that mean something."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Health = cls.env["client.relationship.health"]
        cls.company_a = cls.env.company
        cls.company_b = cls.setup_other_company(
            name="Secrétariat Genève", currency_id=cls.setup_other_currency("CHF").id
        )["company"]
        cls.user_b = new_test_user(
            cls.env,
            login="cr_user_b",
            groups="sales_team.group_sale_salesman,account.group_account_invoice",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )

    @staticmethod
    def _cron_call(env, budget=60.0, **kwargs):
        """One call of the nightly job, as Odoo's runner makes it with
        ``budget`` seconds of its time left; the call's progress."""
        cron = env.ref("client_relationship.ir_cron_recompute_relationship_health")
        cron, progress = cron._add_progress()
        env["client.relationship.health"].with_context(
            cron_id=cron.id,
            ir_cron_progress_id=progress.id,
            cron_end_time=time.monotonic() + budget,
        )._cron_recompute(**kwargs)
        return progress

    def _invoice_in(self, company, partner, amount, due_days_ago):
        due = self.today - timedelta(days=due_days_ago)
        invoice = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": due - timedelta(days=30),
                    "invoice_date_due": due,
                    "invoice_line_ids": [
                        Command.create({"name": "Frappe", "price_unit": amount, "tax_ids": []})
                    ],
                }
            )
        )
        invoice.invoice_date_due = due
        invoice.action_post()
        return invoice

    def test_each_company_sees_its_own_figures_in_its_currency(self):
        client = self.client_company
        self._invoice_in(self.company_a, client, 1000, due_days_ago=10)
        self._invoice_in(self.company_b, client, 300, due_days_ago=10)
        client.with_company(self.company_a).action_recompute_relationship_health()
        client.with_user(self.user_b).with_company(
            self.company_b
        ).action_recompute_relationship_health()

        in_a = client.with_company(self.company_a)
        self.assertEqual(in_a.relationship_overdue_amount, 1000)
        self.assertEqual(in_a.relationship_overdue_count, 1)
        in_b = client.with_user(self.user_b).with_company(self.company_b)
        self.assertEqual(in_b.relationship_overdue_amount, 300)
        self.assertIn("CHF", html2plaintext(in_b.relationship_health_explanation))
        # Recomputing in B left A's figures alone.
        self.assertEqual(in_a.relationship_overdue_amount, 1000)
        # B's user reads B's health row only.
        self.assertEqual(
            self.Health.with_user(self.user_b).search([("partner_id", "=", client.id)]).company_id,
            self.company_b,
        )
        # What the client owes, for the end checks and the letter, is per company.
        __, owed_b = client._relationship_amount_due(self.company_b)
        self.assertEqual(owed_b, 300)

    def test_only_customers_are_clients(self):
        vendor = self.env["res.partner"].create({"name": "Fournisseur Papier"})
        self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": vendor.id,
                "invoice_date": self.today,
                "invoice_line_ids": [Command.create({"name": "Papier", "price_unit": 10})],
            }
        ).action_post()
        prospect = self.env["res.partner"].create({"name": "Prospect sans devis"})
        portal_client = self.env["res.partner"].create({"name": "Client du portail"})
        self.env["sale.order"].create({"partner_id": portal_client.id})
        self.env["res.users"].create(
            {
                "login": "portal_client",
                "partner_id": portal_client.id,
                "group_ids": [Command.set(self.env.ref("base.group_portal").ids)],
            }
        )
        quoted = self.env["res.partner"].create({"name": "Client avec devis"})
        self.env["sale.order"].create({"partner_id": quoted.id})
        invoiced = self.env["res.partner"].create({"name": "Client facturé"})
        self._invoice(invoiced, 100, due_days_ago=-10)

        clients = self.env["res.partner"].search([("relationship_is_client", "=", True)])
        self.assertIn(quoted, clients)
        self.assertIn(invoiced, clients)
        self.assertIn(portal_client, clients, "a client with a portal login is a client")
        for outsider in (
            vendor,
            prospect,
            self.company_a.partner_id,
            self.user.partner_id,
            self.client_contact,
        ):
            self.assertNotIn(outsider, clients, outsider.name)

    def test_first_computation_is_a_quiet_baseline(self):
        client = self.client_company
        for days in (40, 30, 20):
            self._invoice(client, 100, due_days_ago=days)
        client.relationship_gut_feeling = "3"  # recomputes: first time in this company
        self.assertEqual(client.relationship_health_band, "watch")
        self.assertFalse(client.activity_ids, "a baseline raises no alert")
        self.assertEqual(client.relationship_state, "active")

        self.env["client.relationship.incident"].create(
            {"partner_id": client.id, "incident_type": "blame", "severity": "high"}
        )
        self.assertEqual(client.relationship_health_band, "critical")
        self.assertEqual(len(client.activity_ids), 1, "a known band that worsens alerts")
        self.assertEqual(client.relationship_state, "watch")

    def test_nightly_run_continues_where_it_stopped(self):
        clients = self.env["res.partner"].create(
            [{"name": f"Client {index}", "customer_rank": 1} for index in range(23)]
        )
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            env = self.env(cr=cr)
            Health = env["client.relationship.health"]
            calls = 0
            companies = env["res.company"].sudo().search([])

            def computed_since(start):
                # Every company's, as the nightly job computes them.
                return Health.sudo().search_count(
                    [("company_id", "in", companies.ids), ("computed_on", ">=", start)]
                )

            # Whatever was computed before is from an earlier night.
            cr.execute(
                "UPDATE client_relationship_health SET computed_on = computed_on - interval '1 day'"
            )
            Health.invalidate_model(["computed_on"])
            run_start = None
            reported = []
            while calls < 50:
                # The runner's time budget is already spent: one batch a call.
                progress = self._cron_call(env, budget=-1, batch_size=5)
                calls += 1
                if progress.remaining == 0:
                    break
                self.assertLessEqual(progress.done, 5)
                run_start = run_start or env["ir.config_parameter"].get_param(
                    "client_relationship.health_run_start"
                )
                reported.append((progress.remaining, computed_since(run_start)))
            # Counted independently: every client of the run, less those computed so far.
            total = computed_since(run_start)
            self.assertGreaterEqual(total, 23)
            for remaining, done in reported:
                self.assertEqual(remaining, total - done, "what remains, exactly")
            computed = Health.search(
                [("partner_id", "in", clients.ids), ("company_id", "=", env.company.id)]
            )
            self.assertEqual(len(computed), 23, "every client computed once")
            self.assertGreaterEqual(calls, 5)
            self.assertFalse(
                env["ir.config_parameter"].get_param("client_relationship.health_run_start"),
                "the run is over",
            )
        # The next night starts a new run: every client again. (A test cursor
        # keeps the clock's time of its first now() across commits, where a
        # real one takes each transaction's: the night has a cursor of its own.)
        with (
            self.enter_registry_test_mode(),
            freeze_time(fields.Datetime.now() + timedelta(days=1)),
            self.registry.cursor() as cr,
        ):
            progress = self._cron_call(self.env(cr=cr), budget=-1, batch_size=5)
            self.assertEqual(progress.done, 5)
            self.assertEqual(progress.remaining, total - 5)

    def test_a_run_dates_its_work_by_the_database_clock(self):
        """The run's start and each client's computed_on are the transaction's
        timestamp, as Odoo's write_date: cron workers whose clocks differ from
        the database's agree on what a run computed."""
        self._invoice(self.client_company, 100, due_days_ago=5)
        self.client_company.action_recompute_relationship_health()
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            with freeze_time("2030-01-07 03:00:00"):
                transaction_time = cr.now()  # what a test cursor takes for the database's
            env = self.env(cr=cr)
            # This worker's clock is five minutes ahead.
            with freeze_time("2030-01-07 03:05:00"):
                progress = self._cron_call(env)
            self.assertEqual(progress.remaining, 0)
            health = env["client.relationship.health"].search(
                [
                    ("partner_id", "=", self.client_company.id),
                    ("company_id", "=", self.company_a.id),
                ]
            )
            self.assertEqual(health.computed_on, transaction_time)

    def test_partners_store_only_figures_that_differ_from_their_fallback(self):
        client = self.client_company
        self._invoice(client, 100, due_days_ago=10)
        client.action_recompute_relationship_health()
        key = str(self.env.company.id)
        self.env.cr.execute(
            "SELECT relationship_overdue_count, relationship_incident_count, "
            "relationship_health_band, relationship_health_date FROM res_partner WHERE id = %s",
            [self.client_contact.id],
        )
        overdue, incidents, band, changed_on = self.env.cr.fetchone()
        self.assertEqual(overdue[key], 1, "the contact shows its client's figures")
        self.assertFalse(incidents and key in incidents, "no incident: the fallback, not stored")
        self.assertFalse(band and key in band, "good: the fallback, not stored")
        health = self.Health.search(
            [("partner_id", "=", client.id), ("company_id", "=", self.env.company.id)]
        )
        self.assertEqual(fields.Datetime.to_datetime(changed_on[key]), health.band_changed_on)
        self.assertEqual(self.client_contact.relationship_incident_count, 0)
        self.assertEqual(self.client_contact.relationship_health_band, "good")
        self.assertEqual(self.client_contact.relationship_health_date, health.band_changed_on)
        self.assertIn(
            client,
            self.env["res.partner"].search([("relationship_health_band", "=", "good")]),
            "a fallback searches as the value it stands for",
        )

    def test_working_hours_to_the_minute(self):
        company = self.env.company
        self.calendar.attendance_ids = [
            Command.clear(),
            # Monday: 8:20-12:00, 12:00-13:30 and 13:30-17:00, one after the other.
            *(
                Command.create({"name": "Lundi", "dayofweek": "0", **hours})
                for hours in (
                    {"hour_from": 8 + 20 / 60, "hour_to": 12},
                    {"hour_from": 12, "hour_to": 13.5},
                    {"hour_from": 13.5, "hour_to": 17},
                )
            ),
        ]
        monday = self.today - timedelta(days=self.today.weekday())

        def utc(hour, minute, second=0):
            local = datetime.combine(monday, dt_time(hour, minute, second))
            return PARIS.localize(local).astimezone(pytz.utc).replace(tzinfo=None)

        moments = {
            (8, 19, 59): True,
            (8, 20): False,
            (11, 30): False,
            (12, 30): False,
            (13, 30): False,
            (16, 59, 59): False,
            (17, 0): True,
        }
        self.assertEqual(
            company._relationship_out_of_hours(*(utc(*moment) for moment in moments)),
            list(moments.values()),
        )
        # A leave on Monday afternoon, another overlapping it: both count.
        self.env["resource.calendar.leaves"].create(
            [
                {"name": "Formation", "date_from": utc(12, 0), "date_to": utc(14, 0)},
                {"name": "Jour férié", "date_from": utc(13, 0), "date_to": utc(15, 0)},
            ]
        )
        self.assertEqual(
            company._relationship_out_of_hours(utc(11, 59), utc(12, 0), utc(14, 59), utc(15, 0)),
            [False, True, True, False],
        )

    def test_two_week_and_flexible_calendars(self):
        company = self.env.company
        monday = self.today - timedelta(days=self.today.weekday())
        # The Monday of a first week (week type 0, which Odoo calls odd).
        if self.env["resource.calendar.attendance"].get_week_type(monday):
            monday -= timedelta(days=7)

        def at(days, hour, minute=0):
            local = datetime.combine(monday + timedelta(days=days), dt_time(hour, minute))
            return PARIS.localize(local).astimezone(pytz.utc).replace(tzinfo=None)

        def out_of_hours(*moments):
            # As the nightly job reads it: nothing of the calendar in cache.
            self.env.invalidate_all()
            return company._relationship_out_of_hours(*moments)

        def attendances(*days):
            return self.calendar.attendance_ids.filtered(
                lambda attendance: (attendance.dayofweek, attendance.week_type) in days
            )

        mondays_and_tuesdays = [at(0, 10), at(1, 10), at(7, 10), at(8, 10)]
        # Two weeks, as the calendar's button makes them (sections, both weeks
        # alike); then no Monday in the second week, no Tuesday in the first.
        self.calendar.switch_calendar_type()
        attendances(("0", "1"), ("1", "0")).unlink()
        self.assertEqual(
            out_of_hours(*mondays_and_tuesdays),
            [False, True, True, False],
            "Monday is worked in the first week, Tuesday in the second",
        )
        # Changed, not yet written to the database: read as it stands.
        attendances(("0", "0")).week_type = "1"
        self.assertEqual(
            company._relationship_out_of_hours(*mondays_and_tuesdays), [True, True, False, False]
        )
        # Switched to two weeks by a write: an attendance without a week type
        # is the first week's, as Odoo reads it.
        self.calendar.write(
            {
                "two_weeks_calendar": False,
                "attendance_ids": [
                    Command.clear(),
                    *(
                        Command.create({"name": "Lundi", "dayofweek": "0", **hours})
                        for hours in (
                            {"hour_from": 9, "hour_to": 12},
                            {"hour_from": 12, "hour_to": 13, "day_period": "lunch"},
                            {"hour_from": 13, "hour_to": 17},
                        )
                    ),
                ],
            }
        )
        self.calendar.two_weeks_calendar = True
        self.assertEqual(out_of_hours(at(0, 10), at(7, 10)), [False, True])
        self.assertEqual(out_of_hours(at(0, 12, 30)), [False], "a message at lunch is no intrusion")
        # Back to one week, the week types left on the attendances: every Monday.
        self.calendar.attendance_ids.week_type = "1"
        self.calendar.two_weeks_calendar = False
        self.assertEqual(out_of_hours(at(0, 10), at(7, 10)), [False, False])
        # Flexible hours: no night nor weekend to write in, only time off and
        # public holidays are out of hours.
        self.calendar.flexible_hours = True
        self.assertEqual(out_of_hours(at(6, 3), at(0, 10)), [False, False])
        self.env["resource.calendar.leaves"].create(
            {"name": "Congés", "date_from": at(0, 0), "date_to": at(0, 23)}
        )
        self.assertEqual(out_of_hours(at(6, 3), at(0, 10)), [False, True])

    def test_a_batch_costs_the_same_queries_whatever_its_size(self):
        def queries_for(count):
            clients = self.env["res.partner"].create(
                [{"name": f"Client {count}-{index}", "customer_rank": 1} for index in range(count)]
            )
            for client in clients[:3]:
                self._invoice(client, 100, due_days_ago=5)
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            self.Health._recompute(clients, self.env.company)
            return self.env.cr.sql_log_count - before

        queries_for(5)  # warm the caches
        self.assertEqual(queries_for(10), queries_for(200))

    def test_an_addon_adds_a_signal(self):
        client = self.client_company
        HealthClass = type(self.Health)
        original = HealthClass._signals

        def measure_tickets(health, client_ids, company, measures):
            for pid in client_ids:
                measures[pid]["urgent_tickets"] = 2

        def signals(health):
            return [
                *original(health),
                {
                    "key": "urgent_tickets",
                    "weight": "relationship_weight_incident",
                    "cap": None,
                    "measure": lambda *args: measure_tickets(health, *args),
                    "label": lambda measures: f"{measures['urgent_tickets']} urgent tickets",
                },
            ]

        with patch.object(HealthClass, "_signals", signals):
            client.action_recompute_relationship_health()
            self.assertEqual(client.relationship_health_score, 90)
            self.assertIn(
                "2 urgent tickets: *−10*", html2plaintext(client.relationship_health_explanation)
            )

    def test_history_counts_clients_per_band_and_carries_weeks_forward(self):
        Week = self.env["client.relationship.health.week"]
        monday = self.today - timedelta(days=self.today.weekday())
        three_weeks_ago = monday - timedelta(weeks=3)
        Week.sudo().create(
            [
                {
                    "week": three_weeks_ago,
                    "company_id": self.company_a.id,
                    "band": band,
                    "client_count": count,
                }
                for band, count in (("good", 7), ("watch", 2), ("critical", 1))
            ]
        )
        self.client_company.action_recompute_relationship_health()
        Week._record_week(self.today)
        counts = {
            (week.week, week.band): week.client_count
            for week in Week.search([("company_id", "=", self.company_a.id)])
        }
        for weeks_ago in (2, 1):
            week = monday - timedelta(weeks=weeks_ago)
            self.assertEqual(counts[week, "good"], 7, "a missed week keeps its counts")
            self.assertEqual(counts[week, "critical"], 1)
        self.assertEqual(
            counts[monday, "good"],
            self.Health.search_count(
                [("company_id", "=", self.company_a.id), ("band", "=", "good")]
            ),
        )
        self.assertEqual(fields.Date.to_date(monday).weekday(), 0)

    def test_an_abandoned_run_does_not_count_as_done(self):
        client = self.client_company
        self._invoice(client, 100, due_days_ago=5)
        client.action_recompute_relationship_health()
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            env = self.env(cr=cr)
            with freeze_time(fields.Datetime.now() + timedelta(days=1)):
                # The job failed yesterday and left its run open.
                env["ir.config_parameter"].sudo().set_param(
                    "client_relationship.health_run_start",
                    fields.Datetime.to_string(fields.Datetime.now() - timedelta(days=1)),
                )
                self._cron_call(env)
                health = env["client.relationship.health"].search(
                    [("partner_id", "=", client.id), ("company_id", "=", self.company_a.id)]
                )
                self.assertEqual(health.computed_on.date(), fields.Date.today())

    def test_nightly_alerts_go_to_a_manager_not_to_the_system(self):
        client = self.client_company
        system = self.Health.with_user(self.env.ref("base.user_root"))
        system._recompute(client, self.company_a)  # baseline
        for days in (40, 30, 20):
            self._invoice(client, 100, due_days_ago=days)
        system._recompute(client, self.company_a)
        self.assertEqual(client.relationship_health_band, "watch")
        alert = client.activity_ids
        self.assertEqual(len(alert), 1)
        self.assertTrue(alert.user_id.has_group("client_relationship.group_relationship_manager"))
        self.assertTrue(alert.user_id.active)
