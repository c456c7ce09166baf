"""The brand set in the admin: checked colours, safe images, and every page and email
carrying it."""

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts import roles
from branding.models import Brand, FooterLink
from tests.factories import UserFactory, with_totp

pytestmark = pytest.mark.django_db

CHANGE = reverse("admin:branding_brand_change", args=[1])
COLORS = {
    "color_brand": "#7a1f5c",
    "color_brand_ink": "#ffffff",
    "color_header": "#1d2b3a",
    "color_header_ink": "#f4f4f4",
}


def _form(**changes) -> dict:
    data = {"name": "Telco Community", **COLORS, "imprint": "", "privacy_policy_url": ""}
    data |= {"email_sender_name": "", "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0"}
    return data | changes


@pytest.fixture
def manager_client(client):
    Brand.load()  # the admin's list makes the one row; its form changes it
    client.force_login(with_totp(UserFactory(role=roles.COMMUNITY_MANAGERS, is_staff=True)))
    return client


@pytest.fixture
def brand(db) -> Brand:
    brand = Brand.load()
    for name, value in COLORS.items():
        setattr(brand, name, value)
    brand.name = "Telco Community"
    brand.imprint = "Telco GmbH\nMusterstraße 1\n10115 Berlin"
    brand.email_sender_name = "Telco Team"
    brand.save()
    FooterLink.objects.create(
        brand=brand, label="Shop", label_de="Laden", url="https://shop.example"
    )
    return brand


def test_a_community_manager_sets_the_brand_in_the_admin(manager_client):
    response = manager_client.post(CHANGE, _form())

    assert response.status_code == 302
    assert Brand.load().name == "Telco Community"
    assert "Telco Community" in manager_client.get("/").content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("color_brand", "#8fb3ff"),  # light blue links on white: 2.1:1
        ("color_brand_ink", "#7a1f5c"),  # button text in the button's own colour
        ("color_header_ink", "#2a3a4a"),  # dark text on the dark header
    ],
)
def test_a_colour_without_enough_contrast_is_refused_and_nothing_changes(
    manager_client, field, value
):
    response = manager_client.post(CHANGE, _form(**{field: value}))

    assert response.status_code == 200
    assert "at least 4.5:1" in response.content.decode()
    assert Brand.load().name == "Peerdesk"


def test_a_colour_that_is_not_a_colour_is_refused(manager_client):
    response = manager_client.post(CHANGE, _form(color_brand="red;}x"))

    assert "six hex digits" in response.content.decode()
    assert Brand.load().color_brand == "#0b5cad"


def test_every_page_carries_the_brand(client, brand):
    page = client.get("/").content.decode()

    assert "· Telco Community</title>" in page
    assert '<a class="brand" href="/">Telco Community</a>' in page
    assert f'href="/brand.css?v={int(brand.updated_at.timestamp())}"' in page
    assert '<a href="/imprint/">Imprint</a>' in page
    assert '<a href="https://shop.example">Shop</a>' in page
    assert "Peerdesk" not in page


def test_the_footer_links_are_in_the_readers_language(client, brand):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert '<a href="https://shop.example">Laden</a>' in page


def test_the_brand_css_sets_the_colours_and_is_kept_a_year(client, brand):
    response = client.get(reverse("branding:css"))

    assert response["Content-Type"].startswith("text/css")
    assert "immutable" in response["Cache-Control"]
    css = response.content.decode()
    assert "--brand:#7a1f5c" in css and "--header:#1d2b3a" in css


def test_the_default_look_needs_no_brand_css(client):
    assert "brand.css" not in client.get("/").content.decode()


def test_a_change_of_the_brand_shows_on_the_next_page(member_client, brand):
    """(A visitor's kept page may show the old brand for its 30 seconds.)"""
    member_client.get("/")
    brand.name = "Telco Help"
    brand.save()

    assert "· Telco Help</title>" in member_client.get("/").content.decode()


def test_the_imprint_page_shows_the_imprint_and_is_missing_without_one(client, brand):
    assert "Musterstraße 1" in client.get(reverse("branding:imprint")).content.decode()
    brand.imprint = ""
    brand.save()
    assert client.get(reverse("branding:imprint")).status_code == 404


# --- Logo and favicon ---------------------------------------------------------------------

EVIL_SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     viewBox="0 0 10 10" onload="alert(1)">
  <script>alert(2)</script>
  <foreignObject><iframe src="https://evil.example"/></foreignObject>
  <image xlink:href="https://tracker.example/p.png"/>
  <rect width="10" height="10" fill="url(https://evil.example/x)" onclick="alert(3)"/>
  <rect width="5" height="5" fill="u\\72l(https://evil.example/escaped)"/>
  <circle cx="5" cy="5" r="4" fill="#7a1f5c"/>
</svg>"""


def _upload(client, field: str, name: str, content: bytes):
    data = _form(**{field: SimpleUploadedFile(name, content)})
    return client.post(CHANGE, data)


def test_an_svg_logo_keeps_its_drawing_and_loses_every_script_and_outside_reference(
    manager_client,
):
    assert _upload(manager_client, "logo", "logo.svg", EVIL_SVG).status_code == 302

    brand = Brand.load()
    stored = brand.logo.read().decode()
    assert "<circle" in stored and 'fill="#7a1f5c"' in stored
    for bad in ("script", "onload", "onclick", "foreignObject", "iframe", "evil", "tracker"):
        assert bad not in stored
    assert re.fullmatch(r"brand/logo-[0-9a-f]{12}(_\w+)?\.svg", brand.logo.name)
    assert (
        f'<img src="{brand.logo.url}" alt="Telco Community"'
        in manager_client.get("/").content.decode()
    )


def test_an_svg_with_entities_is_refused(manager_client):
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>'

    response = _upload(manager_client, "logo", "logo.svg", bomb)

    assert "may not declare a document type" in response.content.decode()
    assert not Brand.load().logo


def test_a_png_favicon_is_redrawn_small_without_its_metadata(manager_client):
    image = Image.new("RGB", (600, 600), "#7a1f5c")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # the camera's maker
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", exif=exif)

    assert _upload(manager_client, "favicon", "icon.png", buffer.getvalue()).status_code == 302

    stored = Image.open(Brand.load().favicon)
    assert stored.size == (192, 192)
    assert b"SecretCam" not in Brand.load().favicon.read()
    assert (
        f'<link rel="icon" href="{Brand.load().favicon.url}">'
        in manager_client.get("/").content.decode()
    )


def test_a_file_that_is_no_image_is_refused(manager_client):
    response = _upload(manager_client, "logo", "logo.png", b"<html>not an image</html>")

    assert "Upload an SVG or a PNG file." in response.content.decode()


# --- Emails -------------------------------------------------------------------------------


def test_allauths_emails_carry_the_brand_with_an_html_part(client, brand, settings):
    settings.SITE_URL = "https://community.telco.example"
    member = UserFactory(email="anna@example.com")

    client.post(reverse("account_reset_password"), {"email": member.email})

    (message,) = mail.outbox
    assert message.subject.startswith("[Telco Community] ")
    assert message.from_email.startswith("Telco Team <")
    assert "community.telco.example" in message.body
    assert "127.0.0.1" not in message.body and "example.com" not in message.body.replace(
        "anna@example.com", ""
    )
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Telco Community" in html and "reset" in html.lower()


def test_allauths_emails_are_in_the_members_language(client, brand):
    member = UserFactory(email="jonas@example.com", language="de")

    client.post(reverse("account_reset_password"), {"email": member.email})

    assert "Passwort" in mail.outbox[0].subject
