from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    # Each signal costs `weight` points per unit, at most `cap` points.
    relationship_weight_payment_delay = fields.Float(
        string="Points per Day of Payment Delay", default=1.0
    )
    relationship_cap_payment_delay = fields.Integer(string="Payment Delay Cap", default=30)
    relationship_weight_overdue = fields.Float(string="Points per Overdue Invoice", default=10.0)
    relationship_cap_overdue = fields.Integer(string="Overdue Invoices Cap", default=30)
    relationship_weight_out_of_hours = fields.Float(
        string="Points per Message Out of Hours", default=4.0
    )
    relationship_cap_out_of_hours = fields.Integer(string="Out of Hours Cap", default=20)
    relationship_weight_incident = fields.Float(
        string="Points per Incident Point",
        default=5.0,
        help="Incidents count 1, 2 or 3 points by severity (low, medium, high).",
    )
    relationship_cap_incident = fields.Integer(string="Incidents Cap", default=30)
    relationship_weight_gut_feeling = fields.Float(string="Points per Star of Unease", default=5.0)
    relationship_weight_profile_mismatch = fields.Float(
        string="Points for a Client Outside the Ideal Profile", default=10.0
    )
    relationship_threshold_watch = fields.Integer(
        string="Watch Below",
        default=75,
        help="A client whose health score falls below this is to watch.",
    )
    relationship_threshold_critical = fields.Integer(
        string="Critical Below",
        default=45,
        help="A client whose health score falls below this is critical.",
    )

    @api.constrains(
        "relationship_weight_payment_delay",
        "relationship_cap_payment_delay",
        "relationship_weight_overdue",
        "relationship_cap_overdue",
        "relationship_weight_out_of_hours",
        "relationship_cap_out_of_hours",
        "relationship_weight_incident",
        "relationship_cap_incident",
        "relationship_weight_gut_feeling",
        "relationship_weight_profile_mismatch",
    )
    def _check_relationship_weights(self):
        for company in self:
            negative = [
                company._fields[name].get_description(self.env)["string"]
                for name in self._relationship_weight_fields()
                if company[name] < 0
            ]
            if negative:
                raise ValidationError(
                    self.env._(
                        "Health weights and caps cannot be negative: set %(fields)s "
                        "to zero or more.",
                        fields=", ".join(negative),
                    )
                )

    @api.constrains("relationship_threshold_watch", "relationship_threshold_critical")
    def _check_relationship_thresholds(self):
        for company in self:
            if not (
                0
                <= company.relationship_threshold_critical
                <= company.relationship_threshold_watch
                <= 100
            ):
                raise ValidationError(
                    self.env._(
                        "The health thresholds must satisfy 0 ≤ critical (%(critical)s) "
                        "≤ watch (%(watch)s) ≤ 100: lower the critical threshold or "
                        "raise the watch threshold.",
                        critical=company.relationship_threshold_critical,
                        watch=company.relationship_threshold_watch,
                    )
                )

    @api.model
    def _relationship_weight_fields(self):
        return [
            name
            for name in self._fields
            if name.startswith(("relationship_weight_", "relationship_cap_"))
        ]
