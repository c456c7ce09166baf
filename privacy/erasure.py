"""Erasure (Art. 17 GDPR): a member asks, the account is deactivated at once and erased
after a grace period in which a signed emailed link cancels it. Staff erase at once
through the same code path. What is erased and what is kept is in docs/privacy.md."""

import logging
from datetime import timedelta
from importlib import import_module

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import customer_link
from accounts.models import User
from accounts.services import avatar_remove
from community.models import Answer, Comment, Follow, Forum, Question, SolvedToo, Vote
from config.errors import Conflict
from core.sql import RandomHex
from insights import gdpr as insights_gdpr
from moderation import gdpr as moderation_gdpr
from privacy.models import PrivacyRequest
from privacy.requests import request_open, request_transition
from rewards import gdpr as rewards_gdpr

log = logging.getLogger(__name__)

Kind = PrivacyRequest.Kind
State = PrivacyRequest.State
CANCEL_SALT = "privacy.erasure.cancel"
# The option is kept as the note of an event, so it is part of the request's history.
DELETE_POSTS_NOTE = "option: delete posts"
DELETED_MEMBER = "Deleted member"


def grace_period() -> timedelta:
    return timedelta(days=getattr(settings, "PRIVACY_ERASURE_GRACE_DAYS", 14))


def erasure_request(*, user: User, password: str | None, delete_posts: bool = False):
    """Checks the password, deactivates the account (which ends every session and API
    token at once: inactive members are not authenticated) and schedules the erasure."""
    if not password or not user.check_password(password):
        raise ValidationError({"password": _("The password is not correct.")})
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
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
    send_mail(
        subject=_("Your account will be erased"),
        message=render_to_string("privacy/erasure_email.txt", context),
        from_email=None,
        recipient_list=[user.email],
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
    User.objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True


def erasure_by_token(*, token: str) -> PrivacyRequest:
    """The scheduled erasure a cancel link is for: valid for the grace period, and only
    while the erasure is scheduled."""
    try:
        data = signing.loads(token, salt=CANCEL_SALT, max_age=grace_period().total_seconds())
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
    user = erasure_by_token(token=token).user
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
            user=User.objects.select_for_update().get(pk=request.user_id), delete_posts=delete_posts
        )
    request_transition(request=request, state=State.DONE)


def _erase(*, user: User, delete_posts: bool) -> None:
    _threads_changed(user)
    _votes_delete(user)
    _solved_too_pseudonymise(user)
    Follow.objects.filter(user=user).delete()
    if delete_posts:
        _posts_delete(user)
    _exports_delete(user)
    rewards_gdpr.rewards_erase(user)
    customer_link.customer_links_erase(user)
    moderation_gdpr.moderation_erase(user)
    insights_gdpr.contact_erase(user)
    _admin_log_scrub(user)
    _sessions_delete(user)
    avatar_remove(user=user)  # files deleted after commit
    EmailAddress.objects.filter(user=user).delete()
    # Cascades: social accounts and tokens, MFA authenticators, API token, group links.
    # Set to NULL: authors of posts, editors of revisions, consent records, privacy requests.
    user.delete()


def _threads_changed(user: User) -> None:
    """Drops the cached answers fragments that show the member's name."""
    Question.objects.filter(
        Q(author=user)
        | Q(pk__in=Answer.objects.filter(author=user).values("question_id"))
        | Q(pk__in=Comment.objects.filter(author=user).values("answer__question_id"))
    ).update(version=F("version") + 1)


def _count(model, field: str):
    rows = model.objects.filter(**{field: OuterRef("pk")}).values(field).annotate(n=Count("*"))
    return Coalesce(Subquery(rows.values("n")), 0)


def _votes_delete(user: User) -> None:
    votes = Vote.objects.filter(user=user)
    question_ids = list(votes.exclude(question=None).values_list("question_id", flat=True))
    answer_ids = list(votes.exclude(answer=None).values_list("answer_id", flat=True))
    votes.delete()
    Question.objects.filter(pk__in=question_ids).update(vote_score=_count(Vote, "question"))
    Answer.objects.filter(pk__in=answer_ids).update(vote_score=_count(Vote, "answer"))


def _solved_too_pseudonymise(user: User) -> None:
    """Keeps the marks, so counts and credit stay, as if made by an anonymous visitor."""
    SolvedToo.objects.filter(user=user).update(user=None, session_hash=RandomHex())


def _posts_delete(user: User) -> None:
    """Deletes the member's comments, answers that are not accepted, and questions nobody
    else answered; accepted answers and questions others answered stay, anonymised."""
    Comment.objects.filter(author=user).delete()
    answers = Answer.objects.filter(author=user, question__accepted_answer=None)
    question_ids = set(answers.values_list("question_id", flat=True))
    answers.delete()
    questions = Question.objects.filter(author=user).exclude(
        pk__in=Answer.objects.exclude(author=user).values("question_id")
    )
    forum_ids = set(Question.objects.filter(pk__in=question_ids).values_list("forum_id", flat=True))
    forum_ids |= set(questions.values_list("forum_id", flat=True))
    questions.delete()
    Question.objects.filter(pk__in=question_ids).update(answer_count=_count(Answer, "question"))
    Forum.objects.filter(pk__in=forum_ids).update(
        question_count=_count(Question, "forum"),
        answer_count=Coalesce(
            Subquery(
                Answer.objects.filter(question__forum=OuterRef("pk"))
                .values("question__forum")
                .annotate(n=Count("*"))
                .values("n")
            ),
            0,
        ),
    )


def _exports_delete(user: User) -> None:
    """Deletes export files after commit and closes open exports."""
    for request in PrivacyRequest.objects.filter(user=user, kind=Kind.EXPORT):
        if request.file_name:
            name = request.file_name
            transaction.on_commit(lambda name=name: storages["exports"].delete(name))
        if request.state in (State.QUEUED, State.BUILDING, State.READY) or request.file_name:
            request_transition(
                request=request, state=State.EXPIRED, note="member erased", file_name=""
            )


def _admin_log_scrub(user: User) -> None:
    """Admin history about the member keeps the action, not their name."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=DELETED_MEMBER)


def _sessions_delete(user: User) -> None:
    """Database sessions are deleted. Cache sessions cannot be enumerated; they end because
    the member no longer exists (Django drops a session whose user is gone), and the
    password is made unusable first so the session hash of any copy no longer matches."""
    user.set_unusable_password()
    user.save(update_fields=["password"])
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return
    model = store.get_model_class()
    stale = [
        session.session_key
        for session in model.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    model.objects.filter(session_key__in=stale).delete()
