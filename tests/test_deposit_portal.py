from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from .common import ClientRelationshipAccountCase


@tagged("post_install", "-at_install")
class TestDepositPortal(ClientRelationshipAccountCase, HttpCase):
    """The client pays the deposit online, as in standard Odoo: the order confirms."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._enable_deposits()
        # Odoo's demo provider, for this test company.
        cls.provider = cls._demo_payment_provider()
        cls.individual = cls.env["res.partner"].create(
            {"name": "Mme Minuit", "email": "minuit@example.com", "lang": "fr_FR"}
        )
        product = cls.env["product.product"].create(
            {"name": "Secretarial work", "type": "service", "list_price": 1000}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.individual.id,
                "order_line": [
                    Command.create({"product_id": product.id, "price_unit": 1000, "tax_ids": []})
                ],
            }
        )
        cls.order.action_quotation_sent()

    def test_portal_payment_of_the_deposit_confirms_the_order(self):
        order = self.order
        self.assertEqual(order.relationship_deposit_due, 300)
        token = order._portal_ensure_token()
        self.env.ref("base.lang_fr").active = True
        self.opener.cookies["frontend_lang"] = "fr_FR"
        page = self.url_open(f"/my/orders/{order.id}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertRegex(page.text, r"Acompte de 30\s%\sà verser à la commande\s:\s\S*\s?300,00")
        self.assertNotIn("particulier", page.text)
        self.assertIn("Signer & Payer", page.text)

        status = self._pay_online(order, 300.0, self.provider)
        self.assertEqual(status["state"], "done")

        order.invalidate_recordset()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.relationship_deposit_paid, 300)
        self.assertEqual(order.amount_paid, 300)
