from odoo import api, models
from odoo.fields import Command


class MailActivityPlan(models.Model):
    _inherit = "mail.activity.plan"

    @api.model
    def _relationship_install_offboarding_plan(self):
        """Ship the offboarding plan in the language of whoever installs: plan
        tasks are plain text, not translated per user."""
        admin = self.env.ref("base.user_admin", raise_if_not_found=False)
        lang = admin.lang if admin else self.env.company.partner_id.lang
        plan = self.with_context(lang=lang or "en_US")._relationship_create_offboarding_plan()
        self.env["ir.model.data"]._update_xmlids(
            [
                {
                    "xml_id": "client_relationship.mail_activity_plan_offboarding",
                    "record": plan,
                    "noupdate": True,
                }
            ]
        )
        self.env["res.company"].search([("relationship_offboarding_plan_id", "=", False)]).write(
            {"relationship_offboarding_plan_id": plan.id}
        )

    @api.model
    def _relationship_create_offboarding_plan(self):
        """The tasks that follow the end of a relationship, due on or before the
        end date, but the courtesy follow-up after it."""
        tasks = [
            # (summary, days before the end date; negative: after)
            (self.env._("Stop recurring quotations and subscriptions"), 14),
            (self.env._("Issue the final invoice"), 7),
            (self.env._("Return the client's documents and originals"), 7),
            (self.env._("Hand over the credentials"), 3),
            (self.env._("Revoke your access to the client's tools"), 0),
            (self.env._("Archive the client's files"), 0),
            (self.env._("Courtesy follow-up"), -30),
        ]
        return self.create(
            {
                "name": self.env._("End of a client relationship"),
                # On the termination, for the addon's users: on the contact, every
                # user would read them, and the plan's launch, in its chatter.
                "res_model": "client.relationship.termination",
                "company_id": False,
                "template_ids": [
                    Command.create(
                        {
                            "sequence": sequence,
                            "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                            "summary": summary,
                            "responsible_type": "on_demand",
                            "delay_count": abs(days),
                            "delay_unit": "days",
                            "delay_from": "before_plan_date" if days >= 0 else "after_plan_date",
                        }
                    )
                    for sequence, (summary, days) in enumerate(tasks, start=1)
                ],
            }
        )
