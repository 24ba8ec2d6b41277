from . import client_relationship_end_check
from . import client_relationship_end_wizard
from . import mail_compose_message
from . import client_relationship_handover_print_wizard
from . import client_relationship_deposit_waiver
