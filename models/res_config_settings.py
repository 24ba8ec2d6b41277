from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    relationship_weight_payment_delay = fields.Float(
        related="company_id.relationship_weight_payment_delay", readonly=False
    )
    relationship_cap_payment_delay = fields.Integer(
        related="company_id.relationship_cap_payment_delay", readonly=False
    )
    relationship_weight_overdue = fields.Float(
        related="company_id.relationship_weight_overdue", readonly=False
    )
    relationship_cap_overdue = fields.Integer(
        related="company_id.relationship_cap_overdue", readonly=False
    )
    relationship_weight_out_of_hours = fields.Float(
        related="company_id.relationship_weight_out_of_hours", readonly=False
    )
    relationship_cap_out_of_hours = fields.Integer(
        related="company_id.relationship_cap_out_of_hours", readonly=False
    )
    relationship_weight_incident = fields.Float(
        related="company_id.relationship_weight_incident", readonly=False
    )
    relationship_cap_incident = fields.Integer(
        related="company_id.relationship_cap_incident", readonly=False
    )
    relationship_weight_gut_feeling = fields.Float(
        related="company_id.relationship_weight_gut_feeling", readonly=False
    )
    relationship_weight_profile_mismatch = fields.Float(
        related="company_id.relationship_weight_profile_mismatch", readonly=False
    )
    relationship_threshold_watch = fields.Integer(
        related="company_id.relationship_threshold_watch", readonly=False
    )
    relationship_dependency_threshold = fields.Float(
        related="company_id.relationship_dependency_threshold", readonly=False
    )
    relationship_threshold_critical = fields.Integer(
        related="company_id.relationship_threshold_critical", readonly=False
    )
    relationship_calendar_id = fields.Many2one(
        related="company_id.resource_calendar_id",
        readonly=False,
        string="Working Hours",
    )
    relationship_after_hours_reply = fields.Boolean(
        related="company_id.relationship_after_hours_reply", readonly=False
    )
    relationship_after_hours_message = fields.Html(
        related="company_id.relationship_after_hours_message", readonly=False
    )
    relationship_notice_months_per_year = fields.Float(
        related="company_id.relationship_notice_months_per_year", readonly=False
    )
    relationship_notice_max_months = fields.Integer(
        related="company_id.relationship_notice_max_months", readonly=False
    )
    relationship_offboarding_plan_id = fields.Many2one(
        related="company_id.relationship_offboarding_plan_id", readonly=False
    )
    relationship_deposit_enabled = fields.Boolean(
        related="company_id.relationship_deposit_enabled", readonly=False
    )
    relationship_deposit_individual_percent = fields.Float(
        related="company_id.relationship_deposit_individual_percent", readonly=False
    )
    relationship_deposit_risky_percent = fields.Float(
        related="company_id.relationship_deposit_risky_percent", readonly=False
    )
    relationship_deposit_risky_band = fields.Selection(
        related="company_id.relationship_deposit_risky_band", readonly=False
    )
    relationship_deposit_min_amount = fields.Monetary(
        related="company_id.relationship_deposit_min_amount",
        readonly=False,
    )
    relationship_deposit_block_confirmation = fields.Boolean(
        related="company_id.relationship_deposit_block_confirmation", readonly=False
    )
