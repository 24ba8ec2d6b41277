from odoo import api, models
from odoo.exceptions import AccessError

from ..const import GROUP_MANAGER
from .client_relationship_termination import PROTECTED_FIELDS as TERMINATION_FIELDS
from .res_partner import PROTECTED_FIELDS as PARTNER_FIELDS
from .sale_order import DEPOSIT_FIELDS

# Fields a default value would set on every new record of its user: those
# that change only through the addon's actions take none, those only a
# relationship manager changes take one from a manager.
ACTION_ONLY = {
    "res.partner": PARTNER_FIELDS,
    "client.relationship.termination": TERMINATION_FIELDS,
    "client.relationship.incident": {"user_id"},
    "sale.order": {"relationship_deposit_waiver_reason"},
}
MANAGER_ONLY = {
    "res.partner": {
        "relationship_deposit_policy",
        "relationship_deposit_percent",
        "relationship_profile_fit",
        "relationship_profile_manual",
    },
    "sale.order": DEPOSIT_FIELDS,
}


class IrDefault(models.Model):
    _inherit = "ir.default"

    @api.model_create_multi
    def create(self, vals_list):
        defaults = super().create(vals_list)
        defaults._check_relationship_defaults()
        return defaults

    def write(self, vals):
        result = super().write(vals)
        self._check_relationship_defaults()
        return result

    def _check_relationship_defaults(self):
        if self.env.su:
            return
        for default in self.sudo():
            model, fname = default.field_id.model, default.field_id.name
            field = default.field_id.field_description
            if fname in ACTION_ONLY.get(model, ()):
                raise AccessError(
                    self.env._(
                        "%(field)s takes no default value: it changes only through the "
                        "client relationship's actions.",
                        field=field,
                    )
                )
            if fname in MANAGER_ONLY.get(model, ()) and not self.env.user.has_group(GROUP_MANAGER):
                raise AccessError(
                    self.env._(
                        "Only a relationship manager can set a default value for %(field)s.",
                        field=field,
                    )
                )
