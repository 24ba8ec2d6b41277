from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    relationship_terms_id = fields.Many2one(
        "client.relationship.terms",
        string="Accepted Terms",
        compute="_compute_relationship_terms_id",
        store=True,
        readonly=True,
        help="The version of the general terms of sale in force when the client signed.",
    )
    relationship_state = fields.Selection(
        related="partner_id.commercial_partner_id.relationship_state"
    )

    @api.depends("signed_on")
    def _compute_relationship_terms_id(self):
        for order in self:
            if order.signed_on and not order.relationship_terms_id:
                order.relationship_terms_id = self.env["client.relationship.terms"]._current_for(
                    order.company_id
                )

    def action_decline_politely(self):
        """The seed's excuse no. 1: 'I am fully booked at the moment'."""
        template = self.env.ref("client_relationship.mail_template_decline_politely")
        for order in self:
            order.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
        self._action_cancel()
        return True
