from . import client_relationship_end_wizard
