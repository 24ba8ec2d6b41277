from odoo import fields, models
from odoo.exceptions import UserError


class ClientRelationshipHandoverPrintWizard(models.TransientModel):
    _name = "client.relationship.handover.print.wizard"
    _description = "Print the Handover Dossier"

    partner_id = fields.Many2one("res.partner", string="Client", required=True, readonly=True)
    include_credentials = fields.Boolean(
        help="Print the passwords in clear. Only relationship managers may; otherwise each "
        "shows 'communicated separately'.",
    )

    def action_print(self):
        self.ensure_one()
        if self.include_credentials and not self.env.user.has_group(
            "client_relationship.group_relationship_manager"
        ):
            raise UserError(self.env._("Only a relationship manager may print the credentials."))
        return (
            self.env.ref("client_relationship.action_report_handover_dossier")
            .with_context(include_credentials=self.include_credentials)
            .report_action(self.partner_id, config=False)
        )
