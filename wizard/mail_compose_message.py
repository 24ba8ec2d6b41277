import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    # Set only outside the company's working hours, for one message on one
    # document: sent then, clients would learn you work at night.
    relationship_next_slot = fields.Datetime(
        string="Next Working Slot",
        compute="_compute_relationship_next_slot",
    )
    relationship_next_slot_words = fields.Char(
        string="Next Working Slot in Words",
        compute="_compute_relationship_next_slot",
    )

    @api.depends("composition_mode", "composition_batch", "record_company_id")
    def _compute_relationship_next_slot(self):
        now = fields.Datetime.now()
        for composer in self:
            company = composer.record_company_id or self.env.company
            slot = (
                company._relationship_next_slot(now)
                if composer.composition_mode == "comment"
                and not composer.composition_batch
                and company._relationship_out_of_hours(now)[0]
                else None
            )
            composer.relationship_next_slot = (
                slot.astimezone(pytz.utc).replace(tzinfo=None) if slot else False
            )
            composer.relationship_next_slot_words = (
                company._relationship_slot_in_words(slot, self.env.lang) if slot else False
            )

    def action_relationship_send_at_next_slot(self):
        """Schedule the message, through Odoo's scheduled messages, at the
        start of the next working slot."""
        self.ensure_one()
        if not self.relationship_next_slot:
            raise UserError(self.env._("You are within your working hours: send the message now."))
        self.scheduled_date = fields.Datetime.to_string(self.relationship_next_slot)
        return self.action_schedule_message()

    @api.depends("composition_mode", "model", "res_domain", "res_ids", "template_id")
    def _compute_attachment_ids(self):
        # Your general terms of sale go with every quotation.
        result = super()._compute_attachment_ids()
        for composer in self.filtered(
            lambda c: c.model == "sale.order" and c.composition_mode == "comment" and c.template_id
        ):
            orders = self.env["sale.order"].browse(composer._evaluate_res_ids())
            if len(orders) != 1:
                continue
            terms = self.env["client.relationship.terms"]._current_for(orders.company_id)
            if terms.document:
                composer.attachment_ids += self.env["ir.attachment"].create(
                    {
                        "name": terms.document_name or f"{terms.name}.pdf",
                        "datas": terms.document,
                        "res_model": "mail.compose.message",
                        "res_id": 0,
                        "type": "binary",
                    }
                )
        return result
