from odoo import models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    def action_end_relationship(self):
        self.ensure_one()
        if self.commercial_partner_id != self:
            raise UserError(
                self.env._(
                    "%(contact)s is a contact of %(client)s: end the relationship "
                    "from the client %(client)s itself.",
                    contact=self.display_name,
                    client=self.commercial_partner_id.display_name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("End Relationship"),
            "res_model": "client.relationship.end.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.id},
        }
