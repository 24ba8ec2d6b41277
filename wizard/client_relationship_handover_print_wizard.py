from odoo import fields, models


class ClientRelationshipHandoverPrintWizard(models.TransientModel):
    _name = "client.relationship.handover.print.wizard"
    _description = "Print the Handover Dossier"

    partner_id = fields.Many2one("res.partner", string="Client", required=True, readonly=True)
    include_credentials = fields.Boolean(
        help="Print the passwords in clear, for users allowed to read handover credentials. "
        "This copy is downloaded, never saved; otherwise each password shows "
        "'communicated separately'.",
    )

    def action_print(self):
        self.ensure_one()
        if self.include_credentials:
            items = self.env["client.relationship.handover.item"]
            items._check_credentials_reader()
            return {
                "type": "ir.actions.act_url",
                "url": items._dossier_with_credentials_url(self.partner_id),
                "target": "new",
                "close": True,
            }
        return self.env.ref("client_relationship.action_report_handover_dossier").report_action(
            self.partner_id, config=False
        )
