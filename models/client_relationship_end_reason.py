from odoo import fields, models


class ClientRelationshipEndReason(models.Model):
    _name = "client.relationship.end.reason"
    _description = "Reason to End a Client Relationship"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    description = fields.Text(
        translate=True, help="What to remember so as not to fall into the trap again."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
