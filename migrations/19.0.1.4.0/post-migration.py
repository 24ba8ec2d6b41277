from odoo import SUPERUSER_ID, api

TERMINATION = "client.relationship.termination"


def migrate(cr, version):
    """Offboarding tasks are scheduled on the termination, which only the
    addon's users read: on the contact, every user read them. The shipped plan
    moves there, and becomes the setting of companies that named a plan for
    contacts (which stays, for contacts). Tasks already scheduled stay where
    they are."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    plan = env.ref("client_relationship.mail_activity_plan_offboarding", raise_if_not_found=False)
    if not plan:
        return
    if plan.res_model != TERMINATION:
        plan.res_model = TERMINATION
    env["res.company"].search(
        [
            ("relationship_offboarding_plan_id", "!=", False),
            ("relationship_offboarding_plan_id.res_model", "!=", TERMINATION),
        ]
    ).relationship_offboarding_plan_id = plan
