"""Health moves to one row per client and company (client.relationship.health):
the partner's figures become company-dependent. Their former columns hold one
value for every company, so they are dropped; the nightly job computes the
new ones (triggered at the end of the upgrade)."""

from odoo.tools import SQL

HEALTH_COLUMNS = (
    "relationship_payment_delay_avg",
    "relationship_overdue_amount",
    "relationship_overdue_count",
    "relationship_out_of_hours_count",
    "relationship_incident_count",
    "relationship_revenue_12m",
    "relationship_health_score",
    "relationship_health_band",
    "relationship_health_date",
)


def migrate(cr, version):
    for column in HEALTH_COLUMNS:
        cr.execute(SQL("ALTER TABLE res_partner DROP COLUMN IF EXISTS %s", SQL.identifier(column)))
