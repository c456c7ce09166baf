"""The community's part of the demo: the hand-written threads, built through
community.services so that counters, rendered HTML and the search index are what real
members would produce. Only the timestamps are moved into the past afterwards, so pages
look alive."""

import random
from datetime import datetime, timedelta
from textwrap import dedent

from accounts.models import User
from community import services
from community.models import Answer, Comment, Forum, Question, SolvedToo, Vote
from demo import threads_de, threads_en
from demo.specs import Thread
from insights.proof import Visitor
from privacy.visitors import visitor_hash

THREADS = threads_de.THREADS + threads_en.THREADS


def _text(markdown: str) -> str:
    return dedent(markdown).strip()


def _backdate(model, pk: int, at: datetime) -> None:
    model.objects.filter(pk=pk).update(created_at=at)


def thread_create(
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
