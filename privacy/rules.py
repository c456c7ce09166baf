"""The consent rule every participating write checks, whatever the door (pages, htmx,
the API, commands): the required texts in their current version must be accepted."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import ConsentRequired
from privacy import consent_cache, selectors


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def require_required_consents(user) -> None:
    """Raises ConsentRequired naming what to accept and where. A member found to have
    accepted every required text is answered from the cache, as their pages are
    (privacy.consent_cache: a withdrawal or a new text is seen at once)."""
    if consent_cache.required_accepted(user):
        return
    missing = selectors.missing_required(user)
    if not missing:
        return
    names = ", ".join(purpose.local_name for purpose in missing)
    accept_url = _absolute(reverse("privacy:accept"))
    raise ConsentRequired(
        _("Please accept the current version of: %(names)s. You can do so at %(url)s")
        % {"names": names, "url": accept_url},
        texts=[
            {
                "key": purpose.key,
                "name": purpose.local_name,
                "version": purpose.current_version,
                "url": _absolute(reverse("privacy:text", args=[purpose.key])),
            }
            for purpose in missing
        ],
        accept_url=accept_url,
    )
