from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.client_relationship.demo import story

from .common import ClientRelationshipAccountCase

DEPOSIT_FIELDS = [
    fname for fname in story.DEMO_DEPOSIT_RULES if fname != "relationship_deposit_enabled"
]


@tagged("post_install", "-at_install")
class TestDemoStory(ClientRelationshipAccountCase):
    """The demo tells its story through the models' own logic."""

    def client(self, name):
        return self.env.ref(f"client_relationship.demo_client_{name}")

    def assertDepositsWait(self, reasons):
        for name, reason in reasons:
            quotation = self.env["sale.order"].search([("partner_id", "=", self.client(name).id)])
            self.assertEqual(
                quotation.relationship_deposit_reason, f"Deposit of 50% required: {reason}"
            )
            with self.assertRaisesRegex(UserError, "cannot be confirmed yet"):
                quotation.action_confirm()

    def test_the_demo_story(self):
        company = self.env.company
        rules_before = company.read(DEPOSIT_FIELDS)
        # As Odoo's demo data calls it, in a database without French like Odoo's own.
        ResLang = self.registry["res.lang"]
        with patch.object(ResLang, "_get_code", lambda lang, code: code != "fr_FR" and code):
            self.env["res.partner"].with_context(install_demo=True)._relationship_load_demo()

        # Demo data changes nothing company-wide: Odoo's own sales go on as before.
        self.assertFalse(company.relationship_deposit_enabled)
        self.assertEqual(company.read(DEPOSIT_FIELDS), rules_before)
        self.assertEqual(company.resource_calendar_id, self.calendar)
        self.assertEqual(self.client("lumiere").relationship_health_score, 100)
        nuit = self.client("nuit")
        self.assertEqual(nuit.relationship_health_band, "critical")
        self.assertEqual(nuit.relationship_out_of_hours_count, 6)
        self.assertGreaterEqual(nuit.relationship_payment_delay_avg, 20)
        self.assertIn("<polyline", nuit.relationship_health_trend)
        lointain = self.client("lointain")
        self.assertEqual(lointain.relationship_overdue_count, 3)
        self.assertEqual(lointain.with_company(company).trust, "bad")
        self.assertNotEqual(lointain.relationship_health_band, "good")
        # Both quotations wait for the deposit agreed with these two clients.
        self.assertDepositsWait(
            [("lointain", "agreed with this client"), ("nuit", "agreed with this client")]
        )
        preavis = self.client("preavis")
        self.assertEqual(preavis.relationship_contract_id.termination_form, "registered")
        self.assertEqual(preavis.relationship_accepted_terms_id.name, "Édition 2024")
        self.assertEqual(self.client("mediation").relationship_state, "mediation")
        fermee = self.client("fermee")
        self.assertEqual(fermee.relationship_state, "ended")
        self.assertEqual(fermee.relationship_termination_ids.state, "ended")
        termination = fermee.relationship_termination_ids
        self.assertEqual(termination.registered_letter_number, "1A 234 567 8901 2")
        self.assertEqual(
            termination.offboarding_activity_ids.filtered("active").mapped("date_deadline"),
            [termination.end_date + timedelta(days=30)],
            "handed over; the courtesy follow-up is ahead",
        )
        self.assertEqual(fermee.relationship_handover_completeness, 100)
        self.assertTrue(fermee.exists() and fermee.active, "ended, not archived")

    def test_the_demo_story_under_its_deposit_rules(self):
        # As `make run` tells it: the company's own rules ask the deposits, and say why.
        story.turn_deposit_rules_on(self.env.company)
        story.load_demo_story(self.env)
        self.assertDepositsWait(
            [
                ("lointain", "client known as a bad debtor"),
                ("nuit", "client's relationship health critical"),
            ]
        )
        self.assertEqual(self.client("nuit").relationship_deposit_policy, "company")

    def test_only_demo_data_tells_the_story(self):
        clients = self.env["res.partner"].search_count([])
        with self.assertRaisesRegex(RuntimeError, "demo data"):
            self.env["res.partner"]._relationship_load_demo()
        self.assertEqual(self.env["res.partner"].search_count([]), clients)
