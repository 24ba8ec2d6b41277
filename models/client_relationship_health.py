import json
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL, format_amount, formatLang

from ..const import BAND_ORDER, BANDS, GROUP_MANAGER, HEALTH_FIELDS
from .client_relationship_contract import is_singular

# The start of the nightly run under way: a call continues it with the clients
# not computed since then. A run older than this was abandoned (the job
# failed): the next call starts afresh rather than take it as done.
CRON_RUN_START = "client_relationship.health_run_start"
RUN_EXPIRY = timedelta(hours=20)
# Clients a batch of the nightly run computes, in one transaction of a few
# seconds. Once the runner's time budget is spent, each call lists what
# remains, then computes one batch: larger batches keep the calls few (25,000
# made the first run at 100,000 clients 5% faster than 20,000), but write no
# faster per client (50,000 did not).
BATCH_SIZE = 25000

# The partner's company-dependent fields that show a client's health in the
# current company, and the figure of the health row each one shows.

PARTNER_PROJECTION = {
    "relationship_payment_delay_avg": "payment_delay",
    "relationship_overdue_amount": "overdue_amount",
    "relationship_overdue_count": "overdue_count",
    "relationship_out_of_hours_count": "out_of_hours",
    "relationship_incident_count": "incident_points",
    "relationship_revenue_12m": "revenue",
    "relationship_revenue_share": "revenue_share",
}


def _id_array(ids):
    """SQL: the integer array ``ids``, for ``= ANY(…)``, as one value the planner
    does not look into. Spelled out, thousands of ids cost more to plan (an
    estimate per id) than the query takes to run, and the estimate of so many
    rows leads to scanning whole tables rather than following the indexes to
    the batch's own rows."""
    return SQL("CAST((SELECT %s::int[]) AS int[])", f"{{{','.join(map(str, ids))}}}")


class ClientRelationshipHealth(models.Model):
    """The health of one client in one company: what the signals measured,
    the score and band they give, and when they were last computed.

    Written only by the engine below, with a fixed number of queries per
    batch of clients; the partner's ``relationship_*`` health fields show the
    row of the current company.
    """

    _name = "client.relationship.health"
    _description = "Client Relationship Health"
    _order = "score, id"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Client",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, ondelete="cascade"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    score = fields.Integer(readonly=True, aggregator="avg")
    band = fields.Selection(BANDS, string="Health", readonly=True, required=True, default="good")
    measures = fields.Json(
        readonly=True, help="What each signal measured, by signal, in the company's currency."
    )
    computed_on = fields.Datetime(readonly=True, required=True)
    band_changed_on = fields.Datetime(string="Health Changed On", readonly=True)
    snapshot_ids = fields.One2many(
        "client.relationship.health.snapshot", "health_id", string="History", readonly=True
    )

    _partner_company_uniq = models.Constraint(
        "UNIQUE(partner_id, company_id)",
        "A client has one health per company.",
    )

    def init(self):
        # Every night rewrites every row: with half of each page left free, the
        # new version of a row goes next to the old one (a HOT update), and the
        # indexes are left alone.
        self.env.cr.execute(
            SQL("ALTER TABLE %s SET (fillfactor = 50)", SQL.identifier(self._table))
        )

    # ------------------------------------------------------------------
    # Signals
    # ------------------------------------------------------------------

    @api.model
    def _signals(self):
        """The signals of the score, in the order the explanation lists them.

        Each signal is a dict with
        - ``key``: where its value is kept in ``measures``;
        - ``weight`` and ``cap``: the res.company fields giving the points lost
          per unit and their maximum (``cap`` may be None);
        - ``measure(client_ids, company, measures)``: fills
          ``measures[client_id][key]`` (and any figure its label needs) for
          the commercial partners ``client_ids``, with a fixed number of queries;
        - ``label(measures)``: the explanation's line for one client.

        Another addon adds a signal by extending this method (see readme/).
        """
        return [
            {
                "key": "payment_delay",
                "weight": "relationship_weight_payment_delay",
                "cap": "relationship_cap_payment_delay",
                "measure": self._measure_payment_delay,
                "label": self._label_payment_delay,
            },
            {
                "key": "overdue_count",
                "weight": "relationship_weight_overdue",
                "cap": "relationship_cap_overdue",
                "measure": self._measure_invoices,
                "label": self._label_overdue,
            },
            {
                "key": "out_of_hours",
                "weight": "relationship_weight_out_of_hours",
                "cap": "relationship_cap_out_of_hours",
                "measure": self._measure_out_of_hours,
                "label": self._label_out_of_hours,
            },
            {
                "key": "incident_points",
                "weight": "relationship_weight_incident",
                "cap": "relationship_cap_incident",
                "measure": self._measure_incidents,
                "label": self._label_incidents,
            },
            {
                "key": "gut_feeling",
                "weight": "relationship_weight_gut_feeling",
                "cap": None,
                "measure": self._measure_instinct,
                "label": self._label_gut_feeling,
            },
            {
                "key": "profile_mismatch",
                "weight": "relationship_weight_profile_mismatch",
                "cap": None,
                "measure": self._measure_instinct,
                "label": self._label_profile_mismatch,
            },
        ]

    def _measure_payment_delay(self, client_ids, company, measures):
        """Lateness of each amount paid in 365 days, weighted by amount, whether
        the payment is reconciled with the invoice or registered without an entry."""
        since = fields.Date.context_today(self) - timedelta(days=365)
        self.env.cr.execute(
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
                ids=_id_array(client_ids),
                company=company.id,
                since=since,
            )
        )
        for pid, delay in self.env.cr.fetchall():
            measures[pid]["payment_delay"] = round(float(delay or 0.0), 2)

    def _measure_invoices(self, client_ids, company, measures):
        """Overdue invoices today, and the revenue of 12 months, net of credit notes."""
        today = fields.Date.context_today(self)
        overdue = SQL(
            "move_type = 'out_invoice' AND payment_state IN ('not_paid', 'partial') "
            "AND invoice_date_due < %s",
            today,
        )
        self.env.cr.execute(
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
                ids=_id_array(client_ids),
                company=company.id,
                since=today - timedelta(days=365),
                overdue=overdue,
            )
        )
        rows = self.env.cr.fetchall()
        total = self._company_revenue(company)
        for pid, overdue_amount, overdue_count, revenue in rows:
            measures[pid].update(
                overdue_amount=float(overdue_amount or 0.0),
                overdue_count=overdue_count,
                revenue=float(revenue or 0.0),
                revenue_share=round(float(revenue or 0.0) / total, 4) if total > 0 else 0.0,
            )

    def _company_revenue(self, company):
        """The company's revenue of 12 months, net of credit notes: what a
        client's share is measured against. The nightly job reads it once per
        company and passes it in the context."""
        if (known := self.env.context.get("relationship_company_revenue")) is not None:
            return known
        self.env.cr.execute(
            SQL(
                """
            SELECT COALESCE(SUM(amount_untaxed_signed), 0)
              FROM account_move
             WHERE company_id = %s AND state = 'posted'
               AND move_type IN ('out_invoice', 'out_refund') AND invoice_date >= %s
            """,
                company.id,
                fields.Date.context_today(self) - timedelta(days=365),
            )
        )
        return float(self.env.cr.fetchone()[0])

    def _measure_out_of_hours(self, client_ids, company, measures):
        """Messages from the client in 90 days outside the company's working hours."""
        calendar = company.resource_calendar_id
        if not calendar:
            return
        self.env.cr.execute(
            SQL(
                """
            SELECT author.commercial_partner_id, COUNT(*)
              FROM mail_message m
              JOIN res_partner author ON author.id = m.author_id
             WHERE author.commercial_partner_id = ANY(%(ids)s)
               AND m.message_type IN ('email', 'comment')
               AND m.date >= %(since)s
               AND (m.record_company_id IS NULL OR m.record_company_id = %(company)s)
               AND %(out_of_hours)s
          GROUP BY author.commercial_partner_id
            """,
                ids=_id_array(client_ids),
                since=fields.Datetime.now() - timedelta(days=90),
                company=company.id,
                out_of_hours=calendar._relationship_out_of_hours_sql(SQL("m.date"), company),
            )
        )
        for pid, count in self.env.cr.fetchall():
            measures[pid]["out_of_hours"] = count

    def _measure_incidents(self, client_ids, company, measures):
        """Incidents of 365 days, weighted by severity (1, 2 or 3 points)."""
        self.env.cr.execute(
            SQL(
                """
            SELECT commercial_partner_id,
                   SUM(CASE severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END)
              FROM client_relationship_incident
             WHERE commercial_partner_id = ANY(%(ids)s) AND date >= %(since)s
               AND company_id = %(company)s
          GROUP BY commercial_partner_id
            """,
                ids=_id_array(client_ids),
                since=fields.Date.context_today(self) - timedelta(days=365),
                company=company.id,
            )
        )
        for pid, points in self.env.cr.fetchall():
            measures[pid]["incident_points"] = points

    def _measure_instinct(self, client_ids, company, measures):
        """Your gut feeling and the client's fit with your ideal profile."""
        if all("gut_feeling" in measures[pid] for pid in client_ids):
            return  # both instinct signals share this query
        self.env.cr.execute(
            SQL(
                "SELECT id, relationship_gut_feeling, relationship_profile_fit "
                "FROM res_partner WHERE id = ANY(%s)",
                _id_array(client_ids),
            )
        )
        for pid, gut_feeling, profile_fit in self.env.cr.fetchall():
            measures[pid].update(
                gut_feeling=int(gut_feeling or 0),
                profile_mismatch=int(profile_fit == "mismatch"),
            )

    def _label_payment_delay(self, measures):
        days = round(measures["payment_delay"], 1)
        # « 21 jours », « 3,5 jours »: a decimal only when there is one.
        text = formatLang(self.env, days, digits=0 if days == int(days) else 1)
        if is_singular(self.env, days):
            return self.env._("Invoices paid %(days)s day late on average", days=text)
        return self.env._("Invoices paid %(days)s days late on average", days=text)

    def _label_overdue(self, measures):
        count = measures["overdue_count"]
        amount = format_amount(
            self.env, measures.get("overdue_amount", 0.0), self.env.company.currency_id
        )
        if is_singular(self.env, count):
            return self.env._(
                "%(count)s overdue invoice, %(amount)s due", count=count, amount=amount
            )
        return self.env._("%(count)s overdue invoices, %(amount)s due", count=count, amount=amount)

    def _label_out_of_hours(self, measures):
        return self.env._(
            "%(count)s message(s) outside working hours in 90 days",
            count=measures["out_of_hours"],
        )

    def _label_incidents(self, measures):
        return self.env._(
            "%(points)s incident point(s) in 365 days", points=measures["incident_points"]
        )

    def _label_gut_feeling(self, measures):
        selection = self.env["res.partner"]._fields["relationship_gut_feeling"]
        return self.env._(
            "Gut feeling: %(feeling)s",
            feeling=dict(selection._description_selection(self.env))[str(measures["gut_feeling"])],
        )

    def _label_profile_mismatch(self, measures):
        return self.env._("Does not match your ideal client profile")

    # ------------------------------------------------------------------
    # Score
    # ------------------------------------------------------------------

    @api.model
    def _penalties(self, measures, company):
        """(signal, points lost) of the signals that cost something, in display order."""
        penalties = []
        for signal in self._signals():
            value = measures.get(signal["key"], 0)
            points = company[signal["weight"]] * value
            if signal["cap"]:
                points = min(points, company[signal["cap"]])
            if value:
                penalties.append((signal, round(points)))
        return penalties

    @api.model
    def _band(self, score, company):
        if score < company.relationship_threshold_critical:
            return "critical"
        if score < company.relationship_threshold_watch:
            return "watch"
        return "good"

    def _explanation(self):
        """The score explained, in the language of the environment."""
        self.ensure_one()
        # Amounts are in the row's company currency, whoever reads them.
        return self.with_company(self.company_id)._explanation_html()

    def _explanation_html(self):
        lines = [
            (signal["label"](self.measures or {}), points)
            for signal, points in self._penalties(self.measures or {}, self.company_id)
        ]
        if not lines:
            return Markup("<p>%s</p>") % self.env._(
                "No warning sign: invoices paid on time, no incident, nothing out of hours."
            )
        line = Markup("<li>%s</li>") % Markup(self.env._("%(signal)s: %(points)s"))
        items = Markup("").join(
            line % {"signal": label, "points": Markup("<strong>−%s</strong>") % points}
            for label, points in lines
        )
        return Markup("<ul>%s</ul>") % items

    # ------------------------------------------------------------------
    # Engine
    # ------------------------------------------------------------------

    @api.model
    def _recompute(self, clients, company):
        """Recompute the health of the commercial partners ``clients`` in ``company``.

        A fixed number of queries whatever the number of clients: the signals
        are aggregated in SQL, the rows written with one upsert, the partners'
        company-dependent figures with one UPDATE of the rows that changed.
        """
        client_ids = clients.commercial_partner_id.ids
        if client_ids:
            self._recompute_clients(client_ids, company)

    def _recompute_clients(self, client_ids, company):
        """``_recompute`` of the ids ``client_ids`` of commercial partners, as
        the nightly job finds them: without reading them through the ORM."""
        # Invoices, payments and messages are read in SQL: they must reach it first.
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT partner_id, band FROM client_relationship_health "
                "WHERE company_id = %s AND partner_id = ANY(%s)",
                company.id,
                _id_array(client_ids),
            )
        )
        known_bands = dict(cr.fetchall())
        measures = {pid: {} for pid in client_ids}
        for signal in self._signals():
            signal["measure"](client_ids, company, measures)
        rows = []
        worsened = []
        # Clients whose signals measured the same get the same score and band:
        # computed once per batch for each set of signal values.
        signal_keys = [signal["key"] for signal in self._signals()]
        scored = {}
        for pid in client_ids:
            values = measures[pid]
            signal_values = tuple(values.get(key, 0) for key in signal_keys)
            if signal_values not in scored:
                penalties = self._penalties(values, company)
                score = max(0, 100 - sum(points for __, points in penalties))
                scored[signal_values] = score, self._band(score, company)
            score, band = scored[signal_values]
            old_band = known_bands.get(pid)
            # A client seen for the first time sets a baseline: no alert.
            if old_band and BAND_ORDER[band] > BAND_ORDER[old_band]:
                worsened.append(pid)
            rows.append((pid, score, band, values))
        self._write_rows(rows, company)
        self.invalidate_model()
        self._invalidate_partner_figures(client_ids)
        if worsened:
            self.with_company(company)._alert_worsened(self.env["res.partner"].browse(worsened))

    def _invalidate_partner_figures(self, client_ids):
        """The partners' figures were written in SQL: what the ORM has of them
        in cache is stale, and so is what is computed from them (the deposit
        hint, the dependency alert, the explanation). Only what is stored must
        be recomputed, on the partners the UPDATE went through: the rest is
        dropped from the cache, without looking for those partners."""
        Partner = self.env["res.partner"]
        dependents = {
            dependent
            for fname in HEALTH_FIELDS
            for dependent in self.pool.get_dependent_fields(Partner._fields[fname])
        }
        if any(dependent.store for dependent in dependents):
            partners = (
                Partner.sudo()
                .with_context(active_test=False)
                .search([("commercial_partner_id", "in", client_ids)])
            )
            partners.invalidate_recordset(HEALTH_FIELDS)
            partners.modified(HEALTH_FIELDS)
            return
        Partner.invalidate_model(HEALTH_FIELDS)
        for dependent in dependents:
            self.env[dependent.model_name].invalidate_model([dependent.name])

    def _alert_worsened(self, clients):
        """Alert once per worsening: a review activity for the salesperson, in
        their language, and active clients go under watch. The activity says
        nothing of the client: any user who reads contacts reads it."""
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("res.partner")
        # The nightly job runs as the system: its alerts go to a relationship
        # manager of the company when the client has no salesperson.
        fallback = self.env.user
        if fallback._is_superuser() or not fallback.active or fallback.share:
            fallback = self.env["res.users"].search(
                [
                    ("all_group_ids", "in", self.env.ref(GROUP_MANAGER).id),
                    ("company_ids", "in", self.env.company.id),
                    ("share", "=", False),
                ],
                order="id",
                limit=1,
            )
        healths = self.search(
            [("partner_id", "in", clients.ids), ("company_id", "=", self.env.company.id)]
        ).grouped("partner_id")
        values = []
        for client in clients:
            user = client.user_id or fallback
            health = healths[client].with_context(lang=user.lang or self.env.lang)
            values.append(
                {
                    "res_model_id": model_id,
                    "res_id": client.id,
                    "activity_type_id": activity_type.id,
                    "summary": health.env._(
                        "Review the relationship with %(client)s", client=client.name
                    ),
                    # On the contact, whoever may read it reads the activity: the
                    # explanation stays in the Relationship tab, for the addon's users.
                    "note": Markup("<p>%s</p>")
                    % health.env._(
                        "The relationship's health has worsened: the Relationship tab says why."
                    ),
                    "user_id": user.id,
                    "date_deadline": fields.Date.context_today(self),
                }
            )
        self.env["mail.activity"].sudo().create(values)
        clients.filtered(lambda c: c.relationship_state == "active").sudo().write(
            {"relationship_state": "watch"}
        )

    # ------------------------------------------------------------------
    # Who is a client
    # ------------------------------------------------------------------

    @api.model
    def _client_ids_sql(self, company):
        """The commercial partners that are clients of ``company``: customers,
        or with a quotation or a customer invoice there; never a company's own
        partner nor a user's."""
        return SQL(
            """
            SELECT p.id FROM res_partner p
             WHERE p.active AND p.id = p.commercial_partner_id
               AND (p.company_id IS NULL OR p.company_id = %(company)s)
               AND (p.customer_rank > 0
                    OR EXISTS (SELECT 1 FROM account_move m
                                WHERE m.commercial_partner_id = p.id
                                  AND m.move_type IN ('out_invoice', 'out_refund')
                                  AND m.company_id = %(company)s)
                    OR EXISTS (SELECT 1 FROM sale_order so
                                 JOIN res_partner c ON c.id = so.partner_id
                                WHERE c.commercial_partner_id = p.id
                                  AND so.company_id = %(company)s))
               AND NOT EXISTS (SELECT 1 FROM res_company rc WHERE rc.partner_id = p.id)
               AND NOT EXISTS (SELECT 1 FROM res_users u WHERE u.partner_id = p.id AND NOT u.share)
            """,
            company=company.id,
        )

    # ------------------------------------------------------------------
    # Nightly run
    # ------------------------------------------------------------------

    def _pending_sql(self, company, run_start):
        """Clients of ``company`` not computed there since the run began."""
        return SQL(
            """
            SELECT client.id FROM (%(clients)s) client
             WHERE NOT EXISTS (SELECT 1 FROM client_relationship_health h
                                WHERE h.partner_id = client.id AND h.company_id = %(company)s
                                  AND h.computed_on >= %(run_start)s)
            """,
            clients=self._client_ids_sql(company),
            company=company.id,
            run_start=run_start,
        )

    def _pending_ids(self, companies, run_start):
        """{company: ids} of the clients of each company not computed there
        since the run began, in id order: what remains of the run, exactly."""
        pending = {}
        for company in companies:
            self.env.cr.execute(SQL("%s ORDER BY client.id", self._pending_sql(company, run_start)))
            pending[company] = [row[0] for row in self.env.cr.fetchall()]
        return pending

    @api.model
    def _cron_recompute(self, batch_size=BATCH_SIZE):
        """Recompute every client of every company, in batches committed one by
        one. A call continues the run where the last one stopped, reports
        exactly what remains, and the run ends when no client is left.

        A call lists once, in one query per company, the clients the run has
        still to compute (company after company, in id order) and goes through
        them: no batch looks for its clients, and what remains is the length of
        the list. Through it, the call looks once more for the clients that
        appeared meanwhile."""
        params = self.env["ir.config_parameter"].sudo()
        run_start = params.get_param(CRON_RUN_START)
        # The database's clock, as for the health rows' computed_on: cron
        # workers on hosts whose clocks differ agree on what a run computed.
        now = self.env.cr.now()
        if not run_start or fields.Datetime.to_datetime(run_start) < now - RUN_EXPIRY:
            run_start = fields.Datetime.to_string(now)
            params.set_param(CRON_RUN_START, run_start)
        ir_cron = self.env["ir.cron"]
        # Every company runs the job; a database has a handful of them.
        companies = self.env["res.company"].sudo().search([], order="id")  # pylint: disable=no-search-all
        cr = self.env.cr
        # These queries read thousands of rows: the planner's costs ask for JIT
        # compilation, which takes longer than the queries themselves (seconds
        # per batch at 100,000 clients). For each transaction: a commit ends it.
        cr.execute("SET LOCAL jit = off")
        pending = self._pending_ids(companies, run_start)
        revenues, unreported = {}, 0
        while company := next((c for c in companies if pending[c]), None):
            client_ids = pending[company][:batch_size]
            pending[company] = pending[company][batch_size:]
            if company not in revenues:
                revenues[company] = self._company_revenue(company)
            # A system job: every company's clients, whoever its user may see.
            self.sudo().with_company(company).with_context(
                relationship_company_revenue=revenues[company]
            )._recompute_clients(client_ids, company)
            if not any(pending.values()):
                # Through the list: those that became clients since it was
                # made, behind the run, are looked for once more.
                pending = self._pending_ids(companies, run_start)
                if not any(pending.values()):
                    unreported = len(client_ids)
                    break
            # Each finished batch is committed: a crash or a time-out loses none.
            remaining = sum(len(ids) for ids in pending.values())
            if not ir_cron._commit_progress(len(client_ids), remaining=remaining):
                return
            self.env.invalidate_all()
            cr.execute("SET LOCAL jit = off")
        # The runner calls no more once nothing remains: the next night's
        # first call starts a new run.
        params.set_param(CRON_RUN_START, False)
        ir_cron._commit_progress(unreported, remaining=0)

    def _write_rows(self, rows, company):
        """One statement: the upsert of the health rows, then the UPDATE of the
        partners' figures in this company, rewriting only the partners whose
        figures changed. The rows travel once, as one JSON document.

        A figure is written as the ORM writes a company-dependent value: left
        out when it is the field's fallback (no overdue invoice, a clean bill of
        health), which reads the same, and leaves the field's index alone."""
        # The database's clock, to the second as Datetime fields hold it.
        now = self.env.cr.now().replace(microsecond=0)
        key = str(company.id)
        Partner = self.env["res.partner"].with_company(company)

        def fallback(fname):
            field = Partner._fields[fname]
            value = field.get_company_dependent_fallback(Partner)
            value = field.convert_to_column(field.convert_to_write(value, Partner), Partner)
            return None if value is None else json.dumps(value)

        projected = [
            (fname, SQL("COALESCE(v.measures -> %s, '0'::jsonb)", figure))
            for fname, figure in PARTNER_PROJECTION.items()
        ] + [
            ("relationship_health_score", SQL("to_jsonb(v.score)")),
            ("relationship_health_band", SQL("to_jsonb(v.band)")),
            # When the band of the health row last changed, as the ORM writes a datetime.
            (
                "relationship_health_date",
                SQL("to_jsonb(to_char(health.band_changed_on, 'YYYY-MM-DD HH24:MI:SS'))"),
            ),
        ]
        projected = [(fname, value, fallback(fname)) for fname, value in projected]
        # The contacts of a client show its figures too, as they did when
        # health lived on the partner.
        self.env.cr.execute(
            SQL(
                """
            WITH v AS MATERIALIZED (
                SELECT (health_row ->> 0)::int AS pid, (health_row ->> 1)::int AS score,
                       (health_row ->> 2)::varchar AS band, health_row -> 3 AS measures
                  FROM jsonb_array_elements(%(rows)s::jsonb) health_row
            ), health AS (
                INSERT INTO client_relationship_health AS h
                       (partner_id, company_id, score, band, measures, computed_on,
                        band_changed_on, create_uid, create_date, write_uid, write_date)
                SELECT v.pid, %(company)s, v.score, v.band, v.measures, %(now)s, %(now)s,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM v
                ON CONFLICT (partner_id, company_id) DO UPDATE
                   SET score = EXCLUDED.score, band = EXCLUDED.band,
                       measures = EXCLUDED.measures, computed_on = EXCLUDED.computed_on,
                       band_changed_on = CASE WHEN h.band = EXCLUDED.band THEN h.band_changed_on
                                              ELSE EXCLUDED.computed_on END,
                       write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
             RETURNING h.partner_id, h.band_changed_on
            )
            UPDATE res_partner p
               SET %(assignments)s
              FROM v JOIN health ON health.partner_id = v.pid
             WHERE p.commercial_partner_id = v.pid AND (%(changed)s)
            """,
                assignments=SQL(", ").join(
                    SQL(
                        """%(column)s = CASE
                            WHEN %(value)s IS DISTINCT FROM %(fallback)s::jsonb
                            THEN COALESCE(p.%(column)s, '{}'::jsonb)
                                 || jsonb_build_object(%(key)s, %(value)s)
                            ELSE NULLIF(p.%(column)s - %(key)s, '{}'::jsonb) END""",
                        column=SQL.identifier(fname),
                        key=key,
                        value=value,
                        fallback=fallback_value,
                    )
                    for fname, value, fallback_value in projected
                ),
                changed=SQL(" OR ").join(
                    SQL(
                        "COALESCE(p.%s -> %s, %s::jsonb) IS DISTINCT FROM %s",
                        SQL.identifier(fname),
                        key,
                        fallback_value,
                        value,
                    )
                    for fname, value, fallback_value in projected
                ),
                rows=json.dumps(rows),
                company=company.id,
                uid=self.env.uid,
                now=now,
            )
        )
