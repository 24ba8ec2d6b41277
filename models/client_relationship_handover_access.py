from odoo import api, fields, models

from .client_relationship_handover_item import secret_key_path


class ClientRelationshipHandoverAccess(models.Model):
    """Who saw a handover password in clear, and when. Written by the code that
    reveals, as superuser; nobody writes or deletes it by hand."""

    _name = "client.relationship.handover.access"
    _description = "Handover Credential Access"
    _order = "create_date desc, id desc"

    # The log outlives the item: deleting a credential does not erase who read it.
    item_id = fields.Many2one(
        "client.relationship.handover.item",
        string="Credential",
        readonly=True,
        index=True,
        ondelete="set null",
    )
    item_name = fields.Char(string="Credential Name", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Client", readonly=True, index=True, ondelete="set null"
    )
    user_id = fields.Many2one("res.users", required=True, readonly=True, index=True)
    access_type = fields.Selection(
        [("read", "Read"), ("print", "Printed"), ("rotation", "Key Rotation")],
        string="Type",
        required=True,
        readonly=True,
    )
    company_id = fields.Many2one("res.company", readonly=True, index=True)

    @api.model
    def _log(self, items, access_type):
        self.sudo().create(
            [
                {
                    "item_id": item.id,
                    "item_name": item.name,
                    "partner_id": item.partner_id.id,
                    "company_id": item.company_id.id,
                    "user_id": self.env.uid,
                    "access_type": access_type,
                }
                for item in items.sudo()
            ]
        )

    def action_rotate_key(self):
        fingerprint, count = self.env["client.relationship.handover.item"]._rotate_key()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "sticky": True,
                "message": self.env._(
                    "%(count)s password(s) re-encrypted with the new key %(fingerprint)s, in "
                    "%(path)s. The former key is kept next to it as a backup. Back the new key "
                    "up with your database.",
                    count=count,
                    fingerprint=fingerprint,
                    path=secret_key_path(),
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
