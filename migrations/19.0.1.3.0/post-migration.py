from odoo.tools import sql

from odoo.addons.client_relationship.const import HEALTH_FIELDS


def migrate(cr, version):
    """The partner's health figures are no longer indexed, and Odoo keeps an
    index that a field stops asking for: drop them. The health table's
    fillfactor (set by its init()) applies to the pages written from now on."""
    for fname in HEALTH_FIELDS:
        sql.drop_index(cr, sql.make_index_name("res_partner", fname), "res_partner")
