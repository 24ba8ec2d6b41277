from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import ClientRelationshipAccountCase


@tagged("post_install", "-at_install")
class TestDeposit(ClientRelationshipAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._enable_deposits()
        cls.individual = cls.env["res.partner"].create({"name": "Mme Minuit", "lang": "fr_FR"})
        cls.product = cls.env["product.product"].create(
            {"name": "Frappe de courrier", "type": "service", "invoice_policy": "order"}
        )

    def _make_critical(self, partner):
        """Three overdue invoices, unease and incidents: the client to end with."""
        for days in (40, 30, 20):
            self._invoice(partner, 100, due_days_ago=days)
        partner.relationship_gut_feeling = "3"
        for incident_type in ("intervention", "blame", "oversharing"):
            self.env["client.relationship.incident"].create(
                {"partner_id": partner.id, "incident_type": incident_type}
            )
        partner.action_recompute_relationship_health()
        self.assertEqual(partner.relationship_health_band, "critical")

    def test_individuals_pay_a_deposit_companies_in_good_health_do_not(self):
        order = self._quotation(self.individual, 1000)
        self.assertTrue(order.relationship_deposit_required)
        self.assertTrue(order.require_payment)
        self.assertAlmostEqual(order.prepayment_percent, 0.3)
        self.assertEqual(
            order.relationship_deposit_reason, "Deposit of 30% required: individual client"
        )
        self.assertEqual(order.relationship_deposit_due, 300)

        order = self._quotation(self.client_company, 1000)
        self.assertFalse(order.relationship_deposit_required)
        self.assertFalse(order.require_payment)
        self.assertFalse(order.relationship_deposit_reason)
        self.assertEqual(order.relationship_deposit_due, 0)

    def test_risky_clients_pay_the_highest_percent(self):
        self._make_critical(self.individual)
        order = self._quotation(self.individual, 1000)
        # Individual (30%) and critical (50%): the highest wins, with its reason.
        self.assertAlmostEqual(order.prepayment_percent, 0.5)
        self.assertEqual(
            order.relationship_deposit_reason,
            "Deposit of 50% required: client's relationship health critical",
        )

        self.client_company.with_company(self.env.company).trust = "bad"
        order = self._quotation(self.client_company, 1000)
        self.assertAlmostEqual(order.prepayment_percent, 0.5)
        self.assertIn("bad debtor", order.relationship_deposit_reason)

    def test_risky_band_setting(self):
        for days in (30, 20):
            self._invoice(self.client_company, 100, due_days_ago=days)
        self.client_company.relationship_gut_feeling = "3"
        self.client_company.action_recompute_relationship_health()
        self.assertEqual(self.client_company.relationship_health_band, "watch")
        self.assertFalse(self._quotation(self.client_company, 1000).relationship_deposit_required)
        self.env.company.relationship_deposit_risky_band = "watch"
        order = self._quotation(self.client_company, 1000)
        self.assertEqual(
            order.relationship_deposit_reason,
            "Deposit of 50% required: client's relationship health to watch",
        )

    def test_per_client_always_and_never(self):
        # As a manager sets it on the contact's Relationship tab.
        with Form(self.client_company.with_user(self.manager)) as contact:
            contact.relationship_deposit_policy = "always"
            contact.relationship_deposit_percent = 0.4
        self.assertEqual(
            self.client_company.with_context(lang="fr_FR").relationship_deposit_hint,
            "Acompte de 40 % requis : convenu avec ce client",
        )
        order = self._quotation(self.client_company, 1000)
        self.assertEqual(
            order.relationship_deposit_reason, "Deposit of 40% required: agreed with this client"
        )
        # The contact's quotations follow the company's rule.
        self.assertAlmostEqual(self._quotation(self.client_contact, 1000).prepayment_percent, 0.4)

        self.individual.relationship_deposit_policy = "never"
        self.assertFalse(self._quotation(self.individual, 1000).require_payment)

        with self.assertRaisesRegex(AccessError, "Only a relationship manager"):
            self.individual.with_user(self.user).relationship_deposit_policy = "company"
        with self.assertRaisesRegex(ValidationError, "more than 0% and at most 100%"):
            self.client_company.relationship_deposit_percent = 1.5

    def test_minimum_amount_converted_to_the_quotation_currency(self):
        self.env.company.relationship_deposit_min_amount = 500
        self.assertFalse(self._quotation(self.individual, 400).relationship_deposit_required)
        order = self._quotation(self.individual, 400)
        # The amount grows past the minimum: the rules decide again.
        order.order_line[0].price_unit = 600
        self.assertTrue(order.require_payment)
        self.assertAlmostEqual(order.prepayment_percent, 0.3)

        # 500 in the company currency are 1,000 in a currency at rate 2.
        currency = self.setup_other_currency("CHF", rates=[("2000-01-01", 2.0)])
        pricelist = self.env["product.pricelist"].create(
            {"name": "CHF", "currency_id": currency.id}
        )
        in_chf = self._quotation(self.individual, 900, pricelist_id=pricelist.id)
        self.assertEqual(in_chf.currency_id, currency)
        self.assertFalse(in_chf.relationship_deposit_required)
        self.assertTrue(
            self._quotation(self.individual, 1100, pricelist_id=pricelist.id).require_payment
        )

    def test_confirmation_blocked_until_the_deposit_invoice_is_paid(self):
        order = self._quotation(self.individual, 1000, user=self.manager)
        with self.assertRaisesRegex(UserError, r"cannot be confirmed yet.*300[.,]00") as error:
            order.action_confirm()
        self.assertIn("Deposit of 30% required: individual client", str(error.exception))

        action = order.with_user(self.manager).action_relationship_deposit_invoice()
        deposit = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(deposit.amount_total, 300)
        self.assertEqual(order.order_line.filtered("is_downpayment").invoice_lines.move_id, deposit)
        self.assertEqual(order.relationship_deposit_invoice_ids, deposit)
        with self.assertRaisesRegex(UserError, "is waiting for its payment"):
            order.with_user(self.manager).action_relationship_deposit_invoice()
        deposit.action_post()
        with self.assertRaises(UserError):
            order.action_confirm()

        self._pay(deposit, paid_days_after_due=0)
        self.assertEqual(order.relationship_deposit_paid, 300)
        self.assertFalse(order.relationship_deposit_invoice_ids)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        # The French flow: the final invoice deducts the deposit invoice.
        final = order._create_invoices(final=True)
        self.assertEqual(final.amount_total, 700)

    def test_quotation_pdf_and_contact_show_the_deposit_in_french(self):
        order = self._quotation(self.individual, 1000)
        text = self._pdf_text("sale.action_report_saleorder", order)
        # The client reads the share and the amount, never why it is asked.
        self.assertRegex(text, r"Acompte de 30 % à verser à la commande : \S* ?300,00")
        self.assertNotIn("particulier", text)
        hint = self.individual.with_context(lang="fr_FR").relationship_deposit_hint
        self.assertEqual(hint, "Acompte de 30 % requis : client particulier")

    def test_query_count_does_not_grow_with_quotations(self):
        self.env.company.relationship_deposit_min_amount = 100

        def queries_for(count):
            clients = self.env["res.partner"].create(
                [{"name": f"Particulier {count}-{index}"} for index in range(count)]
            )
            orders = self.env["sale.order"].concat(
                *(self._quotation(client, 500) for client in clients)
            )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            # What the quotation list and form read, then the rules deciding again
            # (as when the client or the amount changes).
            orders.read(["relationship_deposit_reason", "relationship_deposit_due"])
            for fname in ("require_payment", "prepayment_percent"):
                self.env.add_to_compute(orders._fields[fname], orders)
            orders.flush_recordset()
            return self.env.cr.sql_log_count - before

        queries_for(5)  # warm up the caches
        self.assertEqual(queries_for(5), queries_for(30))

    def test_no_block_when_the_setting_is_off(self):
        self.env.company.relationship_deposit_block_confirmation = False
        order = self._quotation(self.individual, 1000)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_only_managers_lower_the_deposit_and_say_why(self):
        order = self._quotation(self.individual, 1000, user=self.user)
        # assertRaises rolls the refused write back, as a request would.
        with self.assertRaises(UserError) as refused:
            order.with_user(self.user).require_payment = False
        self.assertIn("Only a relationship manager can lower", str(refused.exception))
        self.assertTrue(order.require_payment)
        with self.assertRaises(UserError) as refused:
            order.with_user(self.manager).prepayment_percent = 0.1
        self.assertIn("say why you lower the deposit", str(refused.exception))
        order.with_user(self.manager).write(
            {
                "relationship_deposit_lowered_reason": "Cliente fidèle depuis 2019",
                "prepayment_percent": 0.1,
            }
        )
        note = order.message_ids[0]
        self.assertIn("Deposit lowered from 30% to 10% by Claire Secrétaire", note.preview)
        self.assertIn("Cliente fidèle depuis 2019", note.preview)
        # Editing the lines keeps the manager's decision; a new client re-decides.
        order.order_line[0].price_unit = 1200
        self.assertAlmostEqual(order.prepayment_percent, 0.1)
        self.assertEqual(order.relationship_deposit_due, 120)
        order.partner_id = self._make_individual_critical()
        self.assertAlmostEqual(order.prepayment_percent, 0.5)

    def _make_individual_critical(self):
        partner = self.env["res.partner"].create({"name": "M. Absent"})
        self._make_critical(partner)
        return partner

    def test_a_manager_confirms_without_deposit_giving_the_reason(self):
        order = self._quotation(self.individual, 1000)
        with self.assertRaises(AccessError):
            self.env["client.relationship.deposit.waiver"].with_user(self.user).create(
                {"order_ids": [Command.set(order.ids)], "reason": "Pressé"}
            )
        action = order.with_user(self.manager).action_relationship_confirm_without_deposit()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"])
        )
        wizard.reason = "Virement reçu, relevé attendu demain"
        wizard.save().action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertIn("Virement reçu, relevé attendu demain", order.message_ids[0].preview)
        self.assertRegex(order.message_ids[0].preview, r"300[.,]00 were due")

    def test_each_company_applies_its_own_rules(self):
        other = self.setup_other_company(name="Autre Secrétariat")["company"]
        self.assertFalse(other.relationship_deposit_enabled)
        order = self._quotation(self.individual, 1000, company_id=other.id)
        self.assertFalse(order.relationship_deposit_required)
        other.write(
            {"relationship_deposit_enabled": True, "relationship_deposit_individual_percent": 0.2}
        )
        order = self._quotation(self.individual, 1000, company_id=other.id)
        self.assertAlmostEqual(order.prepayment_percent, 0.2)
        self.assertAlmostEqual(self._quotation(self.individual, 1000).prepayment_percent, 0.3)

    def test_settings_form_saves_reloads_and_refuses_bad_input(self):
        settings = Form(self.env["res.config.settings"])
        settings.relationship_deposit_individual_percent = 0.25
        settings.relationship_deposit_risky_band = "watch"
        settings.relationship_deposit_min_amount = 150
        settings.save().execute()
        reloaded = Form(self.env["res.config.settings"])
        self.assertAlmostEqual(reloaded.relationship_deposit_individual_percent, 0.25)
        self.assertEqual(reloaded.relationship_deposit_risky_band, "watch")
        self.assertEqual(reloaded.relationship_deposit_min_amount, 150)
        with self.assertRaises(ValidationError) as refused:
            self.env.company.relationship_deposit_risky_percent = 1.2
        self.assertIn(
            "between 0% and 100% of the quotation (you entered 120%)", str(refused.exception)
        )
        with self.assertRaises(ValidationError) as refused:
            self.env.company.relationship_deposit_min_amount = -10
        self.assertIn("cannot be negative", str(refused.exception))
