from odoo import api, fields, models
from odoo.exceptions import AccessError


class ClientRelationshipIncident(models.Model):
    _name = "client.relationship.incident"
    _description = "Client Relationship Incident"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner",
        string="Client",
        required=True,
        index=True,
        ondelete="cascade",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        store=True,
        index=True,
        string="Commercial Entity",
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    incident_type = fields.Selection(
        [
            ("intervention", "Intervenes in my work without warning"),
            ("blame", "Blames me for their errors"),
            ("oversharing", "Over-shares personal matters, treats me as a therapist"),
            ("out_of_hours", "Contacts me out of hours"),
            ("payment", "Pays late or strings me along at invoice time"),
            ("scope", "Asks beyond the agreed scope"),
            ("disrespect", "Disrespect"),
            ("other", "Other"),
        ],
        string="What Happened",
        required=True,
    )
    severity = fields.Selection(
        [("low", "Low"), ("medium", "Medium"), ("high", "High")],
        required=True,
        default="medium",
    )
    description = fields.Text()
    resolved = fields.Boolean()
    message_id = fields.Many2one(
        "mail.message",
        ondelete="set null",
        help="The message of the client that shows the incident.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Logged by",
        default=lambda self: self.env.user,
        readonly=True,
        copy=False,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

    @api.model
    def default_get(self, fields_list):
        defaults = super().default_get(fields_list)
        # Logged from a message of the chatter: the client is its author. The
        # message comes from the caller: read only if they may log an incident
        # and read it.
        message = self.env["mail.message"]
        if defaults.get("message_id") and self.has_access("create"):
            message = message.browse(defaults["message_id"]).exists()._filtered_access("read")
        if message and not defaults.get("partner_id") and message.author_id:
            defaults["partner_id"] = message.author_id.commercial_partner_id.id
            if not defaults.get("description"):
                defaults["description"] = message.preview
        return defaults

    def _recompute_health(self, clients_by_company):
        """The consequences of an incident (band, state, review activity) are the
        system's: any relationship user logs one, whatever their rights on contacts."""
        Health = self.env["client.relationship.health"].sudo()
        for company, clients in clients_by_company.items():
            Health.with_company(company)._recompute(clients, company)

    def _clients_by_company(self):
        return {
            company: incidents.commercial_partner_id
            for company, incidents in self.grouped("company_id").items()
        }

    def _check_message_access(self, vals):
        """The message an incident points at shows in its form: one its user may read."""
        if vals.get("message_id") and not self.env.su:
            self.env["mail.message"].browse(vals["message_id"]).check_access("read")

    @api.model_create_multi
    def create(self, vals_list):
        # Who logged an incident is a fact, not a choice.
        default = self.env.context.get("default_user_id", self.env.uid)
        if not self.env.su and any(
            vals.get("user_id", default) != self.env.uid for vals in vals_list
        ):
            raise AccessError(self.env._("You can only log an incident in your own name."))
        incidents = super().create(vals_list)
        # Given or by default (a context key): checked once it is set.
        if not self.env.su:
            incidents.message_id.check_access("read")
        incidents._recompute_health(incidents._clients_by_company())
        return incidents

    def write(self, vals):
        if (
            not self.env.su
            and "user_id" in vals
            and any(incident.user_id.id != vals["user_id"] for incident in self)
        ):
            raise AccessError(self.env._("An incident stays in the name of whoever logged it."))
        self._check_message_access(vals)
        before = self._clients_by_company()
        result = super().write(vals)
        if {"partner_id", "date", "severity", "company_id"} & vals.keys():
            after = self._clients_by_company()
            self._recompute_health(
                {
                    company: before.get(company, self.env["res.partner"])
                    | after.get(company, self.env["res.partner"])
                    for company in before.keys() | after.keys()
                }
            )
        return result

    def unlink(self):
        before = self._clients_by_company()
        result = super().unlink()
        self._recompute_health(before)
        return result
