"""Time the nightly recompute against the hand-written SQL lower bound.

Run by tools/bench.sh through `odoo-bin shell`; prints the figures.
"""

import time
from datetime import timedelta

from odoo import fields

env = env  # noqa: F821, PLW0127 - provided by odoo-bin shell
cr = env.cr
company = env.company
calendar = company.resource_calendar_id
Partner = env["res.partner"]

cr.execute("SELECT COUNT(*) FROM res_partner WHERE active AND id = commercial_partner_id")
partners = cr.fetchone()[0]
cr.execute("SELECT COUNT(*) FROM account_move_line")
lines = cr.fetchone()[0]
cr.execute("SELECT COUNT(*) FROM mail_message")
messages = cr.fetchone()[0]

# The lower bound: one query that computes every signal of every client, and
# only reads (the recompute also writes them).
LOWER_BOUND = """
WITH clients AS (SELECT id FROM res_partner WHERE active AND id = commercial_partner_id),
paid AS (
    SELECT inv.commercial_partner_id AS partner_id,
           SUM(apr.amount * GREATEST(apr.max_date - line.date_maturity, 0))
               / NULLIF(SUM(apr.amount), 0) AS delay
      FROM account_partial_reconcile apr
      JOIN account_move_line line ON line.id = apr.debit_move_id
      JOIN account_move inv ON inv.id = line.move_id
      JOIN account_move_line counterpart ON counterpart.id = apr.credit_move_id
      JOIN account_move pay ON pay.id = counterpart.move_id
     WHERE inv.move_type = 'out_invoice' AND inv.state = 'posted' AND inv.company_id = %(company)s
       AND pay.move_type = 'entry' AND line.date_maturity IS NOT NULL AND apr.max_date >= %(year_ago)s
  GROUP BY inv.commercial_partner_id
),
moves AS (
    SELECT commercial_partner_id AS partner_id,
           SUM(amount_residual_signed) FILTER (WHERE move_type = 'out_invoice'
               AND payment_state IN ('not_paid', 'partial') AND invoice_date_due < %(today)s) AS overdue,
           COUNT(*) FILTER (WHERE move_type = 'out_invoice'
               AND payment_state IN ('not_paid', 'partial') AND invoice_date_due < %(today)s) AS overdue_count,
           SUM(amount_untaxed_signed) FILTER (WHERE invoice_date >= %(year_ago)s) AS revenue
      FROM account_move
     WHERE state = 'posted' AND company_id = %(company)s AND move_type IN ('out_invoice', 'out_refund')
  GROUP BY commercial_partner_id
),
msg AS (
    SELECT author.commercial_partner_id AS partner_id, m.date AS utc,
           (m.date AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s AS local
      FROM mail_message m JOIN res_partner author ON author.id = m.author_id
     WHERE m.message_type IN ('email', 'comment') AND m.date >= %(since)s
),
night AS (
    SELECT partner_id, COUNT(*) AS out_of_hours FROM msg
     WHERE NOT EXISTS (
            SELECT 1 FROM resource_calendar_attendance att
             WHERE att.calendar_id = %(calendar)s AND att.display_type IS NULL
               AND att.dayofweek = (EXTRACT(ISODOW FROM msg.local)::int - 1)::text
               AND EXTRACT(HOUR FROM msg.local) + EXTRACT(MINUTE FROM msg.local) / 60.0 >= att.hour_from
               AND EXTRACT(HOUR FROM msg.local) + EXTRACT(MINUTE FROM msg.local) / 60.0 < att.hour_to)
        OR EXISTS (
            SELECT 1 FROM resource_calendar_leaves leave
             WHERE leave.resource_id IS NULL
               AND (leave.calendar_id = %(calendar)s OR leave.calendar_id IS NULL)
               AND (leave.company_id = %(company)s OR leave.company_id IS NULL)
               AND leave.date_from <= msg.utc AND msg.utc < leave.date_to)
  GROUP BY partner_id
),
incidents AS (
    SELECT commercial_partner_id AS partner_id,
           SUM(CASE severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END) AS points
      FROM client_relationship_incident
     WHERE date >= %(year_ago)s AND company_id = %(company)s
  GROUP BY commercial_partner_id
)
SELECT c.id, paid.delay, moves.overdue, moves.overdue_count, moves.revenue,
       night.out_of_hours, incidents.points
  FROM clients c
  LEFT JOIN paid ON paid.partner_id = c.id
  LEFT JOIN moves ON moves.partner_id = c.id
  LEFT JOIN night ON night.partner_id = c.id
  LEFT JOIN incidents ON incidents.partner_id = c.id
"""
today = fields.Date.today()
params = {
    "company": company.id,
    "today": today,
    "year_ago": today - timedelta(days=365),
    "since": fields.Datetime.now() - timedelta(days=90),
    "tz": calendar.tz or "UTC",
    "calendar": calendar.id,
}


def best_of(runs, function):
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return min(timings)


def lower_bound():
    cr.execute(LOWER_BOUND, params)
    cr.fetchall()


def cron():
    Partner._cron_recompute_relationship_health()


lower = best_of(3, lower_bound)
first = best_of(1, cron)
steady = best_of(2, cron)
cr.execute(
    "SELECT relationship_health_band, COUNT(*) FROM res_partner "
    "WHERE id = commercial_partner_id GROUP BY 1 ORDER BY 1"
)
bands = dict(cr.fetchall())
print(f"clients: {partners:,}  invoice lines: {lines:,}  messages: {messages:,}")
print(f"bands after recompute: {bands}")
print(f"lower bound (one SQL query, read only): {lower:.2f} s")
# On a freshly built database the first run also writes every score and
# raises the review alerts of every worsened client; later runs write only
# what changed, as the nightly cron does.
print(f"cron recompute, run 1:      {first:.2f} s = {partners / first:,.0f} clients/s")
print(f"cron recompute, runs 2-3:   {steady:.2f} s = {partners / steady:,.0f} clients/s")
print(f"ratio to the lower bound: {steady / lower:.2f} (run 1: {first / lower:.2f})")
