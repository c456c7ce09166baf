"""The lists behind the dashboard's numbers (events, questions, points): they filter like
the figures count, never show who marked, visited or received points, cost the same
queries whatever their length, and download as CSV that Excel reads."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import roles
from insights.models import EventKind
from tests.factories import UserFactory, with_totp
from tests.insights.history import (
    answer,
    berlin,
    entry,
    event,
    history_fixture,  # noqa: F401 (the fixture `history`)
    question,
)

# The consent purposes come before any member is made (the fixture `purposes`, tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("purposes")]

EVENTS = "/staff/insights/events/"
QUESTIONS = "/staff/insights/questions/"
POINTS = "/staff/insights/points/"
EXPORT = "/staff/insights/export/"
JANUARY = {"from": "2024-01-01", "to": "2024-01-31"}
FEBRUARY = {"from": "2024-02-01", "to": "2024-02-29"}


@pytest.fixture
def lead_client(client):
    """A support lead of their own (the history has a "Sue Support" already)."""
    client.force_login(with_totp(UserFactory(role=roles.SUPPORT_LEADS)))
    return client


def _rows(html: str, prefix: str) -> list[str]:
    return re.findall(rf'<tr id="{prefix}-(\d+)">', html)


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


# --- Events --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, count",
    [
        ({}, 5),
        ({"kind": "peer_solution"}, 2),
        ({"kind": "solved_too"}, 2),
        ({"kind": "contact_deflected"}, 1),
        ({"kind": "contact_submitted"}, 2),
        ({"kind": "solution"}, 3),
        ({"forum": "mobilfunk"}, 3),
        ({"forum": "internet", "kind": "peer_solution"}, 1),
    ],
)
def test_the_events_list_counts_what_the_card_counts(lead_client, history, query, count):
    response = lead_client.get(EVENTS, {**JANUARY, **query})

    assert response.status_code == 200
    assert len(_rows(response.content.decode(), "event")) == count
    assert response.context["page"].paginator.count == count


def test_the_events_list_shows_each_events_cost_and_their_worth(lead_client, history):
    html = lead_client.get(EVENTS, JANUARY).content.decode()

    assert "EUR 2.30" in html and "EUR 0.80" in html
    # the gross savings of January
    assert "they saved EUR 10.00" in html
    assert 'href="?from=2024-01-01&amp;to=2024-01-31&amp;format=csv"' in html


def test_the_events_list_never_shows_who(lead_client, history):
    html = lead_client.get(EVENTS, {"from": "2023-12-01", "to": "2024-03-31"}).content.decode()

    for name in ("Mark Marker", "Petra Peer", "Paul Peer", "Sue Support"):
        assert name not in html
    assert ">v1<" not in html and "v2" not in re.sub(r"<[^>]+>", "", html).split()


def test_a_contributors_events_are_those_crediting_their_answers(lead_client, history):
    response = lead_client.get(EVENTS, {**JANUARY, "contributor": history.petra.pk})

    assert response.context["page"].paginator.count == 2  # as on the dashboard
    assert "Credited to the answers of Petra Peer" in response.content.decode()


def test_a_member_who_is_not_listed_has_no_contributor_list(lead_client, history):
    response = lead_client.get(EVENTS, {**JANUARY, "contributor": history.paul.pk})

    assert response.context["page"].paginator.count == 0
    assert "Paul Peer" not in response.content.decode()


def test_an_unknown_kind_is_a_form_error(lead_client, history):
    response = lead_client.get(EVENTS, {**JANUARY, "kind": "everything"})

    assert response.status_code == 400
    assert "kind" in response.context["form"].errors


# --- Questions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, names",
    [
        ({}, ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6"]),
        ({"answered": "yes"}, ["Q1", "Q2", "Q3", "Q5"]),
        ({"answered": "no"}, ["Q4", "Q6"]),
        ({"forum": "internet"}, ["Q2", "Q5"]),
        ({"list": "escalated"}, ["Q6"]),
    ],
)
def test_the_questions_list_filters_like_the_figures(lead_client, history, query, names):
    html = lead_client.get(QUESTIONS, {**JANUARY, **query}).content.decode()

    expected = sorted(str(history.questions[name].pk) for name in names)
    assert sorted(_rows(html, "question")) == expected


def test_the_questions_list_shows_the_time_to_first_answer(lead_client, history):
    html = lead_client.get(QUESTIONS, {**JANUARY, "answered": "no"}).content.decode()

    assert "1 d 6 h" in html  # Q4: 30 hours
    assert "no answer yet" in html  # Q6


def test_unanswered_questions_are_listed_whatever_the_period(lead_client, history):
    html = lead_client.get(QUESTIONS, {**FEBRUARY, "list": "unanswered"}).content.decode()

    assert _rows(html, "question") == [str(history.questions["Q6"].pk)]
    assert "whatever the period" in html


def test_a_bad_answered_value_is_a_form_error(lead_client):
    response = lead_client.get(QUESTIONS, {**JANUARY, "answered": "maybe"})

    assert response.status_code == 400


# --- Points --------------------------------------------------------------------------


def test_the_points_list_sums_what_the_points_card_sums(lead_client, history):
    response = lead_client.get(POINTS, FEBRUARY)
    html = response.content.decode()

    # 20 - 50 + 10 + 50: the bounty's reversal and the payout do not count
    assert response.context["page"].paginator.count == 4
    assert "30 points, worth EUR 0.30" in html
    assert "Reversal:" in html
    assert "EUR -0.50" in html


def test_the_points_list_never_shows_who_received_them(lead_client, history):
    html = lead_client.get(POINTS, JANUARY).content.decode()

    assert "Petra Peer" not in html and "Paul Peer" not in html


def test_a_contributors_points_are_their_own(lead_client, history):
    response = lead_client.get(POINTS, {**JANUARY, "contributor": history.petra.pk})

    assert response.context["total"] == 98  # as on the dashboard


# --- Query budget --------------------------------------------------------------------


def _queries(client, url: str, query: dict) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(context.captured_queries)


def _more_of_everything(history, n: int) -> None:
    for i in range(n):
        asked = berlin(2024, 1, 2, 8) + timedelta(minutes=i)
        q = question(history.mobilfunk, asked, timedelta(hours=2), escalated_at=asked)
        event(
            EventKind.PEER_SOLUTION, asked, forum=history.mobilfunk, answer=answer(q, history.petra)
        )
        entry(history.petra, 5, asked, forum=history.mobilfunk)


@pytest.mark.parametrize(
    "url, query",
    [
        (EVENTS, JANUARY),
        (QUESTIONS, JANUARY),
        (QUESTIONS, {**JANUARY, "list": "escalated"}),
        (POINTS, JANUARY),
        (EVENTS, {**JANUARY, "contributor": "999999"}),
        ("/staff/insights/", JANUARY),
    ],
)
def test_a_page_costs_the_same_queries_with_a_few_rows_or_a_full_page(
    lead_client, history, url, query, django_assert_max_num_queries
):
    lead_client.get(url, query)  # warm-up: sessions, permissions, settings rows
    few = _queries(lead_client, url, query)

    _more_of_everything(history, 60)

    assert _queries(lead_client, url, query) == few
    budget = 50 if url == "/staff/insights/" else 12
    with django_assert_max_num_queries(budget):
        lead_client.get(url, query)


# --- CSV -----------------------------------------------------------------------------


def test_the_events_csv_has_a_header_iso_times_and_dot_decimals(lead_client, history):
    response = lead_client.get(EVENTS, {**JANUARY, "kind": "peer_solution", "format": "csv"})
    rows = _csv(response)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="peerdesk-events-2024-01-01_2024-01-31.csv"' in response["Content-Disposition"]
    assert rows[0] == ["Kind", "Time", "Forum", "Question", "Question link", "Channel",
                       "Cost per contact (EUR)"]  # fmt: skip
    assert [row[1] for row in rows[1:]] == [
        "2024-01-20T00:00:00+01:00",
        "2024-01-10T00:00:00+01:00",
    ]
    assert [row[6] for row in rows[1:]] == ["2.30", "2.30"]
    assert rows[1][4].startswith("http://testserver/")


def test_the_csv_is_the_same_in_german(lead_client, history):
    lead_client.cookies["peerdesk_language"] = "de"

    rows = _csv(lead_client.get(EVENTS, {**JANUARY, "kind": "peer_solution", "format": "csv"}))

    assert [row[6] for row in rows[1:]] == ["2.30", "2.30"]


def test_the_points_csv_has_negative_amounts_with_a_dot(lead_client, history):
    rows = _csv(lead_client.get(POINTS, {**FEBRUARY, "format": "csv"}))

    assert rows[0][-2:] == ["Points", "Value (EUR)"]
    assert sorted(row[-1] for row in rows[1:]) == ["-0.50", "0.10", "0.20", "0.50"]
    assert all("Petra" not in cell and "Paul" not in cell for row in rows for cell in row)


def test_the_questions_csv_lists_the_unanswered(lead_client, history):
    rows = _csv(lead_client.get(QUESTIONS, {**JANUARY, "list": "unanswered", "format": "csv"}))

    assert rows[0][0] == "Question"
    assert len(rows) == 2 and rows[1][2] == "Mobilfunk"


def test_the_forums_csv_matches_the_figures(lead_client, history):
    response = lead_client.get(EXPORT, {**JANUARY, "table": "forums"})
    rows = _csv(response)

    assert "peerdesk-forums-2024-01-01_2024-01-31.csv" in response["Content-Disposition"]
    assert rows[0][:5] == ["Forum", "Deflected contacts", "Gross savings (EUR)",
                           "Value of points credited (EUR)", "Net savings (EUR)"]  # fmt: skip
    mobilfunk = next(row for row in rows if row[0] == "Mobilfunk")
    # deflected, money; questions, due, in time, rate (%), median and p90 (minutes)
    assert mobilfunk[1:5] == ["3", "6.90", "0.98", "5.92"]
    assert mobilfunk[5:11] == ["4", "4", "2", "50.00", "300.00", "1500.00"]
    empty = next(row for row in rows if row[0] == "Empty")
    assert empty[8] == ""  # no median without answers


@pytest.mark.parametrize("table", ["worst-forums", "months", "contributors"])
def test_every_dashboard_table_downloads(lead_client, history, table):
    rows = _csv(lead_client.get(EXPORT, {**FEBRUARY, "table": table}))

    assert len(rows) >= 2


def test_a_text_that_a_spreadsheet_would_run_is_defused(lead_client, history):
    history.mobilfunk.name = "=HYPERLINK(1)"
    history.mobilfunk.save()

    rows = _csv(lead_client.get(EXPORT, {**JANUARY, "table": "forums"}))

    assert "'=HYPERLINK(1)" in [row[0] for row in rows]
