"""The hand-written demo community, built through community.services so that
counters, rendered HTML and search vectors are what real members would produce.
Only the timestamps are moved into the past afterwards, so pages look alive."""

import random
from datetime import datetime, timedelta
from textwrap import dedent
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.sites.models import Site
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from community import services
from community.demo import threads_de, threads_en
from community.demo.counters import recount
from community.demo.people import (
    CUSTOMER_NUMBERS,
    DEMO_PASSWORD,
    FORUMS,
    MEMBERS,
    NOT_ON_LEADERBOARDS,
    STAFF,
)
from community.demo.specs import Person, Thread
from community.models import Answer, Comment, Forum, Question, SolvedToo, Vote
from insights.demo import demo_insights
from insights.proof import Visitor
from insights.rollups import points_rollup_rebuild
from moderation.demo import demo_moderation
from moderation.models import MemberStanding, TrustLevel
from privacy import selectors as privacy_selectors
from privacy import services as privacy_services
from privacy.visitors import visitor_hash
from rewards.demo import demo_points_history

THREADS = threads_de.THREADS + threads_en.THREADS


@transaction.atomic
def seed_demo(*, now: datetime | None = None) -> tuple[Person, ...]:
    """Fills an empty database; returns the people who can log in."""
    now = now or timezone.now()
    rng = random.Random(2026)  # the same demo every time
    site_update()
    people = STAFF + MEMBERS
    users = people_create(people, now=now)
    forums = {
        spec.slug: Forum.objects.create(
            slug=spec.slug, name=spec.name, description=spec.description, position=position
        )
        for position, spec in enumerate(FORUMS)
    }
    for thread in THREADS:
        _thread_create(thread, forum=forums[thread.forum], users=users, now=now, rng=rng)
    demo_moderation(users=users)
    recount()  # last activity from the back-dated posts
    demo_points_history(
        now=now,
        rng=rng,
        linked={users[handle]: number for handle, number in CUSTOMER_NUMBERS.items()},
        confirmer=users["julia.support"],
    )
    demo_insights(now=now)
    points_rollup_rebuild()
    return people


def site_update() -> None:
    Site.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={"name": "Peerdesk", "domain": urlsplit(settings.SITE_URL).netloc},
    )


def people_create(people: tuple[Person, ...], *, now: datetime) -> dict[str, User]:
    """Users with verified primary addresses, the demo password (hashed once) and the
    required consents, as if each had signed up."""
    password = make_password(DEMO_PASSWORD)
    users = User.objects.bulk_create(
        User(
            email=person.email,
            display_name=person.display_name,
            password=password,
            is_staff=person.superuser,
            is_superuser=person.superuser,
            date_joined=now - timedelta(days=400 - 9 * number),
        )
        for number, person in enumerate(people)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    required = privacy_selectors.required_keys()
    for person, user in zip(people, users, strict=True):
        listed = [] if person.handle in NOT_ON_LEADERBOARDS else ["leaderboards"]
        privacy_services.consents_record_signup(user=user, granted_keys=required + listed)
        if person.role:
            user.groups.add(Group.objects.get_or_create(name=person.role)[0])
    # They have posted for months: past the trust level whose links are held for review.
    MemberStanding.objects.bulk_create(
        MemberStanding(user=user, trust_override=TrustLevel.MEMBER) for user in users
    )
    return {person.handle: user for person, user in zip(people, users, strict=True)}


def _text(markdown: str) -> str:
    return dedent(markdown).strip()


def _backdate(model, pk: int, at: datetime) -> None:
    model.objects.filter(pk=pk).update(created_at=at)


def _thread_create(
    thread: Thread, *, forum: Forum, users: dict[str, User], now: datetime, rng: random.Random
) -> None:
    asker = users[thread.author]
    asked_at = now - timedelta(days=thread.days_ago)
    # Replies arrive within two days of the question (or by now, for fresh ones).
    until = min(now, asked_at + timedelta(days=2))
    question = services.question_create(
        author=asker,
        forum=forum,
        title=thread.title,
        body=_text(thread.body),
        tags=thread.tags,
        language=thread.language,
    )
    _backdate(Question, question.pk, asked_at)
    moment, answers, first_answer_at = asked_at, [], None
    for reply in thread.answers:
        moment += (until - moment) * rng.uniform(0.1, 0.4)
        answer = services.answer_create(
            question=question, author=users[reply.author], body=_text(reply.body)
        )
        _backdate(Answer, answer.pk, moment)
        first_answer_at = first_answer_at or moment
        for author, text in reply.comments:
            moment += (until - moment) * rng.uniform(0.1, 0.4)
            comment = services.comment_create(answer=answer, author=users[author], body=text)
            _backdate(Comment, comment.pk, moment)
        _kudos(answer, count=reply.kudos, users=users, since=moment, now=now, rng=rng)
        answers.append(answer)
    Question.objects.filter(pk=question.pk).update(first_answer_at=first_answer_at)
    if thread.accepted is not None:
        services.answer_accept(answer=answers[thread.accepted], by=asker)
    _kudos(question, count=thread.kudos, users=users, since=asked_at, now=now, rng=rng)
    _solved_too(question, count=thread.solved_too, users=users, since=moment, now=now, rng=rng)


def _others(users: dict[str, User], *, than: int) -> list[User]:
    return [user for user in users.values() if user.pk != than]


def _between(since: datetime, now: datetime, rng: random.Random) -> datetime:
    return since + (now - since) * rng.random()


def _kudos(
    post: Question | Answer,
    *,
    count: int,
    users: dict[str, User],
    since: datetime,
    now: datetime,
    rng: random.Random,
) -> None:
    for voter in rng.sample(_others(users, than=post.author_id), count):
        vote = services.vote_cast(user=voter, post=post)
        Vote.objects.filter(pk=vote.pk).update(created_at=_between(since, now, rng))


def _solved_too(
    question: Question,
    *,
    count: int,
    users: dict[str, User],
    since: datetime,
    now: datetime,
    rng: random.Random,
) -> None:
    """About half the marks come from members, the rest from anonymous visitors."""
    members = rng.sample(_others(users, than=question.author_id), (count + 1) // 2)
    visitors = [
        Visitor(hash=visitor_hash(f"demo-visitor-{question.pk}-{n}"), network="")
        for n in range(count - len(members))
    ]
    marks = [services.solved_too_mark(question=question, user=member) for member in members]
    marks += [services.solved_too_mark(question=question, visitor=v) for v in visitors]
    for mark in marks:
        SolvedToo.objects.filter(pk=mark.pk).update(created_at=_between(since, now, rng))
