"""GET /api/v1/insights/summary/: the dashboard's figures as JSON for support leads and
community managers only; 400 with the field named for any odd input, never a 500."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts import roles
from insights.models import EventKind
from insights.periods import this_month
from tests.factories import UserFactory, with_totp
from tests.insights.history import (
    berlin,
    event,
    history_fixture,  # noqa: F401 (the fixture `history`)
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("purposes")]

URL = "/api/v1/insights/summary/"
JANUARY = {"from": "2024-01-01", "to": "2024-01-31"}


@pytest.fixture
def lead_api(api_client):
    api_client.force_authenticate(with_totp(UserFactory(role=roles.SUPPORT_LEADS)))
    return api_client


def test_a_visitor_must_log_in(api_client):
    response = api_client.get(URL, JANUARY)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("role", [None, roles.MODERATORS])
def test_members_without_the_role_are_refused(api_client, role):
    api_client.force_authenticate(with_totp(UserFactory(role=role)))

    response = api_client.get(URL, JANUARY)

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Only support leads and community managers can see these figures.",
        "code": "permission_denied",
    }


def test_community_managers_may_read_it_with_a_session(client):
    client.force_login(with_totp(UserFactory(role=roles.COMMUNITY_MANAGERS)))

    assert client.get(URL, JANUARY).status_code == 200


def test_the_summary_of_january_to_the_cent(lead_api, history):
    body = lead_api.get(URL, JANUARY).json()

    assert body["period"] == {"from": "2024-01-01", "to": "2024-01-31"}
    assert (body["forum"], body["currency"], body["points_per_euro"]) == (None, "EUR", 100)
    assert body["community_channel"] == "phone"
    summary = body["summary"]
    assert summary["period"] == body["period"]
    who = {"by_members": 0, "by_visitors": 0, "refused": 0, "in_probation": 0}
    assert summary["kinds"] == [
        {"kind": "peer_solution", "label": "Solved by a peer", "count": 2, "savings": "4.60"} | who,
        {"kind": "solved_too", "label": "Solved for me too", "count": 2, "savings": "4.60"}
        | who
        | {"by_members": 2},  # Mark, twice
        {
            "kind": "contact_deflected",
            "label": "Contact page: solved by a suggestion",
            "count": 1,
            "savings": "0.80",
        }
        | who
        | {"by_visitors": 1},  # v1
        {"kind": "widget_solved", "label": "Widget: solved by an answer", "count": 0}
        | {"savings": "0.00"}
        | who,
    ]
    assert {k: summary[k] for k in list(summary)[2:]} == {
        "deflected": 5,
        "gross_savings": "10.00",
        "points_credited": 148,
        "points_value": "1.48",
        "net_savings": "8.52",
        "contact_deflected": 1,
        "contact_submitted": 2,
        "contact_rate": "0.3333",
    }
    assert body["costs"] == [
        {"channel": "phone", "label": "Phone", "cost": "2.30"},
        {"channel": "email", "label": "Email", "cost": "1.50"},
        {"channel": "chat", "label": "Chat", "cost": "1.50"},
        {"channel": "form", "label": "Contact form", "cost": "0.80"},
    ]
    assert (body["unanswered"], body["escalated"]) == (1, 1)


def test_the_previous_period_is_there_for_comparison(lead_api, history):
    previous = lead_api.get(URL, JANUARY).json()["previous"]

    assert previous["period"] == {"from": "2023-12-01", "to": "2023-12-31"}
    assert (previous["deflected"], previous["gross_savings"]) == (1, "2.30")
    assert (previous["points_value"], previous["net_savings"]) == ("0.50", "1.80")
    assert previous["contact_rate"] is None


def test_response_figures_have_durations_in_seconds(lead_api, history):
    response = lead_api.get(URL, {"from": "2024-02-01", "to": "2024-02-29"}).json()["response"]

    assert response == {
        "questions": 4,
        "due": 4,
        "answered_24h": 3,
        "answer_rate": "0.7500",
        "ttfa_median": 13.5 * 3600,
        "ttfa_p90": 40.8 * 3600,
        "peer_solutions": 1,
        "staff_solutions": 1,
        "peer_share": "0.5000",
    }


def test_months_forums_and_contributors(lead_api, history):
    body = lead_api.get(URL, JANUARY).json()

    months = body["months"]
    assert [m["month"] for m in months][:2] == ["2023-02-01", "2023-03-01"]
    assert [(m["month"], m["deflected"], m["net_savings"]) for m in months[-2:]] == [
        ("2023-12-01", 1, "1.80"),
        ("2024-01-01", 5, "8.52"),
    ]
    assert months[0]["response"]["answer_rate"] is None
    assert months[-1]["response"]["ttfa_p90"] == 22 * 3600
    internet = body["forums"][1]
    assert (internet["forum"], internet["name"], internet["net_savings"]) == (
        "internet",
        "Internet",
        "2.60",
    )
    assert internet["response"]["ttfa_median"] == 6 * 3600
    assert body["top_contributors"] == [
        {
            "member": history.petra.pk,
            "display_name": "Petra Peer",
            "profile_url": f"http://testserver{history.petra.get_absolute_url()}",
            "deflections": 2,
            "solutions": 1,
            "points": 98,
        }
    ]


@pytest.mark.parametrize("forum", ["mobilfunk", "id"])
def test_one_forum_by_slug_or_id(lead_api, history, forum):
    forum = str(history.mobilfunk.pk) if forum == "id" else forum

    body = lead_api.get(URL, {**JANUARY, "forum": forum}).json()

    assert body["forum"] == "mobilfunk"
    assert (body["summary"]["gross_savings"], body["summary"]["net_savings"]) == ("6.90", "5.92")
    assert body["previous"]["net_savings"] == "1.80"
    assert body["months"][-1]["net_savings"] == "5.92"
    assert len(body["forums"]) == 3  # the forum table is always every forum


def test_the_period_is_this_month_by_default(lead_api, history):
    event(EventKind.PEER_SOLUTION, timezone.now(), forum=history.internet)
    current = this_month()

    body = lead_api.get(URL).json()

    assert body["period"] == {"from": current.start.isoformat(), "to": current.end.isoformat()}
    assert (body["summary"]["deflected"], body["summary"]["gross_savings"]) == (1, "2.30")
    only_to = lead_api.get(URL, {"to": current.end.isoformat()}).json()
    assert only_to["period"]["from"] == current.start.isoformat()


def _far() -> str:
    return (date.today() + timedelta(days=800)).isoformat()


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ({"from": "abc", "to": "2024-01-31"}, {"from"}),
        ({"from": "99999-01-01", "to": "2024-01-31"}, {"from"}),
        ({"from": "2024-02-30", "to": "2024-03-31"}, {"from"}),
        ({"from": "31.01.2024", "to": "2024-03-31"}, {"from"}),
        ({"from": "2024-01-01\x00", "to": "2024-01-31"}, {"from"}),
        ({"from": "2024-01-01", "to": ""}, {"to"}),
        ({"from": "", "to": ""}, {"from", "to"}),
        ({**JANUARY, "forum": "\x00"}, {"forum"}),
        ({**JANUARY, "forum": "nope"}, {"forum"}),
        ({**JANUARY, "forum": "9" * 30}, {"forum"}),
        ({**JANUARY, "forum": "x" * 500}, {"forum"}),
        ({"from": "2024-02-01", "to": "2024-01-31"}, {"to"}),
        ({"from": "1999-12-31", "to": "2024-01-31"}, {"from"}),
        ({"from": "0001-01-01", "to": "0001-01-02"}, {"from", "to"}),
        ({"from": "2024-01-01", "to": "far"}, {"to"}),
        ({"from": "2020-01-01", "to": "2023-01-01"}, {"to"}),
    ],
)
def test_odd_input_is_a_400_naming_the_field(lead_api, history, query, fields):
    query = {**query, "to": _far()} if query.get("to") == "far" else query

    response = lead_api.get(URL, query)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["errors"]) == fields
    assert body["detail"].startswith("Please correct these fields")


def test_an_inverted_range_says_why(lead_api):
    body = lead_api.get(URL, {"from": "2024-02-01", "to": "2024-01-31"}).json()

    assert body["errors"] == {"to": ["The end date is before the start date."]}


def test_the_answer_costs_the_same_queries_whatever_the_data(lead_api, history):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert lead_api.get(URL, JANUARY).status_code == 200
        return len(captured)

    queries()  # the member's permissions are cached from the first request on
    before = queries()
    for day in range(1, 29):
        event(EventKind.SOLVED_TOO, berlin(2024, 1, day, 9), forum=history.internet,
              answer=history.answers["A2"], visitor=f"more-{day}")  # fmt: skip

    assert queries() == before


# As many examples as the hypothesis profile says (tests/conftest.py).
@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.one_of(st.text(max_size=12), st.dates().map(date.isoformat)),
    end=st.one_of(st.text(max_size=12), st.dates().map(date.isoformat)),
    forum=st.text(max_size=100),
)
def test_no_input_gives_a_500(lead_api, start, end, forum):
    response = lead_api.get(URL, {"from": start, "to": end, "forum": forum})

    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert set(response.json()["errors"]) <= {"from", "to", "forum"}
