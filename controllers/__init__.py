from . import einvoice
from . import portal
