from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request
from odoo.tools import consteq

from odoo.addons.portal.controllers.portal import CustomerPortal

TERMINATION = "client.relationship.termination"
# What the client may download: the letter and the handover dossier WITHOUT the
# passwords. The copy with them is served by controllers/main.py to users only.
REPORTS = {
    "letter": "client_relationship.action_report_termination_letter",
    "dossier": "client_relationship.action_report_handover_dossier_termination",
}


class RelationshipEndPortal(CustomerPortal):
    """The end of the relationship, as the client reads it: the letter, the end
    date, the work still open, the handover dossier, and « Accuser réception »."""

    def _relationship_end_check_access(self, termination_id, access_token=None):
        """The termination, with sudo, for its client's portal users, the
        holder of its token, and the users who may read it in the backend.
        Nothing of a cancelled end: the relationship goes on."""
        # sudo keeps the visitor as the user: the acknowledgement is theirs.
        termination_sudo = request.env[TERMINATION].sudo().browse(termination_id).exists()
        if not termination_sudo or termination_sudo.state == "cancelled":
            raise MissingError(request.env._("This document does not exist."))
        if (
            access_token
            and termination_sudo.access_token
            and consteq(termination_sudo.access_token, access_token)
        ):
            return termination_sudo
        user = request.env.user
        if not user._is_public():
            if user.partner_id.commercial_partner_id == termination_sudo.partner_id:
                return termination_sudo
            if not user.share and request.env[TERMINATION].browse(termination_id).has_access(
                "read"
            ):
                return termination_sudo
        raise AccessError(request.env._("You cannot read this document."))

    def _relationship_end_denied(self):
        """As Odoo's portal does: back to /my for a user, not found for others."""
        if request.env.user._is_public():
            raise request.not_found()
        return request.redirect("/my")

    @http.route(
        ["/my/relationship_end/<int:termination_id>"], type="http", auth="public", website=True
    )
    def portal_relationship_end(self, termination_id, access_token=None, report_type=None, **kw):
        try:
            termination_sudo = self._relationship_end_check_access(termination_id, access_token)
        except MissingError:
            raise request.not_found() from None
        except AccessError:
            return self._relationship_end_denied()

        if report_type in ("html", "pdf"):
            report = REPORTS.get(kw.get("report"))
            if not report:
                raise request.not_found()
            return self._relationship_end_report(
                termination_sudo, report, report_type, kw.get("download")
            )
        # Only known messages: nothing typed in the address reaches the page.
        return self._relationship_end_render(
            termination_sudo, access_token, message=kw.get("message")
        )

    def _relationship_end_render(self, termination_sudo, access_token, error=None, message=None):
        letter = (
            request.env["report.client_relationship.report_termination_letter"]
            .sudo()
            ._letter(termination_sudo)
        )
        values = {
            **self._prepare_portal_layout_values(),
            "page_name": "relationship_end",
            "termination": termination_sudo,
            "letter": letter,
            "open_work": termination_sudo._portal_open_work(),
            "res_company": termination_sudo.company_id,
            "backend_url": f"/odoo/{TERMINATION}/{termination_sudo.id}",
            "message": message,
            "error": error,
            # Users of the company preview the page; only the client acknowledges.
            "can_acknowledge": request.env.user._is_public() or request.env.user.share,
        }
        values = self._get_page_view_values(
            termination_sudo, access_token, values, "my_relationship_end_history", False
        )
        return request.render("client_relationship.portal_relationship_end", values)

    def _relationship_end_report(self, termination_sudo, report_ref, report_type, download):
        """The PDF as the people who ended the relationship print it: in their
        name (« Prepared by »), never with the passwords."""
        author = termination_sudo.user_id or request.env.user
        reports = (
            request.env["ir.actions.report"]
            .with_user(author)
            .sudo()
            .with_company(termination_sudo.company_id)
            .with_context(client_relationship_no_secret=True)
        )
        method = getattr(reports, f"_render_qweb_{report_type}")
        content = method(report_ref, termination_sudo.ids, data={"report_type": report_type})[0]
        headers = [("Content-Length", len(content)), ("Cache-Control", "no-store")]
        # In test mode, Odoo renders HTML in place of the PDF.
        if report_type == "pdf" and content[:4] == b"%PDF":
            client = termination_sudo.partner_id
            name = reports._get_report(report_ref).with_context(lang=client.lang).name
            filename = f"{name} - {client.name}.pdf"
            disposition = "attachment" if download else "inline"
            headers += [
                ("Content-Type", "application/pdf"),
                ("Content-Disposition", content_disposition(filename, disposition)),
            ]
        else:
            headers.append(("Content-Type", "text/html; charset=utf-8"))
        return request.make_response(content, headers=headers)

    @http.route(
        ["/my/relationship_end/<int:termination_id>/acknowledge"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_relationship_end_acknowledge(
        self, termination_id, access_token=None, name=None, **kw
    ):
        try:
            termination_sudo = self._relationship_end_check_access(termination_id, access_token)
        except MissingError:
            raise request.not_found() from None
        except AccessError:
            return self._relationship_end_denied()
        try:
            if not (request.env.user._is_public() or request.env.user.share):
                raise UserError(
                    request.env._(
                        "Only the client acknowledges receipt: you are previewing their page."
                    )
                )
            termination_sudo.action_portal_acknowledge(name, request.httprequest.remote_addr)
        except UserError as error:
            return self._relationship_end_render(
                termination_sudo, access_token, error=error.args[0]
            )
        return request.redirect(
            termination_sudo.get_portal_url(query_string="&message=acknowledged")
        )
