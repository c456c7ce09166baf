"""Writes to a member's own account."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token


def display_name_change(*, user, display_name: str) -> None:
    """Expects a name already checked by accounts.forms.DisplayNameForm; the unique
    constraint still refuses one taken by a concurrent change."""
    try:
        with transaction.atomic():
            get_user_model().objects.filter(pk=user.pk).update(display_name=display_name)
    except IntegrityError:
        raise ValidationError(
            {"display_name": _("This display name is taken. Please choose another.")}
        ) from None
    user.display_name = display_name


@transaction.atomic
def api_token_regenerate(*, user) -> Token:
    """Replaces any previous token, which stops working at once. Locks the user row,
    so two concurrent requests leave exactly one token."""
    get_user_model().objects.select_for_update().get(pk=user.pk)
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def api_token_revoke(*, user) -> bool:
    """Returns whether there was a token to revoke."""
    deleted, _details = Token.objects.filter(user=user).delete()
    return bool(deleted)
