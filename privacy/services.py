"""Writes of consent. Records are only ever added: a withdrawal is a new row."""

from collections.abc import Iterable, Mapping

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy import selectors
from privacy.models import ConsentPurpose, ConsentRecord, ConsentText

Method = ConsentRecord.Method


def _purpose(key: str) -> ConsentPurpose:
    """Raises ConsentPurpose.DoesNotExist for an unknown key (a 404 in views and the API)."""
    return ConsentPurpose.objects.get(key=key)


def _record(
    *, user, purpose: ConsentPurpose, granted: bool, method: str, version: int | None
) -> ConsentRecord:
    """Locks the member's row, so concurrent clicks are ordered and the latest record is
    well defined. Idempotent: the state the member already has adds no row."""
    get_user_model().objects.select_for_update().get(pk=user.pk)
    text = selectors.current_text(purpose=purpose)
    if text is None:
        raise ValidationError({"purpose": _("This purpose has no published text yet.")})
    if version is not None and version != text.version:
        raise ValidationError(
            {"version": _("A newer version of this text was published. Please read it first.")}
        )
    latest = (
        ConsentRecord.objects.filter(user=user, purpose=purpose, version=text.version)
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is not None and latest.granted == granted:
        return latest
    return ConsentRecord.objects.create(
        user=user, purpose=purpose, version=text.version, granted=granted, method=method
    )


@transaction.atomic
def consent_grant(
    *, user, purpose_key: str, method: str, version: int | None = None
) -> ConsentRecord:
    """Grants the current version (or refuses if `version` is given and no longer current)."""
    return _record(
        user=user, purpose=_purpose(purpose_key), granted=True, method=method, version=version
    )


@transaction.atomic
def consent_withdraw(*, user, purpose_key: str, method: str) -> ConsentRecord:
    purpose = _purpose(purpose_key)
    if purpose.required:
        raise ValidationError(
            {
                "purpose": _(
                    "“%(name)s” is required to take part in the community and cannot be "
                    "withdrawn. To withdraw it, delete your account."
                )
                % {"name": purpose.local_name}
            }
        )
    return _record(user=user, purpose=purpose, granted=False, method=method, version=None)


@transaction.atomic
def consents_accept(*, user, versions: Mapping[str, int], method: str) -> list[ConsentRecord]:
    """Grants each purpose at the version the member was shown: all of them or none."""
    return [
        consent_grant(user=user, purpose_key=key, method=method, version=version)
        for key, version in versions.items()
    ]


@transaction.atomic
def consents_record_signup(
    *, user, granted_keys: Iterable[str], method: str = Method.SIGNUP
) -> list[ConsentRecord]:
    """Records the purposes ticked at signup; refuses a signup that leaves out a required
    one. Unticked optional purposes get no row: no record means no consent."""
    granted_keys = set(granted_keys)
    purposes = list(selectors.purposes_with_current_text())
    missing = [p.local_name for p in purposes if p.required and p.key not in granted_keys]
    if missing:
        raise ValidationError(
            {"purpose": _("Please accept: %(names)s.") % {"names": ", ".join(missing)}}
        )
    unknown = granted_keys - {p.key for p in purposes}
    if unknown:
        raise ValidationError(
            {"purpose": _("Unknown purpose: %(keys)s.") % {"keys": ", ".join(sorted(unknown))}}
        )
    return ConsentRecord.objects.bulk_create(
        ConsentRecord(user=user, purpose=p, version=p.current_version, granted=True, method=method)
        for p in purposes
        if p.key in granted_keys
    )


@transaction.atomic
def consent_text_publish(
    *, purpose: ConsentPurpose, text: str, text_de: str = "", published_at=None
) -> ConsentText:
    """Adds the next version of a purpose's text. Locks the purpose row, so two admins
    publishing at once get consecutive versions (the unique constraint is the backstop)."""
    purpose = ConsentPurpose.objects.select_for_update().get(pk=purpose.pk)
    last = purpose.texts.aggregate(last=Max("version"))["last"] or 0
    return ConsentText.objects.create(
        purpose=purpose,
        version=last + 1,
        text=text,
        text_de=text_de,
        published_at=published_at or timezone.now(),
    )
