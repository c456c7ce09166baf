"""The public member profile: counts, roles and posts, never the email address."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branding.selectors import current as brand
from community import services
from rewards.selectors import ranks
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def active_member(member, other_member, forum):
    """One question with one kudos, one accepted answer with one kudos."""
    question = make_question(author=member, forum=forum, title="Router loses Wi-Fi every night")
    services.vote_cast(user=other_member, post=question)
    their_question = make_question(author=other_member, forum=forum)
    answer = make_answer(question=their_question, author=member)
    services.answer_accept(answer=answer, by=other_member)
    services.vote_cast(user=other_member, post=answer)
    return member


def _profile(client, user, **params):
    return client.get(reverse("accounts:profile", args=[user.pk]), params)


def test_the_profile_shows_the_display_name_and_the_counts(client, active_member):
    response = _profile(client, active_member)

    assert response.status_code == 200
    shown = response.context["member"]
    counts = (shown.question_count, shown.answer_count, shown.accepted_count, shown.kudos_received)
    assert counts == (1, 1, 1, 2)
    html = response.content.decode()
    assert "Anna Asker" in html
    assert "Accepted answers" in html


def test_a_member_with_no_posts_has_zero_counts(client, other_member):
    shown = _profile(client, other_member).context["member"]

    assert (shown.question_count, shown.answer_count, shown.accepted_count) == (0, 0, 0)
    assert shown.kudos_received == 0


@pytest.mark.parametrize("viewer", ["visitor", "other member"])
@pytest.mark.parametrize("show", ["questions", "answers"])
def test_the_profile_never_shows_the_email_address(
    client, active_member, other_member, viewer, show
):
    if viewer == "other member":
        client.force_login(other_member)

    html = _profile(client, active_member, show=show).content.decode()

    assert active_member.email not in html


def test_the_profile_lists_the_members_questions_with_links(client, active_member):
    response = _profile(client, active_member)

    html = response.content.decode()
    assert "Router loses Wi-Fi every night" in html
    question = response.context["page"][0]
    assert reverse("community:question", args=[question.pk]) in html


def test_the_answers_tab_links_each_answer_and_marks_the_accepted_one(client, active_member):
    response = _profile(client, active_member, show="answers")

    answer = response.context["page"][0]
    html = response.content.decode()
    assert reverse("community:answer", args=[answer.pk]) in html
    assert "Accepted" in html


def test_the_lists_are_paginated(client, member, forum):
    for n in range(23):
        make_question(author=member, forum=forum, title=f"Question number {n:02d} about routers")

    first = _profile(client, member)
    second = _profile(client, member, page=2)

    assert len(first.context["page"]) == 20
    assert [q.title for q in second.context["page"]] == [
        "Question number 02 about routers",
        "Question number 01 about routers",
        "Question number 00 about routers",
    ]
    assert "?show=questions&amp;page=2" in first.content.decode()


def test_a_staff_member_shows_a_role_badge(client, moderator):
    response = _profile(client, moderator)

    assert response.context["role_labels"] == ["Moderators"]
    assert "Moderators" in response.content.decode()


def test_a_member_without_a_role_shows_no_badge(client, member):
    assert _profile(client, member).context["role_labels"] == []


def test_an_unknown_member_is_not_found(client):
    assert client.get(reverse("accounts:profile", args=[987654])).status_code == 404


def test_an_inactive_member_is_not_found(client):
    inactive = UserFactory(is_active=False)

    assert _profile(client, inactive).status_code == 404


def test_the_profile_costs_the_same_queries_however_much_the_member_wrote(client, forum):
    quiet, busy = UserFactory(), UserFactory(role="Moderators")
    make_answer(question=make_question(author=quiet, forum=forum), author=quiet)
    for _n in range(5):
        question = make_question(author=busy, forum=forum)
        answer = make_answer(question=make_question(forum=forum), author=busy)
        services.answer_accept(answer=answer, by=answer.question.author)
        services.vote_cast(user=quiet, post=question)

    ranks()  # site-wide, cached for a minute: not per-member work
    brand()  # site-wide, cached: neither
    counts = []
    for user in (quiet, busy):
        for show in ("questions", "answers"):
            with CaptureQueriesContext(connection) as queries:
                assert _profile(client, user, show=show).status_code == 200
            counts.append(len(queries))

    assert len(set(counts)) == 1
