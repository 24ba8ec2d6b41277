from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError


class ClientRelationshipEndWizard(models.TransientModel):
    _name = "client.relationship.end.wizard"
    _description = "End a Client Relationship"

    partner_id = fields.Many2one(
        "res.partner", string="Client", required=True, readonly=True, ondelete="cascade"
    )
    end_date = fields.Date(required=True, default=fields.Date.context_today)
    note = fields.Text(string="Why")

    def action_confirm(self):
        self.ensure_one()
        if self.end_date < fields.Date.context_today(self):
            raise UserError(
                self.env._(
                    "The end date %(date)s is in the past: choose today or a later date.",
                    date=self.end_date,
                )
            )
        body = Markup("<p>%s</p>") % self.env._(
            "The relationship ends on %(date)s.", date=self.end_date
        )
        if self.note:
            body += Markup("<p>%s</p>") % self.note
        self.partner_id.message_post(body=body, subtype_xmlid="mail.mt_note")
        return {"type": "ir.actions.act_window_close"}
