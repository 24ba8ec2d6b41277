from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ClientRelationshipAccountCase


@tagged("post_install", "-at_install")
class TestDemoStory(ClientRelationshipAccountCase):
    """The demo tells the seed's story through the models' own logic."""

    def test_the_seed_story(self):
        self.env["res.partner"]._relationship_load_demo()

        def client(name):
            return self.env.ref(f"client_relationship.demo_client_{name}")

        self.assertEqual(client("lumiere").relationship_health_score, 100)
        nuit = client("nuit")
        self.assertEqual(nuit.relationship_health_band, "critical")
        self.assertEqual(nuit.relationship_out_of_hours_count, 6)
        self.assertGreaterEqual(nuit.relationship_payment_delay_avg, 20)
        self.assertIn("<polyline", nuit.relationship_health_trend)
        lointain = client("lointain")
        self.assertEqual(lointain.relationship_overdue_count, 3)
        self.assertEqual(lointain.with_company(self.env.company).trust, "bad")
        self.assertNotEqual(lointain.relationship_health_band, "good")
        # Both quotations wait for their deposit: bad debtor, critical health.
        for name, reason in (
            ("lointain", "client known as a bad debtor"),
            ("nuit", "client's relationship health critical"),
        ):
            quotation = self.env["sale.order"].search([("partner_id", "=", client(name).id)])
            self.assertEqual(
                quotation.relationship_deposit_reason, f"Deposit of 50% required: {reason}"
            )
            with self.assertRaisesRegex(UserError, "cannot be confirmed yet"):
                quotation.action_confirm()
        preavis = client("preavis")
        self.assertEqual(preavis.relationship_contract_id.termination_form, "registered")
        self.assertEqual(preavis.relationship_accepted_terms_id.name, "CGV 2024")
        self.assertEqual(client("mediation").relationship_state, "mediation")
        fermee = client("fermee")
        self.assertEqual(fermee.relationship_state, "ended")
        self.assertEqual(fermee.relationship_termination_ids.state, "ended")
        self.assertEqual(fermee.relationship_handover_completeness, 100)
        self.assertTrue(fermee.exists() and fermee.active, "ended, not archived")
