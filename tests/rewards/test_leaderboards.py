"""Leaderboards per month and all time, overall and per forum: only members who consent
to be listed at the time of asking, one query whatever the community's size."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from privacy import selectors as privacy_selectors
from privacy import services as privacy_services
from rewards import selectors
from tests.factories import ForumFactory
from tests.rewards.recognition_helpers import (
    LEADERBOARDS,
    earn,
    listed,
    unlisted,
    veteran,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("purposes")]

PAGE = reverse("rewards:leaderboards")


def _board(**kwargs) -> list[tuple[str, int]]:
    return [(row.user.display_name, row.points) for row in selectors.leaderboard(**kwargs)]


def _last_month_day():
    return timezone.now().replace(day=1) - timedelta(days=3)


def test_the_all_time_board_ranks_members_by_points(forum):
    earn(listed(veteran(display_name="Anna")), 30, forum=forum)
    earn(listed(veteran(display_name="Ben")), 120, forum=forum)
    earn(listed(veteran(display_name="Cleo")), 75)

    assert _board(period="all") == [("Ben", 120), ("Cleo", 75), ("Anna", 30)]


def test_a_month_counts_only_the_points_earned_in_it():
    anna, ben = listed(veteran(display_name="Anna")), listed(veteran(display_name="Ben"))
    earn(anna, 200, at=_last_month_day())
    earn(ben, 50)
    earn(anna, 10)

    assert _board(period=selectors.this_month()) == [("Ben", 50), ("Anna", 10)]
    assert _board(period=selectors.last_month()) == [("Anna", 200)]
    assert _board(period="all") == [("Anna", 210), ("Ben", 50)]


def test_a_forum_board_counts_only_the_points_earned_in_that_forum(forum):
    other = ForumFactory()
    anna, ben = listed(veteran(display_name="Anna")), listed(veteran(display_name="Ben"))
    earn(anna, 100, forum=other)
    earn(anna, 5, forum=forum)
    earn(ben, 20, forum=forum)

    assert _board(period="all", forum=forum) == [("Ben", 20), ("Anna", 5)]
    assert _board(period="all", forum=other) == [("Anna", 100)]


def test_members_who_did_not_consent_are_not_listed():
    earn(listed(veteran(display_name="Anna")), 10)
    earn(veteran(display_name="Quiet"), 500)

    assert _board(period="all") == [("Anna", 10)]


def test_a_withdrawal_takes_effect_at_once():
    anna = listed(veteran(display_name="Anna"))
    earn(anna, 10)
    assert _board(period="all") == [("Anna", 10)]

    unlisted(anna)

    assert _board(period="all") == []


def test_a_new_version_of_the_consent_text_asks_again():
    earn(listed(veteran(display_name="Anna")), 10)

    purpose = privacy_selectors.purposes_with_current_text().get(key=LEADERBOARDS)
    privacy_services.consent_text_publish(purpose=purpose, text="Now also in the newsletter.")

    assert _board(period="all") == []


def test_the_listing_rule_is_the_same_as_has_consent():
    granted, withdrawn, never = listed(veteran()), unlisted(listed(veteran())), veteran()
    for member in (granted, withdrawn, never):
        earn(member, 10)

    listed_ids = {row.user.pk for row in selectors.leaderboard(period="all")}

    for member in (granted, withdrawn, never):
        consents = privacy_selectors.has_consent(user=member, purpose_key=LEADERBOARDS)
        assert (member.pk in listed_ids) == consents


def test_inactive_members_are_not_listed():
    gone = listed(veteran(display_name="Gone"))
    earn(gone, 10)
    gone.is_active = False
    gone.save(update_fields=["is_active"])

    assert _board(period="all") == []


def test_rows_carry_the_members_rank_by_lifetime_points():
    anna = listed(veteran(display_name="Anna"))
    earn(anna, 1_500, at=_last_month_day())
    earn(anna, 5)

    (row,) = selectors.leaderboard(period=selectors.this_month())

    assert (row.position, row.points, row.rank.name_en) == (1, 5, "Expert")


def test_the_limit_cuts_the_board():
    for n in range(5):
        earn(listed(veteran()), 10 + n)

    assert [row.points for row in selectors.leaderboard(period="all", limit=3)] == [14, 13, 12]


@pytest.mark.parametrize("forum_board", [False, True])
def test_a_full_board_costs_one_query_with_25_or_80_members(
    django_assert_num_queries, forum, forum_board
):
    where = {"forum": forum} if forum_board else {}
    selectors.ranks()
    for n in range(25):
        earn(listed(veteran()), 10 + n, forum=forum)
    with django_assert_num_queries(1):
        assert len(selectors.leaderboard(period="all", **where)) == 20

    for n in range(55):
        member = veteran()
        earn(listed(member) if n % 2 else member, 100 + n, forum=forum)

    with django_assert_num_queries(1):
        assert len(selectors.leaderboard(period="all", **where)) == 20


def test_a_board_with_few_listed_members_costs_three_queries_whatever_its_size(
    django_assert_num_queries,
):
    selectors.ranks()
    for size in (3, 40):
        for n in range(size):
            earn(listed(veteran()) if n == 0 else veteran(), 10 + n)

        with django_assert_num_queries(3):
            selectors.leaderboard(period="all")


def test_listed_members_below_the_walk_are_found(monkeypatch):
    monkeypatch.setattr(selectors, "_WALK", 5)
    for n in range(10):
        earn(veteran(), 100 + n)
    low = listed(veteran(display_name="Low"))
    earn(low, 1)

    assert _board(period="all") == [("Low", 1)]


def test_the_page_shows_rank_and_points(client):
    earn(listed(veteran(display_name="Anna")), 1_250)

    html = client.get(PAGE).content.decode()

    row = html.split("Anna</a>")[1].split("</tr>")[0]
    assert '<span class="rank">Expert</span>' in row
    assert ">1,250<" in row


def test_the_page_filters_by_month_and_forum(client, forum):
    anna = listed(veteran(display_name="Anna"))
    earn(anna, 40, forum=forum, at=_last_month_day())
    earn(listed(veteran(display_name="Ben")), 60)

    html = client.get(
        PAGE, {"period": selectors.last_month(), "forum": forum.slug}
    ).content.decode()

    assert "Anna</a>" in html
    assert "Ben</a>" not in html
    assert f'<option value="{forum.slug}" selected>' in html


def test_the_page_explains_why_a_member_is_not_listed(client):
    client.force_login(veteran())

    html = client.get(PAGE).content.decode()

    assert "You are not listed on leaderboards" in html
    assert 'href="/privacy/#purpose-leaderboards"' in html


def test_a_listed_member_and_a_visitor_get_no_such_note(client):
    assert "You are not listed" not in client.get(PAGE).content.decode()

    client.force_login(listed(veteran()))

    assert "You are not listed" not in client.get(PAGE).content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"period": "garbage"}, "Choose all time or a month written like 2025-03."),
        ({"period": "2025-13"}, "Choose all time or a month written like 2025-03."),
        ({"period": "0000-01"}, "Choose all time or a month written like 2025-03."),
        ({"forum": "no-such-forum"}, "There is no such forum."),
        ({"forum": "not a slug!"}, "There is no such forum."),
        ({"forum": "bad\x00byte"}, "There is no such forum."),
    ],
)
def test_bad_filters_get_a_clear_error(client, query, message):
    response = client.get(PAGE, query)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_empty_month_field_means_all_time(client):
    earn(listed(veteran(display_name="Anna")), 10)

    response = client.get(PAGE, {"period": "", "forum": ""})

    assert response.status_code == 200
    assert "Anna</a>" in response.content.decode()


def test_the_header_links_to_the_leaderboards_for_everyone_and_to_my_points_for_members(
    client, member
):
    my_points = f'href="{reverse("rewards:points")}"'
    assert f'href="{PAGE}"' in client.get("/").content.decode()
    assert my_points not in client.get("/").content.decode()

    client.force_login(member)

    assert my_points in client.get("/").content.decode()
