import babel.dates
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import babel_locale_parse


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
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Client", required=True, index=True, ondelete="restrict"
    )
    date = fields.Date(string="Decided On", required=True, default=fields.Date.context_today)
    end_date = fields.Date(string="Effective End", required=True, tracking=True)
    earliest_end_date = fields.Date(string="Earliest Lawful End")
    contract_id = fields.Many2one("client.relationship.contract")
    reason_ids = fields.Many2many(
        "client.relationship.end.reason",
        "client_relationship_termination_reason_rel",
        string="Reasons",
    )
    notes = fields.Text()
    letter_opening = fields.Text(string="Opening")
    letter_core = fields.Text(string="Core")
    letter_closing = fields.Text(string="Closing")
    send_by = fields.Selection(
        [("email", "E-mail"), ("print", "Printed or registered letter")],
        string="Sent By",
        required=True,
        default="email",
    )
    checks_summary = fields.Html(string="Checks", readonly=True, sanitize=True)
    override_reason = fields.Text(
        string="Why the Notice Is Overridden", help="Required to end before the lawful date."
    )
    state = fields.Selection(
        [("ending", "Ending"), ("ended", "Ended"), ("cancelled", "Cancelled")],
        required=True,
        default="ending",
        tracking=True,
    )
    user_id = fields.Many2one("res.users", string="Decided By", default=lambda self: self.env.user)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

    @api.depends("partner_id.name")
    def _compute_name(self):
        for termination in self:
            termination.name = self.env._(
                "End of the relationship with %(client)s", client=termination.partner_id.name
            )

    def action_send_letter(self):
        """E-mail the letter, courteously: the seed warns that writing is kept."""
        self.ensure_one()
        template = self.env.ref("client_relationship.mail_template_termination_letter")
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

    @api.model
    def _cron_end_relationships(self):
        """On the end date, what was ending has ended."""
        due = self.search(
            [("state", "=", "ending"), ("end_date", "<=", fields.Date.context_today(self))]
        )
        due.write({"state": "ended"})
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
        self.write({"state": "cancelled"})
        for partner in self.partner_id:
            partner.sudo().write({"relationship_state": "active", "relationship_end_date": False})
            partner.message_post(
                body=Markup("<p>%s</p>")
                % self.env._("The relationship is resumed: the end is cancelled."),
                subtype_xmlid="mail.mt_note",
            )
        return True
