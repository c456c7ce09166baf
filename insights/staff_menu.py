"""insights' pages in the staff menu (core.staff_menu), guarded as their views are."""

from django.utils.translation import gettext_lazy

from core import staff_menu
from insights.permissions import can_see_insights

staff_menu.entry(
    "insights:dashboard",
    gettext_lazy("Deflection and savings"),
    order=60,
    allowed=can_see_insights,
)
staff_menu.entry(
    "contact:requests",
    gettext_lazy("Contact requests"),
    order=70,
    allowed=can_see_insights,
)
