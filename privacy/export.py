"""Data export (Art. 15 and 20 GDPR): request, build, download, expire.

The zip is written entry by entry, row by row, from server-side cursors into a
temporary file, so memory does not grow with the member's history; the finished
file goes to the private storage STORAGES["exports"] (never MEDIA_ROOT: privacy.storage),
from where only the member's single-use download hands it out.
"""

import hashlib
import json
import logging
import secrets
import shutil
import tempfile
import textwrap
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from itertools import islice
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage, storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import customer_link
from community.models import Answer, Comment, Follow, Question, Revision, SolvedToo, Vote
from community.selectors import tag_names_of
from config.errors import Conflict
from insights import gdpr as insights_gdpr
from moderation import gdpr as moderation_gdpr
from notifications import gdpr as notifications_gdpr
from notifications.kinds import SECRET_URL
from notifications.models import Kind as NotificationKind
from notifications.services import notify
from privacy.models import ConsentRecord, PrivacyRequest
from privacy.requests import request_open, request_transition
from rewards import gdpr as rewards_gdpr

logger = logging.getLogger(__name__)

Kind = PrivacyRequest.Kind
State = PrivacyRequest.State

DAILY_LIMIT = 3
DOWNLOAD_VALID = timedelta(days=7)
LOST_AFTER = timedelta(minutes=5)
# Longer than CELERY_TASK_TIME_LIMIT: a build still "building" after this was killed.
STUCK_AFTER = timedelta(minutes=30)
CHUNK = 500


class ExportUnavailable(Exception):
    """A download link that cannot be served; `gone` when it existed but expired (410)."""

    def __init__(self, message: str, *, gone: bool = False):
        super().__init__(message)
        self.message = message
        self.gone = gone


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def export_latest(*, user) -> PrivacyRequest | None:
    return (
        PrivacyRequest.objects.filter(user=user, kind=Kind.EXPORT).order_by("-requested_at").first()
    )


@transaction.atomic
def export_request(*, user) -> PrivacyRequest:
    """Opens an export and enqueues its build after commit. The partial unique constraint
    allows one open export per member; a sweep re-enqueues it if the task is lost."""
    since = timezone.now() - timedelta(hours=24)
    if (
        PrivacyRequest.objects.filter(user=user, kind=Kind.EXPORT, requested_at__gte=since).count()
        >= DAILY_LIMIT
    ):
        raise ValidationError(
            _("You can request at most %(count)d exports a day. Please try again tomorrow.")
            % {"count": DAILY_LIMIT}
        )
    try:
        request = request_open(user=user, kind=Kind.EXPORT, state=State.QUEUED)
    except IntegrityError:
        raise Conflict(
            _(
                "An export of your data is already being prepared. "
                "You will get an email when it is ready."
            )
        ) from None
    _enqueue(request.pk)
    return request


def _enqueue(request_id: int) -> None:
    from privacy.tasks import export_build_enqueue  # tasks import this module

    export_build_enqueue(request_id)


def export_build(*, request_id: int) -> None:
    """Idempotent: does nothing unless the request is queued or building (a redelivered
    task rebuilds). Of two concurrent builds only the first to finish is kept."""
    with transaction.atomic():
        request = (
            PrivacyRequest.objects.select_for_update(of=("self",))
            .filter(pk=request_id, kind=Kind.EXPORT, state__in=[State.QUEUED, State.BUILDING])
            .select_related("user")
            .first()
        )
        if request is None:
            return
        if request.user is None:  # erased meanwhile: nothing left to export
            request_transition(request=request, state=State.FAILED, note="member erased")
            return
        if request.state == State.QUEUED:
            request_transition(request=request, state=State.BUILDING)
    file_name = f"exports/{uuid.uuid4()}.zip"
    try:
        with tempfile.TemporaryFile() as spool:
            _write_zip(spool, user=request.user)
            spool.seek(0)
            file_name = storages["exports"].save(file_name, File(spool))
    except Exception:
        logger.exception("Export %s failed", request_id)
        storages["exports"].delete(file_name)
        request_transition(request=request, state=State.FAILED, note="build failed")
        return
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        locked = PrivacyRequest.objects.select_for_update().get(pk=request_id)
        if locked.state != State.BUILDING:
            transaction.on_commit(lambda: storages["exports"].delete(file_name))
            return
        request_transition(
            request=locked,
            state=State.READY,
            file_name=file_name,
            token_hash=_hash(token),
            act_after=timezone.now() + DOWNLOAD_VALID,
            finished_at=timezone.now(),
        )
        user = request.user
        # robust: a mail server error is logged; the export is ready either way.
        transaction.on_commit(lambda: _send_ready_email(user=user, token=token), robust=True)


def _send_ready_email(*, user, token: str) -> None:
    """A notification whose email carries the download link. The token is a secret shown
    once: it stays in the notification's secret data only until the email has gone out,
    and the in-app notification never shows it (notifications.kinds.SECRET_PREFIX)."""
    link = settings.SITE_URL.rstrip("/") + reverse("privacy_export:download", args=[token])
    notify(
        recipient=user,
        kind=NotificationKind.EXPORT_READY,
        key=f"export-ready:{_hash(token)}",
        data={SECRET_URL: link},
    )


def export_downloadable(export: PrivacyRequest | None) -> bool:
    """Whether the export's file may still be downloaded: ready and within its window."""
    return (
        export is not None
        and export.state == State.READY
        and export.act_after is not None
        and export.act_after > timezone.now()
    )


def _expired() -> ExportUnavailable:
    return ExportUnavailable(
        _(
            "This download link has expired and the file has been deleted. "
            "You can request a new export on your privacy page."
        ),
        gone=True,
    )


def export_download(*, user, token: str) -> str:
    """Hands out the file once and returns its name in STORAGES["exports"]: the token
    hash is cleared in the same transaction, under the request's row lock, so two
    concurrent downloads cannot both succeed."""
    invalid = ExportUnavailable(
        _(
            "This download link is not valid: it may have been used already. "
            "You can request a new export on your privacy page."
        )
    )
    with transaction.atomic():
        request = (
            PrivacyRequest.objects.select_for_update()
            .filter(kind=Kind.EXPORT, token_hash=_hash(token), user=user)
            .first()
        )
        if request is None:
            raise invalid
        if not export_downloadable(request):
            raise _expired()
        if not storages["exports"].exists(request.file_name):
            logger.warning("The file of export %s is missing", request.pk)
            raise _expired()
        request_transition(request=request, state=State.READY, note="downloaded", token_hash="")
    return request.file_name


def export_link_renew(*, user, export_id: int) -> str:
    """Issues a new single-use download token for the member's export and returns it. The
    stored hash is replaced, so an earlier link (the emailed one) stops working. Takes
    the request's row lock, as export_download does."""
    with transaction.atomic():
        request = (
            PrivacyRequest.objects.select_for_update()
            .filter(pk=export_id, kind=Kind.EXPORT, user=user)
            .first()
        )
        if request is None:
            raise ExportUnavailable(_("There is no such export."))
        if not export_downloadable(request):
            raise _expired()
        token = secrets.token_urlsafe(32)
        request_transition(
            request=request, state=State.READY, note="link renewed", token_hash=_hash(token)
        )
    return token


def export_expire_sweep() -> int:
    """Deletes the files of exports past their download window; returns how many."""
    due = PrivacyRequest.objects.filter(
        kind=Kind.EXPORT, state=State.READY, act_after__lte=timezone.now()
    ).values_list("pk", flat=True)
    expired = 0
    for pk in due.iterator(chunk_size=CHUNK):
        with transaction.atomic():
            request = PrivacyRequest.objects.select_for_update().get(pk=pk)
            if request.state != State.READY:
                continue
            name = request.file_name
            # The token hash stays, so the link still says "expired" rather than "invalid".
            request_transition(request=request, state=State.EXPIRED, file_name="")
            if name:
                transaction.on_commit(lambda name=name: storages["exports"].delete(name))
            expired += 1
    return expired


def exports_requeue_sweep() -> int:
    """Re-enqueues exports whose task was lost: queued for over 5 minutes, or building
    for longer than any task may run. Returns how many."""
    now = timezone.now()
    lost = (
        PrivacyRequest.objects.filter(kind=Kind.EXPORT)
        .annotate(changed_at=Max("events__at"))
        .filter(
            Q(state=State.QUEUED, changed_at__lte=now - LOST_AFTER)
            | Q(state=State.BUILDING, changed_at__lte=now - STUCK_AFTER)
        )
        .values_list("pk", flat=True)
    )
    count = 0
    for pk in lost.iterator(chunk_size=CHUNK):
        _enqueue(pk)
        count += 1
    return count


# The archive ------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    name: str
    describes: str
    rows: Callable[[Any], Iterable[dict]]


def _iter(queryset: QuerySet) -> Iterable:
    return queryset.iterator(chunk_size=CHUNK)


def _batches(queryset: QuerySet) -> Iterator[list]:
    rows = _iter(queryset)
    while batch := list(islice(rows, CHUNK)):
        yield batch


def _questions(user) -> Iterable[dict]:
    questions = Question.objects.filter(author=user).select_related("forum")
    for batch in _batches(questions.order_by("created_at", "pk")):
        # One query per batch: prefetching held several MB of tag objects per 2,000 rows.
        tags = tag_names_of(q.pk for q in batch)
        for q in batch:
            yield {
                "id": q.pk,
                "url": settings.SITE_URL.rstrip("/") + q.get_absolute_url(),
                "forum": q.forum.slug,
                "title": q.title,
                "body": q.body,
                "language": q.language,
                "tags": tags.get(q.pk, []),
                "status": q.status,
                "created_at": q.created_at,
                "edited_at": q.edited_at,
            }


def _answers(user) -> Iterable[dict]:
    accepted = Question.objects.filter(accepted_answer=OuterRef("pk"))
    answers = Answer.objects.filter(author=user).annotate(accepted=Exists(accepted))
    for a in _iter(answers.order_by("created_at", "pk")):
        yield {
            "id": a.pk,
            "question_id": a.question_id,
            "body": a.body,
            "official": a.is_official,
            "accepted": a.accepted,
            "created_at": a.created_at,
            "edited_at": a.edited_at,
        }


def _comments(user) -> Iterable[dict]:
    for c in _iter(Comment.objects.filter(author=user).order_by("created_at", "pk")):
        yield {
            "id": c.pk,
            "answer_id": c.answer_id,
            "body": c.body,
            "created_at": c.created_at,
            "edited_at": c.edited_at,
        }


def _revisions(user) -> Iterable[dict]:
    revisions = Revision.objects.filter(editor=user).order_by("created_at", "pk")
    for r in _iter(revisions):
        yield {
            "question_id": r.question_id,
            "answer_id": r.answer_id,
            "title_before": r.title,
            "body_before": r.body,
            "edited_at": r.created_at,
        }


def _votes(user) -> Iterable[dict]:
    for v in _iter(Vote.objects.filter(user=user).order_by("created_at", "pk")):
        yield {"question_id": v.question_id, "answer_id": v.answer_id, "created_at": v.created_at}


def _solved_too(user) -> Iterable[dict]:
    for s in _iter(SolvedToo.objects.filter(user=user).order_by("created_at", "pk")):
        yield {"question_id": s.question_id, "answer_id": s.answer_id, "created_at": s.created_at}


def _follows(user) -> Iterable[dict]:
    follows = Follow.objects.filter(user=user).select_related("forum").order_by("created_at", "pk")
    for f in _iter(follows):
        yield {
            "question_id": f.question_id,
            "forum": f.forum.slug if f.forum else None,
            "created_at": f.created_at,
        }


def _consents(user) -> Iterable[dict]:
    records = ConsentRecord.objects.filter(user=user).select_related("purpose")
    for r in _iter(records.order_by("created_at", "pk")):
        yield {
            "purpose": r.purpose.key,
            "purpose_name": r.purpose.name,
            "version": r.version,
            "granted": r.granted,
            "method": r.method,
            "created_at": r.created_at,
        }


_LISTS = [
    _Entry(
        "consents.json",
        gettext_lazy(
            "Every consent you gave or withdrew: purpose, text version, granted or not, how, when."
        ),
        _consents,
    ),
    _Entry(
        "questions.json",
        gettext_lazy("The questions you asked, with their text as it is now."),
        _questions,
    ),
    _Entry(
        "answers.json",
        gettext_lazy("The answers you wrote; `accepted` tells whether the asker accepted it."),
        _answers,
    ),
    _Entry("comments.json", gettext_lazy("The comments you wrote on answers."), _comments),
    _Entry(
        "revisions.json",
        gettext_lazy("Your edits: the title and text of a post before you changed it."),
        _revisions,
    ),
    _Entry("votes.json", gettext_lazy("The kudos you gave, to a question or an answer."), _votes),
    _Entry(
        "solved_too.json",
        gettext_lazy("The questions you marked 'this solved my problem too'."),
        _solved_too,
    ),
    _Entry("follows.json", gettext_lazy("The questions and forums you follow."), _follows),
    _Entry(
        "customer_accounts.json",
        gettext_lazy("The customer numbers you linked, when and how each was verified or removed."),
        customer_link.customer_links_export,
    ),
    _Entry(
        "points_ledger.json",
        gettext_lazy(
            "Every movement of your points: awards, reversals, payouts, bounties; when each "
            "became available and whether it was held for review."
        ),
        rewards_gdpr.ledger_rows,
    ),
    _Entry(
        "settlements.json",
        gettext_lazy("Your payouts: points, amount in euros, customer number and their state."),
        rewards_gdpr.settlement_rows,
    ),
    _Entry(
        "bounties.json",
        gettext_lazy("The bounties you offered on your questions."),
        rewards_gdpr.bounty_rows,
    ),
    _Entry("badges.json", gettext_lazy("The badges you earned."), rewards_gdpr.badge_rows),
    _Entry(
        "household_signals.json",
        gettext_lazy(
            "Keyed hashes of the networks and devices you used recently (never the addresses), "
            "kept for a few weeks to stop point farming."
        ),
        rewards_gdpr.household_rows,
    ),
    _Entry(
        "flags.json",
        gettext_lazy("The posts and profiles you flagged, and why."),
        moderation_gdpr.flag_rows,
    ),
    _Entry(
        "moderation_decisions.json",
        gettext_lazy("Moderators' decisions about your posts and account, with their reasons."),
        moderation_gdpr.decision_rows,
    ),
    _Entry(
        "appeals.json",
        gettext_lazy("Your appeals against those decisions."),
        moderation_gdpr.appeal_rows,
    ),
    _Entry(
        "standing.json",
        gettext_lazy("Warnings, suspensions, bans and a trust level set by a moderator, if any."),
        moderation_gdpr.standing_rows,
    ),
    _Entry(
        "notifications.json",
        gettext_lazy("What we told you in the app or by email, and when you read it."),
        notifications_gdpr.notification_rows,
    ),
    _Entry(
        "notification_preferences.json",
        gettext_lazy("How you chose to hear about each kind of news."),
        notifications_gdpr.preference_rows,
    ),
    _Entry(
        "invitations.json",
        gettext_lazy("The members you invited to answer."),
        notifications_gdpr.invitation_rows,
    ),
    _Entry(
        "contact_requests.json",
        gettext_lazy(
            "What you sent to the support team from the contact page, and whether it was forwarded."
        ),
        insights_gdpr.contact_rows,
    ),
]


def _profile(user) -> dict:
    tokens = user.api_tokens.order_by("created_at").values(
        "name", "prefix", "scopes", "created_at", "expires_at", "last_used_at", "revoked_at"
    )
    return {
        "email": user.email,
        "display_name": user.display_name,
        "bio": user.bio,
        "bio_visibility": user.bio_visibility,
        "location": user.location,
        "location_visibility": user.location_visibility,
        "language": user.language,
        "time_zone": user.time_zone,
        "avatar_visibility": user.avatar_visibility,
        "date_joined": user.date_joined,
        "api_tokens": list(tokens),
        "avatar_files": sorted(
            f"avatar/{_avatar_entry(size, name)}" for size, name in user.avatar.items()
        ),
    }


def _avatar_entry(size: str, name: str) -> str:
    suffix = name.rsplit(".", 1)[-1] if "." in name else "img"
    return f"{size}.{suffix}"


def _readme() -> str:
    """Markdown that reads as plain text too: a heading, then one list item per file,
    wrapped at 78 columns, in the member's language (the caller chooses it)."""
    title = _("Your data from %(site)s") % {"site": "Peerdesk"}
    intro = _(
        "Exported on %(time)s UTC, under Art. 15 and 20 GDPR. Every .json file is "
        "UTF-8 JSON; times are ISO 8601 in UTC; ids refer to posts on %(site)s "
        "(a question is at /q/<id>/)."
    ) % {"time": f"{timezone.now():%Y-%m-%d %H:%M}", "site": settings.SITE_URL}
    files = [
        ("README.txt", _("This file.")),
        (
            "profile.json",
            _(
                "Your account: email, display name, bio, location, who may see each of "
                "them, when you joined, your API tokens (their names, scopes and dates, "
                "never the keys) and the names of your picture files."
            ),
        ),
        *((entry.name, str(entry.describes)) for entry in _LISTS),
        ("avatar/", _("Your profile picture, in each size we keep (if you uploaded one).")),
    ]
    heading = _("Files")
    lines = [title, "=" * len(title), "", *_wrapped(intro), "", heading, "-" * len(heading), ""]
    for name, describes in files:
        lines += _wrapped(f"- `{name}`: {describes}", indent="  ")
    return "\n".join(lines) + "\n"


def _wrapped(text: str, *, indent: str = "") -> list[str]:
    return textwrap.wrap(text, width=78, subsequent_indent=indent, break_on_hyphens=False)


def _write_json_array(stream: IO[bytes], rows: Iterable[dict]) -> None:
    stream.write(b"[")
    separator = b"\n"
    for row in rows:
        stream.write(
            separator + json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
        )
        separator = b",\n"
    stream.write(b"\n]\n")


def _write_zip(target: IO[bytes], *, user) -> None:
    with (
        translation.override(user.language),
        zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf,
    ):
        zf.writestr("README.txt", _readme())
        profile = json.dumps(_profile(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        zf.writestr("profile.json", profile)
        for entry in _LISTS:
            with zf.open(entry.name, "w", force_zip64=True) as stream:
                _write_json_array(stream, entry.rows(user))
        for size, name in sorted(user.avatar.items()):
            if default_storage.exists(name):
                with (
                    default_storage.open(name, "rb") as source,
                    zf.open(f"avatar/{_avatar_entry(size, name)}", "w") as sink,
                ):
                    shutil.copyfileobj(source, sink)
