from odoo import SUPERUSER_ID, api

from odoo.addons.client_relationship.models.ir_default import ACTION_ONLY, MANAGER_ONLY

TERMINATION = "client.relationship.termination"


def migrate(cr, version):
    """Offboarding tasks are scheduled on the termination, which only the
    addon's users read: on the contact, every user read them. The shipped plan
    moves there, and becomes the setting of companies that named a plan for
    contacts (which stays, for contacts); the tasks already scheduled move to
    their termination. Notes already posted on contacts stay where they are.

    Default values now refused on the addon's guarded fields are removed: one
    set before would still give its value to every record of its user."""
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    plan = env.ref("client_relationship.mail_activity_plan_offboarding", raise_if_not_found=False)
    if plan:
        if plan.res_model != TERMINATION:
            plan.res_model = TERMINATION
        env["res.company"].search(
            [
                ("relationship_offboarding_plan_id", "!=", False),
                ("relationship_offboarding_plan_id.res_model", "!=", TERMINATION),
            ]
        ).relationship_offboarding_plan_id = plan
    model_id = env["ir.model"]._get_id(TERMINATION)
    for termination in env[TERMINATION].search([]):
        termination.offboarding_activity_ids.filtered(
            lambda task: task.res_model == "res.partner"
        ).write({"res_model_id": model_id, "res_id": termination.id})

    manager = env.ref("client_relationship.group_relationship_manager")
    for default in env["ir.default"].search([]):
        model, fname = default.field_id.model, default.field_id.name
        if fname in ACTION_ONLY.get(model, ()) or (
            fname in MANAGER_ONLY.get(model, ())
            and default.user_id
            and manager not in default.user_id.all_group_ids
        ):
            default.unlink()
