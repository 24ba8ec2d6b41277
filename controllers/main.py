from odoo import http
from odoo.http import content_disposition, request


class HandoverDossierController(http.Controller):
    @http.route(
        "/client_relationship/handover_dossier/<int:partner_id>/credentials",
        type="http",
        auth="user",
    )
    def handover_dossier_with_credentials(self, partner_id):
        """The dossier with the passwords in clear goes to the browser that asked
        for it and nowhere else: no attachment, no message, no cache."""
        partner = request.env["res.partner"].browse(partner_id).exists()
        if not partner:
            raise request.not_found()
        pdf, filename = request.env[
            "client.relationship.handover.item"
        ]._dossier_with_credentials_pdf(partner)
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", content_disposition(filename)),
                ("Cache-Control", "no-store"),
            ],
        )
