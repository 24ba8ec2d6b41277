from . import test_end_relationship
from . import test_relationship_health
from . import test_i18n
from . import test_tours
from . import test_handover
