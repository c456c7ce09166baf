"""The script brands embed: small, plain, served at a fixed address that browsers keep an
hour and then revalidate; and the demo page that embeds it like a brand's help centre."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import ForumFactory

pytestmark = pytest.mark.django_db

SCRIPT = Path(settings.BASE_DIR) / "static" / "widget" / "widget.js"


def test_the_script_is_under_30_kb():
    assert SCRIPT.stat().st_size < 30 * 1024


def test_the_script_loads_nothing_but_the_communitys_json_and_writes_no_cookie():
    text = SCRIPT.read_text()

    assert 'credentials: "omit"' in text
    for tracking in ("document.cookie", "localStorage", "sessionStorage", "indexedDB", "import("):
        assert tracking not in text


def test_the_script_is_served_at_its_fixed_address_with_a_long_cache_and_an_etag(client):
    response = client.get("/widget.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response.content == SCRIPT.read_bytes()
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert not response.cookies


def test_an_unchanged_script_is_a_304(client):
    etag = client.get("/widget.js")["ETag"]

    response = client.get("/widget.js", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""


def test_the_demo_embeds_the_script_like_a_brand_with_the_embed_code_to_copy(client, forum):
    other = ForumFactory(name="Internet & WLAN", slug="internet")

    response = client.get("/widget/demo/", {"topic": "internet"})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<script src="http://testserver/widget.js" data-topic="internet" async></script>' in html
    assert (
        "&lt;script src=&quot;http://testserver/widget.js&quot; data-topic=&quot;internet&quot; "
        "async&gt;&lt;/script&gt;"
    ) in html
    assert f'href="?topic={forum.slug}&amp;lang=en"' in html
    assert other.name.replace("&", "&amp;") in html


def test_the_demo_shows_the_first_topic_without_one_and_speaks_german_when_asked(client, forum):
    response = client.get("/widget/demo/", {"lang": "de"})

    html = response.content.decode()
    assert f'data-topic="{forum.slug}"' in html
    assert '<html lang="de">' in html
    assert "Wie können wir helfen?" in html


def test_the_demo_without_topics_says_so(client):
    html = client.get("/widget/demo/").content.decode()

    assert "There are no topics yet" in html
    assert "<script" not in html
