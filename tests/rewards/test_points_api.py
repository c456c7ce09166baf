"""GET /api/v1/me/points/ (the member's own) and GET /api/v1/leaderboards/ (public):
JSON for every answer, 400 for bad input, never another member's data."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community import services
from rewards.models import EconomySettings
from tests.factories import ForumFactory, link_verified, make_answer, make_question
from tests.rewards.recognition_helpers import (
    earn,
    listed,
    veteran,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("purposes")]

MY_POINTS = "/api/v1/me/points/"
LEADERBOARDS = "/api/v1/leaderboards/"
PAST = timezone.now() - timedelta(days=30)


@pytest.fixture
def helper(forum):
    return veteran(display_name="Hilde Helper")


@pytest.fixture
def helper_api(api_client, helper):
    api_client.force_authenticate(helper)
    return api_client


@pytest.fixture
def accepted(helper, forum):
    asker = veteran()
    question = make_question(author=asker, forum=forum)
    question.created_at = timezone.now() - timedelta(days=1)  # no first-answer bonus
    question.save(update_fields=["created_at"])
    answer = make_answer(question=question, author=helper)
    services.vote_cast(user=veteran(), post=answer)
    services.answer_accept(answer=answer, by=asker)
    return answer


def test_my_points_needs_a_login(api_client):
    response = api_client.get(MY_POINTS)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_my_points_has_the_summary_and_the_ledger_with_causes(helper_api, accepted, forum):
    body = helper_api.get(MY_POINTS).json()

    summary = body["summary"]
    assert (summary["balance"], summary["available"], summary["held"]) == (60, 0, 60)
    assert summary["lifetime_points"] == 60
    assert summary["rank"] == {"name": "Newcomer", "threshold": 0}
    assert summary["next_rank"] == {"name": "Helper", "threshold": 100}
    assert summary["rank_progress"] == 60
    assert summary["next_payout"]["blocked"] == "no_verified_link"
    entries = body["ledger"]["results"]
    assert [(e["amount"], e["rule"], e["state"]) for e in entries] == [
        (50, "answer_accepted", "held"),
        (10, "kudos_received", "held"),
    ]
    assert {e["cause_url"] for e in entries} == {accepted.get_absolute_url()}
    assert {e["forum"] for e in entries} == {forum.slug}
    assert (body["ledger"]["count"], body["ledger"]["page"], body["ledger"]["pages"]) == (2, 1, 1)


def test_the_payout_estimate_is_a_decimal_string_in_euros(helper_api, helper):
    link_verified(helper)
    earn(helper, 1_250, available_at=PAST)

    payout = helper_api.get(MY_POINTS, HTTP_ACCEPT_LANGUAGE="de").json()["summary"]["next_payout"]

    assert (payout["points"], payout["amount"], payout["currency"]) == (1_250, "12.50", "EUR")
    assert payout["blocked"] == ""


@pytest.mark.parametrize("page", ["abc", "0", "-1", "", "1.5"])
def test_a_bad_page_is_a_400(helper_api, page):
    response = helper_api.get(MY_POINTS, {"page": page})

    assert response.status_code == 400
    assert "page" in response.json()["errors"]


def test_a_page_past_the_end_is_a_404(helper_api, helper):
    earn(helper, 5)

    response = helper_api.get(MY_POINTS, {"page": 2})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_second_page_has_the_older_entries(helper_api, helper):
    for n in range(1, 31):
        earn(helper, n)

    body = helper_api.get(MY_POINTS, {"page": 2}).json()

    assert [e["amount"] for e in body["ledger"]["results"]] == [5, 4, 3, 2, 1]


def test_a_member_never_gets_another_members_points(api_client, accepted, member):
    api_client.force_authenticate(member)

    body = api_client.get(MY_POINTS, {"user": accepted.author_id}).json()

    assert body["summary"]["balance"] == 0
    assert body["ledger"]["results"] == []


def test_the_leaderboard_is_public_and_lists_only_consenting_members(api_client, forum):
    shown, hidden = listed(veteran(display_name="Shown")), veteran(display_name="Hidden")
    earn(shown, 120, forum=forum)
    earn(hidden, 500, forum=forum)

    body = api_client.get(LEADERBOARDS).json()

    assert body["period"] == "all"
    assert body["forum"] is None
    assert body["results"] == [
        {
            "position": 1,
            "member": shown.pk,
            "display_name": "Shown",
            "points": 120,
            "rank": "Helper",
        }
    ]


def test_the_leaderboard_filters_by_month_and_forum(api_client, forum):
    other_forum = ForumFactory()
    member = listed(veteran())
    earn(member, 30, forum=forum)
    earn(member, 70, forum=other_forum)
    month = timezone.localdate().strftime("%Y-%m")

    body = api_client.get(LEADERBOARDS, {"period": month, "forum": forum.slug}).json()

    assert (body["period"], body["forum"]) == (month, forum.slug)
    assert [row["points"] for row in body["results"]] == [30]


@pytest.mark.parametrize(
    "query",
    [
        {"period": "garbage"},
        {"period": "2025-13"},
        {"period": "2025-1"},
        {"period": "0000-01"},
        {"period": "٢٠٢٥-٠٣"},
        {"period": ""},
        {"forum": "no-such-forum"},
        {"forum": "not a slug!"},
        {"forum": ""},
        {"forum": "bad\x00byte"},
    ],
)
def test_bad_leaderboard_filters_are_a_400(api_client, query):
    response = api_client.get(LEADERBOARDS, query)

    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(query)


def test_an_empty_leaderboard_is_an_empty_list(api_client):
    body = api_client.get(LEADERBOARDS, {"period": "1999-01"}).json()

    assert body["results"] == []


def test_economy_settings_change_what_a_euro_is(helper_api, helper):
    EconomySettings.objects.filter(pk=1).update(points_per_euro=40, minimum_payout=100)
    link_verified(helper)
    earn(helper, 130, available_at=PAST)

    payout = helper_api.get(MY_POINTS).json()["summary"]["next_payout"]

    # Whole cents only: 40 points are EUR 1.00, so 2 points make a cent and 130 pay 3.25.
    assert (payout["points"], payout["amount"]) == (130, "3.25")
