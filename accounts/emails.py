"""Members' email addresses are case-insensitive: stored, compared and looked up in the
one form `email_normalize` gives them. The database holds to it (accounts.User's
constraints `user_email_lower_case` and `user_email_ci_unique`), so a path that forgets
fails loudly instead of storing an address its owner can never log in with."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _


def email_normalize(email: str) -> str:
    """The whole address in lower case, the local part too: every major provider treats
    it case-insensitively, and a member never knows which casing they signed up with.
    The database checks that its LOWER() leaves a stored address unchanged."""
    return (email or "").strip().lower()


def validate_email_free(email: str, *, exclude_pk=None) -> None:
    """Expects a normalised address (the stored ones all are, so an exact match is a
    case-insensitive one, and uses the unique index)."""
    users = get_user_model().objects.filter(email=email)
    if exclude_pk is not None:
        users = users.exclude(pk=exclude_pk)
    if users.exists():
        raise forms.ValidationError(
            _("A member with this email address already exists."), code="unique"
        )
