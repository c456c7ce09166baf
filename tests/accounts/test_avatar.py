"""Avatar upload: only real images within limits, re-encoded without metadata into square
variants under unguessable names; old files go when replaced or removed."""

import io
import struct
import zlib

import pytest
from django.contrib import admin
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from accounts import services
from accounts.admin import UserAdmin
from accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

UPLOAD_URL = reverse("accounts:avatar_upload")
REMOVE_URL = reverse("accounts:avatar_remove")


def _upload(data: bytes, name: str = "me.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _image_bytes(fmt: str = "JPEG", size=(600, 400), color="teal", **save_kwargs) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt, **save_kwargs)
    return out.getvalue()


def _jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Spyphone"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (52.0, 31.0, 12.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (13.0, 24.0, 36.0),
    }
    data = _image_bytes(exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # precondition
    return data


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims the given size; the pixel data is a stub."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 16)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def _stored_files(media_root) -> list:
    folder = media_root / "avatars"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_an_upload_stores_square_variants_of_the_right_sizes(member_client, member, media_root):
    response = member_client.post(UPLOAD_URL, {"avatar": _upload(_image_bytes())})

    assert response.status_code == 302
    member.refresh_from_db()
    assert set(member.avatar) == {"256", "64"}
    for size, name in member.avatar.items():
        with default_storage.open(name) as stored, Image.open(stored) as image:
            assert image.size == (int(size), int(size))
            assert image.format == "WEBP"
    assert len(_stored_files(media_root)) == 2


def test_the_stored_variants_have_no_exif_or_gps(member, media_root):
    services.avatar_set(user=member, upload=_upload(_jpeg_with_gps()))

    for path in _stored_files(media_root):
        raw = path.read_bytes()
        with Image.open(path) as image:
            assert not image.getexif()
            assert "exif" not in image.info
        assert b"Spyphone" not in raw
        assert b"Exif" not in raw


def test_the_exif_orientation_is_applied_before_it_is_stripped(member):
    # Stored upside down (black on top) with "rotate 180" in EXIF: it shows white on top.
    image = Image.new("RGB", (300, 300), "white")
    image.paste((0, 0, 0), (0, 0, 300, 150))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 3
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())

    services.avatar_set(user=member, upload=_upload(out.getvalue()))

    with default_storage.open(member.avatar["256"]) as stored, Image.open(stored) as shown:
        assert shown.convert("L").getpixel((128, 10)) > 200
        assert shown.convert("L").getpixel((128, 245)) < 50


def test_the_stored_names_are_unguessable_and_not_the_uploaded_name(member):
    services.avatar_set(user=member, upload=_upload(_image_bytes(), name="anna-at-home.jpg"))

    for name in member.avatar.values():
        assert name.startswith("avatars/")
        assert "anna" not in name
        assert len(name.split("/")[1].split("-")[0]) == 32


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "GIF"])
def test_png_webp_and_gif_are_accepted(member, fmt):
    services.avatar_set(user=member, upload=_upload(_image_bytes(fmt), name=f"me.{fmt.lower()}"))

    assert set(member.avatar) == {"256", "64"}


def test_a_transparent_png_keeps_its_transparency(member):
    out = io.BytesIO()
    Image.new("RGBA", (100, 100), (255, 0, 0, 0)).save(out, "PNG")

    services.avatar_set(user=member, upload=_upload(out.getvalue(), name="me.png"))

    with default_storage.open(member.avatar["64"]) as stored, Image.open(stored) as image:
        assert image.convert("RGBA").getpixel((10, 10))[3] == 0


def test_replacing_the_avatar_deletes_the_old_files_after_commit(
    member, media_root, django_capture_on_commit_callbacks
):
    services.avatar_set(user=member, upload=_upload(_image_bytes()))
    old_files = _stored_files(media_root)

    with django_capture_on_commit_callbacks(execute=True):
        services.avatar_set(user=member, upload=_upload(_image_bytes(color="orange")))

    remaining = _stored_files(media_root)
    assert len(remaining) == 2
    assert not set(old_files) & set(remaining)
    member.refresh_from_db()
    assert sorted(media_root / name for name in member.avatar.values()) == remaining


def test_the_old_files_stay_until_the_transaction_commits(
    member, media_root, django_capture_on_commit_callbacks
):
    services.avatar_set(user=member, upload=_upload(_image_bytes()))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.avatar_set(user=member, upload=_upload(_image_bytes(color="orange")))

    assert len(callbacks) == 1
    assert len(_stored_files(media_root)) == 4


def test_removing_the_avatar_deletes_its_files(
    member_client, member, media_root, django_capture_on_commit_callbacks
):
    services.avatar_set(user=member, upload=_upload(_image_bytes()))

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(REMOVE_URL)

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.avatar == {}
    assert _stored_files(media_root) == []


def test_removing_without_an_avatar_changes_nothing(member_client, member):
    assert member_client.post(REMOVE_URL).status_code == 302

    member.refresh_from_db()
    assert member.avatar == {}


def test_the_profile_and_settings_pages_show_the_avatar(client, member_client, member):
    services.avatar_set(user=member, upload=_upload(_image_bytes()))
    url = default_storage.url(member.avatar["256"])

    assert url in member_client.get(reverse("accounts:settings")).content.decode()
    assert url in member_client.get(member.get_absolute_url()).content.decode()
    assert member.avatar_url(64) == default_storage.url(member.avatar["64"])


BAD_UPLOADS = {
    # case: (file content, file name, error message)
    "a text file named .png": (lambda: b"just some text", "me.png", "JPEG, PNG, WebP"),
    "a BMP picture": (lambda: _image_bytes("BMP"), "me.bmp", "JPEG, PNG, WebP"),
    "a truncated JPEG": (lambda: _image_bytes()[:300], "me.jpg", "JPEG, PNG, WebP"),
    "a file over 5 MB": (lambda: b"\xff" * (5 * 1024 * 1024 + 1), "me.jpg", "too large"),
    "a PNG claiming 100000 x 100000 pixels": (
        lambda: _png_claiming(100_000, 100_000),
        "bomb.png",
        "too many pixels",
    ),
    "a PNG claiming 8000 x 6000 pixels": (
        lambda: _png_claiming(8000, 6000),
        "big.png",
        "too many pixels",
    ),
}


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_a_bad_upload_gets_a_form_error_and_changes_nothing(
    member_client, member, media_root, case
):
    services.avatar_set(user=member, upload=_upload(_image_bytes()))
    before_names, before_files = member.avatar, _stored_files(media_root)
    content, name, message = BAD_UPLOADS[case]

    response = member_client.post(UPLOAD_URL, {"avatar": _upload(content(), name=name)})

    assert response.status_code == 200
    assert message in str(response.context["avatar_form"].errors["avatar"])
    member.refresh_from_db()
    assert member.avatar == before_names
    assert _stored_files(media_root) == before_files


def test_the_pixel_limit_is_a_setting(member, media_root, settings):
    settings.AVATAR_MAX_PIXELS = 100 * 100

    with pytest.raises(ValidationError) as error:
        services.avatar_set(user=member, upload=_upload(_image_bytes(size=(101, 100))))

    assert "too many pixels" in str(error.value.message_dict["avatar"])
    assert _stored_files(media_root) == []


def test_an_upload_without_a_file_is_refused(member_client, member):
    response = member_client.post(UPLOAD_URL, {})

    assert "avatar" in response.context["avatar_form"].errors
    member.refresh_from_db()
    assert member.avatar == {}


def test_staff_remove_pictures_with_an_admin_action(
    rf, member, other_member, media_root, django_capture_on_commit_callbacks
):
    services.avatar_set(user=member, upload=_upload(_image_bytes()))
    request = rf.post("/")
    request._messages = CookieStorage(request)

    with django_capture_on_commit_callbacks(execute=True):
        UserAdmin(User, admin.site).remove_avatars(request, User.objects.all())

    member.refresh_from_db()
    assert member.avatar == {}
    assert _stored_files(media_root) == []
