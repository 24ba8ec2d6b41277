from . import test_end_relationship
from . import test_i18n
from . import test_tours
