from . import payment_terms
from . import aging
from . import dunning
