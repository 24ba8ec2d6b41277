from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..const import BANDS


class ClientRelationshipHealthWeek(models.Model):
    """How many clients each company had in each band, week after week.

    Every week is recorded whole, and a week the weekly job missed keeps the
    counts of the week before, so the history never falls to zero for want of
    a change.
    """

    _name = "client.relationship.health.week"
    _description = "Clients per Health Band and Week"
    _order = "week desc, company_id, band"
    _rec_name = "week"

    week = fields.Date(required=True, readonly=True, index=True, help="Monday of the week.")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    band = fields.Selection(BANDS, string="Health", required=True, readonly=True)
    client_count = fields.Integer(string="Clients", readonly=True)

    _week_company_band_uniq = models.Constraint(
        "UNIQUE(week, company_id, band)", "A week counts each band once per company."
    )

    @api.model
    def _record_week(self, day):
        """Count this week's clients per band, after carrying the last recorded
        counts over the weeks the job missed."""
        week = day - timedelta(days=day.weekday())
        cr = self.env.cr
        cr.execute(
            SQL(
                """
            INSERT INTO client_relationship_health_week
                   (week, company_id, band, client_count,
                    create_uid, create_date, write_uid, write_date)
            SELECT missed.week, last.company_id, last.band, last.client_count,
                   %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
              FROM (SELECT DISTINCT ON (company_id, band) company_id, band, week, client_count
                      FROM client_relationship_health_week
                     WHERE week < %(week)s
                  ORDER BY company_id, band, week DESC) last
              JOIN LATERAL generate_series(
                       last.week + 7, %(week)s::date - 7, interval '7 days'
                   ) AS missed(week) ON TRUE
            ON CONFLICT (week, company_id, band) DO NOTHING
            """,
                week=week,
                uid=self.env.uid,
            )
        )
        cr.execute(
            SQL(
                """
            INSERT INTO client_relationship_health_week
                   (week, company_id, band, client_count,
                    create_uid, create_date, write_uid, write_date)
            SELECT %(week)s, company.id, band.band, COUNT(h.id),
                   %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
              FROM res_company company
             CROSS JOIN unnest(%(bands)s::varchar[]) AS band(band)
              LEFT JOIN client_relationship_health h
                     ON h.company_id = company.id AND h.band = band.band
          GROUP BY company.id, band.band
            ON CONFLICT (week, company_id, band) DO UPDATE
               SET client_count = EXCLUDED.client_count, write_date = EXCLUDED.write_date
            """,
                week=week,
                uid=self.env.uid,
                bands=[band for band, __ in BANDS],
            )
        )
        self.invalidate_model()
