"""The answers widget over the demo on SQLite, as `make run` serves it at /widget/demo/:
the page embeds the script, the widget finds and shows answers, and "this solved my
problem" counts."""

import pytest

from insights.models import Event, EventKind

pytestmark = pytest.mark.django_db


def test_the_demo_help_centre_embeds_the_widget_and_its_answers_work(client):
    page = client.get("/widget/demo/", {"topic": "internet-tv"})
    assert page.status_code == 200
    assert 'data-topic="internet-tv"' in page.content.decode()
    assert client.get("/widget.js").status_code == 200

    top = client.get("/widget/v1/top/", {"topic": "internet-tv", "lang": "de"}).json()
    found = client.get("/widget/v1/search/", {"q": "router dns", "topic": "internet-tv"}).json()
    assert top["results"] and found["results"]
    assert top["strings"]["search_label"] == "Community durchsuchen"

    question = found["results"][0]["id"]
    shown = client.get(f"/widget/v1/questions/{question}/").json()
    solved = client.post(
        f"/widget/v1/questions/{question}/solved/",
        {"proof": shown["proof"]},
        content_type="application/json",
    )

    assert shown["answer"]["html"]
    assert solved.status_code == 201
    assert Event.objects.filter(kind=EventKind.WIDGET_SOLVED, question_id=question).count() == 1
