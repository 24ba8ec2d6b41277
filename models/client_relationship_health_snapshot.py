from odoo import api, fields, models
from odoo.tools import SQL


class ClientRelationshipHealthSnapshot(models.Model):
    _name = "client.relationship.health.snapshot"
    _description = "Client Relationship Health Snapshot"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Client", required=True, index=True, ondelete="cascade"
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    score = fields.Integer(required=True, aggregator="avg")
    band = fields.Selection(
        [("good", "Good"), ("watch", "Watch"), ("critical", "Critical")],
        string="Health",
        required=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

    _partner_date_idx = models.Index("(partner_id, date DESC)")

    @api.model
    def _cron_snapshot_relationship_health(self):
        """Keep the history short: a snapshot only when the score changed since the last one.

        A client never snapshotted counts as having started at 100.
        """
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO client_relationship_health_snapshot
                   (partner_id, date, score, band, company_id,
                    create_uid, create_date, write_uid, write_date)
            SELECT partner.id, %(today)s, partner.relationship_health_score,
                   partner.relationship_health_band, %(company)s,
                   %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
              FROM res_partner partner
              LEFT JOIN LATERAL (
                    SELECT score FROM client_relationship_health_snapshot snapshot
                     WHERE snapshot.partner_id = partner.id
                       AND snapshot.company_id = %(company)s
                  ORDER BY snapshot.date DESC, snapshot.id DESC
                     LIMIT 1
                   ) last ON TRUE
             WHERE partner.active AND partner.id = partner.commercial_partner_id
               AND partner.relationship_health_score IS DISTINCT FROM COALESCE(last.score, 100)
            """,
                today=fields.Date.context_today(self),
                company=self.env.company.id,
                uid=self.env.uid,
            )
        )
        self.invalidate_model()
        self.env["res.partner"].invalidate_model(["relationship_snapshot_ids"])
