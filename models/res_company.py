from datetime import timedelta

import pytz
from babel.dates import format_date, format_skeleton, format_time
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, formatLang, is_html_empty
from odoo.tools.misc import babel_locale_parse

from ..const import BAND_ORDER

# Eighteen months of notice always suffice (Code de commerce L442-1 II).
MAX_NOTICE_MONTHS = 18
# A calendar whose next working time is further away than this has none.
NEXT_SLOT_SEARCH_DAYS = 60


class ResCompany(models.Model):
    _inherit = "res.company"

    # Each signal costs `weight` points per unit, at most `cap` points.
    relationship_weight_payment_delay = fields.Float(
        string="Points per Day of Payment Delay", default=1.0
    )
    relationship_cap_payment_delay = fields.Integer(string="Payment Delay Cap", default=30)
    relationship_weight_overdue = fields.Float(string="Points per Overdue Invoice", default=10.0)
    relationship_cap_overdue = fields.Integer(string="Overdue Invoices Cap", default=30)
    relationship_weight_out_of_hours = fields.Float(
        string="Points per Message Out of Hours", default=4.0
    )
    relationship_cap_out_of_hours = fields.Integer(string="Out of Hours Cap", default=20)
    relationship_weight_incident = fields.Float(
        string="Points per Incident Point",
        default=5.0,
        help="Incidents count 1, 2 or 3 points by severity (low, medium, high).",
    )
    relationship_cap_incident = fields.Integer(string="Incidents Cap", default=30)
    relationship_weight_gut_feeling = fields.Float(string="Points per Star of Unease", default=5.0)
    relationship_weight_profile_mismatch = fields.Float(
        string="Points for a Client Outside the Ideal Profile", default=10.0
    )
    relationship_threshold_watch = fields.Integer(
        string="Watch Below",
        default=75,
        help="A client whose health score falls below this is to watch.",
    )
    relationship_threshold_critical = fields.Integer(
        string="Critical Below",
        default=45,
        help="A client whose health score falls below this is critical.",
    )
    relationship_dependency_threshold = fields.Float(
        string="Dependency Alert Above",
        default=0.3,
        help="Your own alert level, set by no law: a client who brings more than this share "
        "of your revenue over 12 months is flagged in Clients by Health and when you end "
        "the relationship.",
    )

    relationship_deposit_enabled = fields.Boolean(
        string="Require Deposits",
        help="Ask individuals and risky clients for a deposit before the work starts.",
    )
    relationship_deposit_individual_percent = fields.Float(
        string="Deposit from Individuals",
        default=0.3,
        help="Share of the quotation asked from clients who are not companies.",
    )
    relationship_deposit_risky_percent = fields.Float(
        string="Deposit from Risky Clients",
        default=0.5,
        help="Share of the quotation asked from clients in poor health or known as bad debtors.",
    )
    relationship_deposit_risky_band = fields.Selection(
        [("watch", "To watch or critical"), ("critical", "Critical only")],
        string="Risky Clients",
        default="critical",
        required=True,
        help="From which health band a client counts as risky.",
    )
    relationship_deposit_min_amount = fields.Monetary(
        string="No Deposit Below",
        currency_field="currency_id",
        help="Quotations below this total, taxes included, need no deposit.",
    )
    relationship_deposit_block_confirmation = fields.Boolean(
        string="Block Confirmation Until Paid",
        default=True,
        help="A quotation that requires a deposit cannot be confirmed before the deposit is "
        "paid, online or through a paid deposit invoice.",
    )

    # Ending a relationship: the notice a business client's relationship calls
    # for, and the tasks that follow.
    relationship_notice_months_per_year = fields.Float(
        string="Months of Notice per Year",
        default=1.0,
        help="The usual notice for an established business relationship, per year it lasted: "
        "a usage to compare with, not a legal scale.",
    )
    relationship_notice_max_months = fields.Integer(
        string="Longest Usual Notice (Months)",
        default=18,
        help="Eighteen months of notice always suffice under French law (Code de commerce "
        "L442-1 II).",
    )
    relationship_offboarding_plan_id = fields.Many2one(
        "mail.activity.plan",
        string="Offboarding Plan",
        domain="[('res_model', '=', 'client.relationship.termination'), "
        "'|', ('company_id', '=', False), "
        "('company_id', '=', id)]",
        default=lambda self: self.env.ref(
            "client_relationship.mail_activity_plan_offboarding", raise_if_not_found=False
        ),
        help="The tasks scheduled on the termination when you end a relationship, their deadlines "
        "counted from the end date.",
    )

    relationship_after_hours_reply = fields.Boolean(
        string="Automatic Reply after Hours",
        help="A client who writes outside your working hours gets one automatic reply, at "
        "most every 12 hours, saying when you will answer.",
    )
    relationship_after_hours_message = fields.Html(
        string="After-Hours Message",
        translate=True,
        help="The automatic reply, in the client's language. {next_slot} becomes the start "
        "of your next working slot, e.g. Monday 23 November at 9 am. Empty: a short "
        "default message.",
    )

    @api.constrains("relationship_notice_months_per_year", "relationship_notice_max_months")
    def _check_relationship_notice(self):
        for company in self:
            if (
                company.relationship_notice_months_per_year <= 0
                or not 0 < company.relationship_notice_max_months <= MAX_NOTICE_MONTHS
            ):
                raise ValidationError(
                    self.env._(
                        "The usual notice of %(company)s must be positive and at most %(max)s "
                        "months, which always suffice: enter the months of notice per year of "
                        "relationship (1 by default) and the longest notice (18 months by "
                        "default).",
                        company=company.name,
                        max=MAX_NOTICE_MONTHS,
                    )
                )

    @api.constrains("relationship_dependency_threshold")
    def _check_relationship_dependency_threshold(self):
        for company in self:
            if not 0 < company.relationship_dependency_threshold <= 1:
                raise ValidationError(
                    self.env._(
                        "The dependency alert must be above 0%% and at most 100%% of your "
                        "revenue (you entered %(value)s%%).",
                        value=company._relationship_deposit_share(
                            company.relationship_dependency_threshold
                        ),
                    )
                )

    @api.constrains(
        "relationship_deposit_individual_percent",
        "relationship_deposit_risky_percent",
        "relationship_deposit_min_amount",
    )
    def _check_relationship_deposit(self):
        for company in self:
            for fname in (
                "relationship_deposit_individual_percent",
                "relationship_deposit_risky_percent",
            ):
                if not 0 <= company[fname] <= 1:
                    raise ValidationError(
                        self.env._(
                            "%(setting)s must be between 0%% and 100%% of the quotation "
                            "(you entered %(value)s%%).",
                            setting=company._fields[fname].get_description(self.env)["string"],
                            value=company._relationship_deposit_share(company[fname]),
                        )
                    )
            if company.relationship_deposit_min_amount < 0:
                raise ValidationError(
                    self.env._(
                        "The amount below which no deposit is asked cannot be negative: "
                        "enter zero to ask a deposit whatever the amount."
                    )
                )

    def _relationship_deposit_rule(self, partner, amount=None, currency=None, date=None):
        """Return (percent, basis) of the deposit asked of ``partner`` for a
        quotation of ``amount`` in ``currency``: the highest applicable percent,
        (0.0, False) when none applies."""
        self.ensure_one()
        client = partner.commercial_partner_id
        if not client or client.relationship_deposit_policy == "never":
            return 0.0, False
        if client.relationship_deposit_policy == "always":
            return client.relationship_deposit_percent, "client"
        if not self.relationship_deposit_enabled:
            return 0.0, False
        if amount is not None and self.relationship_deposit_min_amount:
            currency = currency or self.currency_id
            minimum = self.currency_id._convert(
                self.relationship_deposit_min_amount,
                currency,
                self,
                date or fields.Date.context_today(self),
            )
            if currency.compare_amounts(amount, minimum) < 0:
                return 0.0, False
        # On a tie, the first reason explains the deposit best: unpaid bills first.
        candidates = []
        if client.with_company(self).trust == "bad":
            candidates.append((self.relationship_deposit_risky_percent, "bad_debtor"))
        band = client.with_company(self).relationship_health_band or "good"
        if BAND_ORDER[band] >= BAND_ORDER[self.relationship_deposit_risky_band]:
            candidates.append((self.relationship_deposit_risky_percent, f"health_{band}"))
        if not client.is_company:
            candidates.append((self.relationship_deposit_individual_percent, "individual"))
        return max(
            (candidate for candidate in candidates if candidate[0] > 0),
            key=lambda candidate: candidate[0],
            default=(0.0, False),
        )

    def _relationship_deposit_reason(self, percent, basis):
        """The deposit and its reason, in the language of the environment."""
        reasons = {
            "client": self.env._("agreed with this client"),
            "individual": self.env._("individual client"),
            "health_watch": self.env._("client's relationship health to watch"),
            "health_critical": self.env._("client's relationship health critical"),
            "bad_debtor": self.env._("client known as a bad debtor"),
        }
        return self.env._(
            "Deposit of %(percent)s%% required: %(reason)s",
            percent=self._relationship_deposit_share(percent),
            reason=reasons[basis],
        )

    def _relationship_deposit_share(self, percent):
        """A fraction as a number of percent, the way the reader's language writes it."""
        share = round(percent * 100, 2)
        return formatLang(self.env, share, digits=0 if share.is_integer() else 2)

    @api.constrains(
        "relationship_weight_payment_delay",
        "relationship_cap_payment_delay",
        "relationship_weight_overdue",
        "relationship_cap_overdue",
        "relationship_weight_out_of_hours",
        "relationship_cap_out_of_hours",
        "relationship_weight_incident",
        "relationship_cap_incident",
        "relationship_weight_gut_feeling",
        "relationship_weight_profile_mismatch",
    )
    def _check_relationship_weights(self):
        for company in self:
            negative = [
                company._fields[name].get_description(self.env)["string"]
                for name in self._relationship_weight_fields()
                if company[name] < 0
            ]
            if negative:
                raise ValidationError(
                    self.env._(
                        "Health weights and caps cannot be negative: set %(fields)s "
                        "to zero or more.",
                        fields=", ".join(negative),
                    )
                )

    @api.constrains("relationship_threshold_watch", "relationship_threshold_critical")
    def _check_relationship_thresholds(self):
        for company in self:
            if not (
                0
                <= company.relationship_threshold_critical
                <= company.relationship_threshold_watch
                <= 100
            ):
                raise ValidationError(
                    self.env._(
                        "The health thresholds must satisfy 0 ≤ critical (%(critical)s) "
                        "≤ watch (%(watch)s) ≤ 100: lower the critical threshold or "
                        "raise the watch threshold.",
                        critical=company.relationship_threshold_critical,
                        watch=company.relationship_threshold_watch,
                    )
                )

    @api.model
    def _relationship_weight_fields(self):
        return [
            name
            for name in self._fields
            if name.startswith(("relationship_weight_", "relationship_cap_"))
        ]

    # ------------------------------------------------------------------
    # Working hours
    # ------------------------------------------------------------------

    def _relationship_out_of_hours(self, *moments):
        """Whether each naive UTC datetime of ``moments`` falls outside the
        company's working calendar: one query, by the definition the health
        score counts with, so that both always agree."""
        self.ensure_one()
        calendar = self.sudo().resource_calendar_id
        if not calendar:
            return [False] * len(moments)
        self.env.cr.execute(
            SQL(
                "SELECT %s",
                SQL(", ").join(
                    calendar._relationship_out_of_hours_sql(SQL("%s::timestamp", moment), self)
                    for moment in moments
                ),
            )
        )
        return list(self.env.cr.fetchone())

    def _relationship_next_slot(self, start=None):
        """Start of the company's next working slot from ``start`` (naive UTC,
        default now), as an aware datetime in the calendar's time zone; None
        when the calendar has no working time in NEXT_SLOT_SEARCH_DAYS days."""
        self.ensure_one()
        calendar = self.sudo().resource_calendar_id
        if not calendar:
            return None
        start = pytz.utc.localize(start or fields.Datetime.now())
        # The leaves as the out-of-hours SQL reads them: this company's or
        # every company's, whatever their type (Odoo counts only time off).
        intervals = calendar._work_intervals_batch(
            start,
            start + timedelta(days=NEXT_SLOT_SEARCH_DAYS),
            domain=[("company_id", "in", [False, self.id])],
        )[False]
        return next((begin for begin, __, __ in intervals), None)

    def _relationship_slot_in_words(self, slot, lang):
        """``slot`` as a reader of ``lang`` says it: « lundi 23 novembre à 9 h »."""
        locale = babel_locale_parse(lang)
        local = slot.replace(tzinfo=None)
        if locale.language == "fr":
            # French writes « 9 h » and « 9 h 30 », where CLDR gives « 09:00 ».
            time = f"{local.hour}\u00a0h" + (f"\u00a0{local.minute:02d}" if local.minute else "")
        else:
            time = format_time(local.time(), "short", locale=locale)
        return self.with_context(lang=lang).env._(
            "on %(weekday)s, %(date)s at %(time)s",
            weekday=format_date(local, "EEEE", locale=locale),
            date=format_skeleton("MMMMd", local, locale=locale),
            time=time,
        )

    def _relationship_after_hours_message(self):
        """The automatic reply to a client who writes out of hours, in the
        language of the environment, {next_slot} replaced."""
        self.ensure_one()
        message = self.relationship_after_hours_message
        if is_html_empty(message):
            # Not a stored default: each client reads it in their own language.
            message = Markup("<p>%s</p><p>%s</p><p>%s</p>") % (
                self.env._("Hello,"),
                self.env._(
                    "Thank you for your message. It reached me outside my working hours: "
                    "I will get back to you {next_slot}."
                ),
                self.env._("Kind regards,"),
            )
        slot = self._relationship_next_slot()
        return Markup(message).replace(
            "{next_slot}",
            self._relationship_slot_in_words(slot, self.env.lang)
            if slot
            else self.env._("as soon as possible"),
        )
