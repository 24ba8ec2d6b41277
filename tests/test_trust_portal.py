from odoo.fields import Command
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .common import ClientRelationshipAccountCase

# A value each field may be searched for (a required field searched for "set"
# would be answered without reading it).
SEARCHED = {
    "relationship_gut_feeling": ["3"],
    "relationship_avoid_contact": ["Ses courses de 11 h à midi"],
    "relationship_health_band": ["critical"],
    "relationship_state": ["ended"],
    "relationship_deposit_policy": ["never"],
}
JUDGEMENTS = [
    "relationship_gut_feeling",
    "relationship_avoid_contact",
    "relationship_health_explanation",
    "relationship_health_score",
    "relationship_health_band",
    "relationship_state",
    "relationship_incident_ids",
    "relationship_deposit_policy",
]


@tagged("post_install", "-at_install")
class TestTrustPortal(ClientRelationshipAccountCase, HttpCase):
    """A client logged into the portal, through real HTTP JSON-RPC calls."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._enable_deposits()
        cls.client = cls.env["res.partner"].create(
            {
                "name": "Mme Nuit",
                "email": "nuit@example.com",
                "lang": "fr_FR",
                "relationship_gut_feeling": "3",
                "relationship_avoid_contact": "Ses courses de 11 h à midi",
            }
        )
        # Known as a bad debtor: the rules ask 50%.
        cls.client.sudo().trust = "bad"
        cls.portal_user = cls.env["res.users"].create(
            {
                "login": "portal_nuit",
                "password": "portal_nuit",
                "partner_id": cls.client.id,
                "group_ids": [Command.set(cls.env.ref("base.group_portal").ids)],
            }
        )
        product = cls.env["product.product"].create(
            {"name": "Secretarial work", "type": "service", "list_price": 1000}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.client.id,
                "order_line": [
                    Command.create({"product_id": product.id, "price_unit": 1000, "tax_ids": []})
                ],
            }
        )
        cls.order.action_quotation_sent()
        cls.provider = cls._demo_payment_provider()

    def call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_portal_client_reads_no_judgement_about_themselves(self):
        self.authenticate("portal_nuit", "portal_nuit")
        partner_id = self.client.id
        # Their own contact is readable, as in standard Odoo…
        record = self.call_kw("res.partner", "read", [[partner_id], ["name", "email"]])[0]
        self.assertEqual(record["name"], "Mme Nuit")
        # …and none of the addon's fields even exists for them.
        described = self.call_kw("res.partner", "fields_get", [], {"attributes": ["type"]})
        self.assertIn("email", described)
        self.assertFalse([fname for fname in described if fname.startswith("relationship_")])
        for fname in JUDGEMENTS:
            calls = [
                ("read", [[partner_id], [fname]], {}),
                ("search_read", [[("id", "=", partner_id)]], {"fields": [fname]}),
                ("web_read", [[partner_id]], {"specification": {fname: {}}}),
            ]
            if self.env["res.partner"]._fields[fname].store:
                calls.append(("search", [[(fname, "in", SEARCHED.get(fname, [1]))]], {}))
            for method, args, kwargs in calls:
                with self.assertRaises(JsonRpcException, msg=f"{method} {fname}") as error:
                    self.call_kw("res.partner", method, args, kwargs)
                self.assertEqual(error.exception.args[0], "odoo.exceptions.AccessError")
        with self.assertRaises(JsonRpcException):
            self.call_kw("sale.order", "read", [[self.order.id], ["relationship_deposit_reason"]])

    def test_portal_quotation_tells_the_deposit_not_the_reason(self):
        self.env.ref("base.lang_fr").active = True
        self.authenticate("portal_nuit", "portal_nuit")
        self.opener.cookies["frontend_lang"] = "fr_FR"
        # The reason stays with your own users.
        self.assertEqual(
            self.order.relationship_deposit_reason,
            "Deposit of 50% required: client known as a bad debtor",
        )
        for url in (
            f"/my/orders/{self.order.id}",
            f"/my/orders/{self.order.id}?report_type=html",
        ):
            page = self.url_open(url)
            self.assertEqual(page.status_code, 200)
            text = page.content.decode()
            self.assertRegex(
                text, r"Acompte de 50\s%\sà verser à la commande\s:\s\S*\s?500,00", url
            )
            # An individual's deposit is stated as an acompte, binding both parties.
            self.assertIn("engage définitivement les deux parties", text, url)
            for leak in ("mauvais payeur", "bad debtor", "critique", "Ses courses"):
                self.assertNotIn(leak, text, url)

    def test_deposit_invoice_after_a_partial_online_payment(self):
        order = self.order
        self._pay_online(order, 200.0, self.provider)
        order.invalidate_recordset()
        self.assertEqual(order.state, "sent", "200 paid of a 500 deposit: not confirmed")
        self.assertEqual(order.relationship_deposit_due, 300)
        action = order.with_user(self.manager).action_relationship_deposit_invoice()
        invoice = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(invoice.currency_id, order.currency_id)
        self.assertAlmostEqual(invoice.amount_total, 300)
