"""Avatars and data exports in an S3-compatible object store (docs/object-storage.md),
against moto's S3 server over real HTTP (tests/storage/conftest.py): avatars in a public
bucket with plain, long-cached URLs; exports in a private bucket, handed out once by a
redirect to a signed URL valid for 60 s; nothing on the web host's disk; and a store
that is down or too slow gives a clear answer or a retry, never a traceback."""

import io
import runpy
import time
import urllib.error
import urllib.request
import zipfile
from datetime import UTC, datetime, timedelta
from email.message import Message
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.services import avatar_set
from privacy import checks
from privacy.erasure import services as erasure
from privacy.export import services as export
from privacy.models import PrivacyRequest, PrivacyRequestEvent
from tests.config.conftest import bare_environment, run_python
from tests.privacy.helpers import token_from_mail
from tests.storage.conftest import storages_from_env

State = PrivacyRequest.State

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_defaults")]

UPLOAD_URL = reverse("accounts:avatar_upload")
PAGE = "/privacy/export/"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"


@pytest.fixture
def _defaults(purposes, economy_defaults):
    """The rows the migrations made, which transactional tests elsewhere flush."""


def _picture(color: str = "teal") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (300, 300), color).save(out, "PNG")
    return SimpleUploadedFile("me.png", out.getvalue(), content_type="image/png")


def _files(folder) -> list:
    return [path for path in folder.rglob("*") if path.is_file()]


def _get(url: str) -> tuple[int, Message, bytes]:
    """A plain HTTP GET, as a browser without any credentials would send it."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - http to moto
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _public_grants(store, bucket: str, key: str) -> list[str]:
    grants = store.client.get_object_acl(Bucket=bucket, Key=key)["Grants"]
    return [
        grant["Permission"]
        for grant in grants
        if grant["Grantee"].get("URI") in (ALL_USERS, AUTHENTICATED_USERS)
    ]


@pytest.fixture
def ready(member, object_storage, django_capture_on_commit_callbacks) -> PrivacyRequest:
    """A member with a picture, and their export built into the exports bucket, its
    link emailed (tasks run eagerly)."""
    avatar_set(user=member, upload=_picture())
    with django_capture_on_commit_callbacks(execute=True):
        request = export.export_request(user=member)
    request.refresh_from_db()
    assert request.state == State.READY
    return request


def _download_link() -> str:
    return f"{PAGE}download/{token_from_mail()}/"


# Settings --------------------------------------------------------------------------------


def test_without_buckets_files_stay_local_and_boto3_is_not_even_loaded():
    """The embedded default (`make run`) and the rest of the test suite."""
    entries, origin = storages_from_env()
    assert entries["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert entries["exports"]["BACKEND"] == "privacy.export.storage.PrivateFileSystemStorage"
    assert origin == ""

    env = {**bare_environment(), "DEBUG": "true"}
    script = (
        "import sys, django; django.setup(); from django.core import checks; "
        "checks.run_checks(); print(sorted(m for m in ('boto3', 'botocore') if m in sys.modules))"
    )
    result = run_python("-c", script, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"


def test_the_client_gives_up_within_seconds_and_retries_once(store):
    entries, origin = storages_from_env(**store.env())
    for entry in entries.values():
        config = entry["OPTIONS"]["client_config"]
        assert (config.connect_timeout, config.read_timeout) == (2.0, 5.0)
        assert config.retries == {"total_max_attempts": 2, "mode": "standard"}
        assert config.s3 == {"addressing_style": "path"}
    assert entries["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert entries["exports"]["BACKEND"] == "privacy.export.s3.PrivateS3Storage"
    assert origin == store.endpoint


def test_a_custom_domain_serves_media_and_is_its_origin(store):
    entries, origin = storages_from_env(**store.env(OBJECT_STORAGE_MEDIA_DOMAIN="m.example.com"))

    assert entries["default"]["OPTIONS"]["custom_domain"] == "m.example.com"
    assert origin == "https://m.example.com"


# Avatars ---------------------------------------------------------------------------------


def test_an_avatar_lands_in_the_media_bucket_with_a_plain_public_long_cached_url(
    member_client, member, object_storage, media_root
):
    response = member_client.post(UPLOAD_URL, {"avatar": _picture()})

    assert response.status_code == 302
    member.refresh_from_db()
    names = sorted(member.avatar.values())
    assert object_storage.keys(object_storage.media) == names
    assert object_storage.keys(object_storage.exports) == []
    assert _files(media_root) == []
    url = member.avatar_url(64)
    assert url == f"{object_storage.endpoint}/{object_storage.media}/{member.avatar['64']}"
    assert urlsplit(url).query == ""  # no signature, nothing that expires
    status, headers, body = _get(url)
    assert status == 200
    assert body == object_storage.read(object_storage.media, member.avatar["64"])
    assert headers["Content-Type"] == "image/webp"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert _public_grants(object_storage, object_storage.media, member.avatar["64"]) == ["READ"]
    # The settings page shows it from the bucket.
    assert member.avatar_urls["256"] in member_client.get(reverse("accounts:settings")).text


def test_a_replaced_avatar_is_deleted_from_the_bucket(
    member, object_storage, django_capture_on_commit_callbacks
):
    avatar_set(user=member, upload=_picture("teal"))
    first = sorted(member.avatar.values())

    with django_capture_on_commit_callbacks(execute=True):
        avatar_set(user=member, upload=_picture("navy"))

    assert object_storage.keys(object_storage.media) == sorted(member.avatar.values())
    assert not set(first) & set(object_storage.keys(object_storage.media))


# Exports ---------------------------------------------------------------------------------


def test_an_export_is_written_to_the_private_bucket_only(ready, object_storage, exports_root):
    assert object_storage.keys(object_storage.exports) == [ready.file_name]
    assert ready.file_name not in object_storage.keys(object_storage.media)
    assert _files(exports_root) == []
    # The member's picture, read back from the media bucket, is in the archive.
    with storages["exports"].open(ready.file_name, "rb") as file:
        names = zipfile.ZipFile(io.BytesIO(file.read())).namelist()
    assert {"avatar/64.webp", "avatar/256.webp"} <= set(names)


def test_the_exports_object_cannot_be_read_without_a_signature(ready, object_storage):
    plain = f"{object_storage.endpoint}/{object_storage.exports}/{ready.file_name}"

    status, _headers, body = _get(plain)

    assert status == 403
    assert b"PK" not in body
    assert _public_grants(object_storage, object_storage.exports, ready.file_name) == []


def test_the_exports_storage_signs_every_url_for_sixty_seconds(ready):
    before = timezone.now().replace(microsecond=0)

    url = storages["exports"].url(ready.file_name)

    query = {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}
    assert query["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    assert query["X-Amz-Expires"] == "60"
    assert len(query["X-Amz-Signature"]) == 64
    signed_at = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert abs(signed_at - before) < timedelta(seconds=5)


def test_the_download_redirects_the_owner_once_to_a_signed_url_that_works(
    member_client, ready, object_storage
):
    link = _download_link()

    response = member_client.get(link)

    assert response.status_code == 302
    signed = response["Location"]
    assert signed.startswith(f"{object_storage.endpoint}/{object_storage.exports}/")
    assert "X-Amz-Signature=" in signed
    assert token_from_mail() not in signed
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    status, headers, body = _get(signed)
    assert status == 200
    assert body == object_storage.read(object_storage.exports, ready.file_name)
    assert zipfile.ZipFile(io.BytesIO(body)).testzip() is None
    assert headers["Content-Disposition"].startswith('attachment; filename="peerdesk-export-')
    # Single use: the link is spent, as when the file is streamed.
    assert member_client.get(link).status_code == 404
    ready.refresh_from_db()
    assert ready.token_hash == ""


def test_another_member_gets_no_url_and_the_owners_link_still_works(
    client, other_member, member, ready
):
    link = _download_link()
    client.force_login(other_member)

    refused = client.get(link)

    assert refused.status_code == 404
    assert "Location" not in refused
    ready.refresh_from_db()
    assert ready.token_hash == export._hash(token_from_mail())
    client.force_login(member)
    assert client.get(link).status_code == 302


def test_the_download_button_redirects_through_a_fresh_single_use_link(member_client, ready):
    first = member_client.post(f"{PAGE}{ready.pk}/download/")
    second = member_client.post(f"{PAGE}{ready.pk}/download/")

    assert member_client.get(first["Location"]).status_code == 404  # replaced by the second
    assert member_client.get(second["Location"]).status_code == 302
    assert member_client.get(second["Location"]).status_code == 404


def test_the_expiry_sweep_deletes_the_object(ready, object_storage):
    PrivacyRequest.objects.filter(pk=ready.pk).update(
        act_after=timezone.now() - timedelta(minutes=1)
    )

    assert export.export_expire_sweep() == 1

    assert object_storage.keys(object_storage.exports) == []
    ready.refresh_from_db()
    assert (ready.state, ready.file_name) == (State.EXPIRED, "")


def test_erasure_deletes_the_members_avatar_and_export_objects(
    member, ready, object_storage, django_capture_on_commit_callbacks
):
    assert object_storage.keys(object_storage.media)

    with django_capture_on_commit_callbacks(execute=True):
        erasure.erase_now(user=member)

    assert object_storage.keys(object_storage.media) == []
    assert object_storage.keys(object_storage.exports) == []


# System check ----------------------------------------------------------------------------


def test_the_system_check_accepts_a_private_exports_bucket(object_storage):
    assert checks.exports_storage_is_private() == []


@pytest.mark.parametrize(
    ("options", "error"),
    [
        (lambda store: {"default_acl": "public-read"}, "privacy.E003"),
        (lambda store: {"object_parameters": {"ACL": "public-read-write"}}, "privacy.E003"),
        (lambda store: {"querystring_auth": False}, "privacy.E003"),
        (lambda store: {"custom_domain": "exports.example.com"}, "privacy.E003"),
        (lambda store: {"querystring_expire": 3600}, "privacy.E003"),
        (lambda store: {"bucket_name": store.media}, "privacy.E004"),
    ],
    ids=["public-acl", "public-object-acl", "unsigned", "custom-domain", "long-lived", "media"],
)
def test_the_system_check_refuses_an_exports_bucket_that_is_not_private(
    settings, object_storage, options, error
):
    exports = settings.STORAGES["exports"]
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {**exports, "OPTIONS": {**exports["OPTIONS"], **options(object_storage)}},
    }

    assert [e.id for e in checks.exports_storage_is_private()] == [error]


# The store down or too slow --------------------------------------------------------------


def test_an_avatar_upload_while_the_store_is_down_is_a_form_error_that_changes_nothing(
    member_client, member, object_storage, store_down, media_root
):
    avatar_set(user=member, upload=_picture())
    before = dict(member.avatar)
    store_down()

    response = member_client.post(UPLOAD_URL, {"avatar": _picture("navy")})

    assert response.status_code == 200
    assert response.context["avatar_form"].errors["avatar"] == [
        "Your picture could not be saved just now. Please try again in a few minutes."
    ]
    member.refresh_from_db()
    assert member.avatar == before
    assert object_storage.keys(object_storage.media) == sorted(before.values())
    assert _files(media_root) == []


def test_an_avatar_upload_to_a_store_that_never_answers_gives_up_within_seconds(
    settings, member_client, member, object_storage, black_hole
):
    entries, _origin = storages_from_env(
        **object_storage.env(OBJECT_STORAGE_URL=black_hole, OBJECT_STORAGE_TIMEOUT="0.5")
    )
    settings.STORAGES = {**settings.STORAGES, **entries}
    started = time.monotonic()

    response = member_client.post(UPLOAD_URL, {"avatar": _picture()})

    assert time.monotonic() - started < 10
    assert response.status_code == 200
    assert "could not be saved just now" in str(response.context["avatar_form"].errors)
    member.refresh_from_db()
    assert member.avatar == {}


def test_an_export_built_while_the_store_is_down_is_queued_again_and_built_by_the_sweep(
    member, object_storage, store_down, settings, django_capture_on_commit_callbacks
):
    object_storage_entries = settings.STORAGES
    store_down()
    with django_capture_on_commit_callbacks(execute=True):
        request = export.export_request(user=member)

    request.refresh_from_db()
    assert request.state == State.QUEUED
    assert request.file_name == ""
    assert list(request.events.values_list("state", "note"))[-2:] == [
        (State.BUILDING, ""),
        (State.QUEUED, export.STORAGE_UNAVAILABLE),
    ]
    assert object_storage.keys(object_storage.exports) == []

    # The store is back; the sweep finds the export queued for longer than LOST_AFTER.
    settings.STORAGES = object_storage_entries
    PrivacyRequestEvent.objects.filter(request=request).update(
        at=timezone.now() - export.LOST_AFTER - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert export.exports_requeue_sweep() == 1

    request.refresh_from_db()
    assert request.state == State.READY
    assert object_storage.keys(object_storage.exports) == [request.file_name]


def test_a_download_while_the_store_is_down_says_so_and_keeps_the_link(
    member_client, ready, object_storage, store_down, settings
):
    up = settings.STORAGES
    link = _download_link()
    store_down()

    response = member_client.get(link)

    assert response.status_code == 503
    assert "cannot be fetched just now" in response.text
    assert "Location" not in response
    ready.refresh_from_db()
    assert ready.token_hash == export._hash(token_from_mail())
    settings.STORAGES = up
    assert member_client.get(link).status_code == 302


def test_the_expiry_sweep_while_the_store_is_down_keeps_the_export_for_the_next_sweep(
    ready, object_storage, store_down, settings, member_client
):
    up = settings.STORAGES
    PrivacyRequest.objects.filter(pk=ready.pk).update(
        act_after=timezone.now() - timedelta(minutes=1)
    )
    store_down()

    assert export.export_expire_sweep() == 0

    ready.refresh_from_db()
    assert ready.state == State.READY
    assert object_storage.keys(object_storage.exports) == [ready.file_name]
    assert member_client.get(_download_link()).status_code == 410  # past its window
    settings.STORAGES = up
    assert export.export_expire_sweep() == 1
    assert object_storage.keys(object_storage.exports) == []


def test_an_erasure_while_the_store_is_down_fails_and_the_sweep_erases_later(
    member, object_storage, store_down, settings, django_capture_on_commit_callbacks
):
    up = settings.STORAGES
    avatar_set(user=member, upload=_picture())
    store_down()

    with pytest.raises(Exception, match="Could not connect"):
        erasure.erase_now(user=member)

    member.refresh_from_db()  # still there, its pictures too: nothing half-erased
    assert object_storage.keys(object_storage.media) == sorted(member.avatar.values())
    settings.STORAGES = up
    with django_capture_on_commit_callbacks(execute=True):
        assert len(erasure.erasure_due_sweep()) == 1
    assert object_storage.keys(object_storage.media) == []


def test_the_content_security_policy_lets_browsers_show_avatars_from_the_bucket(monkeypatch):
    monkeypatch.setenv("OBJECT_STORAGE_MEDIA_BUCKET", "peerdesk-media")
    monkeypatch.setenv("OBJECT_STORAGE_MEDIA_DOMAIN", "media.example.com")

    namespace = runpy.run_path(str(settings.BASE_DIR / "config" / "settings.py"))

    img = namespace["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"]
    assert img == ["'self'", "data:", "https://media.example.com"]
