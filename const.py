"""Values shared by the models, the wizards and the reports."""

BANDS = [("good", "Good"), ("watch", "Watch"), ("critical", "Critical")]
BAND_ORDER = {"good": 0, "watch": 1, "critical": 2}

GROUP_USER = "client_relationship.group_relationship_user"
GROUP_MANAGER = "client_relationship.group_relationship_manager"

# The client's health in the current company, as the partner shows it: written
# only by the health engine (client.relationship.health).
HEALTH_FIELDS = [
    "relationship_revenue_share",
    "relationship_payment_delay_avg",
    "relationship_overdue_amount",
    "relationship_overdue_count",
    "relationship_out_of_hours_count",
    "relationship_incident_count",
    "relationship_revenue_12m",
    "relationship_health_score",
    "relationship_health_band",
    "relationship_health_date",
]
