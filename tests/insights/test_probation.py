"""Signals caused by accounts still in probation are recorded and shown apart, never
counted: a script cannot register fresh accounts that ask, answer and accept each other,
or mark questions, to manufacture savings."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community import services
from insights import figures
from insights.models import Event, EventKind
from insights.periods import this_month
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - timedelta(days=400)


def _solved(asker, answerer):
    question = make_question(author=asker)
    answer = make_answer(question=question, author=answerer)
    services.answer_accept(answer=answer, by=asker)
    return question


def _kind(summary, kind):
    return next(k for k in summary.kinds if k.kind == kind)


def test_two_fresh_accounts_solving_each_others_questions_save_nothing():
    fresh = [UserFactory(), UserFactory()]
    for n in range(3):
        _solved(fresh[n % 2], fresh[(n + 1) % 2])

    summary = figures.summary(this_month())

    peer = _kind(summary, EventKind.PEER_SOLUTION)
    assert (peer.count, peer.in_probation) == (0, 3)
    assert summary.gross_savings == 0
    assert Event.objects.filter(kind=EventKind.PEER_SOLUTION, probation=True).count() == 3


def test_established_members_count():
    _solved(UserFactory(date_joined=LONG_AGO), UserFactory(date_joined=LONG_AGO))

    peer = _kind(figures.summary(this_month()), EventKind.PEER_SOLUTION)

    assert (peer.count, peer.in_probation) == (1, 0)


def test_a_fresh_answerer_or_a_fresh_asker_is_enough_to_hold_it_back():
    _solved(UserFactory(date_joined=LONG_AGO), UserFactory())
    _solved(UserFactory(), UserFactory(date_joined=LONG_AGO))

    peer = _kind(figures.summary(this_month()), EventKind.PEER_SOLUTION)

    assert (peer.count, peer.in_probation) == (0, 2)


def test_a_fresh_members_solved_too_mark_is_not_counted():
    question = _solved(UserFactory(date_joined=LONG_AGO), UserFactory(date_joined=LONG_AGO))

    services.solved_too_mark(question=question, user=UserFactory())
    services.solved_too_mark(question=question, user=UserFactory(date_joined=LONG_AGO))

    marks = _kind(figures.summary(this_month()), EventKind.SOLVED_TOO)
    assert (marks.count, marks.by_members, marks.in_probation) == (1, 1, 1)


def test_the_dashboard_shows_what_accounts_in_probation_caused(client, support_lead):
    _solved(UserFactory(), UserFactory())
    client.force_login(support_lead)

    page = client.get("/staff/insights/").content.decode()
    listed = client.get("/staff/insights/events/", {"kind": "peer_solution", "by": "probation"})

    assert "1 from accounts in probation, not counted" in page
    assert listed.context["page"].paginator.count == 1
