from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_amount, formatLang

BAND_ORDER = {"good": 0, "watch": 1, "critical": 2}
HEALTH_FIELDS = [
    "relationship_payment_delay_avg",
    "relationship_overdue_amount",
    "relationship_overdue_count",
    "relationship_out_of_hours_count",
    "relationship_incident_count",
    "relationship_revenue_12m",
    "relationship_health_score",
    "relationship_health_band",
    "relationship_health_date",
    "relationship_health_explanation",
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Signals, written in bulk by _recompute_relationship_health() on the
    # commercial partner and its contacts alike.
    relationship_payment_delay_avg = fields.Float(
        string="Average Payment Delay (days)",
        readonly=True,
        digits=(16, 1),
        help="Average lateness of the invoices paid in the last 365 days, weighted by amount.",
    )
    relationship_overdue_amount = fields.Monetary(
        string="Overdue Amount", readonly=True, currency_field="currency_id"
    )
    relationship_overdue_count = fields.Integer(string="Overdue Invoices", readonly=True)
    relationship_out_of_hours_count = fields.Integer(
        string="Messages Out of Hours",
        readonly=True,
        help="Messages from the client in the last 90 days outside your working hours: "
        "nights, weekends, leaves and public holidays.",
    )
    relationship_incident_count = fields.Integer(
        string="Incident Points",
        readonly=True,
        help="Incidents of the last 365 days, weighted by severity (1, 2 or 3 points).",
    )
    relationship_revenue_12m = fields.Monetary(
        string="Revenue (12 months)", readonly=True, currency_field="currency_id"
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
    )
    relationship_profile_fit = fields.Selection(
        [("match", "Matches"), ("mismatch", "Does not match"), ("unknown", "Unknown")],
        string="Ideal Client Profile",
        default="unknown",
    )
    relationship_health_score = fields.Integer(
        string="Health Score", readonly=True, default=100, aggregator="avg"
    )
    relationship_health_band = fields.Selection(
        [("good", "Good"), ("watch", "Watch"), ("critical", "Critical")],
        string="Health",
        readonly=True,
        default="good",
        index=True,
    )
    relationship_health_date = fields.Datetime(string="Health Changed On", readonly=True)
    relationship_health_explanation = fields.Html(
        string="Why this Score", compute="_compute_relationship_health_explanation"
    )
    # Built from integers only, and the sanitizer would strip the SVG.
    relationship_health_trend = fields.Html(
        string="Trend", compute="_compute_relationship_health_trend", sanitize=False
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
        default="active",
        required=True,
        tracking=True,
        index=True,
    )
    relationship_incident_ids = fields.One2many(
        "client.relationship.incident", "commercial_partner_id", string="Incidents"
    )
    relationship_snapshot_ids = fields.One2many(
        "client.relationship.health.snapshot", "partner_id", string="Health History"
    )
    relationship_mediation_tried = fields.Boolean(
        string="Mediation Tried", readonly=True, copy=False
    )
    relationship_end_date = fields.Date(
        string="Relationship End", readonly=True, copy=False, tracking=True
    )
    relationship_avoid_contact = fields.Text(
        string="Avoid Contacting",
        help="The client's known busy slots, e.g. 'weekly meeting on Monday morning, "
        "shopping from 11:00 to 12:00'.",
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
    )
    relationship_deposit_percent = fields.Float(
        string="Deposit Share",
        default=0.3,
        help="Share of each quotation this client pays as a deposit.",
    )
    relationship_deposit_hint = fields.Char(
        string="Deposit Asked", compute="_compute_relationship_deposit_hint"
    )
    relationship_contract_ids = fields.One2many(
        "client.relationship.contract", "partner_id", string="Contracts"
    )
    relationship_contract_id = fields.Many2one(
        "client.relationship.contract",
        string="Contract in Force",
        compute="_compute_relationship_contract_id",
    )
    relationship_accepted_terms_id = fields.Many2one(
        "client.relationship.terms",
        string="Last Accepted Terms",
        compute="_compute_relationship_accepted_terms_id",
    )
    relationship_termination_ids = fields.One2many(
        "client.relationship.termination", "partner_id", string="Terminations"
    )
    relationship_handover_item_ids = fields.One2many(
        "client.relationship.handover.item", "partner_id", string="Handover Dossier"
    )
    relationship_handover_completeness = fields.Integer(
        string="Dossier Completeness",
        compute="_compute_relationship_handover_completeness",
        help="Share of the essentials the dossier covers: instructions, credentials, "
        "websites, file locations and recurring deadlines.",
    )

    # ------------------------------------------------------------------
    # Health
    # ------------------------------------------------------------------

    def _relationship_signals(self, company):
        """Signal values of the commercial partners `self`, by id, from the database.

        A fixed number of queries whatever the size of `self`.
        """
        ids = list(self.ids)
        today = fields.Date.context_today(self)
        year_ago = today - timedelta(days=365)
        signals = {
            pid: {
                "delay": 0.0,
                "overdue_amount": 0.0,
                "overdue_count": 0,
                "out_of_hours": 0,
                "incidents": 0,
                "revenue": 0.0,
            }
            for pid in ids
        }
        cr = self.env.cr

        # Lateness of each amount paid, whether the payment is reconciled with
        # the invoice (partials) or registered without a journal entry.
        cr.execute(
            SQL(
                """
            WITH paid AS (
                SELECT inv.commercial_partner_id AS partner_id, apr.amount AS amount,
                       GREATEST(apr.max_date - line.date_maturity, 0) AS delay
                  FROM account_partial_reconcile apr
                  JOIN account_move_line line ON line.id = apr.debit_move_id
                  JOIN account_move inv ON inv.id = line.move_id
                  JOIN account_move_line counterpart ON counterpart.id = apr.credit_move_id
                  JOIN account_move pay ON pay.id = counterpart.move_id
                 WHERE inv.commercial_partner_id = ANY(%(ids)s)
                   AND inv.move_type = 'out_invoice' AND inv.state = 'posted'
                   AND inv.company_id = %(company)s
                   AND pay.move_type = 'entry'
                   AND line.date_maturity IS NOT NULL
                   AND apr.max_date >= %(since)s
                UNION ALL
                SELECT inv.commercial_partner_id, ABS(pay.amount_company_currency_signed),
                       GREATEST(pay.date - inv.invoice_date_due, 0)
                  FROM account_payment pay
                  JOIN account_move__account_payment rel ON rel.payment_id = pay.id
                  JOIN account_move inv ON inv.id = rel.invoice_id
                 WHERE inv.commercial_partner_id = ANY(%(ids)s)
                   AND inv.move_type = 'out_invoice' AND inv.state = 'posted'
                   AND inv.company_id = %(company)s
                   AND pay.move_id IS NULL AND pay.state IN ('in_process', 'paid')
                   AND inv.invoice_date_due IS NOT NULL
                   AND pay.date >= %(since)s
            )
            SELECT partner_id, SUM(amount * delay) / NULLIF(SUM(amount), 0)
              FROM paid
          GROUP BY partner_id
            """,
                ids=ids,
                company=company.id,
                since=year_ago,
            )
        )
        for pid, delay in cr.fetchall():
            signals[pid]["delay"] = float(delay or 0.0)

        cr.execute(
            SQL(
                """
            SELECT commercial_partner_id,
                   SUM(amount_residual_signed) FILTER (WHERE %(overdue)s),
                   COUNT(*) FILTER (WHERE %(overdue)s),
                   SUM(amount_untaxed_signed) FILTER (WHERE invoice_date >= %(since)s)
              FROM account_move
             WHERE commercial_partner_id = ANY(%(ids)s)
               AND state = 'posted' AND company_id = %(company)s
               AND move_type IN ('out_invoice', 'out_refund')
          GROUP BY commercial_partner_id
            """,
                ids=ids,
                company=company.id,
                since=year_ago,
                overdue=SQL(
                    "move_type = 'out_invoice' AND payment_state IN ('not_paid', 'partial') "
                    "AND invoice_date_due < %s",
                    today,
                ),
            )
        )
        for pid, overdue_amount, overdue_count, revenue in cr.fetchall():
            signals[pid].update(
                overdue_amount=overdue_amount or 0.0,
                overdue_count=overdue_count,
                revenue=revenue or 0.0,
            )

        calendar = company.resource_calendar_id
        if calendar:
            cr.execute(
                SQL(
                    """
                WITH msg AS (
                    SELECT author.commercial_partner_id AS partner_id, m.date AS utc,
                           (m.date AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s AS local
                      FROM mail_message m
                      JOIN res_partner author ON author.id = m.author_id
                     WHERE author.commercial_partner_id = ANY(%(ids)s)
                       AND m.message_type IN ('email', 'comment')
                       AND m.date >= %(since)s
                )
                SELECT partner_id, COUNT(*)
                  FROM msg
                 WHERE NOT EXISTS (
                        SELECT 1 FROM resource_calendar_attendance att
                         WHERE att.calendar_id = %(calendar)s AND att.display_type IS NULL
                           AND att.dayofweek = (EXTRACT(ISODOW FROM msg.local)::int - 1)::text
                           AND EXTRACT(HOUR FROM msg.local) + EXTRACT(MINUTE FROM msg.local) / 60.0
                               >= att.hour_from
                           AND EXTRACT(HOUR FROM msg.local) + EXTRACT(MINUTE FROM msg.local) / 60.0
                               < att.hour_to)
                    OR EXISTS (
                        SELECT 1 FROM resource_calendar_leaves leave
                         WHERE leave.resource_id IS NULL
                           AND (leave.calendar_id = %(calendar)s OR leave.calendar_id IS NULL)
                           AND (leave.company_id = %(company)s OR leave.company_id IS NULL)
                           AND leave.date_from <= msg.utc AND msg.utc < leave.date_to)
              GROUP BY partner_id
                """,
                    ids=ids,
                    tz=calendar.tz or "UTC",
                    since=fields.Datetime.now() - timedelta(days=90),
                    calendar=calendar.id,
                    company=company.id,
                )
            )
            for pid, count in cr.fetchall():
                signals[pid]["out_of_hours"] = count

        cr.execute(
            SQL(
                """
            SELECT commercial_partner_id,
                   SUM(CASE severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END)
              FROM client_relationship_incident
             WHERE commercial_partner_id = ANY(%(ids)s) AND date >= %(since)s
               AND company_id = %(company)s
          GROUP BY commercial_partner_id
            """,
                ids=ids,
                since=year_ago,
                company=company.id,
            )
        )
        for pid, points in cr.fetchall():
            signals[pid]["incidents"] = points
        return signals

    @api.model
    def _relationship_penalties(self, signals, gut_feeling, profile_fit, company):
        """Points each signal costs, as (signal key, value, points), in display order."""

        def cost(weight, value, cap=None):
            points = weight * value
            return round(min(points, cap) if cap is not None else points)

        return [
            (
                "delay",
                signals["delay"],
                cost(
                    company.relationship_weight_payment_delay,
                    signals["delay"],
                    company.relationship_cap_payment_delay,
                ),
            ),
            (
                "overdue",
                signals["overdue_count"],
                cost(
                    company.relationship_weight_overdue,
                    signals["overdue_count"],
                    company.relationship_cap_overdue,
                ),
            ),
            (
                "out_of_hours",
                signals["out_of_hours"],
                cost(
                    company.relationship_weight_out_of_hours,
                    signals["out_of_hours"],
                    company.relationship_cap_out_of_hours,
                ),
            ),
            (
                "incidents",
                signals["incidents"],
                cost(
                    company.relationship_weight_incident,
                    signals["incidents"],
                    company.relationship_cap_incident,
                ),
            ),
            (
                "gut_feeling",
                int(gut_feeling or 0),
                cost(company.relationship_weight_gut_feeling, int(gut_feeling or 0)),
            ),
            (
                "profile",
                profile_fit == "mismatch",
                cost(company.relationship_weight_profile_mismatch, profile_fit == "mismatch"),
            ),
        ]

    @api.model
    def _relationship_band(self, score, company):
        if score < company.relationship_threshold_critical:
            return "critical"
        if score < company.relationship_threshold_watch:
            return "watch"
        return "good"

    def _recompute_relationship_health(self):
        """Recompute the health of the commercial partners of `self`.

        Signals are aggregated in SQL and written with one UPDATE, so the
        number of queries does not grow with the number of partners.
        """
        partners = self.commercial_partner_id
        if not partners:
            return
        company = self.env.company
        # The signals are read in SQL: invoices, payments and messages first reach the database.
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT id, relationship_gut_feeling, relationship_profile_fit, "
                "relationship_health_band FROM res_partner WHERE id = ANY(%s)",
                partners.ids,
            )
        )
        manual = {pid: (gut, fit, band) for pid, gut, fit, band in cr.fetchall()}
        signals = partners._relationship_signals(company)
        rows = []
        worsened = []
        for pid, values in signals.items():
            gut, fit, old_band = manual[pid]
            penalties = self._relationship_penalties(values, gut, fit, company)
            score = max(0, 100 - sum(points for __, __, points in penalties))
            band = self._relationship_band(score, company)
            if BAND_ORDER[band] > BAND_ORDER.get(old_band or "good", 0):
                worsened.append(pid)
            rows.append(
                (
                    pid,
                    round(values["delay"], 2),
                    values["overdue_amount"],
                    values["overdue_count"],
                    values["out_of_hours"],
                    values["incidents"],
                    values["revenue"],
                    score,
                    band,
                )
            )
        columns = list(zip(*rows, strict=True))
        cr.execute(
            SQL(
                """
            UPDATE res_partner partner
               SET relationship_payment_delay_avg = v.delay,
                   relationship_overdue_amount = v.overdue_amount,
                   relationship_overdue_count = v.overdue_count,
                   relationship_out_of_hours_count = v.out_of_hours,
                   relationship_incident_count = v.incidents,
                   relationship_revenue_12m = v.revenue,
                   relationship_health_score = v.score,
                   relationship_health_band = v.band,
                   relationship_health_date = NOW() AT TIME ZONE 'UTC'
              FROM unnest(%s::int[], %s::numeric[], %s::numeric[], %s::int[], %s::int[],
                          %s::int[], %s::numeric[], %s::int[], %s::varchar[])
                   AS v(id, delay, overdue_amount, overdue_count, out_of_hours, incidents,
                        revenue, score, band)
             WHERE partner.commercial_partner_id = v.id
               -- Rewriting unchanged rows would cost most of a nightly run.
               AND (partner.relationship_payment_delay_avg, partner.relationship_overdue_amount,
                    partner.relationship_overdue_count, partner.relationship_out_of_hours_count,
                    partner.relationship_incident_count, partner.relationship_revenue_12m,
                    partner.relationship_health_score, partner.relationship_health_band)
                   IS DISTINCT FROM
                   (v.delay, v.overdue_amount, v.overdue_count, v.out_of_hours, v.incidents,
                    v.revenue, v.score, v.band)
            """,
                *[list(column) for column in columns],
            )
        )
        self.env["res.partner"].invalidate_model(HEALTH_FIELDS)
        if worsened:
            self.browse(worsened)._relationship_on_worsened_band()

    def _relationship_on_worsened_band(self):
        """Alert once per worsening: a review activity, and active clients go under watch."""
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("res.partner")
        values = []
        for client in self:
            user = client.user_id or self.env.user
            # Written in the language of whoever will read it.
            partner = client.with_context(lang=user.lang or self.env.lang)
            values.append(
                {
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id,
                    "summary": partner.env._(
                        "Review the relationship with %(client)s", client=partner.name
                    ),
                    "note": partner.relationship_health_explanation,
                    "user_id": user.id,
                    "date_deadline": fields.Date.context_today(self),
                }
            )
        self.env["mail.activity"].sudo().create(values)
        self.filtered(lambda p: p.relationship_state == "active").write(
            {"relationship_state": "watch"}
        )

    def action_recompute_relationship_health(self):
        self._recompute_relationship_health()
        return True

    @api.model
    def _cron_recompute_relationship_health(self, batch_size=5000):
        self.env.cr.execute(
            "SELECT id FROM res_partner WHERE active AND id = commercial_partner_id ORDER BY id"
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        ir_cron = self.env["ir.cron"]
        ir_cron._commit_progress(remaining=len(ids))
        for start in range(0, len(ids), batch_size):
            batch = self.browse(ids[start : start + batch_size])
            batch._recompute_relationship_health()
            # Commit each finished batch: a crash later loses none of them.
            if not ir_cron._commit_progress(len(batch)):
                break
            self.env.invalidate_all()

    def _check_relationship_deposit_rights(self, changed):
        """Only managers set a client's deposit rule: `never` removes the deposit."""
        if (
            changed
            and not self.env.su
            and not self.env.user.has_group("client_relationship.group_relationship_manager")
        ):
            raise AccessError(
                self.env._("Only a relationship manager can change a client's deposit rule.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_relationship_deposit_rights(
            any(
                vals.get("relationship_deposit_policy", "company") != "company"
                for vals in vals_list
            )
        )
        return super().create(vals_list)

    def write(self, vals):
        self._check_relationship_deposit_rights(
            any(
                partner[fname] != vals[fname]
                for partner in self
                if partner.commercial_partner_id == partner
                for fname in ("relationship_deposit_policy", "relationship_deposit_percent")
                if fname in vals
            )
        )
        result = super().write(vals)
        if {"relationship_gut_feeling", "relationship_profile_fit"} & vals.keys():
            self._recompute_relationship_health()
        return result

    @api.depends_context("company", "lang")
    @api.depends(
        "relationship_payment_delay_avg",
        "relationship_overdue_count",
        "relationship_overdue_amount",
        "relationship_out_of_hours_count",
        "relationship_incident_count",
        "relationship_gut_feeling",
        "relationship_profile_fit",
    )
    def _compute_relationship_health_explanation(self):
        company = self.env.company
        for partner in self:
            signals = {
                "delay": partner.relationship_payment_delay_avg,
                "overdue_count": partner.relationship_overdue_count,
                "out_of_hours": partner.relationship_out_of_hours_count,
                "incidents": partner.relationship_incident_count,
            }
            penalties = self._relationship_penalties(
                signals,
                partner.relationship_gut_feeling,
                partner.relationship_profile_fit,
                company,
            )
            lines = [
                (partner._relationship_signal_label(key, value), points)
                for key, value, points in penalties
                if value
            ]
            if not lines:
                partner.relationship_health_explanation = Markup("<p>%s</p>") % self.env._(
                    "No warning sign: invoices paid on time, no incident, nothing out of hours."
                )
                continue
            items = Markup("").join(
                Markup("<li>%s: <strong>−%s</strong></li>") % (label, points)
                for label, points in lines
            )
            partner.relationship_health_explanation = Markup("<ul>%s</ul>") % items

    def _relationship_signal_label(self, key, value):
        if key == "delay":
            return self.env._(
                "Invoices paid %(days)s days late on average",
                days=formatLang(self.env, value, digits=1),
            )
        if key == "overdue":
            return self.env._(
                "%(count)s overdue invoice(s), %(amount)s due",
                count=value,
                amount=format_amount(
                    self.env, self.relationship_overdue_amount, self.env.company.currency_id
                ),
            )
        if key == "out_of_hours":
            return self.env._("%(count)s message(s) outside working hours in 90 days", count=value)
        if key == "incidents":
            return self.env._("%(points)s incident point(s) in 365 days", points=value)
        if key == "gut_feeling":
            return self.env._(
                "Gut feeling: %(feeling)s",
                feeling=dict(
                    self._fields["relationship_gut_feeling"]._description_selection(self.env)
                )[str(value)],
            )
        return self.env._("Does not match your ideal client profile")

    @api.depends("relationship_snapshot_ids.score")
    def _compute_relationship_health_trend(self):
        for partner in self:
            scores = partner.relationship_snapshot_ids.sorted("date")[-26:].mapped("score")
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

    @api.depends("relationship_handover_item_ids.category")
    @api.depends_context("company", "lang")
    @api.depends(
        "relationship_deposit_policy",
        "relationship_deposit_percent",
        "relationship_health_band",
        "is_company",
        "trust",
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
        ]

    def _compute_relationship_handover_completeness(self):
        essentials = {"instruction", "credential", "website", "file_location", "deadline"}
        for partner in self:
            covered = essentials & set(partner.relationship_handover_item_ids.mapped("category"))
            partner.relationship_handover_completeness = round(100 * len(covered) / len(essentials))

    def _compute_relationship_accepted_terms_id(self):
        accepted = (
            self.env["sale.order"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "child_of", self.commercial_partner_id.ids),
                    ("relationship_terms_id", "!=", False),
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

    def action_relationship_try_resolve(self):
        """The seed: try to solve the problem first, with a frank conversation."""
        self.ensure_one()
        if self.relationship_state in ("ending", "ended"):
            raise UserError(
                self.env._(
                    "The relationship with %(client)s is ending or ended: resume it first.",
                    client=self.display_name,
                )
            )
        self.write({"relationship_state": "mediation", "relationship_mediation_tried": True})
        self.activity_schedule(
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

    def action_relationship_back_to_normal(self):
        self.filtered(lambda p: p.relationship_state in ("watch", "mediation")).write(
            {"relationship_state": "active"}
        )
        return True

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

    def _handover_summary(self):
        """What the handover dossier prints, read as the person printing may see it."""
        self.ensure_one()
        orders = (
            self.env["sale.order"]
            .sudo()
            .search(
                [("partner_id", "child_of", self.id), ("state", "=", "sale")], order="date_order"
            )
        )
        items = self.relationship_handover_item_ids
        categories = [
            (key, label)
            for key, label in items._fields["category"]._description_selection(self.env)
            if key in items.mapped("category")
        ]
        return {
            "start": orders[:1].date_order.date() if orders else False,
            "orders": orders.filtered(lambda o: o.invoice_status in ("to invoice", "no")),
            "activities": self.activity_ids,
            "items": items,
            "categories": categories,
        }

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
        """The seed: do not run away if the client comes back with a solution."""
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
