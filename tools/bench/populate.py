"""Benchmark data, run by tools/bench.sh through `odoo-bin shell` (commits at the end).

Templates are made through the ORM (an invoice posted, a payment entry
reconciled with it, a message, an incident), then copied in bulk with SQL,
varying partners, dates, amounts and payment states: data the ORM accepts
(same columns and links), at a speed the ORM alone would not reach.
"""

import logging
import os
import time

from odoo import fields
from odoo.fields import Command

_logger = logging.getLogger("client_relationship.bench")

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
PARTNERS = int(100_000 * SCALE)
INVOICES = int(111_112 * SCALE)  # 9 lines each: 8 product lines and the receivable line
MESSAGES = int(300_000 * SCALE)
INCIDENTS = int(20_000 * SCALE)

env = env  # noqa: F821, PLW0127 - provided by odoo-bin shell
cr = env.cr
company = env.company
today = fields.Date.today()


def columns(table, overrides):
    """Columns of `table` but id; overridden ones take an SQL expression."""
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
        [table],
    )
    names = [row[0] for row in cr.fetchall()]
    return ", ".join(f'"{n}"' for n in names), ", ".join(
        overrides.get(n, f't."{n}"') for n in names
    )


def copy_rows(table, source_sql, overrides, params=None):
    """INSERT INTO table SELECT <template columns with overrides> FROM <source_sql> t ..."""
    target, select = columns(table, overrides)
    started = time.time()
    cr.execute(f"INSERT INTO {table} ({target}) SELECT {select} FROM {source_sql}", params or {})
    _logger.info("%s: %s rows in %.1f s", table, cr.rowcount, time.time() - started)
    # Fresh statistics, or the planner joins the next bulk copies row by row.
    cr.execute(f"ANALYZE {table}")


# --- templates, through the ORM ------------------------------------------------
template_partner = env["res.partner"].create({"name": "Bench template", "is_company": True})
income = env["account.account"].search(
    [("account_type", "=", "income"), ("company_ids", "in", company.id)], limit=1
)
invoice = env["account.move"].create(
    {
        "move_type": "out_invoice",
        "partner_id": template_partner.id,
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
bank_journal = env["account.journal"].search(
    [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
)
payment_entry = env["account.move"].create(
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
                    "partner_id": template_partner.id,
                }
            ),
            Command.create(
                {
                    "name": "Virement client",
                    "account_id": receivable.account_id.id,
                    "credit": 800,
                    "partner_id": template_partner.id,
                }
            ),
        ],
    }
)
payment_entry.action_post()
(receivable | payment_entry.line_ids.filtered(lambda line: line.credit)).reconcile()
message = template_partner.message_post(
    body="Vous êtes disponible ce soir ?", author_id=template_partner.id, message_type="comment"
)
incident = env["client.relationship.incident"].create(
    {"partner_id": template_partner.id, "incident_type": "out_of_hours"}
)
env.flush_all()

# --- partners ------------------------------------------------------------------
copy_rows(
    "res_partner",
    "res_partner t, generate_series(1, %(n)s) g WHERE t.id = %(tpl)s",
    {
        "name": "'Bench client ' || g",
        "complete_name": "'Bench client ' || g",
        "is_company": "g %% 3 != 0",
        "email": "'client' || g || '@bench.example'",
        "commercial_partner_id": "NULL",
    },
    {"n": PARTNERS, "tpl": template_partner.id},
)
cr.execute(
    "UPDATE res_partner SET commercial_partner_id = id "
    "WHERE commercial_partner_id IS NULL AND name LIKE 'Bench client %%'"
)
cr.execute("SELECT MIN(id) FROM res_partner WHERE name LIKE 'Bench client %%'")
first_partner = cr.fetchone()[0]

# --- invoices: 60 % paid (one in seven of them late), the rest open -------------
PAID = "(g %% 10 < 6)"
copy_rows(
    "account_move",
    "account_move t, generate_series(1, %(n)s) g WHERE t.id = %(tpl)s",
    {
        "name": "'BENCH/' || g",
        "ref": "'BENCH-' || g",
        "sequence_prefix": "'BENCH/'",
        "sequence_number": "g",
        "partner_id": f"{first_partner} + g %% {PARTNERS}",
        "commercial_partner_id": f"{first_partner} + g %% {PARTNERS}",
        "date": "%(today)s::date - (g %% 400)",
        "invoice_date": "%(today)s::date - (g %% 400)",
        "invoice_date_due": "%(today)s::date - (g %% 400) + 30",
        "payment_state": f"CASE WHEN {PAID} THEN 'paid' ELSE 'not_paid' END",
        "amount_residual": f"CASE WHEN {PAID} THEN 0 ELSE t.amount_residual END",
        "amount_residual_signed": f"CASE WHEN {PAID} THEN 0 ELSE t.amount_residual_signed END",
    },
    {"n": INVOICES, "tpl": invoice.id, "today": today},
)
copy_rows(
    "account_move_line",
    "account_move m JOIN account_move_line t ON t.move_id = %(tpl)s "
    "WHERE m.ref LIKE 'BENCH-%%' AND m.move_type = 'out_invoice'",
    {
        "move_id": "m.id",
        "move_name": "m.name",
        "partner_id": "m.partner_id",
        "date": "m.date",
        "invoice_date": "m.invoice_date",
        "date_maturity": "CASE WHEN t.date_maturity IS NULL THEN NULL ELSE m.invoice_date_due END",
        "amount_residual": "CASE WHEN m.payment_state = 'paid' THEN 0 ELSE t.amount_residual END",
        "amount_residual_currency": (
            "CASE WHEN m.payment_state = 'paid' THEN 0 ELSE t.amount_residual_currency END"
        ),
        "reconciled": "CASE WHEN t.date_maturity IS NULL THEN t.reconciled "
        "ELSE m.payment_state = 'paid' END",
        "matching_number": "NULL",
        "full_reconcile_id": "NULL",
    },
    {"tpl": invoice.id},
)

# --- payments of the paid invoices, reconciled through partials -----------------
copy_rows(
    "account_move",
    "account_move inv JOIN account_move t ON t.id = %(tpl)s "
    "WHERE inv.ref LIKE 'BENCH-%%' AND inv.move_type = 'out_invoice' AND inv.payment_state = 'paid'",
    {
        "name": "'BNKBENCH/' || inv.id",
        "ref": "'BENCHPAY-' || inv.id",
        "sequence_prefix": "'BNKBENCH/'",
        "sequence_number": "inv.id",
        "partner_id": "inv.partner_id",
        "commercial_partner_id": "inv.commercial_partner_id",
        # One payment in seven comes 25 days late; the others 3 days early.
        "date": "inv.invoice_date_due + CASE WHEN inv.id %% 7 = 0 THEN 25 ELSE -3 END",
    },
    {"tpl": payment_entry.id},
)
copy_rows(
    "account_move_line",
    "account_move m JOIN account_move_line t ON t.move_id = %(tpl)s WHERE m.ref LIKE 'BENCHPAY-%%'",
    {
        "move_id": "m.id",
        "move_name": "m.name",
        "partner_id": "m.partner_id",
        "date": "m.date",
        "reconciled": "t.credit > 0",
        "matching_number": "NULL",
        "full_reconcile_id": "NULL",
    },
    {"tpl": payment_entry.id},
)
partial = receivable.matched_credit_ids
copy_rows(
    "account_partial_reconcile",
    """account_move inv
       JOIN account_move_line inv_line ON inv_line.move_id = inv.id AND inv_line.date_maturity IS NOT NULL
       JOIN account_move pay ON pay.journal_id = %(journal)s AND pay.sequence_prefix = 'BNKBENCH/'
                             AND pay.sequence_number = inv.id
       JOIN account_move_line pay_line ON pay_line.move_id = pay.id AND pay_line.credit > 0
       JOIN account_partial_reconcile t ON t.id = %(tpl)s
      WHERE inv.ref LIKE 'BENCH-%%' AND inv.move_type = 'out_invoice'""",
    {
        "debit_move_id": "inv_line.id",
        "credit_move_id": "pay_line.id",
        "max_date": "pay.date",
        "full_reconcile_id": "NULL",
    },
    {"tpl": partial.id, "journal": bank_journal.id},
)

# --- messages of the last 120 days, around the clock -----------------------------
copy_rows(
    "mail_message",
    "mail_message t, generate_series(1, %(n)s) g WHERE t.id = %(tpl)s",
    {
        "author_id": f"{first_partner} + (g * 7) %% {PARTNERS}",
        "res_id": f"{first_partner} + (g * 7) %% {PARTNERS}",
        "message_type": "CASE WHEN g %% 2 = 0 THEN 'email' ELSE 'comment' END",
        "date": "(NOW() AT TIME ZONE 'UTC') - (g %% 120) * INTERVAL '1 day' "
        "- (g %% 24) * INTERVAL '1 hour' - (g %% 60) * INTERVAL '1 minute'",
        "message_id": "'<bench-' || g || '@bench.example>'",
    },
    {"n": MESSAGES, "tpl": message.id},
)

copy_rows(
    "client_relationship_incident",
    "client_relationship_incident t, generate_series(1, %(n)s) g WHERE t.id = %(tpl)s",
    {
        "partner_id": f"{first_partner} + (g * 13) %% {PARTNERS}",
        "commercial_partner_id": f"{first_partner} + (g * 13) %% {PARTNERS}",
        "date": "%(today)s::date - (g %% 500)",
        "severity": "(ARRAY['low', 'medium', 'high'])[1 + g %% 3]",
    },
    {"n": INCIDENTS, "tpl": incident.id, "today": today},
)
cr.execute("ANALYZE")
if os.environ.get("BENCH_DRY_RUN"):
    raise SystemExit("dry run: nothing committed")
env["ir.config_parameter"].set_param("client_relationship.bench_populated", "1")
cr.commit()
print("populated")
