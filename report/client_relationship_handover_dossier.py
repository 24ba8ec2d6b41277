from odoo import api, models


class ReportHandoverDossier(models.AbstractModel):
    """The handover dossier of clients, in the company printing it."""

    _name = "report.client_relationship.report_handover_dossier"
    _description = "Handover Dossier"

    @api.model
    def _get_report_values(self, docids, data=None):
        partners = self.env["res.partner"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "summaries": self._summaries(partners, self.env.company),
            # Clear passwords come only from the server code that streams the copy.
            "credentials": (data or {}).get("credentials"),
        }

    @api.model
    def _summaries(self, clients, company):
        """What the dossier prints for each client, {client id: values}, read in
        a fixed number of queries whatever the number of clients."""
        orders = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", clients.commercial_partner_id.ids),
                    ("state", "=", "sale"),
                    ("company_id", "=", company.id),
                ],
                order="date_order",
            )
            .grouped(lambda order: order.partner_id.commercial_partner_id)
        )
        amounts_due = clients._relationship_amounts_due(company)
        category = self.env["client.relationship.handover.item"]._fields["category"]
        category_order = [key for key, __ in category.selection]
        titles = {}  # by language: the dossier is printed in the client's
        summaries = {}
        for client in clients:
            client_orders = orders.get(client.commercial_partner_id, self.env["sale.order"])
            lang = client.lang or self.env.lang
            items = client.with_context(lang=lang).relationship_handover_item_ids.filtered(
                lambda item: item.company_id == company
            )
            invoices, balance = amounts_due[client.commercial_partner_id]
            if lang not in titles:
                titles[lang] = self.with_context(lang=lang)._category_titles()
            summaries[client.id] = {
                "start": client_orders[:1].date_order.date() if client_orders else False,
                "orders": client_orders.filtered_domain(
                    client_orders._relationship_open_work_domain()
                ),
                "items": items,
                "categories": [
                    (key, titles[lang].get(key) or dict(category.selection)[key])
                    for key in category_order
                    if key in items.mapped("category")
                ],
                "unpaid_invoices": invoices,
                "balance": balance,
                "currency": company.currency_id,
            }
        return summaries

    @api.model
    def _category_titles(self):
        """The dossier's section titles, plural where the category's label is singular."""
        return {
            "instruction": self.env._("Instructions"),
            "credential": self.env._("Credentials"),
            "website": self.env._("Websites"),
            "file_location": self.env._("File Locations"),
            "deadline": self.env._("Recurring Deadlines"),
            "contact": self.env._("Contacts"),
            "other": self.env._("Other Items"),
        }


class ReportHandoverDossierTermination(models.AbstractModel):
    """The same dossier, attached to the termination e-mail and reprinted from it."""

    _name = "report.client_relationship.report_handover_dossier_termination"
    _description = "Handover Dossier of a Termination"

    @api.model
    def _get_report_values(self, docids, data=None):
        terminations = self.env["client.relationship.termination"].browse(docids)
        summaries = {}
        for company, company_terminations in terminations.grouped("company_id").items():
            summaries.update(
                self.env["report.client_relationship.report_handover_dossier"]._summaries(
                    company_terminations.partner_id, company
                )
            )
        return {
            "doc_ids": docids,
            "doc_model": "client.relationship.termination",
            "docs": terminations,
            "summaries": summaries,
            "credentials": None,
        }
