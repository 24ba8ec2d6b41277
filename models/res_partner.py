from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, clean_context

from ..const import BANDS, GROUP_MANAGER, GROUP_USER, HEALTH_FIELDS

# Titles typed in a name, skipped to find the surname.
NAME_TITLES = {"m", "mme", "mlle", "mr", "mrs", "ms", "madame", "monsieur", "mademoiselle"}
# What the company's deposit rules read of a client besides its own rule: who
# changes them may lower the deposit its quotations ask.
DEPOSIT_INPUTS = {"is_company", "company_type", "parent_id", "trust"}
# Changed only by the actions and crons that check who calls, never by a write.
PROTECTED_FIELDS = {
    *HEALTH_FIELDS,
    "relationship_state",
    "relationship_end_date",
    "relationship_mediation_tried",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    # The client's health in the current company, written by the health
    # engine (client.relationship.health) on the client and its contacts:
    # company-dependent, so that lists search, sort and group by them. Not
    # indexed: the "is set" index Odoo gives such fields would help the filters
    # of Clients by Health on a base of mostly non-clients, but costs the
    # nightly run an index entry per figure written, for every client.
    relationship_payment_delay_avg = fields.Float(
        string="Average Payment Delay (days)",
        company_dependent=True,
        index=False,
        readonly=True,
        digits=(16, 1),
        help="Average lateness of the invoices paid in the last 365 days, weighted by amount.",
        groups=GROUP_USER,
    )
    relationship_overdue_amount = fields.Float(
        string="Overdue Amount",
        company_dependent=True,
        index=False,
        readonly=True,
        digits="Account",
        help="Amount of the invoices past their due date, in the company's currency.",
        groups=GROUP_USER,
    )
    relationship_overdue_count = fields.Integer(
        string="Overdue Invoices",
        company_dependent=True,
        index=False,
        readonly=True,
        groups=GROUP_USER,
    )
    relationship_out_of_hours_count = fields.Integer(
        string="Messages Out of Hours",
        company_dependent=True,
        index=False,
        readonly=True,
        help="Messages from the client in the last 90 days outside your working hours: "
        "nights, weekends, leaves and public holidays.",
        groups=GROUP_USER,
    )
    relationship_incident_count = fields.Integer(
        string="Incident Points",
        company_dependent=True,
        index=False,
        readonly=True,
        help="Incidents of the last 365 days, weighted by severity (1, 2 or 3 points).",
        groups=GROUP_USER,
    )
    relationship_revenue_12m = fields.Float(
        string="Revenue (12 months)",
        company_dependent=True,
        index=False,
        readonly=True,
        digits="Account",
        help="Invoiced in the last 12 months, net of credit notes, in the company's currency.",
        groups=GROUP_USER,
    )
    relationship_revenue_share = fields.Float(
        string="Share of Your Revenue",
        company_dependent=True,
        index=False,
        readonly=True,
        aggregator="sum",
        help="The client's share of the company's invoiced revenue over 12 months, net of "
        "credit notes.",
        groups=GROUP_USER,
    )
    relationship_dependency_alert = fields.Boolean(
        string="Above Your Dependency Alert",
        compute="_compute_relationship_dependency_alert",
        search="_search_relationship_dependency_alert",
        groups=GROUP_USER,
    )
    relationship_health_score = fields.Integer(
        string="Health Score",
        company_dependent=True,
        index=False,
        readonly=True,
        aggregator="avg",
        groups=GROUP_USER,
    )
    relationship_health_band = fields.Selection(
        BANDS,
        string="Health",
        company_dependent=True,
        index=False,
        readonly=True,
        groups=GROUP_USER,
    )
    relationship_health_date = fields.Datetime(
        string="Health Changed On",
        company_dependent=True,
        index=False,
        readonly=True,
        groups=GROUP_USER,
    )
    relationship_is_client = fields.Boolean(
        string="Is a Client",
        compute="_compute_relationship_is_client",
        search="_search_relationship_is_client",
        groups=GROUP_USER,
        help="A customer of the current company: with a quotation or a customer invoice, "
        "neither a company of yours nor a user.",
    )
    relationship_gut_feeling = fields.Selection(
        [
            ("0", "No unease"),
            ("1", "A slight doubt"),
            ("2", "Uneasy"),
            ("3", "My throat tightens when they call"),
        ],
        string="Unease (gut feeling)",
        default="0",
        help="Listen to your instinct: how uneasy does this client make you feel?",
        groups=GROUP_USER,
    )
    relationship_profile_fit = fields.Selection(
        [("match", "Matches"), ("mismatch", "Does not match"), ("unknown", "Unknown")],
        string="Ideal Client Profile",
        compute="_compute_relationship_profile_fit",
        store=True,
        readonly=False,
        groups=GROUP_USER,
        help="Computed from your ideal client profiles (Configuration › Ideal Client "
        "Profiles): Unknown while you have defined none. A relationship manager may set it "
        "by hand; it then no longer follows the profiles.",
    )
    relationship_profile_manual = fields.Boolean(
        string="Profile Fit Set by Hand", copy=False, groups=GROUP_USER
    )
    relationship_health_explanation = fields.Html(
        string="Why this Score",
        compute="_compute_relationship_health_explanation",
        groups=GROUP_USER,
    )
    # Built from integers only, and the sanitizer would strip the SVG.
    relationship_health_trend = fields.Html(
        string="Trend",
        compute="_compute_relationship_health_trend",
        sanitize=False,
        groups=GROUP_USER,
    )
    relationship_state = fields.Selection(
        [
            ("active", "Active"),
            ("watch", "Under Watch"),
            ("mediation", "In Mediation"),
            ("ending", "Ending"),
            ("ended", "Ended"),
        ],
        string="Relationship",
        # Not required: Odoo's own tests may create partners while the sale
        # module loads, before this column's default is known.
        default="active",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        groups=GROUP_USER,
    )
    relationship_incident_ids = fields.One2many(
        "client.relationship.incident",
        "commercial_partner_id",
        string="Incidents",
        groups=GROUP_USER,
    )
    relationship_snapshot_ids = fields.One2many(
        "client.relationship.health.snapshot",
        "partner_id",
        string="Health History",
        groups=GROUP_USER,
    )
    relationship_mediation_tried = fields.Boolean(
        string="Mediation Tried",
        readonly=True,
        copy=False,
        groups=GROUP_USER,
    )
    relationship_end_date = fields.Date(
        string="Relationship End",
        readonly=True,
        copy=False,
        tracking=True,
        groups=GROUP_USER,
    )
    relationship_avoid_contact = fields.Text(
        string="Avoid Contacting",
        help="The client's known busy slots, e.g. 'weekly meeting on Monday morning, "
        "shopping from 11:00 to 12:00'.",
        groups=GROUP_USER,
    )
    relationship_after_hours_reply_off = fields.Boolean(
        string="No Automatic Reply after Hours",
        help="Never answer this client automatically when they write outside your working "
        "hours, even when the automatic reply is on in Settings.",
        groups=GROUP_USER,
    )
    # Odoo 19 has no title on contacts: letters and e-mails need one to greet a
    # person (« Madame, », « Bonjour Madame Nuit, »).
    relationship_salutation = fields.Selection(
        [("madam", "Madam"), ("sir", "Sir")],
        string="Salutation",
        help="How letters and e-mails address this person. Empty: letters open with "
        "'Dear Sir or Madam' and e-mails with a plain 'Hello'.",
        groups=GROUP_USER,
    )
    relationship_deposit_policy = fields.Selection(
        [
            ("company", "Company rules"),
            ("always", "Always"),
            ("never", "Never"),
        ],
        string="Deposit",
        default="company",
        required=True,
        help="Company rules: a deposit from individuals and risky clients, as set in Settings. "
        "Always: this client pays the deposit below on every quotation. "
        "Never: no deposit rule applies to this client.",
        groups=GROUP_USER,
    )
    relationship_deposit_percent = fields.Float(
        string="Deposit Share",
        default=0.3,
        help="Share of each quotation this client pays as a deposit.",
        groups=GROUP_USER,
    )
    relationship_deposit_hint = fields.Char(
        string="Deposit Asked",
        compute="_compute_relationship_deposit_hint",
        groups=GROUP_USER,
    )
    relationship_contract_ids = fields.One2many(
        "client.relationship.contract",
        "partner_id",
        string="Contracts",
        groups=GROUP_USER,
    )
    relationship_contract_id = fields.Many2one(
        "client.relationship.contract",
        string="Contract in Force",
        compute="_compute_relationship_contract_id",
        groups=GROUP_USER,
    )
    relationship_accepted_terms_id = fields.Many2one(
        "client.relationship.terms",
        string="Last Accepted Terms",
        compute="_compute_relationship_accepted_terms_id",
        groups=GROUP_USER,
    )
    relationship_termination_ids = fields.One2many(
        "client.relationship.termination",
        "partner_id",
        string="Terminations",
        groups=GROUP_USER,
    )
    relationship_handover_item_ids = fields.One2many(
        "client.relationship.handover.item",
        "partner_id",
        string="Handover Dossier",
        groups=GROUP_USER,
    )
    relationship_handover_completeness = fields.Integer(
        string="Dossier Completeness",
        compute="_compute_relationship_handover_completeness",
        help="Share of the essentials the dossier covers: instructions, credentials, "
        "websites, file locations and recurring deadlines.",
        groups=GROUP_USER,
    )

    # ------------------------------------------------------------------
    # Health
    # ------------------------------------------------------------------

    @api.depends(
        "is_company",
        "category_id",
        "industry_id",
        "country_id",
        "lang",
        "parent_id",
        "relationship_profile_manual",
    )
    def _compute_relationship_profile_fit(self):
        personas = self.env["client.relationship.persona"].sudo().search([("active", "=", True)])
        for partner in self:
            if partner.relationship_profile_manual:
                continue  # set by hand: kept
            if not personas:
                partner.relationship_profile_fit = "unknown"
            elif any(persona._matches(partner) for persona in personas):
                partner.relationship_profile_fit = "match"
            else:
                partner.relationship_profile_fit = "mismatch"

    def action_relationship_follow_profiles(self):
        self._check_relationship_group("manager")
        self.sudo().relationship_profile_manual = False
        return True

    @api.depends_context("company")
    @api.depends("relationship_revenue_share")
    def _compute_relationship_dependency_alert(self):
        threshold = self.env.company.relationship_dependency_threshold
        for partner in self:
            partner.relationship_dependency_alert = partner.relationship_revenue_share > threshold

    def _search_relationship_dependency_alert(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        above = [
            ("relationship_revenue_share", ">", self.env.company.relationship_dependency_threshold)
        ]
        return above if (operator == "in") == (True in value) else ["!", *above]

    @api.depends_context("company")
    def _compute_relationship_is_client(self):
        self.env.flush_all()  # the quotations and invoices are read in SQL
        self.env.cr.execute(
            SQL(
                "SELECT id FROM (%s) client WHERE id = ANY(%s)",
                self.env["client.relationship.health"]._client_ids_sql(self.env.company),
                self.commercial_partner_id.ids,
            )
        )
        clients = {row[0] for row in self.env.cr.fetchall()}
        for partner in self:
            partner.relationship_is_client = partner.commercial_partner_id.id in clients

    def _search_relationship_is_client(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        # Who is a client is itself a judgement: searched only by the addon's users.
        self._check_field_access(self._fields["relationship_is_client"], "read")
        clients = self.env["client.relationship.health"]._client_ids_sql(self.env.company)
        positive = (operator == "in") == (True in value)
        return [("id", "in" if positive else "not in", clients)]

    def _recompute_relationship_health(self):
        """Recompute the health of the commercial partners of ``self`` in the current company."""
        self.env["client.relationship.health"]._recompute(self, self.env.company)

    def action_relationship_score_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "client_relationship.action_client_relationship_health_snapshot"
        )
        action["domain"] = [
            ("partner_id", "=", self.commercial_partner_id.id),
            ("company_id", "=", self.env.company.id),
        ]
        action["name"] = self.env._("Score of %(client)s", client=self.commercial_partner_id.name)
        return action

    def action_recompute_relationship_health(self):
        self._check_relationship_group()
        self._recompute_relationship_health()
        return True

    def _check_relationship_deposit_rights(self, changed):
        """Only managers set a client's deposit rule: `never` removes the deposit."""
        if changed and not self.env.su and not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(
                self.env._("Only a relationship manager can change a client's deposit rule.")
            )

    def _check_relationship_protected_fields(self, field_names):
        if self.env.su or not (protected := PROTECTED_FIELDS & set(field_names)):
            return
        raise AccessError(
            self.env._(
                "%(fields)s change only through the client's relationship actions (Try to "
                "Resolve, End Relationship, Resume the Relationship, Recompute), not by "
                "editing the contact.",
                fields=", ".join(
                    self._fields[fname].get_description(self.env)["string"]
                    for fname in sorted(protected)
                ),
            )
        )

    def _relationship_changed_fields(self, vals, field_names):
        """The fields of ``field_names`` that ``vals`` would change on ``self``:
        Odoo's own tools (the contact merge) rewrite values as they are."""
        changed = set()
        for fname in field_names & vals.keys():
            field = self._fields[fname]
            new = field.convert_to_cache(vals[fname], self)
            if any(
                field.convert_to_cache(partner.sudo()[fname], partner) != new for partner in self
            ):
                changed.add(fname)
        return changed

    @api.model
    def _relationship_context_defaults(self):
        """The values a ``default_*`` context key would give a new partner: a
        caller could set through it what it may not write."""
        return {
            key[8:]: value
            for key, value in self.env.context.items()
            if key.startswith("default_relationship_")
        }

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # A new client starts active and healthy (users are created with every
            # partner default): only other values, given or through the context,
            # are refused.
            defaults = self.with_context(clean_context(self.env.context)).default_get(
                list(PROTECTED_FIELDS)
            )
            context_defaults = self._relationship_context_defaults()
            for vals in vals_list:
                values = {**context_defaults, **vals}
                self._check_relationship_protected_fields(
                    {
                        fname
                        for fname, value in values.items()
                        if fname in PROTECTED_FIELDS and value != defaults.get(fname, False)
                    }
                )
                self._check_relationship_deposit_rights(
                    values.get("relationship_deposit_policy", "company") != "company"
                )
                if {"relationship_profile_fit", "relationship_profile_manual"} & values.keys():
                    self._check_relationship_group("manager")
        vals_list = [
            {"relationship_profile_manual": True, **vals}
            if "relationship_profile_fit" in vals
            else vals
            for vals in vals_list
        ]
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_relationship_protected_fields(
                self._relationship_changed_fields(vals, PROTECTED_FIELDS)
            )
            # Every contact counts: a contact detached from its company keeps its rule.
            self._check_relationship_deposit_rights(
                bool(
                    self._relationship_changed_fields(
                        vals, {"relationship_deposit_policy", "relationship_deposit_percent"}
                    )
                )
            )
            if self._relationship_changed_fields(
                vals, {"relationship_profile_fit", "relationship_profile_manual"}
            ):
                self._check_relationship_group("manager")
        if "relationship_profile_fit" in vals:
            vals = {"relationship_profile_manual": True, **vals}
        keep_deposits = bool(DEPOSIT_INPUTS & vals.keys()) and not (
            self.env.su or self.env.user.has_group(GROUP_MANAGER)
        )
        deposits = keep_deposits and self._relationship_deposit_percents()
        result = super().write(vals)
        if keep_deposits:
            self._relationship_check_deposits_kept(deposits)
        if {"relationship_gut_feeling", "relationship_profile_fit"} & vals.keys():
            self._recompute_relationship_health()
        return result

    def _relationship_deposit_percents(self):
        """{(partner, company): the deposit its quotations ask there}, in every
        company that asks deposits: a contact's kind and company are shared."""
        # Read with sudo: the user may work in a company outside her session.
        companies = (
            self.env.company
            | self.env["res.company"].sudo().search([("relationship_deposit_enabled", "=", True)])
        ).sudo()
        return {
            (partner, company): company._relationship_deposit_rule(partner.sudo())[0]
            for partner in self
            for company in companies
        }

    def _relationship_check_deposits_kept(self, before):
        """A person made a company, attached to a client without deposit, a bad
        debtor cleared: what lowers a deposit is a relationship manager's call."""
        after = self._relationship_deposit_percents()
        lowered = self.browse()
        for (partner, company), percent in before.items():
            if after[partner, company] < percent:
                lowered |= partner
        if lowered:
            raise AccessError(
                self.env._(
                    "%(clients)s: this change lowers the deposit the client's quotations ask. "
                    "Only a relationship manager can make it.",
                    clients=", ".join(partner.display_name for partner in lowered),
                )
            )

    @api.depends_context("company", "lang")
    @api.depends(*HEALTH_FIELDS, "relationship_gut_feeling", "relationship_profile_fit")
    def _compute_relationship_health_explanation(self):
        healths = (
            self.env["client.relationship.health"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "=", self.env.company.id),
                ]
            )
            .grouped("partner_id")
        )
        for partner in self:
            health = healths.get(partner.commercial_partner_id)
            partner.relationship_health_explanation = (
                health.with_env(self.env)._explanation()
                if health
                else Markup("<p>%s</p>")
                % self.env._("Not computed yet in this company: click Recompute.")
            )

    @api.depends_context("company")
    @api.depends("relationship_snapshot_ids.score")
    def _compute_relationship_health_trend(self):
        for partner in self:
            scores = (
                partner.relationship_snapshot_ids.filtered(
                    lambda snapshot: snapshot.company_id == self.env.company
                )
                .sorted("date")[-26:]
                .mapped("score")
            )
            if len(scores) < 2:
                partner.relationship_health_trend = False
                continue
            step = 200 / (len(scores) - 1)
            points = " ".join(
                f"{index * step:.0f},{40 - score * 0.38:.1f}" for index, score in enumerate(scores)
            )
            partner.relationship_health_trend = (
                Markup(
                    '<svg width="200" height="42" viewBox="0 0 200 42" role="img">'
                    '<polyline fill="none" stroke="currentColor" stroke-width="2" points="%s"/>'
                    "</svg>"
                )
                % points
            )

    @api.depends("relationship_contract_ids.date_signed", "relationship_contract_ids.date_start")
    def _compute_relationship_contract_id(self):
        for partner in self:
            signed = partner.relationship_contract_ids.filtered("date_signed")
            partner.relationship_contract_id = signed.sorted("date_start")[-1:] if signed else False

    @api.depends_context("company", "lang")
    @api.depends(
        "commercial_partner_id.relationship_deposit_policy",
        "commercial_partner_id.relationship_deposit_percent",
        "commercial_partner_id.relationship_health_band",
        "commercial_partner_id.is_company",
        "commercial_partner_id.trust",
    )
    def _compute_relationship_deposit_hint(self):
        company = self.env.company
        for partner in self:
            percent, basis = company._relationship_deposit_rule(partner)
            partner.relationship_deposit_hint = (
                company._relationship_deposit_reason(percent, basis)
                if percent
                else self.env._("No deposit")
            )

    @api.constrains("relationship_deposit_policy", "relationship_deposit_percent")
    def _check_relationship_deposit_percent(self):
        for partner in self:
            if partner.relationship_deposit_policy == "always" and not (
                0 < partner.relationship_deposit_percent <= 1
            ):
                raise ValidationError(
                    self.env._(
                        "The deposit asked from %(client)s must be more than 0%% and at most "
                        "100%% of the quotation (you entered %(value)s%%). To ask none, "
                        "choose Never.",
                        client=partner.display_name,
                        value=self.env.company._relationship_deposit_share(
                            partner.relationship_deposit_percent
                        ),
                    )
                )

    @api.model
    def _commercial_fields(self):
        return [
            *super()._commercial_fields(),
            "relationship_deposit_policy",
            "relationship_deposit_percent",
            "relationship_after_hours_reply_off",
        ]

    @api.depends("relationship_handover_item_ids.category")
    def _compute_relationship_handover_completeness(self):
        essentials = {"instruction", "credential", "website", "file_location", "deadline"}
        for partner in self:
            covered = essentials & set(partner.relationship_handover_item_ids.mapped("category"))
            partner.relationship_handover_completeness = round(100 * len(covered) / len(essentials))

    @api.depends_context("company")
    @api.depends(
        "commercial_partner_id.sale_order_ids.relationship_terms_id",
        "commercial_partner_id.child_ids.sale_order_ids.relationship_terms_id",
    )
    def _compute_relationship_accepted_terms_id(self):
        accepted = (
            self.env["sale.order"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "child_of", self.commercial_partner_id.ids),
                    ("relationship_terms_id", "!=", False),
                    ("company_id", "=", self.env.company.id),
                ],
                ["partner_id", "relationship_terms_id"],
            )
        )
        for partner in self:
            terms = self.env["client.relationship.terms"].union(
                *(
                    order_terms
                    for order_partner, order_terms in accepted
                    if order_partner.commercial_partner_id == partner.commercial_partner_id
                )
            )
            partner.relationship_accepted_terms_id = terms.sorted("version_date")[-1:]

    # ------------------------------------------------------------------
    # Lifecycle
    # ------------------------------------------------------------------

    def _check_relationship_group(self, role="user"):
        """Actions change the relationship as the system, once they know who calls."""
        if self.env.su or self.env.user.has_group(f"client_relationship.group_relationship_{role}"):
            return
        raise AccessError(
            self.env._("Only a relationship manager can do this.")
            if role == "manager"
            else self.env._(
                "Only users of Client Relationships can change a client's relationship: "
                "ask your administrator for the Client Relationships / User role."
            )
        )

    def action_relationship_try_resolve(self):
        """Try to solve the problem first, with a frank conversation."""
        self.ensure_one()
        self._check_relationship_group()
        if self.relationship_state in ("ending", "ended"):
            raise UserError(
                self.env._(
                    "The relationship with %(client)s is ending or ended: resume it first.",
                    client=self.display_name,
                )
            )
        self.sudo().write({"relationship_state": "mediation", "relationship_mediation_tried": True})
        self.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=fields.Date.context_today(self) + timedelta(days=7),
            summary=self.env._("Follow up on the conversation with %(client)s", client=self.name),
            user_id=(self.user_id or self.env.user).id,
        )
        template = self.env.ref("client_relationship.mail_template_relationship_mediation")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Propose a Frank Conversation"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": "res.partner",
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "default_email_layout_xmlid": "mail.mail_notification_light",
            },
        }

    def _relationship_salutation(self):
        """How a letter addresses this client, in the environment's language:
        Madam or Sir for a person whose salutation is known, else both."""
        self.ensure_one()
        salutation = not self.is_company and self.relationship_salutation
        if salutation == "madam":
            return self.env._("Madam")
        if salutation == "sir":
            return self.env._("Sir")
        return self.env._("Sir or Madam")

    def _relationship_addressee(self):
        """Salutation and surname for an e-mail's greeting (« Madame Nuit »), or
        an empty string for a company or a person whose salutation is unknown."""
        self.ensure_one()
        salutation = not self.is_company and self.relationship_salutation
        words = (self.name or "").split()
        # A name typed with its title: « Mme Nuit », "Mr Paul Far".
        while len(words) > 1 and words[0].lower().rstrip(".") in NAME_TITLES:
            words = words[1:]
        # The first word is the first name; the rest, particles included, the surname.
        surname = " ".join(words[1:] or words)
        if not (salutation and surname):
            return ""
        if salutation == "madam":
            return self.env._("Mrs %(surname)s", surname=surname)
        return self.env._("Mr %(surname)s", surname=surname)

    def action_relationship_back_to_normal(self):
        self._check_relationship_group()
        self.filtered(lambda p: p.relationship_state in ("watch", "mediation")).sudo().write(
            {"relationship_state": "active"}
        )
        return True

    def _mail_get_operation_for_mail_message_operation(self, message_operation):
        # Relationship users write to their clients (a frank conversation, an
        # incident's context) without the right to edit contacts; never to
        # your companies or your colleagues.
        operations = super()._mail_get_operation_for_mail_message_operation(message_operation)
        if message_operation != "create" or not self.env.user.has_group(GROUP_USER):
            return operations
        for partner in self.sudo():
            if (
                partner.commercial_partner_id.customer_rank > 0
                and not partner.ref_company_ids
                and not any(not user.share for user in partner.user_ids)
            ):
                operations[partner.with_env(self.env)] = "read"
        return operations

    def action_relationship_log_incident(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log an Incident"),
            "res_model": "client.relationship.incident",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def _relationship_amounts_due(self, company):
        """What each client of ``self`` still owes ``company``, as {client: (open
        invoices, balance)}: credit notes deducted, in the company's currency.
        The end checks, the letter and the handover dossier all say this amount."""
        moves = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("company_id", "=", company.id),
                ]
            )
        )
        by_client = moves.grouped("commercial_partner_id")
        empty = self.env["account.move"]
        return {
            client: (
                by_client.get(client, empty).filtered(lambda m: m.move_type == "out_invoice"),
                sum(by_client.get(client, empty).mapped("amount_residual_signed")),
            )
            for client in self.commercial_partner_id
        }

    def _relationship_amount_due(self, company):
        self.ensure_one()
        return self._relationship_amounts_due(company)[self.commercial_partner_id]

    def action_print_handover_dossier(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Print the Handover Dossier"),
            "res_model": "client.relationship.handover.print.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def _check_relationship_can_end(self):
        self.ensure_one()
        if self.relationship_state in ("ending", "ended"):
            raise UserError(
                self.env._(
                    "The relationship with %(client)s is already ending or ended. To change "
                    "your mind, use 'Resume the Relationship'.",
                    client=self.display_name,
                )
            )
        if self.commercial_partner_id != self:
            raise UserError(
                self.env._(
                    "%(contact)s is a contact of %(client)s: end the relationship "
                    "from the client %(client)s itself.",
                    contact=self.display_name,
                    client=self.commercial_partner_id.display_name,
                )
            )

    def action_end_relationship(self):
        self._check_relationship_can_end()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("End Relationship"),
            "res_model": "client.relationship.end.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.id},
        }

    def action_resume_relationship(self):
        """The client came back with a solution: the relationship goes on."""
        self.ensure_one()
        terminations = self.relationship_termination_ids.filtered(
            lambda t: t.state in ("ending", "ended")
        )
        if not terminations:
            raise UserError(
                self.env._(
                    "The relationship with %(client)s has not been ended: there is "
                    "nothing to resume.",
                    client=self.display_name,
                )
            )
        return terminations.action_cancel()
