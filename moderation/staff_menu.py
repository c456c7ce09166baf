"""moderation's pages in the staff menu (core.staff_menu), guarded as their views are."""

from django.utils.translation import gettext_lazy

from core import staff_menu
from moderation import cases, selectors
from moderation.audit.services import require_log_reader

staff_menu.entry(
    "moderation:queue",
    gettext_lazy("Review queue"),
    order=10,
    allowed=cases.require_moderator,
    count=selectors.open_case_count,
)
staff_menu.entry(
    "moderation_log:list",
    gettext_lazy("Moderation log"),
    order=20,
    allowed=require_log_reader,
)
