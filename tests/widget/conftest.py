import pytest
from django.test import RequestFactory

from community import services as community
from community.models import Question
from insights import proof
from insights.models import EventKind
from tests.factories import UserFactory, make_answer, make_question

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"
# A visitor: the test client's requests come from this address and browser.
HOME = {"REMOTE_ADDR": "84.150.12.34", "HTTP_USER_AGENT": BROWSER}


def solved_question(
    forum, *, title: str, body=None, answer: str = "Hold the reset button for ten seconds."
):
    asker = UserFactory()
    question = make_question(author=asker, forum=forum, title=title, body=body)
    community.answer_accept(answer=make_answer(question=question, body=answer), by=asker)
    question.refresh_from_db()
    return question


def proof_for(question: Question, **where) -> str:
    """The proof the widget's answer gives a visitor at `where` (HOME by default)."""
    request = RequestFactory().get("/widget/v1/", **(where or HOME))
    return proof.proof_for(request, question_id=question.pk, kind=EventKind.WIDGET_SOLVED)


@pytest.fixture
def solved(forum):
    return solved_question(forum, title="Router loses Wi-Fi every night")
