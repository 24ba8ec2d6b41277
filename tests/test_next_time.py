from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import ClientRelationshipAccountCase


@tagged("post_install", "-at_install")
class TestNextTime(ClientRelationshipAccountCase):
    """Before it starts again: ideal client profiles, screening a first
    quotation, declining politely, and a deposit that is an acompte."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.france = cls.env.ref("base.fr")
        cls.tag = cls.env["res.partner.category"].create({"name": "Cabinet"})
        cls.product = cls.env["product.product"].create(
            {"name": "Frappe de courrier", "type": "service", "invoice_policy": "order"}
        )

    def _quotation(self, partner, amount, user=None, **values):
        """As the salesperson, unless told otherwise."""
        return super()._quotation(partner, amount, user or self.user, **values)

    def _persona(self, **values):
        return (
            self.env["client.relationship.persona"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Cabinets français",
                    "company_type": "company",
                    "category_ids": [Command.set(self.tag.ids)],
                    "country_ids": [Command.set(self.france.ids)],
                    **values,
                }
            )
        )

    def test_profile_fit_follows_the_profiles_unless_set_by_hand(self):
        fitting = self.env["res.partner"].create(
            {
                "name": "Cabinet Lumière",
                "is_company": True,
                "country_id": self.france.id,
                "category_id": [Command.set(self.tag.ids)],
            }
        )
        stranger = self.env["res.partner"].create({"name": "M. Lointain"})
        self.assertEqual(fitting.relationship_profile_fit, "unknown", "no profile defined yet")
        persona = self._persona()
        self.assertEqual(fitting.relationship_profile_fit, "match")
        self.assertEqual(stranger.relationship_profile_fit, "mismatch")
        # A mismatch costs health points.
        stranger.action_recompute_relationship_health()
        self.assertEqual(stranger.relationship_health_score, 90)

        # A salesperson cannot overrule the profiles; a manager can, and it sticks.
        with self.assertRaises(AccessError):
            stranger.with_user(self.user).write({"relationship_profile_fit": "match"})
        with Form(stranger.with_user(self.manager)) as form:
            form.relationship_profile_fit = "match"
        self.assertTrue(stranger.relationship_profile_manual)
        persona.company_type = "any"
        self.assertEqual(stranger.relationship_profile_fit, "match")
        stranger.with_user(self.manager).action_relationship_follow_profiles()
        self.assertEqual(stranger.relationship_profile_fit, "mismatch", "follows again")

    def test_first_quotation_is_screened(self):
        self._persona(min_quotation_amount=500)
        stranger = self.env["res.partner"].create({"name": "Mme Nuit", "lang": "fr_FR"})
        order = self._quotation(stranger, 300).with_context(lang="fr_FR")
        self.assertIn(
            "ne correspond à aucun de vos profils de client idéal",
            order.relationship_screening_warning,
        )
        stranger.relationship_gut_feeling = "2"
        order.invalidate_recordset(["relationship_screening_warning"])
        self.assertIn("premier contact", order.relationship_screening_warning)
        # A second quotation is no longer a first one.
        order.action_confirm()
        second = self._quotation(stranger, 300)
        self.assertFalse(second.relationship_screening_warning)

        newcomer = self.env["res.partner"].create(
            {
                "name": "Cabinet Neuf",
                "is_company": True,
                "country_id": self.france.id,
                "category_id": [Command.set(self.tag.ids)],
            }
        )
        # Fits the profile: only a prompt for the first-contact feeling.
        prompt = self._quotation(newcomer, 800).with_context(lang="fr_FR")
        self.assertIn("ressenti", prompt.relationship_screening_warning)

    def test_decline_a_prospect_politely_in_their_language(self):
        prospect = self.env["res.partner"].create(
            {"name": "Mme Prospect", "email": "prospect@example.com", "lang": "fr_FR"}
        )
        quotation = self._quotation(prospect, 400)
        quotation.action_decline_politely()
        self.assertEqual(quotation.state, "cancel")
        refusal = quotation.message_ids.filtered(lambda m: prospect in m.partner_ids)
        self.assertIn("planning", refusal.body)
        template = self.env.ref("client_relationship.mail_template_decline_politely")
        self.assertTrue(template.exists(), "the refusal is an editable template")

    def test_a_deposit_from_an_individual_is_an_acompte(self):
        self._enable_deposits()
        individual = self.env["res.partner"].create({"name": "Mme Minuit", "lang": "fr_FR"})
        order = self._quotation(individual, 1000)
        text = self._pdf_text("sale.action_report_saleorder", order)
        self.assertIn("acompte", text)
        self.assertIn("engage définitivement les deux parties", text)
        company_order = self._quotation(self.client_company, 1000)
        company_order.require_payment = True
        self.assertFalse(company_order._relationship_deposit_consumer_note())

    def test_dependency_on_a_client(self):
        big = self.env["res.partner"].create({"name": "Gros Client", "is_company": True})
        small = self.env["res.partner"].create({"name": "Petit Client", "is_company": True})
        self._invoice(big, 8400, due_days_ago=-10)
        self._invoice(small, 3600, due_days_ago=-10)
        (big | small).action_recompute_relationship_health()
        self.assertAlmostEqual(big.relationship_revenue_share, 0.7)
        self.assertAlmostEqual(small.relationship_revenue_share, 0.3)
        self.assertTrue(big.relationship_dependency_alert)
        self.assertFalse(small.relationship_dependency_alert, "30% is not above 30%")
        alerts = self.env["res.partner"].search([("relationship_dependency_alert", "=", True)])
        self.assertIn(big, alerts)
        self.assertNotIn(small, alerts)

        def dependency_line(client):
            wizard = (
                self.env["client.relationship.end.wizard"]
                .with_user(self.manager)
                .with_context(lang="fr_FR")
                .create({"partner_id": client.id})
            )
            return next(
                (check.level, check.message)
                for check in wizard.check_ids
                if "chiffre d'affaires" in check.message
            )

        level, message = dependency_line(big)
        self.assertEqual(level, "warning")
        self.assertIn("70", message)
        self.assertIn("700,00", message, "8,400 over 12 months: 700 a month")
        self.assertEqual(dependency_line(small)[0], "ok")
