import babel.numbers
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import babel_locale_parse

NOTICE_UNITS = [("day", "Days"), ("week", "Weeks"), ("month", "Months")]


def is_singular(env, count):
    """Whether `count` takes the singular in the language of `env`: French says
    « 1,5 jour » and « 0 jour », English "1.5 days" and "0 days"."""
    return babel_locale_parse(env.lang or "en_US").plural_form(abs(count)) == "one"


def format_notice(env, period, unit):
    """A notice period as it is written, « 1 mois », « 2 semaines », « 1 jour »,
    in the language of `env`."""
    singular = is_singular(env, period)
    period = babel.numbers.format_decimal(period, locale=babel_locale_parse(env.lang or "en_US"))
    if unit == "day":
        if singular:
            return env._("%(count)s day", count=period)
        return env._("%(count)s days", count=period)
    if unit == "week":
        if singular:
            return env._("%(count)s week", count=period)
        return env._("%(count)s weeks", count=period)
    if singular:
        return env._("%(count)s month", count=period)
    return env._("%(count)s months", count=period)


def add_notice(start, period, unit):
    """`start` plus a notice period; months are calendar months."""
    delta = {
        "day": relativedelta(days=period),
        "week": relativedelta(weeks=period),
        "month": relativedelta(months=period),
    }[unit]
    return start + delta


class ClientRelationshipContract(models.Model):
    _name = "client.relationship.contract"
    _description = "Service Contract"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"

    name = fields.Char(string="Reference", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Client",
        required=True,
        index=True,
        tracking=True,
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]",
    )
    date_start = fields.Date(string="Start Date", required=True, tracking=True)
    date_signed = fields.Date(
        string="Signed On", tracking=True, help="Only a signed contract binds the termination."
    )
    notice_period = fields.Integer(string="Notice", default=1, tracking=True)
    notice_unit = fields.Selection(NOTICE_UNITS, default="month", required=True, tracking=True)
    termination_form = fields.Selection(
        selection=[
            ("any", "Any written form"),
            ("email", "E-mail"),
            ("registered", "Registered letter with acknowledgement of receipt"),
        ],
        default="any",
        required=True,
        tracking=True,
    )
    termination_clause = fields.Text(
        help="The termination clause as written in the contract, quoted in the letter."
    )
    early_termination_fee = fields.Monetary(currency_field="currency_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    attachment_ids = fields.Many2many(
        "ir.attachment", string="Signed Contract", help="The signed contract, scanned."
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

    @api.constrains("notice_period")
    def _check_notice_period(self):
        for contract in self:
            if contract.notice_period < 0:
                raise ValidationError(
                    self.env._(
                        "The notice of contract “%(contract)s” cannot be negative: "
                        "enter 0 for no notice.",
                        contract=contract.name,
                    )
                )

    def _earliest_end_date(self, from_date):
        self.ensure_one()
        return add_notice(from_date, self.notice_period, self.notice_unit)

    def _notice_text(self):
        """The notice of this contract as the letter writes it: « 1 mois »."""
        self.ensure_one()
        return format_notice(self.env, self.notice_period, self.notice_unit)
