"""rewards' pages in the staff menu (core.staff_menu), guarded as their views are."""

from django.utils.translation import gettext_lazy

from accounts import roles
from core import staff_menu
from rewards.fraud import selectors as fraud
from rewards.fraud.services import require_reviewer
from rewards.settlement import selectors as settlement

staff_menu.entry(
    "rewards_fraud:queue",
    gettext_lazy("Fraud review"),
    order=30,
    allowed=require_reviewer,
    count=fraud.fraud_holds_open_count,
)
staff_menu.entry(
    "rewards_settlement:list",
    gettext_lazy("Settlements"),
    order=50,
    allowed=roles.is_official,
    count=settlement.settlement_needs_staff_count,
)
