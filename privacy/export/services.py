"""Data export (Art. 15 and 20 GDPR): request, build, download, expire.

The zip is written entry by entry, row by row, from server-side cursors into a
temporary file, so memory does not grow with the member's history; the finished
file goes to the private storage STORAGES["exports"] (never MEDIA_ROOT: privacy.export.storage),
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
from collections.abc import Iterable
from datetime import timedelta
from functools import partial
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import gdpr
from core.errors import Conflict
from core.storage import storage_errors
from notifications.kinds import SECRET_URL
from notifications.models import Kind as NotificationKind
from notifications.services import notify
from privacy.models import PrivacyRequest
from privacy.requests import request_open, request_transition

logger = logging.getLogger(__name__)

Kind = PrivacyRequest.Kind
State = PrivacyRequest.State

DAILY_LIMIT = 3
DOWNLOAD_VALID = timedelta(days=7)
LOST_AFTER = timedelta(minutes=5)
# Longer than CELERY_TASK_TIME_LIMIT: a build still "building" after this was killed.
STUCK_AFTER = timedelta(minutes=30)
# The note of a build that went back to queued because a storage could not be used.
STORAGE_UNAVAILABLE = "storage unavailable: built again by the sweep"
CHUNK = 500


class ExportUnavailable(Exception):
    """A download link that cannot be served (404); `gone` when it existed but expired
    (410); `unreachable` when the storage cannot be reached just now (503: the link
    still works once it can)."""

    def __init__(self, message: str, *, gone: bool = False, unreachable: bool = False):
        super().__init__(message)
        self.message = message
        self.gone = gone
        self.unreachable = unreachable

    @property
    def status(self) -> int:
        return 503 if self.unreachable else 410 if self.gone else 404


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
    from privacy.export.tasks import export_build_enqueue  # tasks import this module

    export_build_enqueue(request_id)


def export_build(*, request_id: int) -> None:
    """Idempotent: does nothing unless the request is queued or building (a redelivered
    task rebuilds). Of two concurrent builds only the first to finish is kept. When a
    storage cannot be used (the object store down or too slow, a full disk) the request
    goes back to queued and exports_requeue_sweep builds it again; any other error fails
    it."""
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
    except storage_errors() as error:
        logger.warning(
            "Export %s: a storage cannot be used (%s); the sweep builds it again.",
            request_id,
            error,
        )
        _file_delete_quietly(file_name)
        request_transition(request=request, state=State.QUEUED, note=STORAGE_UNAVAILABLE)
        return
    except Exception:
        logger.exception("Export %s failed", request_id)
        _file_delete_quietly(file_name)
        request_transition(request=request, state=State.FAILED, note="build failed")
        return
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        locked = PrivacyRequest.objects.select_for_update().get(pk=request_id)
        if locked.state != State.BUILDING:
            transaction.on_commit(partial(_file_delete_quietly, file_name))
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


def _file_delete_quietly(name: str) -> None:
    """Deletes a file that is no export's (any more); a storage error is only logged."""
    try:
        storages["exports"].delete(name)
    except storage_errors():
        logger.warning("Could not delete %s from the exports storage", name, exc_info=True)


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
        try:
            exists = storages["exports"].exists(request.file_name)
        except storage_errors():
            logger.warning("The storage of export %s cannot be reached", request.pk, exc_info=True)
            raise ExportUnavailable(
                _(
                    "Your export cannot be fetched just now. Please try again in a few "
                    "minutes: this link still works."
                ),
                unreachable=True,
            ) from None
        if not exists:
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
    """Deletes the files of exports past their download window; returns how many. The
    file is deleted before the export is marked expired, in its transaction: when the
    storage cannot be reached the export stays ready (and past its window, so nobody
    can download it) until a later sweep deletes it."""
    due = PrivacyRequest.objects.filter(
        kind=Kind.EXPORT, state=State.READY, act_after__lte=timezone.now()
    ).values_list("pk", flat=True)
    expired = 0
    for pk in due.iterator(chunk_size=CHUNK):
        try:
            with transaction.atomic():
                request = PrivacyRequest.objects.select_for_update().get(pk=pk)
                if request.state != State.READY:
                    continue
                name = request.file_name
                # The token hash stays, so the link still says "expired", not "invalid".
                request_transition(request=request, state=State.EXPIRED, file_name="")
                if name:
                    storages["exports"].delete(name)
        except storage_errors():
            logger.warning("Could not delete the file of export %s; retried", pk, exc_info=True)
            continue
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
# Its files are what the apps registered with core.gdpr (each app's gdpr.py), in their
# order: privacy names no app here.


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
        *((exporter.name, str(exporter.describes)) for exporter in gdpr.exporters()),
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
        for exporter in gdpr.exporters():
            _write_entry(zf, exporter, user=user)


def _write_entry(zf: zipfile.ZipFile, exporter: gdpr.Exporter, *, user) -> None:
    if exporter.shape is gdpr.Shape.DOCUMENT:
        document = json.dumps(
            exporter.export(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
        )
        zf.writestr(exporter.name, document)
    elif exporter.shape is gdpr.Shape.FILES:
        for name, open_file in exporter.export(user):
            with open_file() as source, zf.open(exporter.name + name, "w") as sink:
                shutil.copyfileobj(source, sink)
    else:
        with zf.open(exporter.name, "w", force_zip64=True) as stream:
            _write_json_array(stream, exporter.export(user))
