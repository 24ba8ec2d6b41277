from odoo import api, models

from .story import load_demo_story


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _relationship_load_demo(self):
        """Entry point of demo/client_relationship_demo.xml, the only way Odoo's
        demo data can run Python; nothing else calls it."""
        if not self.env.context.get("install_demo"):
            # Outside demo loading, this would write demo clients, invoices and
            # messages into a real database.
            raise RuntimeError(
                "The demo story is demo data: Odoo loads it with the demo data only."
            )
        load_demo_story(self.env)
