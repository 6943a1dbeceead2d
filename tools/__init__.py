from . import payment_terms
