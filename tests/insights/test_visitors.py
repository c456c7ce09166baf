"""Visitors are counted without personal data: a mark carries a daily-salted hash of the
session, never its key, and the session itself remembers what it marked. A forged
flood of marks from one session is refused with 429 and writes nothing."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from community import selectors, services
from community.models import Question, SolvedToo
from config.errors import Conflict, RateLimited
from insights import floods
from insights.models import Event, EventKind
from privacy import tasks
from privacy.models import VisitorSalt
from privacy.visitors import visitor_hash
from tests.factories import make_answer, make_question

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _answered() -> Question:
    question = make_question()
    make_answer(question=question)
    return question


def _session():
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session.create()
    return session


def _mark(question: Question, session) -> SolvedToo:
    return services.solved_too_mark(
        question=question, session_key=session.session_key, session=session
    )


def test_a_visitors_mark_is_an_event_under_a_daily_hash_of_the_session():
    question, session = _answered(), _session()

    mark = _mark(question, session)

    event = Event.objects.get(kind=EventKind.SOLVED_TOO)
    assert event.user is None
    assert len(event.visitor) == 64 and int(event.visitor, 16) >= 0
    assert event.visitor == mark.session_hash == visitor_hash(session.session_key)
    assert session.session_key not in event.visitor
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert visitor_hash(session.session_key, day=tomorrow) != event.visitor


def test_the_hash_differs_between_sessions_and_days_but_not_within_a_day():
    today = timezone.localdate()

    assert visitor_hash("session-a", day=today) == visitor_hash("session-a", day=today)
    assert visitor_hash("session-a", day=today) != visitor_hash("session-b", day=today)
    assert visitor_hash("session-a", day=today) != visitor_hash(
        "session-a", day=today + timedelta(days=1)
    )


def test_a_visitor_cannot_mark_the_same_question_again_the_next_day(monkeypatch):
    question, session = _answered(), _session()
    _mark(question, session)
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(
        "community.services.visitor_hash", lambda key: visitor_hash(key, day=tomorrow)
    )

    with pytest.raises(Conflict, match="already said this solved your problem"):
        _mark(question, session)

    assert SolvedToo.objects.count() == Event.objects.filter(kind=EventKind.SOLVED_TOO).count() == 1
    assert selectors.solved_too_marked(question=question, user=AnonymousUser(), session=session)


def test_the_session_remembers_a_visitors_marks_on_the_page(client):
    question = _answered()
    url = reverse("community:solved_too", args=[question.pk])

    client.post(url)

    assert client.session[selectors.SOLVED_TOO_SESSION_KEY] == [question.pk]
    page = client.get(question.get_absolute_url()).content.decode()
    assert "You said this solved your problem too." in page


def test_visitor_salts_expire_deletes_the_salts_of_past_days():
    today = timezone.localdate()
    for days_ago in (0, 1, 2, 30):
        VisitorSalt.objects.create(day=today - timedelta(days=days_ago), salt=f"salt-{days_ago}")

    tasks.visitor_salts_expire()

    assert sorted(VisitorSalt.objects.values_list("salt", flat=True)) == ["salt-0", "salt-1"]


# --- Floods ---------------------------------------------------------------------------

PER_DAY = 2


@pytest.fixture
def marks_limited(rate_limits, settings):
    settings.PEERDESK = {**settings.PEERDESK, "SOLVED_MARKS_PER_DAY": PER_DAY}


def _questions(n: int) -> list[Question]:
    return [_answered() for _ in range(n)]


def test_without_rate_limits_a_session_may_mark_freely(settings):
    settings.PEERDESK = {**settings.PEERDESK, "SOLVED_MARKS_PER_DAY": 0}

    for _ in range(3):
        floods.marks_allow(session_key="any-session")


@pytest.mark.usefixtures("marks_limited")
def test_a_flood_of_marks_from_one_visitor_gets_a_429_page_and_writes_nothing(client):
    *allowed, refused = _questions(PER_DAY + 1)
    for question in allowed:
        assert client.post(reverse("community:solved_too", args=[question.pk])).status_code == 302

    response = client.post(reverse("community:solved_too", args=[refused.pk]))

    assert response.status_code == 429
    assert "Too many “this solved it” answers from this browser today" in (
        response.content.decode()
    )
    assert 0 < int(response["Retry-After"]) <= 24 * 3600
    assert not SolvedToo.objects.filter(question=refused).exists()
    assert not Event.objects.filter(question=refused).exists()
    refused.refresh_from_db()
    assert refused.solved_too_count == 0
    assert refused.pk not in client.session[selectors.SOLVED_TOO_SESSION_KEY]


@pytest.mark.usefixtures("marks_limited")
def test_a_flood_by_htmx_shows_the_reason_in_place(client):
    *allowed, refused = _questions(PER_DAY + 1)
    for question in allowed:
        client.post(reverse("community:solved_too", args=[question.pk]), **HTMX)

    response = client.post(reverse("community:solved_too", args=[refused.pk]), **HTMX)

    assert "Too many “this solved it” answers" in response.content.decode()
    assert not SolvedToo.objects.filter(question=refused).exists()


@pytest.mark.usefixtures("marks_limited")
def test_a_flood_of_marks_from_one_members_session_gets_a_429_from_the_api(other_member):
    api = APIClient()
    api.force_login(other_member)
    *allowed, refused = _questions(PER_DAY + 1)
    for question in allowed:
        assert api.post(f"/api/v1/questions/{question.pk}/solved-too/").status_code == 201

    response = api.post(f"/api/v1/questions/{refused.pk}/solved-too/")

    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "throttled"
    assert "Too many “this solved it” answers" in body["detail"]
    assert int(response["Retry-After"]) > 0
    assert not SolvedToo.objects.filter(question=refused).exists()
    assert Event.objects.filter(kind=EventKind.SOLVED_TOO).count() == PER_DAY


@pytest.mark.usefixtures("marks_limited")
def test_other_sessions_are_not_held_back_by_a_flood(client):
    *allowed, other = _questions(PER_DAY + 1)
    for question in allowed:
        client.post(reverse("community:solved_too", args=[question.pk]))

    assert Client().post(reverse("community:solved_too", args=[other.pk])).status_code == 302
    assert SolvedToo.objects.filter(question=other).exists()


@pytest.mark.usefixtures("marks_limited")
def test_contact_deflections_and_marks_share_the_daily_allowance():
    session = _session()
    floods.marks_allow(session_key=session.session_key)  # as the contact page does
    _mark(_answered(), session)

    with pytest.raises(RateLimited):
        _mark(_answered(), session)


def test_the_schema_declares_429_for_solved_too(api_client):
    paths = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]

    assert "429" in paths["/api/v1/questions/{id}/solved-too/"]["post"]["responses"]
