from . import einvoice
