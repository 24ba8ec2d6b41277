from odoo import api, fields, models
from odoo.tools import SQL

from ..const import BANDS


class ClientRelationshipHealthSnapshot(models.Model):
    """A client's score in one company on a given week, kept when it changed."""

    _name = "client.relationship.health.snapshot"
    _description = "Client Relationship Health Snapshot"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    # Empty on the history kept before health was computed per company.
    health_id = fields.Many2one(
        "client.relationship.health", string="Client Health", index=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(
        "res.partner", string="Client", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    score = fields.Integer(required=True, aggregator="avg")
    band = fields.Selection(BANDS, string="Health", required=True)

    _partner_date_idx = models.Index("(partner_id, company_id, date DESC)")

    @api.model
    def _cron_snapshot_relationship_health(self):
        """Every week: each client's score when it changed since its last
        snapshot (a client never snapshotted counts as having started at 100),
        and every company's count of clients per band."""
        self.env.flush_all()
        today = fields.Date.context_today(self)
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO client_relationship_health_snapshot
                   (health_id, partner_id, company_id, date, score, band,
                    create_uid, create_date, write_uid, write_date)
            SELECT h.id, h.partner_id, h.company_id, %(today)s, h.score, h.band,
                   %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
              FROM client_relationship_health h
              LEFT JOIN LATERAL (
                    SELECT score FROM client_relationship_health_snapshot snapshot
                     WHERE snapshot.partner_id = h.partner_id
                       AND snapshot.company_id = h.company_id
                  ORDER BY snapshot.date DESC, snapshot.id DESC
                     LIMIT 1
                   ) last ON TRUE
             WHERE h.score IS DISTINCT FROM COALESCE(last.score, 100)
            """,
                today=today,
                uid=self.env.uid,
            )
        )
        self.env["client.relationship.health.week"]._record_week(today)
        self.invalidate_model()
        self.env["res.partner"].invalidate_model(["relationship_snapshot_ids"])
