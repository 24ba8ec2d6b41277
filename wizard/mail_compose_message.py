from odoo import api, models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    @api.depends("composition_mode", "model", "res_domain", "res_ids", "template_id")
    def _compute_attachment_ids(self):
        # The seed: attach your general terms of sale to every quotation.
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
