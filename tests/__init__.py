from . import test_credit_profile
from . import test_dunning
from . import test_sale_credit
from . import test_security
from . import test_tour
from . import test_invoice_proof
from . import test_dispute
