"""Exports live in a private storage, never under MEDIA_ROOT, and leave it only through
the member's single-use download (the emailed link or the page's Download button)."""

import importlib
import io
import zipfile
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.urls import clear_url_caches
from django.utils import timezone

from privacy import checks
from privacy.export import services as export
from privacy.export import tasks
from privacy.models import PrivacyRequest
from privacy.requests import request_open
from tests.privacy.helpers import token_from_mail

State = PrivacyRequest.State

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

PAGE = "/privacy/export/"


@pytest.fixture
def debug_urls(settings, media_root):
    """config/urls.py as it is built with DEBUG on: MEDIA_ROOT served under MEDIA_URL."""
    urls = importlib.import_module(settings.ROOT_URLCONF)
    settings.DEBUG = True
    importlib.reload(urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(urls)
    clear_url_caches()


@pytest.fixture
def ready(member, django_capture_on_commit_callbacks) -> PrivacyRequest:
    """A built export, its link emailed (tasks run eagerly)."""
    with django_capture_on_commit_callbacks(execute=True):
        request = export.export_request(user=member)
    request.refresh_from_db()
    assert request.state == State.READY
    return request


def button(export_request: PrivacyRequest) -> str:
    return f"{PAGE}{export_request.pk}/download/"


def unzipped(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_file_is_kept_outside_media_root_and_media_url_does_not_serve_it(
    ready, client, media_root, exports_root, debug_urls
):
    default_storage.save("avatars/someone-64.webp", ContentFile(b"picture"))

    assert client.get("/media/avatars/someone-64.webp").status_code == 200  # media is served
    assert client.get(f"/media/{ready.file_name}").status_code == 404
    assert not default_storage.exists(ready.file_name)
    path = storages["exports"].path(ready.file_name)
    assert path.startswith(str(exports_root))
    assert not path.startswith(str(media_root))


def test_the_private_storage_gives_no_url(ready):
    with pytest.raises(NotImplementedError):
        storages["exports"].url(ready.file_name)


def test_the_streamed_download_is_neither_cached_nor_public(member_client, ready):
    response = member_client.get(f"{PAGE}download/{token_from_mail()}/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    assert unzipped(response).testzip() is None


def test_with_accel_redirect_the_web_server_sends_the_file(settings, member_client, ready):
    settings.EXPORTS_ACCEL_REDIRECT = "/internal-exports/"

    response = member_client.get(f"{PAGE}download/{token_from_mail()}/")

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/internal-exports/{ready.file_name}"
    assert response.content == b""
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="peerdesk-export-')
    assert response["Cache-Control"] == "no-store, private"
    ready.refresh_from_db()
    assert ready.token_hash == ""  # single use, as when streamed


def test_a_download_whose_file_is_missing_says_it_is_gone(member_client, ready):
    storages["exports"].delete(ready.file_name)

    response = member_client.get(f"{PAGE}download/{token_from_mail()}/")

    assert response.status_code == 410


def test_the_page_offers_the_download_and_says_until_when_the_file_is_kept(member_client, ready):
    html = member_client.get(PAGE).content.decode()

    assert f'action="{button(ready)}"' in html
    assert "Ready to download until" in html
    assert "the link we emailed you stops working" in html


def test_the_download_button_works_once_per_click(member_client, ready):
    first = member_client.post(button(ready))
    downloaded = member_client.get(first["Location"])
    again = member_client.get(first["Location"])
    second = member_client.post(button(ready))

    assert first.status_code == 303
    assert first["Location"].startswith(f"{PAGE}download/")
    assert downloaded.status_code == 200
    assert unzipped(downloaded).testzip() is None
    assert again.status_code == 404
    assert second.status_code == 303
    assert second["Location"] != first["Location"]
    assert member_client.get(second["Location"]).status_code == 200


def test_the_download_button_makes_the_emailed_link_stop_working(member_client, ready):
    emailed = f"{PAGE}download/{token_from_mail()}/"

    member_client.post(button(ready))

    assert member_client.get(emailed).status_code == 404


def test_another_member_pressing_download_gets_404_and_changes_nothing(client, other_member, ready):
    client.force_login(other_member)

    response = client.post(button(ready))

    assert response.status_code == 404
    ready.refresh_from_db()
    assert ready.token_hash == export._hash(token_from_mail())


def test_a_visitor_pressing_download_is_sent_to_log_in(client, ready):
    response = client.post(button(ready))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    ready.refresh_from_db()
    assert ready.token_hash == export._hash(token_from_mail())


def test_the_download_button_needs_a_post(member_client, ready):
    assert member_client.get(button(ready)).status_code == 405


def test_past_its_window_the_page_says_the_export_expired_and_offers_a_new_one(
    member_client, ready
):
    PrivacyRequest.objects.filter(pk=ready.pk).update(
        act_after=timezone.now() - timedelta(seconds=1)
    )

    html = member_client.get(PAGE).content.decode()
    pressed = member_client.post(button(ready))

    assert button(ready) not in html
    assert "Expired: the file has been deleted" in html
    assert 'data-state="expired"' in html
    assert "Request an export" in html
    assert (pressed.status_code, pressed["Location"]) == (303, PAGE)


def test_after_the_sweep_the_page_says_the_export_expired(
    member_client, ready, django_capture_on_commit_callbacks
):
    PrivacyRequest.objects.filter(pk=ready.pk).update(
        act_after=timezone.now() - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.privacy_sweep()

    html = member_client.get(PAGE).content.decode()

    assert "Expired: the file has been deleted" in html
    assert "Download</button>" not in html


def test_the_expiry_sweep_deletes_the_file_from_the_private_storage(
    ready, exports_root, django_capture_on_commit_callbacks
):
    assert storages["exports"].exists(ready.file_name)
    PrivacyRequest.objects.filter(pk=ready.pk).update(
        act_after=timezone.now() - timedelta(minutes=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert export.export_expire_sweep() == 1

    assert [p for p in exports_root.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize("inside", ["MEDIA_ROOT", "STATIC_ROOT"])
def test_the_system_check_refuses_an_exports_root_inside_a_public_folder(
    settings, tmp_path, inside
):
    settings.MEDIA_ROOT, settings.STATIC_ROOT = tmp_path / "media", tmp_path / "static"
    setattr(settings, inside, tmp_path / "public")
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            **settings.STORAGES["exports"],
            "OPTIONS": {"location": tmp_path / "public" / "exports"},
        },
    }

    errors = checks.exports_storage_is_private()

    assert [error.id for error in errors] == ["privacy.E002"]
    assert inside in errors[0].msg


def test_the_system_check_refuses_exports_in_media_root_itself(settings, media_root):
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {**settings.STORAGES["exports"], "OPTIONS": {"location": media_root}},
    }

    assert [error.id for error in checks.exports_storage_is_private()] == ["privacy.E002"]


def test_the_system_check_refuses_a_missing_exports_storage(settings):
    settings.STORAGES = {k: v for k, v in settings.STORAGES.items() if k != "exports"}

    assert [error.id for error in checks.exports_storage_is_private()] == ["privacy.E001"]


def test_the_system_check_accepts_an_exports_root_of_its_own():
    assert checks.exports_storage_is_private() == []


def test_the_migration_moves_ready_exports_out_of_media_root(member, media_root):
    # Given a ready export built by the old code, its zip in default storage (MEDIA_ROOT)
    name = default_storage.save("exports/old.zip", ContentFile(b"old zip"))
    request = request_open(user=member, kind=PrivacyRequest.Kind.EXPORT, state=State.READY)
    PrivacyRequest.objects.filter(pk=request.pk).update(file_name=name)
    migration = importlib.import_module("privacy.migrations.0005_exports_private_storage")

    # When the data migration runs
    migration.exports_move_to_private_storage(apps, None)

    # Then the file is only in the private storage, under the same name
    assert [p for p in media_root.rglob("*") if p.is_file()] == []
    with storages["exports"].open(name, "rb") as file:
        assert file.read() == b"old zip"
    request.refresh_from_db()
    assert request.file_name == name
