import subprocess
from datetime import timedelta

import pytz

from odoo import fields
from odoo.fields import Command
from odoo.tests import Form, new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

PARIS = pytz.timezone("Europe/Paris")


class ClientRelationshipAccountCase(AccountTestInvoicingCommon):
    """A company with a chart of accounts and office hours in Paris, users, a client."""

    @classmethod
    def get_default_groups(cls):
        return (
            super().get_default_groups()
            | cls.quick_ref("sales_team.group_sale_manager")
            | cls.quick_ref("client_relationship.group_relationship_manager")
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        # Office hours 9:00-18:00, Monday to Friday, in Paris.
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Secrétariat 9h-18h",
                "tz": "Europe/Paris",
                "company_id": cls.env.company.id,
                "attendance_ids": [
                    Command.create(
                        {"name": str(day), "dayofweek": str(day), "hour_from": 9, "hour_to": 18}
                    )
                    for day in range(5)
                ],
            }
        )
        cls.env.company.resource_calendar_id = cls.calendar
        cls.manager = new_test_user(
            cls.env,
            login="cr_manager",
            name="Claire Secrétaire",
            lang="fr_FR",
            # A freelancer who sells, invoices and manages her client relationships.
            groups="sales_team.group_sale_manager,account.group_account_invoice",
        )
        cls.user = new_test_user(
            cls.env,
            login="cr_user",
            name="Ulysse Commercial",
            groups="sales_team.group_sale_salesman",
        )
        cls.client_company = cls.env["res.partner"].create(
            {"name": "Nuit Blanche SARL", "is_company": True}
        )
        cls.client_contact = cls.env["res.partner"].create(
            {"name": "Mme Nuit", "parent_id": cls.client_company.id}
        )

    @classmethod
    def _demo_payment_provider(cls):
        """Odoo's demo payment provider, published for the test company."""
        return (
            cls.env.ref("payment.payment_provider_demo")
            .sudo()
            .copy({"company_id": cls.env.company.id, "state": "test", "is_published": True})
        )

    def _pay_online(self, order, amount, provider):
        """The client pays ``amount`` on the order's portal page with the demo
        ``provider``, through the JSON-RPC calls of « Sign & Pay » (an HttpCase's)."""
        processing = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/transaction",
            {
                "access_token": order._portal_ensure_token(),
                "provider_id": provider.id,
                "payment_method_id": self.env.ref("payment_demo.payment_method_demo").id,
                "token_id": None,
                "amount": amount,
                "flow": "direct",
                "tokenization_requested": False,
                "landing_route": order.get_portal_url(),
                "is_validation": False,
            },
        )
        self.make_jsonrpc_request(
            "/payment/demo/simulate_payment",
            {
                "reference": processing["reference"],
                "payment_details": "4242",
                "simulated_state": "done",
            },
        )
        return self.make_jsonrpc_request("/payment/status/poll")

    @classmethod
    def _enable_deposits(cls):
        """The usual rules: 30% from individuals, 50% from critical clients."""
        cls.env.company.write(
            {
                "relationship_deposit_enabled": True,
                "relationship_deposit_individual_percent": 0.3,
                "relationship_deposit_risky_percent": 0.5,
                "relationship_deposit_risky_band": "critical",
                "relationship_deposit_block_confirmation": True,
            }
        )

    # Helpers: every record goes through Odoo's own flows.

    def _quotation(self, partner, amount, user=None, **values):
        """A quotation of one line of ``self.product`` (set by the test class)."""
        return (
            self.env["sale.order"]
            .with_user(user or self.env.user)
            .create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "price_unit": amount, "tax_ids": []}
                        )
                    ],
                    **values,
                }
            )
        )

    def _wizard_form(self, partner=None, user=None):
        """The end wizard as the contact form's button opens it."""
        partner = (partner or self.client_company).with_user(user or self.manager)
        action = partner.action_end_relationship()
        return Form(
            self.env[action["res_model"]]
            .with_user(user or self.manager)
            .with_context(**action["context"])
        )

    def _invoice(self, partner, amount, due_days_ago, post=True):
        due = self.today - timedelta(days=due_days_ago)
        invoice = self._create_invoice(
            partner_id=partner,
            invoice_date=due - timedelta(days=30),
            invoice_date_due=due,
            invoice_payment_term_id=None,
            invoice_line_ids=[self._prepare_invoice_line(price_unit=amount, tax_ids=[])],
        )
        invoice.invoice_date_due = due
        if post:
            invoice.action_post()
        return invoice

    def _pay(self, invoice, paid_days_after_due, amount=None):
        values = {"payment_date": invoice.invoice_date_due + timedelta(days=paid_days_after_due)}
        if amount is not None:
            values["amount"] = amount
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(values)
            ._create_payments()
        )

    def _pdf_text(self, report, records, **context):
        pdf, __ = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True, **context)
            ._render_qweb_pdf(report, records.ids)
        )
        self.assertTrue(pdf.startswith(b"%PDF"), "rendered by wkhtmltopdf")
        return pdf_text(pdf)


def pdf_text(pdf):
    """The words of a PDF, as one line."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(text.split())
