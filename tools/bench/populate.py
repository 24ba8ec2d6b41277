"""Benchmark data, run by tools/bench.sh through `odoo-bin shell` (commits at the end).

Two companies — the database's own (dollars) and a second one in euros with its own
chart of accounts and calendar — share the clients half and half. In each company,
templates are made through the ORM (a partner, an invoice posted, a payment entry
reconciled with it, a quotation, an incident, a message), then copied in bulk with
SQL, varying partners, dates, amounts and payment states: data the ORM accepts
(same columns and links), at a speed the ORM alone would not reach.

The clients are of every kind `_client_ids_sql` knows: customers of one company
(customer_rank > 0, the partner's company set), partners shared by every company
(no company, no rank) who are clients through their invoices or through a
quotation only; around them, contacts of the clients and vendors who are no
client at all. BENCH_SCALE=0.1 builds the same database with 10,000 clients.
"""

import json
import logging
import os
import time
from datetime import datetime, timedelta

from odoo import fields
from odoo.fields import Command
from odoo.tools import SQL

from odoo.addons.client_relationship.models.client_relationship_health import PARTNER_PROJECTION

_logger = logging.getLogger("client_relationship.bench")

# Bumped whenever the data below changes: tools/bench.sh rebuilds older databases.
VERSION = "3"
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
CLIENTS = int(100_000 * SCALE)  # half in each company; even, so each half keeps its parity
INVOICES = int(111_112 * SCALE)  # 9 lines each: 8 product lines and the receivable line
MESSAGES = int(300_000 * SCALE)
INCIDENTS = int(20_000 * SCALE)
VENDORS = CLIENTS // 10

env = env  # noqa: F821, PLW0127 - provided by odoo-bin shell
cr = env.cr
today = fields.Date.today()


def columns(table, overrides):
    """Columns of `table` but id; overridden ones take an SQL expression."""
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
        [table],
    )
    names = [row[0] for row in cr.fetchall()]
    unknown = set(overrides) - set(names)
    assert not unknown, f"{table} has no column {unknown}"
    return ", ".join(f'"{n}"' for n in names), ", ".join(
        overrides.get(n, f't."{n}"') for n in names
    )


def copy_rows(table, source_sql, overrides, params=None):
    """INSERT INTO table SELECT <template columns with overrides> FROM <source_sql> ..."""
    target, select = columns(table, overrides)
    started = time.time()
    cr.execute(f"INSERT INTO {table} ({target}) SELECT {select} FROM {source_sql}", params or {})
    _logger.info("%s: %s rows in %.1f s", table, cr.rowcount, time.time() - started)
    # Fresh statistics, or the planner joins the next bulk copies row by row.
    cr.execute(f"ANALYZE {table}")


def scaled(table, factor, names=None):
    """Overrides multiplying the money columns of `table` by the SQL `factor`."""
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND data_type = 'numeric'",
        [table],
    )
    money = {row[0] for row in cr.fetchall()} - {"quantity", "discount", "invoice_currency_rate"}
    return {n: f't."{n}" * {factor}' for n in money if names is None or n in names}


# --- two companies, each with its working hours and a public holiday -------------
company_a = env.company
company_a.resource_calendar_id.tz = "America/New_York"
euro = env.ref("base.EUR")
euro.active = True
company_b = env["res.company"].create({"name": "Bench Secrétariat (EUR)", "currency_id": euro.id})
env["account.chart.template"].try_loading("generic_coa", company_b, install_demo=False)
company_b.currency_id = euro
company_b.resource_calendar_id.tz = "Europe/Paris"
env.user.company_ids |= company_b
holiday = datetime.combine(today - timedelta(days=20), datetime.min.time())
env["resource.calendar.leaves"].create(
    [
        {
            "name": "Jour férié",
            "company_id": company.id,
            # A's holiday is its calendar's; B's is a public holiday (every calendar).
            "calendar_id": company.resource_calendar_id.id if company == company_a else False,
            "date_from": holiday,
            "date_to": holiday + timedelta(days=1),
        }
        for company in (company_a, company_b)
    ]
)
admin_partner = env.user.partner_id


# --- templates, through the ORM, one set per company -------------------------------
def make_templates(company):
    env_c = env(context=dict(env.context, allowed_company_ids=company.ids))
    partner = env_c["res.partner"].create(
        {"name": f"Bench template {company.id}", "is_company": True, "company_id": company.id}
    )
    income = env_c["account.account"].search(
        [("account_type", "=", "income"), ("company_ids", "in", company.id)], limit=1
    )
    invoice = env_c["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": today,
            "invoice_date_due": today,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": f"Prestation {i}",
                        "price_unit": 100,
                        "account_id": income.id,
                        "tax_ids": [],
                    }
                )
                for i in range(8)
            ],
        }
    )
    invoice.invoice_date_due = today
    invoice.action_post()
    receivable = invoice.line_ids.filtered(
        lambda line: line.account_id.account_type == "asset_receivable"
    )
    bank_journal = env_c["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
    )
    payment_entry = env_c["account.move"].create(
        {
            "move_type": "entry",
            "journal_id": bank_journal.id,
            "date": today,
            "line_ids": [
                Command.create(
                    {
                        "name": "Virement client",
                        "account_id": bank_journal.default_account_id.id,
                        "debit": 800,
                        "partner_id": partner.id,
                    }
                ),
                Command.create(
                    {
                        "name": "Virement client",
                        "account_id": receivable.account_id.id,
                        "credit": 800,
                        "partner_id": partner.id,
                    }
                ),
            ],
        }
    )
    payment_entry.action_post()
    (receivable | payment_entry.line_ids.filtered(lambda line: line.credit)).reconcile()
    quotation = env_c["sale.order"].create({"partner_id": partner.id})
    incident = env_c["client.relationship.incident"].create(
        {"partner_id": partner.id, "incident_type": "out_of_hours"}
    )
    message = partner.with_env(env_c).message_post(
        body="Vous êtes disponible ce soir ?", author_id=partner.id, message_type="comment"
    )
    env.flush_all()
    assert invoice.amount_total == 800 and invoice.currency_id == company.currency_id
    return {
        "company_id": company.id,
        "partner_id": partner.id,
        "invoice_id": invoice.id,
        "payment_id": payment_entry.id,
        "journal_id": bank_journal.id,
        "partial_id": receivable.matched_credit_ids.id,
        "quotation_id": quotation.id,
        "incident_id": incident.id,
        "message_id": message.id,
    }


templates = [make_templates(company) for company in (company_a, company_b)]
cr.execute(
    "CREATE TEMP TABLE bench_template AS SELECT * FROM json_to_recordset(%s::json) "
    "AS t(company_id int, partner_id int, invoice_id int, "
    "payment_id int, journal_id int, partial_id int, quotation_id int, incident_id int, "
    "message_id int)",
    [json.dumps(templates)],
)

# --- partners ------------------------------------------------------------------------
# The template's health, computed when its incident was logged, is not the copies':
# they have none yet.
NO_HEALTH = dict.fromkeys(
    [
        *PARTNER_PROJECTION,
        "relationship_health_score",
        "relationship_health_band",
        "relationship_health_date",
    ],
    "NULL",
)
# Client k is in company A when k is even, B when odd; j = k / 2 numbers it in its
# company. j % 10 = 0: a shared partner (no company, no rank) invoiced in its company;
# j % 10 = 5: a shared prospect, a client through a quotation only; else a customer of
# its company. j % 25 = 3: a bad payer, whose invoices are never paid.
cr.execute(
    """
    CREATE TEMP TABLE bench_client AS
    SELECT k, CASE WHEN k %% 2 = 0 THEN %(a)s ELSE %(b)s END AS company_id,
           CASE (k / 2) %% 10 WHEN 0 THEN 'shared' WHEN 5 THEN 'prospect' ELSE 'customer' END
               AS kind,
           (k / 2) %% 25 = 3 AS bad_payer,
           k %% 3 != 0 AS is_company,
           NULL::int AS id, NULL::int AS contact_id
      FROM generate_series(0, %(n)s - 1) k
    """,
    {"a": company_a.id, "b": company_b.id, "n": CLIENTS},
)
copy_rows(
    "res_partner",
    "bench_client c JOIN bench_template bt ON bt.company_id = %(a)s "
    "JOIN res_partner t ON t.id = bt.partner_id ORDER BY c.k",
    {
        "name": "'Bench client ' || c.k",
        "complete_name": "'Bench client ' || c.k",
        "ref": "'BENCH-' || c.k",
        "is_company": "c.is_company",
        "email": "'client' || c.k || '@bench.example'",
        "company_id": "CASE WHEN c.kind = 'customer' THEN c.company_id END",
        "customer_rank": "CASE WHEN c.kind = 'customer' THEN 1 ELSE 0 END",
        "commercial_partner_id": "NULL",
        "active": "TRUE",
        **NO_HEALTH,
    },
    {"a": company_a.id},
)
cr.execute("UPDATE bench_client c SET id = p.id FROM res_partner p WHERE p.ref = 'BENCH-' || c.k")
cr.execute(
    "UPDATE res_partner p SET commercial_partner_id = c.id FROM bench_client c WHERE p.id = c.id"
)
cr.execute("CREATE UNIQUE INDEX ON bench_client (k)")
cr.execute("ANALYZE bench_client")
# A contact person for one company client in three: some messages come from them.
copy_rows(
    "res_partner",
    "bench_client c JOIN bench_template bt ON bt.company_id = %(a)s "
    "JOIN res_partner t ON t.id = bt.partner_id WHERE c.is_company AND c.k %% 3 = 1 ORDER BY c.k",
    {
        "name": "'Contact of bench client ' || c.k",
        "complete_name": "'Bench client ' || c.k || ', Contact of bench client ' || c.k",
        "ref": "'BENCH-CONTACT-' || c.k",
        "type": "'contact'",
        "is_company": "FALSE",
        "parent_id": "c.id",
        "commercial_partner_id": "c.id",
        "email": "'contact' || c.k || '@bench.example'",
        "company_id": "CASE WHEN c.kind = 'customer' THEN c.company_id END",
        "customer_rank": "0",
        "active": "TRUE",
        **NO_HEALTH,
    },
    {"a": company_a.id},
)
cr.execute(
    "UPDATE bench_client c SET contact_id = p.id FROM res_partner p "
    "WHERE p.ref = 'BENCH-CONTACT-' || c.k"
)
# Vendors, in no company, never clients.
copy_rows(
    "res_partner",
    "generate_series(1, %(n)s) g JOIN bench_template bt ON bt.company_id = %(a)s "
    "JOIN res_partner t ON t.id = bt.partner_id",
    {
        "name": "'Bench vendor ' || g",
        "complete_name": "'Bench vendor ' || g",
        "ref": "'BENCH-VENDOR-' || g",
        "company_id": "NULL",
        "customer_rank": "0",
        "supplier_rank": "1",
        "commercial_partner_id": "NULL",
        "active": "TRUE",
        **NO_HEALTH,
    },
    {"n": VENDORS, "a": company_a.id},
)
cr.execute(
    "UPDATE res_partner SET commercial_partner_id = id "
    "WHERE commercial_partner_id IS NULL AND ref LIKE 'BENCH-VENDOR-%%'"
)
# The templates are no clients: only the copies count. (Their incident computed their
# health already.)
cr.execute(
    "UPDATE res_partner SET active = FALSE WHERE id IN (SELECT partner_id FROM bench_template)"
)
cr.execute(
    "DELETE FROM client_relationship_health WHERE partner_id IN (SELECT partner_id FROM bench_template)"
)

# --- invoices ------------------------------------------------------------------------
# Dated over 400 days, due 30 days later, for 800 to 4,000 in the company's currency.
# Paid, except the bad payers' and one recent invoice in two (a tenth of those partly).
cr.execute(
    """
    CREATE TEMP TABLE bench_invoice AS
    SELECT g, c.k, c.id AS partner_id, c.company_id, g %% 400 AS age, 1 + g %% 5 AS factor,
           CASE WHEN c.bad_payer THEN 'not_paid'
                WHEN g %% 400 < 45 AND g %% 2 = 1 THEN
                     CASE WHEN g %% 10 = 3 THEN 'partial' ELSE 'not_paid' END
                ELSE 'paid' END AS payment_state,
           NULL::int AS move_id
      FROM generate_series(1, %(n)s) g
      JOIN bench_client c
        ON c.k = CASE WHEN (g %% %(clients)s / 2) %% 10 = 5
                      THEN (g %% %(clients)s + 2) %% %(clients)s
                      ELSE g %% %(clients)s END
    """,
    {"n": INVOICES, "clients": CLIENTS},
)
# Share of the invoice still due.
OPEN = "CASE s.payment_state WHEN 'paid' THEN 0 WHEN 'partial' THEN 0.5 ELSE 1 END"
copy_rows(
    "account_move",
    "bench_invoice s JOIN bench_template bt ON bt.company_id = s.company_id "
    "JOIN account_move t ON t.id = bt.invoice_id",
    {
        **scaled("account_move", "s.factor"),
        "name": "'BENCH/' || s.g",
        "ref": "'BENCH-INV-' || s.g",
        "payment_reference": "'BENCH/' || s.g",
        "sequence_prefix": "'BENCH/'",
        "sequence_number": "s.g",
        "partner_id": "s.partner_id",
        "commercial_partner_id": "s.partner_id",
        "partner_shipping_id": "s.partner_id",
        "invoice_partner_display_name": "'Bench client ' || s.k",
        "access_token": "NULL",
        "date": "%(today)s::date - s.age",
        "invoice_date": "%(today)s::date - s.age",
        "invoice_date_due": "%(today)s::date - s.age + 30",
        "payment_state": "s.payment_state",
        "amount_residual": f"t.amount_total * s.factor * {OPEN}",
        "amount_residual_signed": f"t.amount_total_signed * s.factor * {OPEN}",
    },
    {"today": today},
)
cr.execute(
    "UPDATE bench_invoice s SET move_id = m.id FROM account_move m "
    "WHERE m.ref = 'BENCH-INV-' || s.g AND m.move_type = 'out_invoice'"
)
cr.execute("CREATE INDEX ON bench_invoice (move_id)")
cr.execute("ANALYZE bench_invoice")
copy_rows(
    "account_move_line",
    "bench_invoice s JOIN account_move m ON m.id = s.move_id "
    "JOIN bench_template bt ON bt.company_id = s.company_id "
    "JOIN account_move_line t ON t.move_id = bt.invoice_id",
    {
        **scaled("account_move_line", "s.factor"),
        "move_id": "m.id",
        "move_name": "m.name",
        "partner_id": "m.partner_id",
        "date": "m.date",
        "invoice_date": "m.invoice_date",
        "date_maturity": "CASE WHEN t.date_maturity IS NULL THEN NULL ELSE m.invoice_date_due END",
        "amount_residual": f"CASE WHEN t.date_maturity IS NULL THEN t.amount_residual "
        f"ELSE t.balance * s.factor * {OPEN} END",
        "amount_residual_currency": f"CASE WHEN t.date_maturity IS NULL "
        f"THEN t.amount_residual_currency ELSE t.amount_currency * s.factor * {OPEN} END",
        "reconciled": "CASE WHEN t.date_maturity IS NULL THEN t.reconciled "
        "ELSE s.payment_state = 'paid' END",
        "matching_number": "NULL",
        "full_reconcile_id": "NULL",
    },
)

# --- payments: one entry per paid or partly paid invoice, reconciled through a partial ----
# One payment in seven comes 5 to 54 days late, the others up to 19 days early (never
# before the invoice nor after today); a partial payment pays half.
cr.execute(
    """
    CREATE TEMP TABLE bench_payment AS
    SELECT s.move_id AS invoice_id, s.company_id, s.factor * CASE s.payment_state
               WHEN 'partial' THEN 0.5 ELSE 1 END AS factor,
           LEAST(%(today)s::date, GREATEST(m.invoice_date, m.invoice_date_due + CASE
               WHEN s.g %% 7 = 0 THEN 5 + s.g %% 50 ELSE -(s.g %% 20) END)) AS date,
           NULL::int AS move_id
      FROM bench_invoice s JOIN account_move m ON m.id = s.move_id
     WHERE s.payment_state IN ('paid', 'partial')
    """,
    {"today": today},
)
copy_rows(
    "account_move",
    "bench_payment p JOIN account_move inv ON inv.id = p.invoice_id "
    "JOIN bench_template bt ON bt.company_id = p.company_id "
    "JOIN account_move t ON t.id = bt.payment_id",
    {
        **scaled("account_move", "p.factor"),
        "name": "'BNKBENCH/' || inv.id",
        "ref": "'BENCH-PAY-' || inv.id",
        "sequence_prefix": "'BNKBENCH/'",
        "sequence_number": "inv.id",
        "partner_id": "inv.partner_id",
        "commercial_partner_id": "inv.commercial_partner_id",
        "access_token": "NULL",
        "date": "p.date",
    },
)
cr.execute(
    "UPDATE bench_payment p SET move_id = m.id FROM account_move m "
    "WHERE m.ref = 'BENCH-PAY-' || p.invoice_id AND m.move_type = 'entry'"
)
cr.execute("ANALYZE bench_payment")
copy_rows(
    "account_move_line",
    "bench_payment p JOIN account_move m ON m.id = p.move_id "
    "JOIN bench_template bt ON bt.company_id = p.company_id "
    "JOIN account_move_line t ON t.move_id = bt.payment_id",
    {
        **scaled("account_move_line", "p.factor"),
        "move_id": "m.id",
        "move_name": "m.name",
        "partner_id": "m.partner_id",
        "date": "m.date",
        "amount_residual": "0",
        "amount_residual_currency": "0",
        "reconciled": "t.credit > 0",
        "matching_number": "NULL",
        "full_reconcile_id": "NULL",
    },
)
copy_rows(
    "account_partial_reconcile",
    """bench_payment p
       JOIN account_move_line inv_line ON inv_line.move_id = p.invoice_id
                                      AND inv_line.date_maturity IS NOT NULL
       JOIN account_move_line pay_line ON pay_line.move_id = p.move_id AND pay_line.credit > 0
       JOIN bench_template bt ON bt.company_id = p.company_id
       JOIN account_partial_reconcile t ON t.id = bt.partial_id""",
    {
        **scaled("account_partial_reconcile", "p.factor"),
        "debit_move_id": "inv_line.id",
        "credit_move_id": "pay_line.id",
        "max_date": "p.date",
        "full_reconcile_id": "NULL",
    },
)

# --- quotations: every prospect's, and one customer in eight ---------------------------
copy_rows(
    "sale_order",
    "bench_client c JOIN bench_template bt ON bt.company_id = c.company_id "
    "JOIN sale_order t ON t.id = bt.quotation_id WHERE c.kind = 'prospect' OR c.k %% 8 = 1",
    {
        "name": "'BENCH-SO-' || c.k",
        "partner_id": "c.id",
        "partner_invoice_id": "c.id",
        "partner_shipping_id": "c.id",
        "access_token": "NULL",
        "date_order": "t.date_order - (c.k %% 60) * INTERVAL '1 day'",
    },
)

# --- messages of the last 120 days ------------------------------------------------------
# Most in office hours (read in New York for A, in Paris for B), one in four at any
# hour, one in ten from a bad payer late at night. One in five is ours (a reply), one in
# two of the others from the client's contact when it has one.


def bad_payer(x):
    """SQL: the k of a bad payer (j % 25 = 3), from any integer x, both companies."""
    return f"2 * (25 * (({x}) %% %(pairs)s) + 3) + (({x}) / %(pairs)s) %% 2"


copy_rows(
    "mail_message",
    f"""generate_series(1, %(n)s) g
       JOIN bench_client c ON c.k = CASE WHEN g %% 10 = 1 THEN {bad_payer("g / 10")}
                                         ELSE (g * 7) %% %(clients)s END
       JOIN bench_template bt ON bt.company_id = %(a)s
       JOIN mail_message t ON t.id = bt.message_id""",
    {
        "author_id": "CASE WHEN g %% 5 = 0 THEN %(admin)s "
        "WHEN g %% 2 = 0 AND c.contact_id IS NOT NULL THEN c.contact_id ELSE c.id END",
        "res_id": "c.id",
        "record_company_id": "c.company_id",
        "message_type": "CASE WHEN g %% 2 = 0 THEN 'email' ELSE 'comment' END",
        "date": "date_trunc('day', NOW() AT TIME ZONE 'UTC') - (g %% 120) * INTERVAL '1 day' "
        "+ CASE WHEN g %% 10 = 1 THEN 21 + (g / 10) %% 5 WHEN g %% 4 = 0 THEN (g * 5) %% 24 "
        "WHEN c.company_id = %(a)s THEN 13 + g %% 9 ELSE 7 + g %% 9 END * INTERVAL '1 hour' "
        "+ (g %% 60) * INTERVAL '1 minute'",
        "message_id": "'<bench-' || g || '@bench.example>'",
    },
    {
        "n": MESSAGES,
        "clients": CLIENTS,
        "pairs": CLIENTS // 50,
        "a": company_a.id,
        "admin": admin_partner.id,
    },
)

# --- incidents over 500 days, one in two with a bad payer ----------------------------
copy_rows(
    "client_relationship_incident",
    f"""generate_series(1, %(n)s) g
       JOIN bench_client c ON c.k = CASE WHEN g %% 2 = 0 THEN {bad_payer("g / 2")}
                                         ELSE (g * 13) %% %(clients)s END
       JOIN bench_template bt ON bt.company_id = c.company_id """
    "JOIN client_relationship_incident t ON t.id = bt.incident_id",
    {
        "partner_id": "COALESCE(c.contact_id, c.id)",
        "commercial_partner_id": "c.id",
        "company_id": "c.company_id",
        "date": "%(today)s::date - (g %% 500)",
        "severity": "(ARRAY['low', 'medium', 'high'])[1 + g %% 3]",
        "incident_type": "(ARRAY['blame', 'out_of_hours', 'payment', 'scope'])[1 + g %% 4]",
    },
    {"n": INCIDENTS, "clients": CLIENTS, "pairs": CLIENTS // 50, "today": today},
)

cr.execute("ANALYZE")
Health = env["client.relationship.health"]
clients = 0
for company in (company_a, company_b):
    cr.execute(SQL("SELECT COUNT(*) FROM (%s) client", Health._client_ids_sql(company)))
    count = cr.fetchone()[0]
    _logger.info("%s: %s clients", company.name, count)
    clients += count
assert clients == CLIENTS, f"{clients} clients, {CLIENTS} expected"
if os.environ.get("BENCH_DRY_RUN"):
    raise SystemExit("dry run: nothing committed")
env["ir.config_parameter"].set_param("client_relationship.bench_populated", f"{VERSION}:{CLIENTS}")
cr.commit()
print(f"populated: {clients:,} clients in 2 companies")
