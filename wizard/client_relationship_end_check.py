from odoo import fields, models


class ClientRelationshipEndCheck(models.TransientModel):
    _name = "client.relationship.end.check"
    _description = "Check Before Ending a Client Relationship"
    _order = "sequence, id"

    wizard_id = fields.Many2one(
        "client.relationship.end.wizard", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer()
    level = fields.Selection(
        [("ok", "OK"), ("warning", "Warning"), ("blocking", "Blocking")], required=True
    )
    message = fields.Text(required=True)
