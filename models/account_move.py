from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    # The health signals aggregate each client's invoices by commercial partner.
    _relationship_health_idx = models.Index("(commercial_partner_id, move_type, state)")
