"""Bans, suspensions and the rate limits of trust levels, where members post and vote."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils import formats, timezone, translation

from community import services
from community.models import Answer, Question, Vote
from core.errors import RateLimited
from moderation import gate, trust
from moderation.models import Flag, FlagReason, MemberStanding, TrustLevel, TrustLevelRule
from privacy import consent_cache
from tests.factories import UserFactory, make_answer, make_question
from tests.moderation.helpers import set_limits, trusted_as

pytestmark = pytest.mark.django_db


def test_a_banned_member_can_neither_post_nor_vote_nor_flag(member):
    MemberStanding.objects.create(user=member, banned_at=timezone.now())

    for check in (gate.check_can_post, gate.check_can_vote, gate.check_can_flag):
        with pytest.raises(PermissionDenied, match="banned"):
            check(member)


def test_a_suspended_member_is_told_until_when_in_their_language(member, forum):
    until = timezone.now() + timedelta(days=3)
    MemberStanding.objects.create(user=member, suspended_until=until)

    with translation.override("de"):
        with pytest.raises(PermissionDenied) as denied:
            services.question_create(
                author=member, forum=forum, title="Is my router broken?", body="It blinks red."
            )
        when = formats.date_format(timezone.localtime(until), "DATETIME_FORMAT")

    assert when in str(denied.value)
    assert not Question.objects.exists()


def test_a_suspension_that_ended_lets_the_member_post_again(member):
    MemberStanding.objects.create(user=member, suspended_until=timezone.now() - timedelta(hours=1))

    make_question(author=member)

    assert Question.objects.filter(author=member).exists()


def test_a_banned_member_cannot_edit_their_posts(member):
    question = make_question(author=member)
    MemberStanding.objects.create(user=member, banned_at=timezone.now())

    with pytest.raises(PermissionDenied, match="banned"):
        services.question_edit(
            question=question, by=member, title="A changed title here", body=question.body
        )


def test_staff_are_banned_like_anyone(support_lead):
    MemberStanding.objects.create(user=support_lead, banned_at=timezone.now())

    with pytest.raises(PermissionDenied):
        gate.check_can_post(support_lead)


@pytest.mark.usefixtures("rate_limits")
def test_posts_over_the_hourly_limit_are_refused_with_when_to_try_again(member):
    set_limits(TrustLevel.NEW, posts_per_hour=3)
    question = make_question(author=member)
    answer = make_answer(question=question, author=member)
    services.comment_create(answer=answer, author=member, body="A comment of mine")

    with pytest.raises(RateLimited) as limited:
        make_answer(question=question, author=member)

    assert "3 times an hour" in limited.value.message
    assert 3500 < limited.value.retry_after <= 3600
    assert Answer.objects.filter(author=member).count() == 1


@pytest.mark.usefixtures("rate_limits")
def test_posts_older_than_an_hour_do_not_count(member):
    set_limits(TrustLevel.NEW, posts_per_hour=1)
    question = make_question(author=member)
    Question.objects.filter(pk=question.pk).update(created_at=timezone.now() - timedelta(hours=2))

    make_answer(question=question, author=member)


@pytest.mark.usefixtures("rate_limits")
def test_a_higher_trust_level_may_post_more(member):
    set_limits(TrustLevel.NEW, posts_per_hour=1)
    set_limits(TrustLevel.MEMBER, posts_per_hour=2)
    member = trusted_as(TrustLevel.MEMBER)
    make_question(author=member)

    make_question(author=member)
    with pytest.raises(RateLimited):
        make_question(author=member)


@pytest.mark.usefixtures("rate_limits")
def test_kudos_over_the_daily_limit_are_refused(member):
    set_limits(TrustLevel.NEW, votes_per_day=2)
    posts = [make_question() for _ in range(3)]
    services.vote_cast(user=member, post=posts[0])
    services.vote_cast(user=member, post=posts[1])

    with pytest.raises(RateLimited) as limited:
        services.vote_cast(user=member, post=posts[2])

    assert "kudos 2 times a day" in limited.value.message
    assert limited.value.retry_after > 23 * 3600
    assert Vote.objects.filter(user=member).count() == 2


@pytest.mark.usefixtures("rate_limits")
def test_flags_over_the_daily_limit_are_refused(member):
    set_limits(TrustLevel.NEW, flags_per_day=1)
    Flag.objects.create(flagger=member, question=make_question(), reason=FlagReason.SPAM)

    with pytest.raises(RateLimited, match="flag 1 time a day"):
        gate.check_can_flag(member)


@pytest.mark.usefixtures("rate_limits")
def test_staff_have_no_rate_limits(support_lead):
    set_limits(TrustLevel.NEW, posts_per_hour=1)
    set_limits(TrustLevel.TRUSTED, posts_per_hour=1)
    question = make_question(author=support_lead)

    make_answer(question=question, author=support_lead)
    make_answer(question=question, author=support_lead)


def test_limits_are_off_when_the_setting_says_so(member):
    set_limits(TrustLevel.NEW, posts_per_hour=1)
    question = make_question(author=member)

    make_answer(question=question, author=member)


def test_members_rise_in_trust_with_age_posts_and_points(member):
    set_limits(TrustLevel.MEMBER, min_days=7, min_posts=2, min_points=0)
    old = UserFactory(date_joined=timezone.now() - timedelta(days=10))
    assert trust.trust_level(old) == TrustLevel.NEW

    make_answer(question=make_question(author=old), author=old)

    cache.clear()  # the earned level is cached for a few minutes
    assert trust.trust_level(old) == TrustLevel.MEMBER
    assert trust.trust_level(member) == TrustLevel.NEW


def test_hidden_posts_do_not_count_towards_trust(member):
    set_limits(TrustLevel.MEMBER, min_days=0, min_posts=1, min_points=0)
    question = make_question(author=member)
    Question.objects.filter(pk=question.pk).update(visibility="hidden")

    assert trust.trust_level(member) == TrustLevel.NEW


def test_a_moderators_override_wins_and_staff_count_as_trusted(member, support_lead):
    MemberStanding.objects.create(user=member, trust_override=TrustLevel.REGULAR)

    assert trust.trust_level(member) == TrustLevel.REGULAR
    assert trust.trust_level(support_lead) == TrustLevel.TRUSTED
    assert trust.rule_for(member).level == TrustLevel.REGULAR


def test_missing_rules_are_put_back(member):
    TrustLevelRule.objects.all().delete()
    cache.clear()

    assert trust.rule_for(member).level == TrustLevel.NEW
    assert TrustLevelRule.objects.count() == len(TrustLevel)


def test_a_changed_rule_is_read_after_commit(member, django_capture_on_commit_callbacks):
    assert trust.rule_for(member).posts_per_hour == 5

    with django_capture_on_commit_callbacks(execute=True):
        rule = TrustLevelRule.objects.get(level=TrustLevel.NEW)
        rule.posts_per_hour = 9
        rule.save()

    assert trust.rule_for(member).posts_per_hour == 9


@pytest.mark.usefixtures("rate_limits")
def test_checking_a_post_costs_few_queries(member, django_assert_max_num_queries):
    trust.rule_for(member)  # the rules, cached for every member
    consent_cache.required_accepted(member)  # the member's acceptance, kept as for pages

    with django_assert_max_num_queries(4):
        gate.check_can_post(member)
