"""The life of a privacy request (export or erasure), shared by both kinds."""

import hashlib
import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from privacy.models import PrivacyRequest, PrivacyRequestEvent

logger = logging.getLogger(__name__)

LEGAL_DEADLINE = timedelta(days=30)  # "within one month", Art. 12(3) GDPR


def subject_for(user) -> str:
    """A pseudonymous reference for the request log that outlives an erased member."""
    return "member-" + hashlib.sha256(f"peerdesk-subject:{user.pk}".encode()).hexdigest()[:16]


@transaction.atomic
def request_open(*, user, kind: str, state: str, act_after=None) -> PrivacyRequest:
    """Opens a request; the partial unique constraint refuses a second open one of a kind."""
    now = timezone.now()
    request = PrivacyRequest.objects.create(
        kind=kind,
        user=user,
        subject=subject_for(user),
        state=state,
        requested_at=now,
        due_at=now + LEGAL_DEADLINE,
        act_after=act_after,
    )
    PrivacyRequestEvent.objects.create(request=request, state=state, at=now)
    return request


@transaction.atomic
def request_transition(*, request: PrivacyRequest, state: str, note: str = "", **fields) -> None:
    """Appends the event and updates the cached state (and `fields`) under a row lock."""
    locked = PrivacyRequest.objects.select_for_update().get(pk=request.pk)
    locked.state = state
    for name, value in fields.items():
        setattr(locked, name, value)
    if state in (PrivacyRequest.State.DONE, PrivacyRequest.State.FAILED):
        locked.finished_at = timezone.now()
    locked.save()
    PrivacyRequestEvent.objects.create(request=locked, state=state, note=note[:200])
    request.refresh_from_db()


def enqueue_on_commit(task, request_id: int) -> None:
    """Sends the request's task after commit; a broker error is logged, never raised: the
    request row is saved and a sweep picks it up."""

    def send() -> None:
        try:
            task.delay(request_id)
        except Exception:
            logger.exception("Could not enqueue %s for privacy request %s", task.name, request_id)

    transaction.on_commit(send)
