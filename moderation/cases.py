"""The review queue: opening cases, claiming them so two moderators never handle the
same item, and closing them."""

from datetime import timedelta
from enum import IntEnum

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from core.errors import Conflict
from moderation.models import Case, CaseSource, ModerationSettings, target_fields


class Priority(IntEnum):
    """Higher first in the queue: personal data, then appeals, then what trusted members'
    flags hid (or would have hidden, for a profile), then the rest."""

    NORMAL = 0
    TRUSTED_FLAGS = 1
    APPEAL = 2
    PERSONAL_DATA = 3


def require_moderator(user) -> None:
    if not roles.is_moderator(user):
        raise PermissionDenied(_("Only moderators can work the review queue."))


def case_open(
    *, target, source: str, note: str = "", weight: int = 0, priority: int = 0, appeal=None
) -> Case:
    """Opens (or returns the open) case of `source` for `target`, a post or a profile;
    an appeal always gets its own case. Joining an open case adds `weight` and raises
    its priority to `priority`. Race-safe: the partial unique index lets one opener
    create the case, get_or_create makes the others join it."""
    fields = target_fields(target)
    values = {"note": note[:300], "weight": weight, "priority": priority}
    if appeal is not None:
        return Case.objects.create(source=source, appeal=appeal, **values, **fields)
    case, created = Case.objects.get_or_create(
        source=source, state=Case.State.OPEN, appeal=None, **fields, defaults=values
    )
    if not created and (weight or priority > case.priority):
        Case.objects.filter(pk=case.pk).update(
            weight=F("weight") + weight, priority=Greatest("priority", priority)
        )
        case.refresh_from_db(fields=["weight", "priority"])
    return case


def claim_holder(case: Case, *, minutes: int | None = None):
    """Who holds an unexpired claim on the case, or None. `minutes`: the claim time, when
    the caller has ModerationSettings loaded already."""
    if case.claimed_by_id is None or case.claimed_at is None:
        return None
    if minutes is None:
        minutes = ModerationSettings.load().claim_minutes
    if case.claimed_at + timedelta(minutes=minutes) <= timezone.now():
        return None
    return case.claimed_by


def claimed_by_other(case: Case, moderator, *, minutes: int | None = None) -> bool:
    holder = claim_holder(case, minutes=minutes)
    return holder is not None and holder.pk != moderator.pk


def _locked(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("claimed_by", "appeal__action")
        .get(pk=case.pk)
    )


def _check_open_and_free(case: Case, moderator) -> None:
    if case.state != Case.State.OPEN:
        raise Conflict(_("This case is closed already."))
    if claimed_by_other(case, moderator):
        raise Conflict(
            _("%(name)s is handling this case.") % {"name": case.claimed_by.display_name}
        )


@transaction.atomic
def case_claim(*, case: Case, moderator) -> Case:
    """Reserves the case for `moderator` for the claim time (renewed on each call).
    Locks the case row: of two moderators claiming at once, the second sees the first's
    claim and gets a Conflict naming them."""
    require_moderator(moderator)
    case = _locked(case)
    _check_open_and_free(case, moderator)
    if case.source == CaseSource.APPEAL and case.appeal.action.actor_id == moderator.pk:
        raise PermissionDenied(_("An appeal against your own decision goes to another moderator."))
    case.claimed_by, case.claimed_at = moderator, timezone.now()
    case.save(update_fields=["claimed_by", "claimed_at"])
    return case


@transaction.atomic
def case_release(*, case: Case, moderator) -> Case:
    """Gives the case back to the queue. Only its holder (or anyone, once the claim
    has expired) can release it."""
    require_moderator(moderator)
    case = _locked(case)
    _check_open_and_free(case, moderator)
    case.claimed_by, case.claimed_at = None, None
    case.save(update_fields=["claimed_by", "claimed_at"])
    return case


def case_close(*, case: Case) -> Case:
    """In the caller's transaction, with the case claimed (locked) by the caller."""
    case.state, case.closed_at = Case.State.CLOSED, timezone.now()
    case.claimed_by, case.claimed_at = None, None
    case.save(update_fields=["state", "closed_at", "claimed_by", "claimed_at"])
    return case


def cases_close_about_posts_of(member) -> int:
    """Closes the open flag and held cases about `member`'s posts, all removed at once
    (a purge). Appeals stay open. Returns how many."""
    about = Q(question__author=member) | Q(answer__author=member) | Q(comment__author=member)
    return Case.objects.filter(about, state=Case.State.OPEN, appeal__isnull=True).update(
        state=Case.State.CLOSED, closed_at=timezone.now(), claimed_by=None, claimed_at=None
    )
