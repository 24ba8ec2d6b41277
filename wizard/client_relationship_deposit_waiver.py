from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount


class ClientRelationshipDepositWaiver(models.TransientModel):
    _name = "client.relationship.deposit.waiver"
    _description = "Confirm a Quotation without its Deposit"

    order_ids = fields.Many2many("sale.order", string="Quotations", required=True)
    reason = fields.Text(
        required=True,
        help="Logged in the chatter of the order, with your name.",
    )

    def action_confirm(self):
        self.ensure_one()
        if not self.reason or not self.reason.strip():
            raise UserError(self.env._("Say why you confirm without the deposit."))
        self.env["res.partner"]._check_relationship_group("manager")
        self.order_ids.sudo().relationship_deposit_waiver_reason = self.reason
        for order in self.order_ids:
            __, due = order._relationship_deposit_due_now()
            order.message_post(
                body=self.env._(
                    "Confirmed without deposit by %(user)s (%(due)s were due): %(reason)s",
                    user=self.env.user.name,
                    due=format_amount(self.env, due, order.currency_id),
                    reason=self.reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return self.order_ids.action_confirm()
