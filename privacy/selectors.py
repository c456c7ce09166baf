"""Reads of consent: the current text of each purpose and each member's state.

A member's state for a purpose is the latest record for the purpose's current version;
a record for an older version does not count, so a new version asks again."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from privacy.models import ConsentPurpose, ConsentRecord, ConsentText

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class CurrentVersion(TypedDict):
    current_version: int


def _current_version(purpose_ref: str) -> Subquery:
    return Subquery(
        ConsentText.objects.filter(purpose=OuterRef(purpose_ref), published_at__lte=timezone.now())
        .order_by("-version")
        .values("version")[:1]
    )


def current_text(*, purpose: ConsentPurpose) -> ConsentText | None:
    return purpose.texts.filter(published_at__lte=timezone.now()).order_by("-version").first()


def current_texts(*, purposes: list[ConsentPurpose]) -> QuerySet[ConsentText]:
    """The current text of each of `purposes`, in one query."""
    return ConsentText.objects.filter(
        purpose__in=purposes, version=_current_version("purpose")
    ).order_by("purpose_id")


def purposes_with_current_text() -> "QuerySet[WithAnnotations[ConsentPurpose, CurrentVersion]]":
    """Purposes that have a published text, annotated with `current_version`."""
    return ConsentPurpose.objects.annotate(current_version=_current_version("pk")).filter(
        current_version__isnull=False
    )


def required_keys() -> list[str]:
    """The required purposes that have a published text."""
    return [p.key for p in purposes_with_current_text().filter(required=True)]


def _latest_granted(user, version_ref: str) -> Subquery:
    return Subquery(
        ConsentRecord.objects.filter(
            user=user, purpose=OuterRef("pk"), version=OuterRef(version_ref)
        )
        .order_by("-created_at", "-pk")
        .values("granted")[:1]
    )


def has_consent(*, user, purpose_key: str) -> bool:
    """Checked at the time of use, never cached: one query."""
    if not getattr(user, "is_authenticated", False):
        return False
    latest = (
        ConsentRecord.objects.filter(
            user=user, purpose__key=purpose_key, version=_current_version("purpose")
        )
        .order_by("-created_at", "-pk")
        .values_list("granted", flat=True)
        .first()
    )
    return bool(latest)


def missing_required(user) -> list[ConsentPurpose]:
    """Required purposes whose current version the member has not accepted (one query),
    each with `current_version`."""
    return list(
        purposes_with_current_text()
        .filter(required=True)
        .annotate(granted=_latest_granted(user, "current_version"))
        .filter(Q(granted__isnull=True) | Q(granted=False))
    )


@dataclass
class PurposeState:
    purpose: ConsentPurpose
    text: ConsentText | None
    granted: bool = False
    # When the current state was given or withdrawn (the latest record for the current version).
    since: datetime | None = None
    # Granted an older version, not yet the current one.
    outdated: bool = False
    history: list[ConsentRecord] = field(default_factory=list)


def consent_state(user) -> list[PurposeState]:
    """Every purpose with its current text, the member's state and full history, newest
    first. Three queries, whatever the history's length."""
    now = timezone.now()
    purposes = list(ConsentPurpose.objects.all())
    texts: dict[int, ConsentText] = {}
    for text in ConsentText.objects.filter(published_at__lte=now).order_by(
        "purpose_id", "-version"
    ):
        texts.setdefault(text.purpose_id, text)
    states = {p.pk: PurposeState(purpose=p, text=texts.get(p.pk)) for p in purposes}
    for record in ConsentRecord.objects.filter(user=user).order_by("-created_at", "-pk"):
        state = states[record.purpose_id]
        record.purpose = state.purpose
        state.history.append(record)
    for state in states.values():
        current = [r for r in state.history if state.text and r.version == state.text.version]
        if current:
            state.granted, state.since = current[0].granted, current[0].created_at
        else:
            state.outdated = bool(state.history and state.history[0].granted)
    return list(states.values())


def consent_state_for(user, *, purpose_key: str) -> PurposeState:
    """One purpose's state; raises ConsentPurpose.DoesNotExist for an unknown key."""
    for state in consent_state(user):
        if state.purpose.key == purpose_key:
            return state
    raise ConsentPurpose.DoesNotExist(purpose_key)
