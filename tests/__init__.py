from . import test_demo
from . import test_deposit
from . import test_deposit_portal
from . import test_end_relationship
from . import test_handover
from . import test_i18n
from . import test_relationship_health
from . import test_tours
