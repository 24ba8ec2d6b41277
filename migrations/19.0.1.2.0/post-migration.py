from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Data in a noupdate block is loaded on install only: ship the offboarding
    plan to databases installed before it existed. Ends already sent under a
    contract that requires a registered letter were sent that way: their
    receipt can now be recorded."""
    cr.execute(
        """UPDATE client_relationship_termination termination
              SET send_by = 'registered'
             FROM client_relationship_contract contract
            WHERE contract.id = termination.contract_id
              AND contract.termination_form = 'registered'
              AND termination.send_by = 'print'"""
    )
    env = api.Environment(cr, SUPERUSER_ID, {})
    if not env.ref("client_relationship.mail_activity_plan_offboarding", raise_if_not_found=False):
        env["mail.activity.plan"]._relationship_install_offboarding_plan()
