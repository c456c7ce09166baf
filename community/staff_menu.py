"""community's page in the staff menu (core.staff_menu), guarded as its view is."""

from django.utils.translation import gettext_lazy

from accounts import roles
from community.escalation import services as escalation
from core import staff_menu

staff_menu.entry(
    "escalations:list",
    gettext_lazy("Escalated questions"),
    order=40,
    allowed=roles.is_staff_member,
    count=escalation.escalated_unanswered_count,
)
