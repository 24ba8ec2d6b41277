import math
from datetime import datetime, timedelta

import pytz
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tools import format_amount, format_date

from ..models.client_relationship_contract import add_notice, format_notice, is_singular
from ..models.client_relationship_termination import SEND_BY

LEVEL_ORDER = {"blocking": 0, "warning": 1, "ok": 2}


def format_length(env, start, end):
    """How long a relationship lasted, « 3 ans et 2 mois », in the language of `env`."""
    length = relativedelta(end, start)
    months = format_notice(env, length.months, "month")
    if not length.years:
        return months
    if is_singular(env, length.years):
        years = env._("%(count)s year", count=length.years)
    else:
        years = env._("%(count)s years", count=length.years)
    if not length.months:
        return years
    return env._("%(years)s and %(months)s", years=years, months=months)


class ClientRelationshipEndWizard(models.TransientModel):
    _name = "client.relationship.end.wizard"
    _description = "End a Client Relationship"

    partner_id = fields.Many2one(
        "res.partner", string="Client", required=True, readonly=True, ondelete="cascade"
    )
    # Everything checked, cancelled and owed is this company's, not another's.
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    # 1. Why
    reason_ids = fields.Many2many(
        "client.relationship.end.reason",
        "client_relationship_end_wizard_reason_rel",
        string="Reasons",
    )
    notes = fields.Text(string="What Does Not Work")
    mediation_tried = fields.Boolean(related="partner_id.relationship_mediation_tried")
    # 2. Checks
    contract_id = fields.Many2one(related="partner_id.relationship_contract_id")
    termination_form = fields.Selection(related="contract_id.termination_form")
    earliest_end_date = fields.Date(
        string="Earliest Lawful End", compute="_compute_earliest_end_date"
    )
    has_notice = fields.Boolean(compute="_compute_earliest_end_date")
    # Not required in SQL: computed after the row exists, checked in _validate().
    end_date = fields.Date(compute="_compute_end_date", store=True, readonly=False)
    # An established business relationship owes a notice that grows with its
    # length (Code de commerce L442-1 II), unless the client seriously failed.
    is_business = fields.Boolean(string="Business Client", compute="_compute_usual_notice")
    relationship_start_date = fields.Date(
        string="Relationship Since", compute="_compute_usual_notice"
    )
    usual_notice_months = fields.Integer(
        string="Usual Notice (Months)", compute="_compute_usual_notice"
    )
    serious_non_performance = fields.Boolean(
        string="End for Serious Non-Performance",
        help="The client seriously failed their obligations (unpaid invoices despite reminders, "
        "say): the law then allows ending without notice. Only a relationship manager may cite "
        "it; keep the evidence.",
    )
    serious_non_performance_details = fields.Text(
        string="What the Client Failed to Do",
        help="Facts and dates, kept with the end of the relationship.",
    )
    override_notice = fields.Boolean(
        string="Override the Notice", help="Only a relationship manager may override the notice."
    )
    override_reason = fields.Text(string="Why the Notice Is Overridden")
    cancel_open_quotations = fields.Boolean(
        default=True,
        help="Draft and sent quotations of this client are cancelled, not deleted.",
    )
    check_ids = fields.One2many(
        "client.relationship.end.check",
        "wizard_id",
        string="Checks",
        compute="_compute_check_ids",
        store=True,
        readonly=True,
    )
    has_blocking_check = fields.Boolean(compute="_compute_check_ids", store=True)
    # 3. The letter, sandwich method
    letter_opening = fields.Text(
        string="Opening",
        compute="_compute_letter",
        store=True,
        readonly=False,
        help="A positive aspect of the collaboration, gratitude.",
    )
    letter_core = fields.Text(
        string="Core",
        compute="_compute_letter",
        store=True,
        readonly=False,
        help="What does not work, stated constructively, and a solution.",
    )
    letter_closing = fields.Text(
        string="Closing",
        compute="_compute_letter",
        store=True,
        readonly=False,
        help="A positive note and thanks for the trust.",
    )
    send_by = fields.Selection(
        SEND_BY,
        required=True,
        compute="_compute_send_by",
        store=True,
        readonly=False,
        precompute=True,
    )
    # The letter always carries the dossier without the passwords: with them, it
    # would be kept in the mail, the chatter and the attachments.
    include_credentials = fields.Boolean(
        string="Print a Copy with the Passwords",
        help="After confirming, download a copy of the handover dossier with the passwords in "
        "clear, to hand over yourself. It is neither sent nor saved: the letter carries the "
        "dossier without the passwords.",
    )
    schedule_call = fields.Boolean(
        string="Schedule the Conversation",
        compute="_compute_schedule_call",
        store=True,
        readonly=False,
    )
    call_datetime = fields.Datetime(string="Call On")
    call_warning = fields.Char(compute="_compute_call_warning")
    avoid_contact = fields.Text(related="partner_id.relationship_avoid_contact")
    termination_id = fields.Many2one("client.relationship.termination", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards._check_company_is_yours()
        return wizards

    def write(self, vals):
        result = super().write(vals)
        if "company_id" in vals:
            self._check_company_is_yours()
        return result

    def _check_company_is_yours(self):
        """The checks read the company's quotations and amounts with sudo: only
        in a company its user works in. Called where they are read too (an
        onchange creates nothing), and not a constraint, which runs as sudo; a
        sudo environment keeps the companies its caller works in, the
        superuser works in all."""
        if not self.env.user._is_superuser() and self.company_id - self.env.companies:
            raise AccessError(
                self.env._("You can only end a relationship in one of the companies you work in.")
            )

    @api.depends("contract_id", "partner_id")
    def _compute_earliest_end_date(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            source = wizard._notice_source()
            wizard.earliest_end_date = (
                add_notice(today, source.notice_period, source.notice_unit) if source else today
            )
            wizard.has_notice = wizard.earliest_end_date > today

    @api.depends("contract_id")
    def _compute_send_by(self):
        for wizard in self:
            wizard.send_by = (
                "registered" if wizard.contract_id.termination_form == "registered" else "email"
            )

    @api.depends("send_by")
    def _compute_schedule_call(self):
        for wizard in self:
            wizard.schedule_call = wizard.send_by == "phone" or wizard.schedule_call

    @api.depends("partner_id", "contract_id", "company_id")
    def _compute_usual_notice(self):
        self._check_company_is_yours()
        today = fields.Date.context_today(self)
        for wizard in self:
            company = wizard.company_id
            wizard.is_business = wizard.partner_id.is_company
            start = wizard.is_business and (
                wizard.contract_id.date_start or wizard._first_invoice_date()
            )
            wizard.relationship_start_date = start
            if not start:
                wizard.usual_notice_months = 0
                continue
            # Rounded to the nearest month: a relationship of a few months owes none.
            years = max((today - start).days, 0) / 365.25
            wizard.usual_notice_months = min(
                math.floor(years * company.relationship_notice_months_per_year + 0.5),
                company.relationship_notice_max_months,
            )

    def _first_invoice_date(self):
        self.ensure_one()
        if not self.partner_id:
            return False
        [(first,)] = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "=", self.partner_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("move_type", "in", ("out_invoice", "out_receipt")),
                    ("state", "=", "posted"),
                ],
                aggregates=["invoice_date:min"],
            )
        )
        return first

    def _notice_source(self):
        """The contract in force, else the terms of sale the client accepted."""
        self.ensure_one()
        return self.contract_id or self.partner_id.relationship_accepted_terms_id

    @api.depends("partner_id")
    def _compute_end_date(self):
        for wizard in self:
            wizard.end_date = wizard.earliest_end_date

    @api.depends("partner_id")
    def _compute_letter(self):
        for wizard in self:
            env = wizard.with_context(lang=wizard.partner_id.lang or self.env.lang).env
            # Each thing said once: the thanks here, the problem and its solution
            # in the core, a wish in the closing. The letter itself gives the
            # decision, the date, the work in progress and the enclosed dossier.
            wizard.letter_opening = env._(
                "Thank you for the trust you have placed in me since our first assignment; "
                "working alongside you has taught me a lot."
            )
            wizard.letter_core = env._(
                "Over the last months, our ways of working have drifted apart, and I no longer "
                "feel able to serve you as well as you deserve. Someone whose organisation "
                "suits your needs better will be able to take over from me."
            )
            wizard.letter_closing = env._(
                "I wish you every success in your projects and remain at your disposal for any "
                "question about the handover."
            )

    def _check_lines(self):
        """(level, message) of everything to know before ending."""
        self.ensure_one()
        lines = self._notice_check_lines() + self._open_item_check_lines()
        return sorted(lines, key=lambda line: LEVEL_ORDER[line[0]])

    def _notice_check_lines(self):
        """The contract or terms that bind the end, and the date they allow."""
        partner = self.partner_id
        lines = []
        contract = self.contract_id
        if contract:
            lines.append(
                (
                    "ok",
                    self.env._(
                        "Contract “%(contract)s”: %(notice)s of notice, earliest possible end "
                        "on %(date)s.",
                        contract=contract.name,
                        notice=contract._notice_text(),
                        date=format_date(self.env, self.earliest_end_date),
                    ),
                )
            )
            if contract.termination_form == "registered" and self.send_by != "registered":
                lines.append(
                    (
                        "warning",
                        self.env._(
                            "The contract requires a registered letter with acknowledgement of "
                            "receipt: an e-mail is not enough. Send the letter by registered "
                            "letter."
                        ),
                    )
                )
            elif contract.termination_form == "registered":
                lines.append(
                    (
                        "ok",
                        self.env._(
                            "The notice runs from the day the client receives the registered "
                            "letter: record its number and dates on the end of the relationship, "
                            "the end date follows."
                        ),
                    )
                )
        lines += self._usual_notice_check_lines()
        if (
            self.end_date
            and self.end_date < self.earliest_end_date
            and not self._ends_for_serious_non_performance()
        ):
            if self.override_notice and self.override_reason:
                lines.append(
                    (
                        "warning",
                        self.env._(
                            "The end date comes before the end of the notice, by exception: "
                            "%(reason)s",
                            reason=self.override_reason,
                        ),
                    )
                )
            else:
                lines.append(
                    (
                        "blocking",
                        self.env._(
                            "The end date %(date)s comes before the end of the notice "
                            "(%(earliest)s): choose a later date, or override the notice "
                            "and give the reason.",
                            date=format_date(self.env, self.end_date),
                            earliest=format_date(self.env, self.earliest_end_date),
                        ),
                    )
                )
        accepted_terms = partner.relationship_accepted_terms_id
        if not contract and accepted_terms.notice_period:
            lines.append(
                (
                    "ok",
                    self.env._(
                        "Terms of sale “%(terms)s”: %(notice)s of notice, earliest possible end "
                        "on %(date)s.",
                        terms=accepted_terms.name,
                        notice=format_notice(
                            self.env, accepted_terms.notice_period, accepted_terms.notice_unit
                        ),
                        date=format_date(self.env, self.earliest_end_date),
                    ),
                )
            )
        if not contract and not accepted_terms:
            lines.append(
                (
                    "warning",
                    self.env._(
                        "No signed contract and no accepted terms of sale: nothing to rely on. "
                        "Keep the letter courteous and factual."
                    ),
                )
            )
        current_terms = self.env["client.relationship.terms"]._current_for(self.company_id)
        if accepted_terms and current_terms and accepted_terms != current_terms:
            lines.append(
                (
                    "warning",
                    self.env._(
                        "The client accepted the terms of sale of %(accepted)s, older than the "
                        "current version of %(current)s.",
                        accepted=format_date(self.env, accepted_terms.version_date),
                        current=format_date(self.env, current_terms.version_date),
                    ),
                )
            )
        return lines

    def _ends_for_serious_non_performance(self):
        return self.serious_non_performance and bool(
            (self.serious_non_performance_details or "").strip()
        )

    def _usual_notice_check_lines(self):
        """For a business client, the notice the relationship's length calls for."""
        if self._ends_for_serious_non_performance():
            return [
                (
                    "warning",
                    self.env._(
                        "Ended without notice for serious non-performance: %(details)s Keep the "
                        "evidence (invoices, reminders, e-mails): the client may dispute it.",
                        details=self.serious_non_performance_details.strip(),
                    ),
                )
            ]
        if not (self.is_business and self.usual_notice_months and self.end_date):
            return []
        today = fields.Date.context_today(self)
        usual_end = add_notice(today, self.usual_notice_months, "month")
        values = {
            "length": format_length(self.env, self.relationship_start_date, today),
            "start": format_date(self.env, self.relationship_start_date),
            "notice": format_notice(self.env, self.usual_notice_months, "month"),
            "date": format_date(self.env, usual_end),
        }
        if self.end_date >= usual_end:
            return [
                (
                    "ok",
                    self.env._(
                        "The relationship has lasted %(length)s (since %(start)s): a notice until "
                        "%(date)s matches the usual %(notice)s for an established business "
                        "relationship.",
                        **values,
                    ),
                )
            ]
        company = self.company_id
        lines = [
            (
                "warning",
                self.env._(
                    "The relationship has lasted %(length)s (since %(start)s). For an established "
                    "business relationship, the usage is about %(notice)s of notice (%(per_year)s "
                    "per year of relationship, at most %(max)s), that is until %(date)s. A shorter "
                    "notice exposes you to a claim for sudden termination (Code de commerce, "
                    "L442-1 II): the contractual notice is only a minimum.",
                    per_year=format_notice(
                        self.env, company.relationship_notice_months_per_year, "month"
                    ),
                    max=format_notice(self.env, company.relationship_notice_max_months, "month"),
                    **values,
                ),
            )
        ]
        unpaid, __ = self.partner_id._relationship_amount_due(self.company_id)
        if any(invoice.invoice_date_due and invoice.invoice_date_due < today for invoice in unpaid):
            lines.append(
                (
                    "warning",
                    self.env._(
                        "Invoices left unpaid despite your reminders may count as serious "
                        "non-performance, which allows ending without notice: cite it if so."
                    ),
                )
            )
        return lines

    def _open_item_check_lines(self):
        """What is still open: a client is never left stranded."""
        partner = self.partner_id
        lines = []
        # Read-only facts for the manager, whatever her sales and accounting rights.
        orders = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", partner.id),
                    ("state", "in", ("draft", "sent", "sale")),
                    ("company_id", "=", self.company_id.id),
                ]
            )
        )
        quotations = orders.filtered(lambda o: o.state in ("draft", "sent"))
        if quotations:
            lines.append(
                (
                    "warning",
                    self.env._(
                        "Open quotations: %(names)s. %(action)s",
                        names=", ".join(quotations.mapped("name")),
                        action=self.env._("They will be cancelled.")
                        if self.cancel_open_quotations
                        else self.env._("They stay open."),
                    ),
                )
            )
        unfinished = orders.filtered_domain(orders._relationship_open_work_domain())
        if unfinished:
            lines.append(
                (
                    "warning",
                    self.env._(
                        "Work not fully invoiced: %(names)s. Finish it or hand it over, do not "
                        "leave the client stranded.",
                        names=", ".join(unfinished.mapped("name")),
                    ),
                )
            )
        unpaid, amount_due = partner._relationship_amount_due(self.company_id)
        if unpaid:
            amount = format_amount(self.env, amount_due, self.company_id.currency_id)
            lines.append(
                (
                    "warning",
                    self.env._(
                        "1 unpaid invoice, %(amount)s due: mention the balance in the letter.",
                        amount=amount,
                    )
                    if is_singular(self.env, len(unpaid))
                    else self.env._(
                        "%(count)s unpaid invoices, %(amount)s due: mention the balance in the "
                        "letter.",
                        count=len(unpaid),
                        amount=amount,
                    ),
                )
            )
        lines.append(self._dependency_check_line())
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search_count([("res_model", "=", "res.partner"), ("res_id", "=", partner.id)])
        )
        if activities:
            lines.append(
                (
                    "warning",
                    self.env._("1 activity still planned on this client.")
                    if is_singular(self.env, activities)
                    else self.env._(
                        "%(count)s activities still planned on this client.", count=activities
                    ),
                )
            )
        handover = partner.relationship_handover_item_ids
        if not handover.filtered(lambda i: i.category in ("instruction", "file_location")):
            lines.append(
                (
                    "warning",
                    self.env._(
                        "The handover dossier has no instruction and no file location: fill "
                        "the Handover tab so that whoever takes over does not spend days "
                        "searching."
                    ),
                )
            )
        return lines

    def _dependency_check_line(self):
        """How much of the revenue leaves with this client: the hardest client to
        let go is the one who brings regular work."""
        client = self.partner_id.with_company(self.company_id).sudo()
        share = client.relationship_revenue_share
        threshold = self.company_id.relationship_dependency_threshold
        message = self.env._(
            "This client brings %(share)s%% of your revenue over 12 months (%(monthly)s a month "
            "on average). Your own alert level is %(threshold)s%%.",
            share=self.company_id._relationship_deposit_share(share),
            monthly=format_amount(
                self.env, client.relationship_revenue_12m / 12, self.company_id.currency_id
            ),
            threshold=self.company_id._relationship_deposit_share(threshold),
        )
        return ("warning" if share > threshold else "ok", message)

    @api.depends(
        "partner_id",
        "end_date",
        "override_notice",
        "override_reason",
        "cancel_open_quotations",
        "send_by",
        "serious_non_performance",
        "serious_non_performance_details",
    )
    def _compute_check_ids(self):
        self._check_company_is_yours()
        for wizard in self:
            lines = wizard._check_lines() if wizard.partner_id else []
            wizard.check_ids = [Command.clear()] + [
                Command.create({"sequence": index, "level": level, "message": message})
                for index, (level, message) in enumerate(lines)
            ]
            wizard.has_blocking_check = any(level == "blocking" for level, __ in lines)

    @api.depends("schedule_call", "call_datetime")
    def _compute_call_warning(self):
        for wizard in self:
            wizard.call_warning = False
            if not (wizard.schedule_call and wizard.call_datetime):
                continue
            calendar = self.company_id.resource_calendar_id
            tz = pytz.timezone(calendar.tz or "UTC")
            start = pytz.utc.localize(wizard.call_datetime)
            intervals = calendar._work_intervals_batch(start, start + timedelta(minutes=30))[False]
            if sum((stop - begin).total_seconds() for begin, stop, __ in intervals) < 1800:
                local = start.astimezone(tz)
                wizard.call_warning = self.env._(
                    "%(moment)s is outside your working hours.",
                    moment=datetime.strftime(local, "%d/%m/%Y %H:%M"),
                )

    def _checks_summary(self):
        return Markup("<ul>%s</ul>") % Markup("").join(
            Markup("<li>%s %s</li>")
            % (
                dict(self.check_ids._fields["level"]._description_selection(self.env))[check.level],
                check.message,
            )
            for check in self.check_ids
        )

    def _validate(self):
        self.ensure_one()
        self.partner_id._check_relationship_group("manager")
        self.partner_id._check_relationship_can_end()
        today = fields.Date.context_today(self)
        if not self.end_date:
            raise UserError(self.env._("Choose the date the relationship ends."))
        if self.end_date < today:
            raise UserError(
                self.env._(
                    "The end date %(date)s is in the past: choose today or a later date.",
                    date=format_date(self.env, self.end_date),
                )
            )
        if self.serious_non_performance and not self._ends_for_serious_non_performance():
            raise UserError(
                self.env._(
                    "Describe what the client failed to do, with facts and dates, to end for "
                    "serious non-performance."
                )
            )
        if self.send_by == "phone" and not self.call_datetime:
            raise UserError(
                self.env._("Choose when you will call the client before confirming in writing.")
            )
        if self.end_date < self.earliest_end_date and not self.serious_non_performance:
            if not (self.override_notice and (self.override_reason or "").strip()):
                raise UserError(
                    self.env._(
                        "The notice of “%(document)s” runs until %(earliest)s: choose a later "
                        "end date, or tick “Override the Notice” and give the reason.",
                        document=self._notice_source().name,
                        earliest=format_date(self.env, self.earliest_end_date),
                    )
                )
            if not self.env.user.has_group("client_relationship.group_relationship_manager"):
                raise UserError(self.env._("Only a relationship manager may override the notice."))
        if self.include_credentials:
            self.env["client.relationship.handover.item"]._check_credentials_reader()
        if self.has_blocking_check:
            raise UserError(
                self.env._(
                    "A check blocks the end of this relationship: %(checks)s",
                    checks="; ".join(
                        self.check_ids.filtered(lambda c: c.level == "blocking").mapped("message")
                    ),
                )
            )

    def action_try_resolve_first(self):
        return self.partner_id.action_relationship_try_resolve()

    def action_confirm(self):
        self.ensure_one()
        if self.termination_id:  # confirmed already (double click)
            return self.termination_id._get_records_action()
        self._validate()
        partner = self.partner_id
        today = fields.Date.context_today(self)
        ended = self.end_date <= today
        checks_summary = self._checks_summary()
        # The end's dates and state change only here and through the termination's
        # own actions; the caller's rights were checked in _validate().
        termination = (
            self.env["client.relationship.termination"]
            .sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "end_date": self.end_date,
                    "earliest_end_date": self.earliest_end_date,
                    "contract_id": self.contract_id.id,
                    "reason_ids": [Command.set(self.reason_ids.ids)],
                    "notes": self.notes,
                    "letter_opening": self.letter_opening,
                    "letter_core": self.letter_core,
                    "letter_closing": self.letter_closing,
                    "send_by": self.send_by,
                    "call_datetime": self.schedule_call and self.call_datetime,
                    "relationship_start_date": self.relationship_start_date,
                    "usual_notice_months": self.usual_notice_months,
                    "serious_non_performance": self._ends_for_serious_non_performance(),
                    "serious_non_performance_details": self.serious_non_performance
                    and self.serious_non_performance_details,
                    "checks_summary": checks_summary,
                    "override_reason": self.override_notice and self.override_reason,
                    "state": "ended" if ended else "ending",
                    "company_id": self.company_id.id,
                }
            )
            .sudo(False)
        )
        self.termination_id = termination
        partner.sudo().write(
            {
                "relationship_state": "ended" if ended else "ending",
                "relationship_end_date": self.end_date,
            }
        )
        if self.cancel_open_quotations:
            # Part of the decision checked in _validate(), whatever her sales rights.
            self.env["sale.order"].sudo().search(
                [
                    ("partner_id", "child_of", partner.id),
                    ("state", "in", ("draft", "sent")),
                    ("company_id", "=", self.company_id.id),
                ]
            )._action_cancel()
        if self.send_by == "phone":
            # On the termination, whose "Send the Letter" confirms the call in writing.
            termination.activity_schedule(
                "mail.mail_activity_data_call",
                date_deadline=fields.Date.to_date(self.call_datetime),
                summary=self.env._("Tell the client the relationship ends"),
                note=Markup("<p>%s</p>")
                % self.env._(
                    "After the call, confirm it in writing with “Send the Letter”: the e-mail "
                    "recalls the conversation and carries the letter."
                )
                + (Markup("<p>%s</p>") % self.call_warning if self.call_warning else ""),
            )
        elif self.schedule_call and self.call_datetime:
            termination.activity_schedule(
                "mail.mail_activity_data_call",
                date_deadline=fields.Date.to_date(self.call_datetime),
                summary=self.env._("Talk about the end of our collaboration"),
                note=self.call_warning,
            )
        # On the termination, for the addon's users only: not on the contact,
        # whose chatter any user reads.
        termination.message_post(
            body=Markup("<p>%s</p><p>%s</p>%s")
            % (
                self.env._(
                    "The relationship ends on %(date)s.",
                    date=format_date(self.env, self.end_date),
                ),
                ", ".join(self.reason_ids.mapped("name")) or self.notes or "",
                checks_summary,
            ),
            subtype_xmlid="mail.mt_note",
        )
        self._schedule_offboarding(termination)
        if self.send_by == "email":
            action = termination.action_send_letter()
        elif self.send_by == "phone":
            # The written confirmation waits for the call it recalls.
            action = termination._get_records_action()
        else:
            action = termination.action_print_letter()
        if self.include_credentials:
            return self._dossier_with_credentials_action(action)
        return action

    def _schedule_offboarding(self, termination):
        """The company's offboarding plan, its deadlines counted from the end date."""
        plan = self.company_id.relationship_offboarding_plan_id
        if not plan.template_ids:
            return
        activities = self.env["mail.activity"].sudo()
        domain = [("res_model", "=", termination._name), ("res_id", "=", termination.id)]
        before = activities.search(domain)
        self.env["mail.activity.schedule"].create(
            {
                "res_model": termination._name,
                "res_ids": str(termination.ids),
                "plan_id": plan.id,
                "plan_date": self.end_date,
                "plan_on_demand_user_id": self.env.user.id,
            }
        ).action_schedule_plan()
        tasks = activities.search(domain) - before
        # An end close at hand leaves less time than the plan allows: due today, not overdue.
        today = fields.Date.context_today(self)
        tasks.filtered(lambda task: task.date_deadline < today).date_deadline = today
        termination.sudo().offboarding_activity_ids = tasks

    def _dossier_with_credentials_action(self, next_action):
        """A link to the copy with the passwords, then the letter: one action
        cannot both download a file and open the e-mail."""
        items = self.env["client.relationship.handover.item"]
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "title": self.env._("Hand the passwords over yourself"),
                "message": self.env._(
                    "The letter carries the handover dossier without the passwords. %s: this "
                    "copy is saved nowhere."
                ),
                "links": [
                    {
                        "label": self.env._("Download the dossier with the passwords"),
                        "url": items._dossier_with_credentials_url(self.partner_id),
                    }
                ],
                "next": next_action,
            },
        }
