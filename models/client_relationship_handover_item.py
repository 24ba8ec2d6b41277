from odoo import fields, models


class ClientRelationshipHandoverItem(models.Model):
    _name = "client.relationship.handover.item"
    _description = "Handover Item"
    _order = "partner_id, sequence, id"

    partner_id = fields.Many2one(
        "res.partner", string="Client", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    category = fields.Selection(
        [
            ("instruction", "Instruction"),
            ("credential", "Credential"),
            ("website", "Website"),
            ("file_location", "File Location"),
            ("deadline", "Recurring Deadline"),
            ("contact", "Contact"),
            ("other", "Other"),
        ],
        required=True,
        default="instruction",
    )
    name = fields.Char(string="What", required=True)
    url = fields.Char(string="URL")
    login = fields.Char()
    location = fields.Char(help="Where the files or folders are.")
    notes = fields.Text()
    last_checked = fields.Date()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
