from datetime import timedelta

import babel.dates
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, format_datetime
from odoo.tools.misc import babel_locale_parse

from ..const import GROUP_USER

SEND_BY = [
    ("email", "E-mail"),
    ("print", "Printed letter"),
    ("registered", "Registered letter with acknowledgement of receipt"),
    ("phone", "By phone, confirmed in writing"),
]
REGISTERED_DATES = {
    "registered_letter_sent_date",
    "registered_letter_presented_date",
    "registered_letter_received_date",
}
REGISTERED_LETTER_WAIT_DAYS = 10
ACKNOWLEDGED_BY_SIZE = 128
PROTECTED_FIELDS = {
    "partner_id",
    "company_id",
    "contract_id",
    "user_id",
    "date",
    "checks_summary",
    "override_reason",
    "access_token",
    "state",
    "end_date",
    "earliest_end_date",
    "serious_non_performance",
    "serious_non_performance_details",
    "relationship_start_date",
    "usual_notice_months",
    "acknowledged_date",
    "acknowledged_by",
    "acknowledged_ip",
    "registered_letter_reminder_id",
    "offboarding_activity_ids",
}


def format_date_in_full(env, value):
    """A date written in full, as in a letter: « 1er décembre 2026 »,
    "December 1, 2026", in the language of `env`."""
    if not value:
        return ""
    locale = babel_locale_parse(env.lang or "en_US")
    text = babel.dates.format_date(value, format="long", locale=locale)
    if locale.language == "fr" and value.day == 1:
        text = text.replace("1", "1er", 1)
    return text


class ClientRelationshipTermination(models.Model):
    _name = "client.relationship.termination"
    _description = "End of a Client Relationship"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    # The decision's facts (PROTECTED_FIELDS) are read-only in the form too.
    partner_id = fields.Many2one(
        "res.partner",
        string="Client",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    date = fields.Date(
        string="Decided On", required=True, readonly=True, default=fields.Date.context_today
    )
    end_date = fields.Date(string="Effective End", required=True, readonly=True, tracking=True)
    earliest_end_date = fields.Date(string="Earliest Lawful End", readonly=True)
    contract_id = fields.Many2one("client.relationship.contract", readonly=True)
    reason_ids = fields.Many2many(
        "client.relationship.end.reason",
        "client_relationship_termination_reason_rel",
        string="Reasons",
    )
    notes = fields.Text()
    letter_opening = fields.Text(string="Opening")
    letter_core = fields.Text(string="Core")
    letter_closing = fields.Text(string="Closing")
    send_by = fields.Selection(SEND_BY, string="Sent By", required=True, default="email")
    call_datetime = fields.Datetime(string="Call On")
    # The registered letter: the notice runs from its receipt when the contract
    # requires one (from its first presentation for a business that leaves it
    # unclaimed).
    registered_letter_number = fields.Char(tracking=True)
    registered_letter_sent_date = fields.Date(string="Registered Letter Sent On", tracking=True)
    registered_letter_presented_date = fields.Date(
        string="First Presented On",
        tracking=True,
        help="The day the postman first presented the letter, even if nobody signed for it.",
    )
    registered_letter_received_date = fields.Date(
        string="Received On", tracking=True, help="The date on the acknowledgement of receipt."
    )
    registered_letter_reminder_id = fields.Many2one(
        "mail.activity", readonly=True, ondelete="set null", copy=False
    )
    # The notice owed for an established business relationship (Code de commerce
    # L442-1 II), as assessed when the end was decided.
    relationship_start_date = fields.Date(
        string="Relationship Since",
        readonly=True,
        help="The contract's start or the first invoice.",
    )
    usual_notice_months = fields.Integer(
        string="Usual Notice (Months)",
        readonly=True,
        help="The rule of thumb of the Settings for a business client: a usage, not a legal scale.",
    )
    serious_non_performance = fields.Boolean(
        string="Ended for Serious Non-Performance",
        help="Ended without notice because the client seriously failed their obligations.",
        readonly=True,
        groups=GROUP_USER,
    )
    serious_non_performance_details = fields.Text(
        string="Serious Non-Performance", readonly=True, groups=GROUP_USER
    )
    offboarding_activity_ids = fields.Many2many(
        "mail.activity", string="Offboarding Tasks", readonly=True, copy=False
    )
    # The client's acknowledgement, on the portal.
    acknowledged_date = fields.Datetime(readonly=True, copy=False, tracking=True)
    acknowledged_by = fields.Char(readonly=True, copy=False)
    acknowledged_ip = fields.Char(string="Acknowledged from IP", readonly=True, copy=False)
    checks_summary = fields.Html(string="Checks", readonly=True, sanitize=True, groups=GROUP_USER)
    override_reason = fields.Text(
        string="Why the Notice Is Overridden",
        help="Required to end before the lawful date.",
        readonly=True,
        groups=GROUP_USER,
    )
    state = fields.Selection(
        [("ending", "Ending"), ("ended", "Ended"), ("cancelled", "Cancelled")],
        required=True,
        readonly=True,
        default="ending",
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users", string="Decided By", readonly=True, default=lambda self: self.env.user
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
        index=True,
    )

    def _compute_access_url(self):
        for termination in self:
            termination.access_url = f"/my/relationship_end/{termination.id}"

    @api.depends("partner_id.name")
    def _compute_name(self):
        for termination in self:
            termination.name = self.env._(
                "End of the relationship with %(client)s", client=termination.partner_id.name
            )

    def action_send_letter(self):
        """E-mail the letter, courteously: writing is kept."""
        self.ensure_one()
        if self.send_by == "phone" and self.call_datetime > fields.Datetime.now():
            raise UserError(
                self.env._(
                    "Call the client first: the call is planned on %(date)s. The e-mail confirms "
                    "what you said; if you called at another time, correct “Call On”.",
                    date=format_datetime(self.env, self.call_datetime, dt_format="short"),
                )
            )
        template = self.env.ref(
            "client_relationship.mail_template_termination_phone_confirmation"
            if self.send_by == "phone"
            else "client_relationship.mail_template_termination_letter"
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send the Letter"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "default_partner_ids": self.partner_id.ids,
            },
        }

    def _date_in_full(self, value):
        """For the letter and the e-mail: the date as a letter writes it."""
        return format_date_in_full(self.env, value)

    def _call_date_in_full(self):
        """The day of the phone call, in the time zone of whoever called."""
        self.ensure_one()
        if not self.call_datetime:
            return ""
        tz = self.user_id.tz or self.company_id.resource_calendar_id.tz
        moment = fields.Datetime.context_timestamp(self.with_context(tz=tz), self.call_datetime)
        return self._date_in_full(moment.date())

    def _letter_balance_due(self):
        self.ensure_one()
        return self.partner_id._relationship_amount_due(self.company_id)[1]

    def action_print_handover_dossier(self):
        return self.env.ref(
            "client_relationship.action_report_handover_dossier_termination"
        ).report_action(self)

    def action_print_letter(self):
        return self.env.ref("client_relationship.action_report_termination_letter").report_action(
            self
        )

    @api.model_create_multi
    def create(self, vals_list):
        # Values given through ``default_*`` context keys count as given.
        self._check_protected_fields(
            {key for vals in vals_list for key in vals}
            | {key[8:] for key in self.env.context if key.startswith("default_")}
        )
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_fields(vals.keys())
        result = super().write(vals)
        if REGISTERED_DATES & vals.keys():
            self._apply_registered_letter()
        return result

    @api.constrains(*REGISTERED_DATES)
    def _check_registered_letter_dates(self):
        today = fields.Date.context_today(self)
        for termination in self:
            dates = [
                termination[fname]
                for fname in (
                    "registered_letter_sent_date",
                    "registered_letter_presented_date",
                    "registered_letter_received_date",
                )
                if termination[fname]
            ]
            if dates != sorted(dates) or (dates and dates[-1] > today):
                raise ValidationError(
                    self.env._(
                        "The registered letter's dates of %(client)s do not follow each other: "
                        "it is sent, then first presented, then received, and none of these "
                        "dates is in the future. Check them against La Poste's tracking.",
                        client=termination.partner_id.name,
                    )
                )

    def _check_protected_fields(self, fnames):
        """The end, its dates and the client's acknowledgement change through the
        wizard, the registered letter's dates and the portal, which check who acts."""
        if self.env.su:
            return
        # Those without the right are told so first.
        self.check_access("write" if self else "create")
        protected = PROTECTED_FIELDS & set(fnames)
        if protected:
            raise UserError(
                self.env._(
                    "%(fields)s of an ending relationship cannot be changed directly: end it with "
                    "“End Relationship”, resume it, or record the registered letter's dates.",
                    fields=", ".join(
                        self._fields[fname]._description_string(self.env)
                        for fname in sorted(protected)
                    ),
                )
            )

    def _notice_from_registered_letter(self):
        """The day the notice starts when the contract requires a registered
        letter: its receipt, or for a business its first presentation when it
        stays unclaimed. None while neither is known."""
        self.ensure_one()
        if self.contract_id.termination_form != "registered":
            return None
        if self.registered_letter_received_date:
            return self.registered_letter_received_date
        if self.partner_id.is_company:
            return self.registered_letter_presented_date or None
        return None

    def _apply_registered_letter(self):
        """Move the end to the lawful date once the letter's receipt is known,
        and stop waiting for it."""
        for termination in self.filtered(lambda t: t.state != "cancelled"):
            if termination.registered_letter_received_date:
                termination._stop_registered_letter_reminder(
                    self.env._("Acknowledgement of receipt recorded.")
                )
            start = termination._notice_from_registered_letter()
            # Ended without notice, or before it by exception: the decision stands.
            if not start or termination.serious_non_performance or termination.override_reason:
                continue
            earliest = termination.contract_id._earliest_end_date(start)
            values = {"earliest_end_date": earliest}
            moved = termination.end_date < earliest
            if moved:
                # Ended too early, while the notice still runs: ending again.
                values.update(end_date=earliest, state="ending")
            termination.sudo().write(values)
            if not moved:
                continue
            termination.partner_id.sudo().write(
                {"relationship_end_date": earliest, "relationship_state": "ending"}
            )
            body = self.env._(
                "The notice runs from %(start)s, when the registered letter reached the client: "
                "the relationship now ends on %(date)s.",
                start=format_date(self.env, start),
                date=format_date(self.env, earliest),
            )
            termination.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _stop_registered_letter_reminder(self, feedback):
        reminders = self.registered_letter_reminder_id.filtered("active")
        if reminders:
            reminders.sudo().action_feedback(feedback=feedback)

    @api.model
    def _cron_remind_registered_letters(self):
        """Ten days after posting, a letter without receipt needs chasing: the
        notice does not start until it arrives."""
        limit = fields.Date.context_today(self) - timedelta(days=REGISTERED_LETTER_WAIT_DAYS)
        waiting = self.search(
            [
                ("state", "=", "ending"),
                ("registered_letter_sent_date", "<=", limit),
                ("registered_letter_received_date", "=", False),
                ("acknowledged_date", "=", False),
                ("registered_letter_reminder_id", "=", False),
            ]
        )
        for termination in waiting:
            env = termination.with_context(lang=termination.user_id.lang).env
            termination.sudo().registered_letter_reminder_id = termination.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=env._("Chase the registered letter"),
                note=env._(
                    "No acknowledgement of receipt recorded %(days)s days after posting the "
                    "registered letter %(number)s: track it on La Poste's website and record "
                    "when it was first presented or received.",
                    days=REGISTERED_LETTER_WAIT_DAYS,
                    number=termination.registered_letter_number or "",
                ),
                user_id=termination.user_id.id or self.env.user.id,
            )

    @api.model
    def _cron_end_relationships(self):
        """On the end date, what was ending has ended."""
        due = self.search(
            [("state", "=", "ending"), ("end_date", "<=", fields.Date.context_today(self))]
        )
        due.sudo().write({"state": "ended"})
        due.partner_id.filtered(lambda p: p.relationship_state == "ending").sudo().write(
            {"relationship_state": "ended"}
        )

    def action_cancel(self):
        """Resume the relationship: the client came back with a solution."""
        self.partner_id._check_relationship_group("manager")
        for termination in self:
            if termination.state == "cancelled":
                raise UserError(
                    self.env._(
                        "The end of the relationship with %(client)s is already cancelled.",
                        client=termination.partner_id.name,
                    )
                )
        # The link of the e-mail no longer opens anything.
        self.sudo().write({"state": "cancelled", "access_token": False})
        # The offboarding tasks still open are moot; the ones done stay done.
        self.offboarding_activity_ids.sudo().unlink()
        self._stop_registered_letter_reminder(self.env._("The relationship is resumed."))
        self.partner_id.sudo().write(
            {"relationship_state": "active", "relationship_end_date": False}
        )
        for termination in self:
            termination.message_post(
                body=Markup("<p>%s</p>")
                % self.env._("The relationship is resumed: the end is cancelled."),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # The client's portal

    def action_preview_termination(self):
        """What the client sees from the link of the letter's e-mail."""
        self.ensure_one()
        return {"type": "ir.actions.act_url", "target": "self", "url": self.get_portal_url()}

    def _portal_open_work(self):
        """What the portal shows the client of the work still open with the
        company: orders not fully invoiced and invoices not fully paid. Names,
        dates and amounts only, read with sudo once the caller checked access."""
        self.ensure_one()
        client = self.partner_id.commercial_partner_id
        orders = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", client.ids),
                    ("company_id", "=", self.company_id.id),
                    *self.env["sale.order"]._relationship_open_work_domain(),
                ],
                order="date_order, id",
            )
        )
        invoices, balance = client.sudo()._relationship_amount_due(self.company_id)
        return {
            "orders": orders,
            "invoices": invoices.sorted(lambda move: (move.invoice_date_due or move.date, move.id)),
            "balance": balance,
            "currency": self.company_id.currency_id,
        }

    def _portal_acknowledged_on(self):
        """When the client acknowledged receipt, as a letter writes it, in the
        reader's time zone, else the client's: « 1er décembre 2026 à 14:05 »."""
        self.ensure_one()
        if not self.acknowledged_date:
            return ""
        tz = self.env.context.get("tz") or self.partner_id.tz or self.user_id.tz or "UTC"
        local = fields.Datetime.context_timestamp(self.with_context(tz=tz), self.acknowledged_date)
        return self.env._(
            "%(date)s at %(time)s",
            date=self._date_in_full(local.date()),
            time=babel.dates.format_time(
                local, format="short", locale=babel_locale_parse(self.env.lang or "en_US")
            ),
        )

    def _portal_end_sentence(self):
        self.ensure_one()
        if self.state == "ended":
            return self.env._(
                "Our collaboration ended on %(date)s.", date=self._date_in_full(self.end_date)
            )
        return self.env._(
            "Our collaboration ends on %(date)s.", date=self._date_in_full(self.end_date)
        )

    def _portal_acknowledgement_sentence(self):
        self.ensure_one()
        if not self.acknowledged_date:
            return ""
        return self.env._(
            "Receipt acknowledged by %(name)s on %(date)s.",
            name=self.acknowledged_by,
            date=self._portal_acknowledged_on(),
        )

    def action_portal_acknowledge(self, name, ip=None):
        """The client acknowledges receipt of the end, on the portal: the name
        typed, the time and the address are kept, both chatters say so and the
        registered letter no longer needs chasing. The portal controller checks
        the client's access and calls this with sudo: nobody else acknowledges
        in the client's place."""
        self.ensure_one()
        if not self.env.su:
            raise UserError(
                self.env._("Only the client acknowledges receipt, from their customer portal.")
            )
        name = " ".join((name or "").split())
        if not name:
            raise UserError(self.env._("Please type your name to acknowledge receipt."))
        if len(name) > ACKNOWLEDGED_BY_SIZE:
            raise UserError(
                self.env._(
                    "This name is too long: type your first and last name, at most %(size)s "
                    "characters.",
                    size=ACKNOWLEDGED_BY_SIZE,
                )
            )
        if self.state == "cancelled":
            raise UserError(
                self.env._(
                    "This end of the relationship was cancelled: there is nothing to acknowledge."
                )
            )
        if self.acknowledged_date:
            raise UserError(
                self.env._(
                    "Receipt was already acknowledged by %(name)s on %(date)s.",
                    name=self.acknowledged_by,
                    date=self._portal_acknowledged_on(),
                )
            )
        self.write(
            {
                "acknowledged_date": fields.Datetime.now(),
                "acknowledged_by": name,
                "acknowledged_ip": ip or False,
            }
        )
        # A note for the people who ended the relationship, in their language.
        staff = self.with_context(
            lang=self.user_id.lang or self.company_id.partner_id.lang or self.env.lang,
            tz=self.user_id.tz or self.partner_id.tz or "UTC",
        )
        on = staff._portal_acknowledged_on()
        if ip:
            body = staff.env._(
                "Receipt of the end of the relationship acknowledged by %(name)s on %(date)s "
                "(IP %(ip)s).",
                name=name,
                date=on,
                ip=ip,
            )
        else:
            body = staff.env._(
                "Receipt of the end of the relationship acknowledged by %(name)s on %(date)s.",
                name=name,
                date=on,
            )
        user = self.env.user
        author = self.partner_id if user._is_public() else user.partner_id
        self.message_post(
            body=Markup("<p>%s</p>") % body, author_id=author.id, subtype_xmlid="mail.mt_note"
        )
        # Done by OdooBot, for the client: the public user marks nothing done.
        self.with_user(self.env.ref("base.user_root"))._stop_registered_letter_reminder(body)
        return True
