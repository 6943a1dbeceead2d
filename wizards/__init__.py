from . import credit_recovery_hold_wizard
from . import credit_recovery_deposit_lift_wizard
from . import credit_recovery_call_wizard
from . import credit_recovery_exclude_wizard
from . import credit_recovery_presend_override_wizard
from . import credit_recovery_bap_wizard
from . import credit_recovery_dispute_wizard
from . import credit_recovery_penalty_invoice_wizard
