"""Writes to a member's own account."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import avatars
from accounts.models import User
from core.text import clean_text
from privacy.rules import require_required_consents


def display_name_change(*, user, display_name: str) -> None:
    """Expects a name already checked by accounts.forms.DisplayNameForm; the unique
    constraint still refuses one taken by a concurrent change."""
    require_required_consents(user)
    try:
        with transaction.atomic():
            get_user_model().objects.filter(pk=user.pk).update(display_name=display_name)
    except IntegrityError:
        raise ValidationError(
            {"display_name": _("This display name is taken. Please choose another.")}
        ) from None
    user.display_name = display_name


def profile_update(
    *,
    user: User,
    bio: str,
    location: str,
    bio_visibility: str,
    location_visibility: str,
    avatar_visibility: str,
    listing_visibility: str,
) -> None:
    """Expects values checked by accounts.forms.ProfileForm."""
    require_required_consents(user)
    fields = {
        "bio": clean_text(bio),
        "location": clean_text(location),
        "bio_visibility": bio_visibility,
        "location_visibility": location_visibility,
        "avatar_visibility": avatar_visibility,
        "listing_visibility": listing_visibility,
    }
    User.objects.filter(pk=user.pk).update(**fields)
    for name, value in fields.items():
        setattr(user, name, value)


def _avatar_replace(*, user: User, names: dict[str, str]) -> None:
    """Locks the user row; the files of the previous avatar are deleted after commit, so a
    rollback never leaves the member pointing at deleted files. A storage that cannot
    delete them then is logged (robust), not shown to the member as an error."""
    with transaction.atomic():
        old = User.objects.select_for_update().values_list("avatar", flat=True).get(pk=user.pk)
        User.objects.filter(pk=user.pk).update(avatar=names)
        if old:
            transaction.on_commit(lambda: avatars.delete(old), robust=True)
    user.avatar = names


def avatar_set(*, user: User, upload) -> None:
    """Raises ValidationError({"avatar": ...}) for a bad upload, or when the storage
    cannot be used just now, storing nothing."""
    require_required_consents(user)
    names = avatars.store(avatars.render(upload))
    try:
        _avatar_replace(user=user, names=names)
    except Exception:
        avatars.delete(names)
        raise


def avatar_remove(*, user: User) -> None:
    """Idempotent: removing a missing avatar changes nothing."""
    _avatar_replace(user=user, names={})
