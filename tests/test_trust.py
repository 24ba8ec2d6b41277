from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from .common import ClientRelationshipAccountCase

JUDGEMENTS = [
    "relationship_gut_feeling",
    "relationship_avoid_contact",
    "relationship_health_explanation",
    "relationship_health_score",
    "relationship_health_band",
    "relationship_state",
    "relationship_overdue_amount",
    "relationship_incident_ids",
]


@tagged("post_install", "-at_install")
class TestTrust(ClientRelationshipAccountCase):
    """Who sees and changes what: a salesperson, an internal user without Sales,
    a relationship manager. The portal client is in test_trust_portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._enable_deposits()
        cls.client_company.write(
            {
                "relationship_gut_feeling": "3",
                "relationship_avoid_contact": "Jamais le lundi matin",
                "customer_rank": 1,
            }
        )
        cls.individual = cls.env["res.partner"].create({"name": "Mme Minuit", "lang": "fr_FR"})
        cls.product = cls.env["product.product"].create(
            {"name": "Frappe de courrier", "type": "service", "invoice_policy": "order"}
        )
        cls.internal = new_test_user(
            cls.env, login="cr_internal", groups="base.group_user,base.group_allow_export"
        )

    def _quotation(self, partner, amount, user=None, **values):
        """As the salesperson, unless told otherwise."""
        return super()._quotation(partner, amount, user or self.user, **values)

    # ------------------------------------------------------------------
    # Internal judgements stay with the addon's users
    # ------------------------------------------------------------------

    def test_internal_user_without_sales_reads_and_exports_no_judgement(self):
        client = self.client_company.with_user(self.internal)
        self.assertEqual(client.read(["name"])[0]["name"], "Nuit Blanche SARL")
        for fname in JUDGEMENTS:
            with self.assertRaises(AccessError, msg=fname):
                client.read([fname])
        self.assertFalse([f for f in client.fields_get() if f.startswith("relationship_")])
        with self.assertRaises(AccessError):
            client.export_data(["name", "relationship_gut_feeling"])
        with self.assertRaises(AccessError):
            client.search([("relationship_health_band", "=", "critical")])
        with self.assertRaises(AccessError):
            client.web_read({"relationship_avoid_contact": {}})

    def test_contact_screens_of_a_user_outside_the_addon_show_nothing_of_it(self):
        views = (
            self.env["res.partner"]
            .with_user(self.internal)
            .get_views([(False, "form"), (False, "list"), (False, "kanban"), (False, "search")])
        )
        for view_type, view in views["views"].items():
            self.assertNotIn('name="relationship_', view["arch"], view_type)
        self.assertFalse(
            [fname for fname in views["models"]["res.partner"]["fields"] if "relationship" in fname]
        )

    def test_salesperson_reads_the_judgements_and_the_deposit_reason(self):
        client = self.client_company.with_user(self.user)
        self.assertEqual(client.relationship_avoid_contact, "Jamais le lundi matin")
        order = self._quotation(self.individual, 1000)
        self.assertEqual(
            order.relationship_deposit_reason, "Deposit of 30% required: individual client"
        )

    def test_invoicing_user_outside_the_addon_reads_no_deposit_reason(self):
        order = self._quotation(self.individual, 1000)
        outsider = new_test_user(
            self.env, login="cr_sale_no_rel", groups="base.group_user,account.group_account_invoice"
        )
        self.assertFalse(outsider.has_group("client_relationship.group_relationship_user"))
        with self.assertRaises(AccessError):
            order.with_user(outsider).read(["relationship_deposit_reason"])

    # ------------------------------------------------------------------
    # State changes only through actions
    # ------------------------------------------------------------------

    def test_nobody_writes_the_state_directly(self):
        for user in (self.user, self.manager):
            for values in (
                {"relationship_state": "ended"},
                {"relationship_end_date": self.today},
                {"relationship_health_band": "critical"},
            ):
                with self.assertRaises(AccessError):
                    self.client_company.with_user(user).write(values)
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.manager).create(
                {"name": "Déjà fini", "relationship_state": "ended"}
            )
        self.assertEqual(self.client_company.relationship_state, "active")

    def test_salesperson_logs_an_incident_that_makes_the_client_critical(self):
        client = self.client_company
        for days in (40, 30, 20):
            self._invoice(client, 100, due_days_ago=days)
        client.action_recompute_relationship_health()
        self.assertEqual(client.relationship_health_band, "watch")
        activities = client.activity_ids
        incident = (
            self.env["client.relationship.incident"]
            .with_user(self.user)
            .create({"partner_id": client.id, "incident_type": "blame", "severity": "high"})
        )
        self.assertTrue(incident.exists())
        self.assertEqual(client.relationship_health_band, "critical")
        self.assertEqual(client.relationship_state, "watch")
        review = client.activity_ids - activities
        self.assertEqual(len(review), 1, "one review activity for the worsened band")
        self.assertIn("Nuit Blanche SARL", review.summary)

    def test_salesperson_tries_to_resolve_then_goes_back_to_normal(self):
        client = self.client_company.with_user(self.user)
        action = client.action_relationship_try_resolve()
        self.assertEqual(self.client_company.relationship_state, "mediation")
        self.assertTrue(self.client_company.relationship_mediation_tried)
        composer = Form(
            self.env["mail.compose.message"].with_user(self.user).with_context(**action["context"])
        )
        composer.save().action_send_mail()
        self.assertIn(
            "Pourrions-nous prendre une demi-heure",
            self.client_company.message_ids[0].body,
            "the salesperson wrote to the client",
        )
        client.action_relationship_back_to_normal()
        self.assertEqual(self.client_company.relationship_state, "active")

    def test_actions_refuse_users_outside_the_addon(self):
        client = self.client_company.with_user(self.internal)
        for action in ("action_relationship_try_resolve", "action_relationship_back_to_normal"):
            with self.assertRaises(AccessError):
                getattr(client, action)()
        self.assertEqual(self.client_company.relationship_state, "active")

    # ------------------------------------------------------------------
    # Deposit integrity
    # ------------------------------------------------------------------

    def test_salesperson_cannot_remove_the_deposit_by_rpc(self):
        order = self._quotation(self.individual, 1000)
        self.assertTrue(order.relationship_deposit_required)
        for values in (
            {"relationship_deposit_required": False},
            {"relationship_deposit_percent": 0.0},
            {"relationship_deposit_lowered_reason": "Client sympathique"},
            {"relationship_deposit_waiver_reason": "Client sympathique"},
        ):
            with self.assertRaises(AccessError, msg=values):
                order.write(values)
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.user).create(
                {"partner_id": self.individual.id, "relationship_deposit_required": False}
            )
        with self.assertRaisesRegex(UserError, "Deposit of 30% required: individual client"):
            order.action_confirm()

    def test_confirmation_evaluates_the_rule_again(self):
        order = self._quotation(self.individual, 1000)
        # Whatever the stored flags say (an old quotation, a tampered row), the
        # rule decides from the client and the company.
        self.env.cr.execute(
            "UPDATE sale_order SET relationship_deposit_required = false, "
            "require_payment = false WHERE id = %s",
            [order.id],
        )
        order.invalidate_recordset()
        with self.assertRaisesRegex(UserError, "300.00"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")

    def test_deposit_invoice_for_what_is_still_due_in_the_order_currency(self):
        chf = self.setup_other_currency("CHF", rates=[("2000-01-01", 2.0)])
        pricelist = self.env["product.pricelist"].create({"name": "CHF", "currency_id": chf.id})
        order = self._quotation(self.individual, 1000)
        order.pricelist_id = pricelist
        order.order_line.price_unit = 1000
        self.assertEqual(order.currency_id, chf)
        action = order.with_user(self.manager).action_relationship_deposit_invoice()
        invoice = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(invoice.currency_id, chf)
        self.assertAlmostEqual(invoice.amount_total, 300)

    def test_decline_politely_only_quotations(self):
        self.env.company.relationship_deposit_block_confirmation = False
        order = self._quotation(self.client_company, 1000)
        order.action_confirm()
        with self.assertRaisesRegex(UserError, "only a quotation"):
            order.action_decline_politely()
        self.assertEqual(order.state, "sale")
        quotation = self._quotation(self.client_company, 500)
        quotation.action_decline_politely()
        self.assertEqual(quotation.state, "cancel")

    # ------------------------------------------------------------------
    # Computed values follow their real dependencies
    # ------------------------------------------------------------------

    def test_computed_values_follow_their_dependencies(self):
        client = self.client_company.with_user(self.manager)
        self.assertEqual(client.relationship_deposit_hint, "No deposit")
        client.write({"relationship_deposit_policy": "always", "relationship_deposit_percent": 0.4})
        self.assertEqual(
            client.relationship_deposit_hint, "Deposit of 40% required: agreed with this client"
        )
        self.assertEqual(
            self.client_contact.with_user(self.manager).relationship_deposit_hint,
            "Deposit of 40% required: agreed with this client",
        )

        self.assertEqual(client.relationship_handover_completeness, 0)
        self.env["client.relationship.handover.item"].create(
            {"partner_id": client.id, "category": "instruction", "name": "Relances le 5"}
        )
        self.assertEqual(client.relationship_handover_completeness, 20)

        self.assertFalse(client.relationship_accepted_terms_id)
        terms = self.env["client.relationship.terms"].create({"name": "CGV 2026"})
        order = self._quotation(self.client_contact, 100)
        order.write({"signed_by": "Mme Nuit", "signed_on": "2026-11-01 10:00:00"})
        self.assertEqual(client.relationship_accepted_terms_id, terms)

    # ------------------------------------------------------------------
    # Found by review: other routes to the same values
    # ------------------------------------------------------------------

    def test_no_forged_values_through_context_defaults(self):
        Partner = self.env["res.partner"].with_user(self.user)
        for key, value in (
            ("default_relationship_state", "ended"),
            ("default_relationship_health_band", "critical"),
            ("default_relationship_deposit_policy", "never"),
        ):
            with self.assertRaises(AccessError, msg=key):
                Partner.with_context(**{key: value}).create({"name": "Forgé"})
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.user).with_context(
                default_relationship_deposit_lowered_reason="Sympathique"
            ).create({"partner_id": self.individual.id})

    def test_no_deposit_rule_through_a_contact(self):
        with self.assertRaises(AccessError):
            self.client_contact.with_user(self.user).write(
                {"relationship_deposit_policy": "never", "parent_id": False}
            )

    def test_merging_contacts_still_works(self):
        duplicate = self.env["res.partner"].create({"name": "Nuit Blanche"})
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(self.manager)
            .create(
                {
                    "partner_ids": [Command.set((self.client_company | duplicate).ids)],
                    "dst_partner_id": self.client_company.id,
                }
            )
        )
        wizard.action_merge()
        self.assertFalse(duplicate.exists())
        self.assertEqual(self.client_company.relationship_avoid_contact, "Jamais le lundi matin")

    def test_salesperson_posts_on_clients_not_on_colleagues(self):
        self.client_company.with_user(self.user).message_post(body="Suite à notre échange")
        with self.assertRaises(AccessError):
            self.manager.partner_id.with_user(self.user).message_post(body="Bonjour")
        with self.assertRaises(AccessError):
            self.env.company.partner_id.with_user(self.user).message_post(body="Bonjour")

    def test_no_forged_values_through_default_values(self):
        """A user's own default value (Odoo's « Set Defaults ») would give every
        record they create what they may not write."""
        IrDefault = self.env["ir.default"].with_user(self.user)
        for model, fname, value in (
            ("sale.order", "relationship_deposit_waiver_reason", "Client sympathique"),
            ("sale.order", "relationship_deposit_required", False),
            ("res.partner", "relationship_deposit_policy", "never"),
            ("res.partner", "relationship_state", "ended"),
            ("client.relationship.incident", "user_id", self.manager.id),
        ):
            with self.assertRaises(AccessError, msg=fname):
                IrDefault.set(model, fname, value, user_id=True)
        self.assertFalse(self.env["ir.default"].search([("user_id", "=", self.user.id)]))
        order = self._quotation(self.individual, 1000)
        with self.assertRaisesRegex(UserError, "Deposit of 30% required"):
            order.action_confirm()
        # A manager decides the deposit rule of the clients she creates.
        self.env["ir.default"].with_user(self.manager).set(
            "res.partner", "relationship_deposit_policy", "always", user_id=True
        )
        with self.assertRaises(AccessError):
            self.env["ir.default"].with_user(self.manager).set(
                "res.partner", "relationship_state", "ended", user_id=True
            )

    def test_confirming_by_a_write_still_waits_for_the_deposit(self):
        order = self._quotation(self.individual, 1000)
        # assertRaises (not …Regex) rolls the refused write back.
        with self.assertRaises(UserError) as refused:
            order.write({"state": "sale"})
        self.assertIn("Deposit of 30% required", str(refused.exception))
        self.assertEqual(order.state, "draft")
        # Nor does a quotation created confirmed: a copy, a default value, an import.
        with self.assertRaisesRegex(UserError, "Deposit of 30% required"):
            order.copy({"state": "sale"})
        with self.assertRaisesRegex(UserError, "Deposit of 30% required"):
            self._quotation(self.individual, 1000, state="sale")
        with self.assertRaisesRegex(UserError, "Deposit of 30% required"):
            self.env["sale.order"].with_user(self.user).with_context(default_state="sale").create(
                {
                    "partner_id": self.individual.id,
                    "order_line": [
                        Command.create({"product_id": self.product.id, "price_unit": 900})
                    ],
                }
            )
        # Nor a quotation confirmed in the name of a client who owes no deposit,
        # then put back in the individual's.
        order.partner_id = self.client_company
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        with self.assertRaisesRegex(UserError, "cannot go in the name of Mme Minuit"):
            order.write({"partner_id": self.individual.id})
        order.with_user(self.manager).write({"partner_id": self.individual.id})
        # Nor a quotation put in the individual's name and confirmed in one write,
        # or confirmed from a cancelled quotation.
        other = self._quotation(self.client_company, 1000)
        with self.assertRaisesRegex(UserError, "Deposit of 30% required"):
            other.write({"partner_id": self.individual.id, "state": "sale"})
        cancelled = self._quotation(self.individual, 1000)
        cancelled._action_cancel()
        with self.assertRaisesRegex(UserError, "Deposit of 30% required"):
            cancelled.write({"state": "sale"})
        # Without a deposit due, a write confirms as in standard Odoo.
        order = self._quotation(self.client_company, 1000)
        order.write({"state": "sale"})
        self.assertEqual(order.state, "sale")

    def test_an_incident_from_a_message_reads_only_what_its_user_may_read(self):
        invoice = self._invoice(self.client_company, 100, due_days_ago=5)
        secret = invoice.message_post(
            body="Note comptable confidentielle", subtype_xmlid="mail.mt_note"
        )
        client_message = self.client_company.message_post(
            body="Vous auriez dû vérifier mes chiffres !", author_id=self.client_contact.id
        )
        Incident = self.env["client.relationship.incident"]
        fields_list = ["partner_id", "description", "message_id"]
        for user, message, expected in (
            (self.user, client_message, "Vous auriez dû vérifier mes chiffres !"),
            # Not theirs to read: the invoice's note, a user without the addon.
            (self.user, secret, False),
            (self.internal, client_message, False),
        ):
            defaults = (
                Incident.with_user(user)
                .with_context(default_message_id=message.id)
                .default_get(fields_list)
            )
            self.assertEqual(defaults.get("description", False), expected, (user.login, message))
        self.assertEqual(
            Incident.with_user(self.user)
            .with_context(default_message_id=client_message.id)
            .default_get(fields_list)["partner_id"],
            self.client_company.id,
        )

    def test_an_incident_stays_in_the_name_of_whoever_logged_it(self):
        Incident = self.env["client.relationship.incident"].with_user(self.user)
        values = {"partner_id": self.client_company.id, "incident_type": "blame"}
        incident = Incident.create(values)
        self.assertEqual(incident.user_id, self.user)
        with self.assertRaises(AccessError):
            Incident.create({**values, "user_id": self.manager.id})
        with self.assertRaises(AccessError):
            Incident.with_context(default_user_id=self.manager.id).create(values)
        with self.assertRaises(AccessError):
            incident.with_user(self.manager).write({"user_id": self.manager.id})
        # A copy is logged by whoever copies it.
        self.assertEqual(incident.with_user(self.manager).copy().user_id, self.manager)
        # Nor does it point at a message its user may not read: its subject would show.
        secret = self._invoice(self.client_company, 100, due_days_ago=5).message_post(
            subject="Marge négociée", body="Secret", subtype_xmlid="mail.mt_note"
        )
        with self.assertRaises(AccessError):
            Incident.create({**values, "message_id": secret.id})
        with self.assertRaises(AccessError):
            Incident.with_context(default_message_id=secret.id).create(values)
        with self.assertRaises(AccessError):
            incident.write({"message_id": secret.id})

    def test_the_deposit_due_is_told_only_to_who_may_invoice_the_order(self):
        order = self._quotation(self.individual, 1000)
        # A colleague who sells too, but sees only her own orders.
        colleague = new_test_user(
            self.env, login="cr_colleague", groups="sales_team.group_sale_salesman"
        )
        with self.assertRaises(AccessError):
            order.with_user(colleague).action_relationship_deposit_invoice()

    def test_what_lowers_a_deposit_is_a_managers_call(self):
        # A salesperson who also edits contacts.
        editor = new_test_user(
            self.env,
            login="cr_editor",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
        )
        individual = self.individual.with_user(editor)
        trusted = self.env["res.partner"].create(
            {"name": "Cabinet Lumière", "is_company": True, "relationship_deposit_policy": "never"}
        )
        for values in (
            {"is_company": True},
            {"parent_id": trusted.id},
            # Cleared as a bad debtor: the rules asked 50 %, 30 % now.
        ):
            # assertRaises (not …Regex) rolls the refused write back.
            with self.assertRaises(AccessError, msg=values) as refused:
                individual.write(values)
            self.assertIn("lowers the deposit", str(refused.exception))
        # Nor from a company that asks no deposit: the kind of contact is shared.
        other = self.setup_other_company(name="Secrétariat Genève")["company"]
        editor.company_ids |= other
        with self.assertRaises(AccessError):
            individual.with_context(allowed_company_ids=[other.id, self.env.company.id]).write(
                {"is_company": True}
            )
        # With only the other company in her session, the rules of the first are
        # still read, whatever she may read of it; an edit that lowers nothing passes.
        self.env.invalidate_all()
        with self.assertRaises(AccessError) as refused:
            individual.with_context(allowed_company_ids=[other.id]).write({"is_company": True})
        self.assertIn("lowers the deposit", str(refused.exception))
        self.env.invalidate_all()
        individual.with_context(allowed_company_ids=[other.id]).write({"company_type": "person"})
        self.individual.trust = "bad"
        with self.assertRaises(AccessError) as refused:
            individual.write({"trust": "normal"})
        self.assertIn("lowers the deposit", str(refused.exception))
        # What raises it, or changes nothing of it, is anyone's edit.
        individual.write({"phone": "+33 6 12 34 56 78", "trust": "bad"})
        self.client_company.with_user(editor).write({"is_company": False})
        self.individual.with_user(self.manager).write({"is_company": True, "trust": "normal"})
        self.assertEqual(self.env.company._relationship_deposit_rule(self.individual), (0.0, False))
