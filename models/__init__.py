from . import account_move
from . import client_relationship_health_snapshot
from . import client_relationship_incident
from . import res_company
from . import res_config_settings
from . import res_partner
