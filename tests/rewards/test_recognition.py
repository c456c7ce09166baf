"""Ranks by lifetime points and badges for milestones, next to members' names and on
their profiles, without a query per name."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from community import services
from rewards import selectors
from rewards.models import Badge, MemberBadge, PointsAccount, Rank
from tests.factories import make_answer, make_question
from tests.rewards.recognition_helpers import (
    earn,
    veteran,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("purposes")]


@pytest.fixture
def asker(forum):
    return veteran(display_name="Asker")


@pytest.fixture
def helper(forum):
    return veteran(display_name="Hilde Helper")


@pytest.fixture
def answer(asker, helper, forum):
    question = make_question(author=asker, forum=forum)
    question.created_at = timezone.now() - timedelta(days=1)  # no first-answer bonus
    question.save(update_fields=["created_at"])
    return make_answer(question=question, author=helper)


@pytest.mark.parametrize(
    ("lifetime", "rank", "next_rank", "percent"),
    [
        (0, "Newcomer", "Helper", 0),
        (99, "Newcomer", "Helper", 99),
        (100, "Helper", "Expert", 0),
        (550, "Helper", "Expert", 50),
        (9_999, "Expert", "Legend", 99),
        (10_000, "Legend", None, 100),
        (250_000, "Legend", None, 100),
    ],
)
def test_the_rank_follows_the_default_thresholds(lifetime, rank, next_rank, percent):
    progress = selectors.rank_progress(lifetime)

    assert progress.rank.name_en == rank
    assert (progress.next_rank.name_en if progress.next_rank else None) == next_rank
    assert progress.percent == percent


def test_points_to_the_next_rank_are_counted_down():
    assert selectors.rank_progress(40).points_to_next == 60


def test_ranks_are_named_in_the_members_language():
    rank = selectors.rank_for(1_000)

    with translation.override("de"):
        assert rank.name == "Experte"
    assert rank.name == "Expert"


def test_the_rank_list_is_read_from_the_cache_after_the_first_time(django_assert_num_queries):
    selectors.ranks()

    with django_assert_num_queries(0):
        assert [r.threshold for r in selectors.ranks()] == [0, 100, 1_000, 10_000]


def test_an_accepted_answer_earns_the_first_solution_badge(answer, asker, helper):
    services.answer_accept(answer=answer, by=asker)

    badges = [b.badge.slug for b in selectors.badges_for(helper)]
    assert badges == ["first-solution"]


def test_ten_kudos_earn_the_ten_kudos_badge(answer, helper):
    for _n in range(10):
        services.vote_cast(user=veteran(), post=answer)

    assert MemberBadge.objects.filter(user=helper, badge__slug="ten-kudos").exists()
    lifetime = PointsAccount.objects.get(user=helper).lifetime_points
    assert selectors.rank_for(lifetime).name_en == "Helper"


def test_a_thread_shows_the_answerers_rank_and_badges_next_to_their_name(
    client, answer, asker, helper
):
    services.answer_accept(answer=answer, by=asker)
    earn(helper, 100)

    html = client.get(answer.question.get_absolute_url()).content.decode()

    meta = html.split(f'<article id="answer-{answer.pk}"')[1].split('class="meta"')[1]
    assert "Hilde Helper</a>" in meta
    assert '<span class="rank" title="Rank">Helper</span>' in meta
    assert f'href="{helper.get_absolute_url()}#badges">1 badge</a>' in meta


def test_a_thread_shows_the_askers_rank(member_client, answer):
    html = member_client.get(answer.question.get_absolute_url()).content.decode()

    head = html.split('<h1 id="question-title">')[1].split('class="post-body"')[0]
    assert '<span class="rank" title="Rank">Newcomer</span>' in head


def test_official_answers_carry_no_rank(member_client, forum, asker):
    question = make_question(author=asker, forum=forum)
    official = make_answer(question=question, author=veteran(role="Support leads"))

    html = member_client.get(question.get_absolute_url()).content.decode()

    meta = html.split(f'<article id="answer-{official.pk}"')[1].split("</article>")[0]
    assert 'class="rank"' not in meta


def test_question_lists_show_the_askers_rank(client, forum, asker):
    make_question(author=asker, forum=forum, title="Where is my invoice?")
    earn(asker, 1_000)

    html = client.get(forum.get_absolute_url()).content.decode()

    row = html.split("Where is my invoice?")[1].split("</li>")[0]
    assert '<span class="rank" title="Rank">Expert</span>' in row


def test_the_profile_shows_rank_and_badges_but_not_points(client, answer, asker, helper):
    services.answer_accept(answer=answer, by=asker)

    html = client.get(helper.get_absolute_url()).content.decode()

    assert '<span class="rank">Newcomer</span>' in html
    assert "First solution" in html
    recognition = html.split('id="badges"')[1].split("</div>")[0]
    assert "points" not in recognition.lower()


def test_a_profile_of_someone_without_points_shows_the_lowest_rank(client, member):
    html = client.get(member.get_absolute_url()).content.decode()

    assert '<span class="rank">Newcomer</span>' in html


def test_badges_appear_in_german(client, answer, asker, helper):
    services.answer_accept(answer=answer, by=asker)

    html = client.get(helper.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert "Erste Lösung" in html
    assert '<span class="rank">Neuling</span>' in html


def test_a_new_badge_counts_from_the_members_next_points(answer, asker, helper):
    services.answer_accept(answer=answer, by=asker)
    Badge.objects.create(
        slug="ten-points", name_en="10", name_de="10", metric="lifetime", threshold=10
    )

    earn(helper, 1)

    assert MemberBadge.objects.filter(user=helper, badge__slug="ten-points").exists()


def test_a_renamed_rank_shows_once_the_cache_is_cleared(member_client, asker, forum):
    # A member: a visitor's page may be kept 30 s more (core.public_cache).
    client = member_client
    make_question(author=asker, forum=forum, title="Renamed rank question")
    client.get(forum.get_absolute_url())
    Rank.objects.filter(threshold=0).update(name_en="Fresh face")

    selectors.ranks_forget()

    assert "Fresh face" in client.get(forum.get_absolute_url()).content.decode()


def test_the_thread_costs_no_more_queries_for_authors_with_ranks_and_badges(
    member_client, forum, asker
):
    question = make_question(author=asker, forum=forum)
    plain = make_answer(question=question)
    url = question.get_absolute_url()
    member_client.get(url)

    cache.clear()  # both reads render the thread: nothing kept from the first
    with CaptureQueriesContext(connection) as before:
        member_client.get(url)
    for _n in range(5):
        author = veteran()
        earn(author, 2_000)
        make_answer(question=question, author=author)
    services.vote_cast(user=veteran(), post=plain)

    cache.clear()
    with CaptureQueriesContext(connection) as after:
        member_client.get(url)

    assert len(after) == len(before)


def test_the_question_page_offers_the_asker_a_bounty(client, asker, forum):
    question = make_question(author=asker, forum=forum)
    client.force_login(asker)

    html = client.get(question.get_absolute_url()).content.decode()

    assert reverse("rewards_bounty:offer", args=[question.pk]) in html
