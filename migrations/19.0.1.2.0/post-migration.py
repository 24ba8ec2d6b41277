from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Data in a noupdate block is loaded on install only: ship the offboarding
    plan to databases installed before it existed."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    if not env.ref("client_relationship.mail_activity_plan_offboarding", raise_if_not_found=False):
        env["mail.activity.plan"]._relationship_install_offboarding_plan()
