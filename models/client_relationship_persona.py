from odoo import api, fields, models


class ClientRelationshipPersona(models.Model):
    """An ideal client: who you want to work with. A client matching none of
    your profiles is flagged on its first quotation and costs health points."""

    _name = "client.relationship.persona"
    _description = "Ideal Client Profile"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    company_type = fields.Selection(
        [("any", "Companies and individuals"), ("company", "Companies"), ("person", "Individuals")],
        string="Client Type",
        required=True,
        default="any",
    )
    category_ids = fields.Many2many(
        "res.partner.category", string="Tags", help="The client has at least one of these tags."
    )
    industry_ids = fields.Many2many("res.partner.industry", string="Industries")
    country_ids = fields.Many2many("res.country", string="Countries")
    lang_ids = fields.Many2many("res.lang", string="Languages")
    min_quotation_amount = fields.Monetary(
        string="Minimum Quotation",
        currency_field="currency_id",
        help="Quotations below this total, taxes included, do not fit this profile.",
    )
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id, required=True
    )

    def _matches(self, partner):
        """Whether the commercial entity ``partner`` fits this profile; every
        criterion left empty accepts everyone."""
        self.ensure_one()
        client = partner.commercial_partner_id
        if self.company_type != "any" and client.is_company != (self.company_type == "company"):
            return False
        if self.category_ids and not (self.category_ids & client.category_id):
            return False
        if self.industry_ids and client.industry_id not in self.industry_ids:
            return False
        if self.country_ids and client.country_id not in self.country_ids:
            return False
        return not self.lang_ids or client.lang in self.lang_ids.mapped("code")

    def _matches_quotation(self, order):
        self.ensure_one()
        minimum = self.currency_id._convert(
            self.min_quotation_amount, order.currency_id, order.company_id, order.date_order
        )
        return self._matches(order.partner_id) and order.amount_total >= minimum

    @api.model_create_multi
    def create(self, vals_list):
        personas = super().create(vals_list)
        self._refit_clients()
        return personas

    def write(self, vals):
        result = super().write(vals)
        self._refit_clients()
        return result

    def unlink(self):
        result = super().unlink()
        self._refit_clients()
        return result

    @api.model
    def _refit_clients(self):
        """The profiles changed: every fit not set by hand follows them."""
        Partner = self.env["res.partner"]
        clients = Partner.sudo().search(
            [("relationship_profile_manual", "=", False), ("parent_id", "=", False)]
        )
        self.env.add_to_compute(Partner._fields["relationship_profile_fit"], clients)
