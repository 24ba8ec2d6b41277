"""Time the nightly health recompute, run by Odoo's own cron runner, against a
hand-written SQL lower bound; run by tools/bench.sh through `odoo-bin shell` on a
freshly built copy of a bench database.

Prints the figures and writes them as JSON to $BENCH_RESULTS (for report.py).
BENCH_WARM_RUNS (default 2) sets how many warm runs follow run 1, BENCH_LOWER_RUNS
(default 3) how many times the lower bound is timed.
"""

import json
import os
import subprocess
import time
from datetime import timedelta

from odoo import fields
from odoo.tools import SQL

env = env  # noqa: F821, PLW0127 - provided by odoo-bin shell
registry = env.registry
WARM_RUNS = int(os.environ.get("BENCH_WARM_RUNS", "2"))
LOWER_RUNS = int(os.environ.get("BENCH_LOWER_RUNS", "3"))
RUN_START = "client_relationship.health_run_start"

Health = env["client.relationship.health"]
IrCron = registry["ir.cron"]
cron_id = env.ref("client_relationship.ir_cron_recompute_relationship_health").id
companies = env["res.company"].search([], order="id")
# Nothing of this shell's transaction may hold a lock the runner's cursors wait for.
env.cr.rollback()


def scalar(query, *args):
    with registry.cursor() as cr:
        cr.execute(SQL(query, *args))
        return cr.fetchone()[0]


clients = {
    company.id: scalar("SELECT COUNT(*) FROM (%s) client", Health._client_ids_sql(company))
    for company in companies
}
total_clients = sum(clients.values())

# --- the lower bound ---------------------------------------------------------------------
# One read-only query computing every signal of every client of every company, as the
# engine defines them (the engine also writes them, in batches, through the runner).
LOWER_BOUND = """
WITH company AS (
    SELECT c.id, cal.id AS calendar_id, COALESCE(cal.tz, 'UTC') AS tz
      FROM res_company c JOIN resource_calendar cal ON cal.id = c.resource_calendar_id
),
client AS (
    SELECT co.id AS company_id, p.id AS partner_id,
           COALESCE(p.relationship_gut_feeling, '0')::int AS gut_feeling,
           (p.relationship_profile_fit = 'mismatch')::int AS profile_mismatch
      FROM res_partner p JOIN company co ON p.company_id IS NULL OR p.company_id = co.id
     WHERE p.active AND p.id = p.commercial_partner_id
       AND (p.customer_rank > 0
            OR EXISTS (SELECT 1 FROM account_move m
                        WHERE m.commercial_partner_id = p.id AND m.company_id = co.id
                          AND m.move_type IN ('out_invoice', 'out_refund'))
            OR EXISTS (SELECT 1 FROM sale_order so JOIN res_partner c ON c.id = so.partner_id
                        WHERE c.commercial_partner_id = p.id AND so.company_id = co.id))
       AND NOT EXISTS (SELECT 1 FROM res_company rc WHERE rc.partner_id = p.id)
       AND NOT EXISTS (SELECT 1 FROM res_users u WHERE u.partner_id = p.id)
),
paid AS (
    SELECT partner_id, company_id, SUM(amount * delay) / NULLIF(SUM(amount), 0) AS delay
      FROM (SELECT inv.commercial_partner_id AS partner_id, inv.company_id, apr.amount,
                   GREATEST(apr.max_date - line.date_maturity, 0) AS delay
              FROM account_partial_reconcile apr
              JOIN account_move_line line ON line.id = apr.debit_move_id
              JOIN account_move inv ON inv.id = line.move_id
              JOIN account_move_line counterpart ON counterpart.id = apr.credit_move_id
              JOIN account_move pay ON pay.id = counterpart.move_id
             WHERE inv.move_type = 'out_invoice' AND inv.state = 'posted'
               AND pay.move_type = 'entry' AND line.date_maturity IS NOT NULL
               AND apr.max_date >= %(year_ago)s
            UNION ALL
            SELECT inv.commercial_partner_id, inv.company_id,
                   ABS(pay.amount_company_currency_signed),
                   GREATEST(pay.date - inv.invoice_date_due, 0)
              FROM account_payment pay
              JOIN account_move__account_payment rel ON rel.payment_id = pay.id
              JOIN account_move inv ON inv.id = rel.invoice_id
             WHERE inv.move_type = 'out_invoice' AND inv.state = 'posted'
               AND pay.move_id IS NULL AND pay.state IN ('in_process', 'paid')
               AND inv.invoice_date_due IS NOT NULL AND pay.date >= %(year_ago)s) payment
  GROUP BY partner_id, company_id
),
moves AS (
    SELECT commercial_partner_id AS partner_id, company_id,
           SUM(amount_residual_signed) FILTER (WHERE move_type = 'out_invoice'
               AND payment_state IN ('not_paid', 'partial') AND invoice_date_due < %(today)s)
               AS overdue_amount,
           COUNT(*) FILTER (WHERE move_type = 'out_invoice'
               AND payment_state IN ('not_paid', 'partial') AND invoice_date_due < %(today)s)
               AS overdue_count,
           SUM(amount_untaxed_signed) FILTER (WHERE invoice_date >= %(year_ago)s) AS revenue
      FROM account_move
     WHERE state = 'posted' AND move_type IN ('out_invoice', 'out_refund')
  GROUP BY commercial_partner_id, company_id
),
message AS (
    SELECT author.commercial_partner_id AS partner_id, co.id AS company_id, co.calendar_id,
           m.date AS utc, (m.date AT TIME ZONE 'UTC') AT TIME ZONE co.tz AS local
      FROM mail_message m
      JOIN res_partner author ON author.id = m.author_id
      JOIN company co ON m.record_company_id IS NULL OR m.record_company_id = co.id
     WHERE m.message_type IN ('email', 'comment') AND m.date >= %(since)s
),
night AS (
    SELECT partner_id, company_id, COUNT(*) AS out_of_hours
      FROM message msg
     WHERE NOT EXISTS (
            SELECT 1 FROM resource_calendar_attendance att
             WHERE att.calendar_id = msg.calendar_id AND att.display_type IS NULL
               AND att.dayofweek = (EXTRACT(ISODOW FROM msg.local)::int - 1)::text
               AND EXTRACT(HOUR FROM msg.local) + EXTRACT(MINUTE FROM msg.local) / 60.0
                   >= att.hour_from
               AND EXTRACT(HOUR FROM msg.local) + EXTRACT(MINUTE FROM msg.local) / 60.0
                   < att.hour_to)
        OR EXISTS (
            SELECT 1 FROM resource_calendar_leaves leave
             WHERE leave.resource_id IS NULL
               AND (leave.calendar_id = msg.calendar_id OR leave.calendar_id IS NULL)
               AND (leave.company_id = msg.company_id OR leave.company_id IS NULL)
               AND leave.date_from <= msg.utc AND msg.utc < leave.date_to)
  GROUP BY partner_id, company_id
),
incident AS (
    SELECT commercial_partner_id AS partner_id, company_id,
           SUM(CASE severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END) AS points
      FROM client_relationship_incident
     WHERE date >= %(year_ago)s
  GROUP BY commercial_partner_id, company_id
)
SELECT client.company_id, client.partner_id, paid.delay, moves.overdue_amount,
       moves.overdue_count, moves.revenue, night.out_of_hours, incident.points,
       client.gut_feeling, client.profile_mismatch
  FROM client
  LEFT JOIN paid USING (partner_id, company_id)
  LEFT JOIN moves USING (partner_id, company_id)
  LEFT JOIN night USING (partner_id, company_id)
  LEFT JOIN incident USING (partner_id, company_id)
"""
SIGNALS = (
    "payment_delay",
    "overdue_amount",
    "overdue_count",
    "revenue",
    "out_of_hours",
    "incident_points",
    "gut_feeling",
    "profile_mismatch",
)
today = fields.Date.today()
params = {
    "today": today,
    "year_ago": today - timedelta(days=365),
    "since": fields.Datetime.now() - timedelta(days=90),
}


def lower_bound():
    with registry.cursor() as cr:
        # Its best: JIT compiles this query for longer than it runs.
        cr.execute("SET LOCAL jit = off")
        started = time.perf_counter()
        cr.execute(LOWER_BOUND, params)
        rows = cr.fetchall()
        return time.perf_counter() - started, rows


# --- the nightly run, through Odoo's cron runner -------------------------------------------


def last_progress(cr):
    cr.execute(
        "SELECT id, done, remaining FROM ir_cron_progress WHERE cron_id = %s "
        "ORDER BY id DESC LIMIT 1",
        [cron_id],
    )
    return cr.fetchone() or (0, 0, None)


def nightly_run():
    """One night's run, as the scheduler runs it: the job falls due, the runner's loop
    (`_process_jobs_loop` → `_process_job` → `_run_job`) calls the cron within its time
    budget, and again, rescheduled at once by the runner, while it reports clients
    remaining. Returns (seconds, runner passes, cron calls)."""
    # The engine knows what a run computed by its start, to the second: each run
    # starts in a second of its own, not in the last one of the run before.
    time.sleep(1)
    with registry.cursor() as cr:
        # The engine dates its work by the database's clock.
        started_at = cr.now().replace(microsecond=0)
        first_progress = last_progress(cr)[0]
        cr.execute(
            "UPDATE ir_cron SET nextcall = %s, failure_count = 0 WHERE id = %s",
            [fields.Datetime.now() - timedelta(seconds=1), cron_id],
        )
    passes = 0
    started = time.perf_counter()
    while True:
        with registry.cursor() as cron_cr:
            IrCron._process_jobs_loop(cron_cr, job_ids=[cron_id])
        passes += 1
        with registry.cursor() as cr:
            progress, __, remaining = last_progress(cr)
            cr.execute("SELECT failure_count FROM ir_cron WHERE id = %s", [cron_id])
            failures = cr.fetchone()[0]
        if failures or progress == first_progress:
            raise SystemExit("the cron failed or did not run: see the log above")
        if remaining == 0:
            break
    elapsed = time.perf_counter() - started
    with registry.cursor() as cr:
        cr.execute(
            "SELECT COUNT(*) FROM ir_cron_progress WHERE cron_id = %s AND id > %s",
            [cron_id, first_progress],
        )
        calls = cr.fetchone()[0]
        cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s", [RUN_START])
        assert not (cr.fetchone() or [None])[0], "the run is over: no run start left"
        cr.execute(
            "SELECT COUNT(*) FROM client_relationship_health WHERE computed_on >= %s",
            [started_at],
        )
        computed = cr.fetchone()[0]
    assert computed == total_clients, f"the run computed {computed} of {total_clients} clients"
    return elapsed, passes, calls


def between_nights():
    """What autovacuum does between two nights (this server may run without
    it): the rows a run rewrote are vacuumed, the statistics refreshed."""
    # Odoo's cursors read in repeatable read: this shell's transaction, opened by
    # the figures it printed, would keep the rows a night replaced from vacuum.
    env.cr.rollback()
    subprocess.run(
        [
            "psql",
            "-d",
            registry.db_name,
            "-qc",
            "VACUUM ANALYZE client_relationship_health, res_partner",
        ],
        check=True,
    )


def health_rows():
    with registry.cursor() as cr:
        cr.execute(
            "SELECT company_id, partner_id, band, measures, computed_on "
            "FROM client_relationship_health"
        )
        return cr.fetchall()


def spread(timings):
    return (max(timings) - min(timings)) / min(timings)


def seconds(timings):
    return ", ".join(f"{timing:.2f}" for timing in timings)


def say(text):
    print(text, flush=True)


with registry.cursor() as cr:
    cr.execute("SELECT COUNT(*) FROM client_relationship_health")
    assert not cr.fetchone()[0], "run 1 needs a freshly built database (tools/bench.sh)"
    cr.execute("SELECT COUNT(*) FROM account_move_line")
    lines = cr.fetchone()[0]
    cr.execute("SELECT COUNT(*) FROM mail_message")
    messages = cr.fetchone()[0]
    cr.execute("SELECT COUNT(*) FROM mail_activity")
    activities_before = cr.fetchone()[0]
per_company = ", ".join(
    f"{company.name} ({company.currency_id.name}): {clients[company.id]:,}" for company in companies
)
say(f"clients: {total_clients:,} in {len(companies)} companies ({per_company})")
say(f"invoice and payment lines: {lines:,}  messages: {messages:,}")

lower_timings, bound = [], None
for __ in range(LOWER_RUNS):
    timing, bound = lower_bound()
    lower_timings.append(timing)
lower = min(lower_timings)
say(
    f"lower bound (one SQL query, read only): best {lower:.2f} s of {seconds(lower_timings)} "
    f"(spread {spread(lower_timings):.0%}) = {total_clients / lower:,.0f} clients/s"
)

first, first_passes, first_calls = nightly_run()
say(
    f"cron run 1 (first computation): {first:.2f} s = {total_clients / first:,.0f} clients/s, "
    f"{first / lower:.2f}x the lower bound ({first_passes} runner passes, {first_calls} cron calls)"
)
rows = health_rows()
assert len(rows) == total_clients, f"run 1 computed {len(rows)} of {total_clients} clients"
with registry.cursor() as cr:
    cr.execute("SELECT COUNT(*) FROM mail_activity")
    assert cr.fetchone()[0] == activities_before, "a first computation raises no alert"

# The lower bound computes what the engine measured, client by client.
engine = {(row[0], row[1]): row[3] for row in rows}
differences = []
for company_id, partner_id, *values in bound:
    measures = engine.get((company_id, partner_id))
    if measures is None:
        differences.append((company_id, partner_id, "not computed by the engine"))
        continue
    for key, value in zip(SIGNALS, values, strict=True):
        # The engine rounds the payment delay to 2 digits.
        if abs(float(value or 0) - float(measures.get(key) or 0)) > 0.006:
            differences.append((company_id, partner_id, key, value, measures.get(key)))
assert len(bound) == total_clients, f"the lower bound has {len(bound)} clients"
assert not differences, f"the lower bound and the engine differ: {differences[:5]}"
bands = {}
for company_id, __, band, *___ in rows:
    bands.setdefault(company_id, {}).setdefault(band, 0)
    bands[company_id][band] += 1
for company in companies:
    say(f"bands in {company.name}: {dict(sorted(bands.get(company.id, {}).items()))}")
say(
    f"run 1 created the {len(rows):,} health rows, raised no alert, and found for each "
    f"client the {len(SIGNALS)} figures of the lower bound"
)

warm_timings = []
for run in range(WARM_RUNS):
    between_nights()
    warm_timings.append(nightly_run()[0])
    say(
        f"cron run {run + 2} (warm): {warm_timings[-1]:.2f} s "
        f"= {total_clients / warm_timings[-1]:,.0f} clients/s"
    )
warm = min(warm_timings)
say(
    f"cron warm runs: best {warm:.2f} s of {seconds(warm_timings)} "
    f"(spread {spread(warm_timings):.0%}) = {total_clients / warm:,.0f} clients/s, "
    f"{warm / lower:.2f}x the lower bound; run 1: {first / lower:.2f}x"
)
if os.environ.get("BENCH_RESULTS"):
    with open(os.environ["BENCH_RESULTS"], "w") as file:
        json.dump(
            {
                "clients": total_clients,
                "lower": lower_timings,
                "first": first,
                "warm": warm_timings,
            },
            file,
        )
