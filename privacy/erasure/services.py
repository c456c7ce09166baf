"""Erasure (Art. 17 GDPR): a member asks, the account is deactivated at once and erased
after a grace period in which a signed emailed link cancels it. Staff erase at once
through the same code path. What is erased and what is kept is in docs/privacy.md."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.tokens.services import tokens_revoke
from branding import email as branded
from core import gdpr
from core.errors import Conflict
from privacy.models import PrivacyRequest
from privacy.requests import request_open, request_transition
from webhooks.events import member_erased

if TYPE_CHECKING:
    from accounts.models import User  # the user model, named for type checkers only

log = logging.getLogger(__name__)

Kind = PrivacyRequest.Kind
State = PrivacyRequest.State
CANCEL_SALT = "privacy.erasure.cancel"
# The option is kept as the note of an event, so it is part of the request's history.
DELETE_POSTS_NOTE = "option: delete posts"
DELETED_MEMBER = gdpr.DELETED_MEMBER


def grace_period() -> timedelta:
    return timedelta(days=getattr(settings, "PRIVACY_ERASURE_GRACE_DAYS", 14))


def erasure_request(*, user: User, password: str | None, delete_posts: bool = False):
    """Checks the password, deactivates the account (which ends every session at once:
    inactive members are not authenticated), revokes its API tokens and schedules the
    erasure."""
    if not password or not user.check_password(password):
        raise ValidationError({"password": _("The password is not correct.")})
    with transaction.atomic():
        get_user_model().objects.filter(pk=user.pk).update(is_active=False)
        # Cancelling the erasure reactivates the account, not what programs could do.
        tokens_revoke(user=user)
        request = _open(user=user, act_after=timezone.now() + grace_period())
        if delete_posts:
            request_transition(request=request, state=State.SCHEDULED, note=DELETE_POSTS_NOTE)
        transaction.on_commit(lambda: _send_cancel_link(user=user, request=request))
    user.is_active = False
    return request


def _open(*, user: User, act_after) -> PrivacyRequest:
    try:
        with transaction.atomic():
            return request_open(
                user=user, kind=Kind.ERASURE, state=State.SCHEDULED, act_after=act_after
            )
    except IntegrityError:
        raise Conflict(_("An erasure of this account is already scheduled.")) from None


def cancel_token(request: PrivacyRequest) -> str:
    return signing.dumps({"request": request.pk}, salt=CANCEL_SALT)


def _send_cancel_link(*, user: User, request: PrivacyRequest) -> None:
    path = reverse("privacy_erasure:cancel", args=[cancel_token(request)])
    context = {"user": user, "request": request, "cancel_url": settings.SITE_URL + path}
    branded.send(
        to=[user.email],
        subject_text=_("Your account will be erased"),
        text_template="privacy/erasure_email.txt",
        context=context,
    )


def erasure_scheduled(*, user: User) -> PrivacyRequest | None:
    return PrivacyRequest.objects.filter(
        user=user, kind=Kind.ERASURE, state=State.SCHEDULED
    ).first()


@transaction.atomic
def erasure_cancel(*, user: User) -> None:
    """Cancels the scheduled erasure and reactivates the account."""
    request = erasure_scheduled(user=user)
    if request is None:
        raise Conflict(_("No erasure of this account is scheduled."))
    request_transition(request=request, state=State.CANCELLED, note="cancelled by the member")
    get_user_model().objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True


def erasure_by_token(*, token: str) -> PrivacyRequest:
    """The scheduled erasure a cancel link is for: valid for the grace period, and only
    while the erasure is scheduled."""
    try:
        data = signing.loads(token, salt=CANCEL_SALT, max_age=grace_period())
    except signing.BadSignature:
        raise ValidationError(_("This link is invalid or has expired.")) from None
    request = (
        PrivacyRequest.objects.filter(pk=data.get("request"), kind=Kind.ERASURE)
        .select_related("user")
        .first()
    )
    if request is None or request.state != State.SCHEDULED or request.user is None:
        raise ValidationError(_("This erasure can no longer be cancelled."))
    return request


def erasure_cancel_by_token(*, token: str) -> User:
    user = cast("User", erasure_by_token(token=token).user)  # a scheduled erasure has one
    erasure_cancel(user=user)
    return user


def erase_now(*, user: User, by: User | None = None, delete_posts: bool = False) -> None:
    """For staff: no grace period. Runs a scheduled request of the member if there is one."""
    with transaction.atomic():
        request = erasure_scheduled(user=user) or _open(user=user, act_after=timezone.now())
        note = f"erased at once by staff member {by.pk}" if by else "erased at once by staff"
        request_transition(
            request=request, state=State.SCHEDULED, note=note, act_after=timezone.now()
        )
        if delete_posts:
            request_transition(request=request, state=State.SCHEDULED, note=DELETE_POSTS_NOTE)
    erasure_run(request_id=request.pk)


def erasure_due_sweep() -> list[int]:
    """Runs every scheduled erasure whose grace period has ended; one failure is logged and
    left scheduled for the next sweep. Returns the ids it ran."""
    due = PrivacyRequest.objects.filter(
        kind=Kind.ERASURE, state=State.SCHEDULED, act_after__lte=timezone.now()
    ).values_list("pk", flat=True)
    done = []
    for request_id in list(due):
        try:
            erasure_run(request_id=request_id)
        except Exception:
            log.exception(
                "Erasure of privacy request %s failed; retried by the next sweep.", request_id
            )
        else:
            done.append(request_id)
    return done


@transaction.atomic
def erasure_run(*, request_id: int) -> None:
    """Locks the request row. Idempotent: a done or cancelled request, or one that is gone,
    changes nothing; everything else happens in this one transaction."""
    request = (
        PrivacyRequest.objects.select_for_update().filter(pk=request_id, kind=Kind.ERASURE).first()
    )
    if request is None or request.state != State.SCHEDULED:
        return
    if request.user_id is not None:
        delete_posts = request.events.filter(note=DELETE_POSTS_NOTE).exists()
        _erase(
            user=get_user_model().objects.select_for_update().get(pk=request.user_id),
            delete_posts=delete_posts,
        )
    request_transition(request=request, state=State.DONE)


def _erase(*, user: User, delete_posts: bool) -> None:
    """Runs every app's erasers (core.gdpr) in their order, then deletes the member's row.
    Its deletion cascades to rows declared deleted_with_member (API tokens, social
    logins, MFA authenticators, badges, notifications...) and sets the member to NULL on
    rows kept without them (authors of posts, editors of revisions, consent records,
    privacy requests). First the brand's systems are told (webhooks), while the member's
    customer links still say whom to erase there too."""
    member_erased(user=user)
    options = {gdpr.DELETE_POSTS} if delete_posts else set()
    for step in gdpr.erasers(options=options):
        step.erase(user)
    user.delete()
