from django.utils.functional import SimpleLazyObject

from core import staff_menu as menu


def staff_menu(request) -> dict:
    """`staff_menu` for the header (core.staff_menu.Menu): gathered only when a template
    shows it, and only for a signed-in member (a visitor's page is the same for all)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"staff_menu": SimpleLazyObject(lambda: menu.menu_for(user))}
