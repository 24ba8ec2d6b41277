from odoo import api, fields, models

from .client_relationship_contract import NOTICE_UNITS


class ClientRelationshipTerms(models.Model):
    _name = "client.relationship.terms"
    _description = "General Terms of Sale"
    _order = "version_date desc, id desc"

    name = fields.Char(required=True)
    version_date = fields.Date(
        string="Version of", required=True, default=fields.Date.context_today
    )
    document = fields.Binary(string="PDF", attachment=True)
    document_name = fields.Char()
    notice_period = fields.Integer(string="Default Notice", default=1)
    notice_unit = fields.Selection(NOTICE_UNITS, default="month", required=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    is_current = fields.Boolean(string="Current Version", compute="_compute_is_current")

    @api.depends("version_date", "company_id")
    def _compute_is_current(self):
        current = self.env["client.relationship.terms"]
        for company in self.company_id:
            current |= self._current_for(company)
        for terms in self:
            terms.is_current = terms in current

    @api.model
    def _current_for(self, company):
        return self.search([("company_id", "=", company.id)], limit=1)
