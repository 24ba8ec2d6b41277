from odoo import api, models

from .seed_story import load_seed_story


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
                "The seed's story is demo data: Odoo loads it with the demo data only."
            )
        load_seed_story(self.env)
