"""Values shared by the models, the wizards and the reports."""

BANDS = [("good", "Good"), ("watch", "Watch"), ("critical", "Critical")]
BAND_ORDER = {"good": 0, "watch": 1, "critical": 2}

GROUP_USER = "client_relationship.group_relationship_user"
GROUP_MANAGER = "client_relationship.group_relationship_manager"
