from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import is_html_empty
from odoo.tools.misc import clean_context, get_lang

# At most one automatic reply to a client in this time.
AFTER_HOURS_REPLY_INTERVAL = timedelta(hours=12)
# RFC 3834: mail sent by a robot or to a list never gets an automatic reply.
AUTOMATED_PRECEDENCES = {"bulk", "junk", "list"}


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _message_route_process(self, message, message_dict, routes):
        if self._relationship_is_automated_email(message):
            # Answering a vacation reply, a bounce or a newsletter starts a loop.
            quiet = self.with_context(relationship_no_after_hours_reply=True)
            return super(MailThread, quiet)._message_route_process(message, message_dict, routes)
        return super()._message_route_process(message, message_dict, routes)

    @api.model
    def _relationship_is_automated_email(self, message):
        """Whether the incoming ``message`` (an EmailMessage) says it was sent
        automatically (RFC 3834): Auto-Submitted other than "no", or a bulk,
        junk or list Precedence."""
        auto_submitted = str(message.get("Auto-Submitted") or "no").split(";")[0].strip().lower()
        precedence = str(message.get("Precedence") or "").strip().lower()
        return auto_submitted != "no" or precedence in AUTOMATED_PRECEDENCES

    def _notify_thread_with_out_of_office(self, message, recipients_data, msg_vals=False, **kwargs):
        ooo_messages = super()._notify_thread_with_out_of_office(
            message, recipients_data, msg_vals=msg_vals, **kwargs
        )
        # A vacation responder has just answered: one automatic reply is enough.
        if ooo_messages:
            return ooo_messages
        return self._relationship_after_hours_reply(message, msg_vals or {})

    def _relationship_after_hours_reply(self, message, msg_vals):
        """Answer a client who writes outside the company's working hours, at
        most once in 12 hours, saying when they will get an answer. Posted as
        Odoo's out-of-office replies are: ``out_of_office`` messages with the
        Auto-Submitted header, which no automatic reply answers in turn."""
        # Conversations in Discuss are no document a client waits an answer on.
        if (
            len(self) != 1
            or self._transient
            or self._name == "discuss.channel"
            or self.env.context.get("relationship_no_after_hours_reply")
        ):
            return self.env["mail.message"]

        # The values given to message_post spare reading the new message.
        def value(name):
            found = msg_vals[name] if name in msg_vals else message[name]
            field = message._fields[name]
            if field.type != "many2one":
                return found
            record_id = found.id if isinstance(found, models.BaseModel) else found
            return self.env[field.comodel_name].sudo().browse(record_id)

        writer = value("author_id")
        company = value("record_company_id") or self.env.company.sudo()
        if not self._relationship_after_hours_reply_due(value, writer, company):
            return self.env["mail.message"]
        lang = get_lang(self.env, writer.lang).code
        thread = self.sudo().with_context(
            clean_context(self.env.context), lang=lang, mail_post_autofollow=False
        )
        responsible = (
            self.sudo().user_id
            if "user_id" in self._fields and self._fields["user_id"].comodel_name == "res.users"
            else self.env["res.users"]
        )
        if responsible.active and responsible._is_internal():
            author = responsible.partner_id
        else:
            author = company.partner_id
        body = self.env["ir.qweb"]._render(
            "mail.message_notification_out_of_office",
            {
                "out_of_office_message": company.with_context(
                    lang=lang
                )._relationship_after_hours_message(),
                "replied_body": value("body"),
                "is_html_empty": is_html_empty,
            },
            minimal_qcontext=True,
            raise_if_not_found=False,
        )
        return thread.message_post(
            author_id=author.id,
            body=body,
            mail_headers={
                "Auto-Submitted": "auto-replied",
                # Microsoft Exchange answers automatic replies without it.
                "X-Auto-Response-Suppress": "All",
            },
            message_type="out_of_office",
            # The writer may be the current user, a portal client.
            notify_author=True,
            notify_skip_followers=True,
            partner_ids=writer.ids,
            subject=thread.env._(
                "Automatic reply: %(subject)s",
                subject=value("subject") or thread.display_name,
            ),
            subtype_id=self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment"),
        )

    def _relationship_after_hours_reply_due(self, value, writer, company):
        """Whether the message read through ``value`` is a client's, written
        outside ``company``'s working hours, and the client got no automatic
        reply in the last 12 hours."""
        # Notes, notifications, automatic replies and our own messages never
        # get one; OdooBot is no share partner either. Cheapest checks first:
        # every message posted anywhere passes here.
        if (
            value("message_type") not in ("comment", "email")
            or value("is_internal")
            or not company.relationship_after_hours_reply
            or not value("subtype_id")
            or value("subtype_id").internal
            or not writer.partner_share
        ):
            return False
        client = writer.commercial_partner_id
        # Clients only: not a vendor, an applicant or a stranger on a record.
        if (
            not client.customer_rank
            or client.relationship_after_hours_reply_off
            or self.env["res.company"]
            .sudo()
            .search_count([("partner_id", "=", client.id)], limit=1)
        ):
            return False
        # Written out of hours, and still out of hours: mail written at 8:58
        # and fetched at 9:03 waits for no one.
        now = fields.Datetime.now()
        if not all(company._relationship_out_of_hours(value("date") or now, now)):
            return False
        return (
            not self.env["mail.message"]
            .sudo()
            .search_count(
                [
                    ("message_type", "=", "out_of_office"),
                    ("record_company_id", "=", company.id),
                    ("partner_ids.commercial_partner_id", "=", client.id),
                    ("date", ">", now - AFTER_HOURS_REPLY_INTERVAL),
                ],
                limit=1,
            )
        )
