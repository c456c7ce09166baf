"""'This solved my problem' in the widget is a deflected contact of its own source on the
dashboard, counted with the site's rules (insights.proof): the proof of a view of the
answer, bound to the visitor, old enough; once per person and question; few per network."""

import pytest
from django.core import signing
from django.test import RequestFactory
from django.utils import timezone

from insights import events, figures, proof
from insights.models import Event, EventKind, RefusalReason, RefusedSignal
from insights.periods import Period
from privacy.visitors import visitor_hash
from tests.factories import make_question
from tests.widget.conftest import BROWSER, HOME, proof_for, solved_question

pytestmark = pytest.mark.django_db


def solved_url(question) -> str:
    return f"/widget/v1/questions/{question.pk}/solved/"


def say_solved(client, question, token, **where):
    return client.post(
        solved_url(question), {"proof": token}, content_type="application/json", **(where or HOME)
    )


def read_then_say_solved(client, question, **where):
    """A visitor opens the answer in the widget, then says it solved their problem."""
    where = where or HOME
    token = client.get(f"/widget/v1/questions/{question.pk}/", **where).json()["proof"]
    return say_solved(client, question, token, **where)


def refused(reason: str) -> int:
    row = RefusedSignal.objects.filter(kind=EventKind.WIDGET_SOLVED, reason=reason).first()
    return row.count if row else 0


def test_a_visitor_who_read_the_answer_counts_once_as_a_widget_deflection(client, solved):
    first = read_then_say_solved(client, solved)
    again = read_then_say_solved(client, solved)

    assert first.status_code == 201
    assert first.json() == {"counted": True, "detail": "Thank you! We are glad it helped."}
    assert again.status_code == 200
    assert again.json()["counted"] is False
    event = Event.objects.get(kind=EventKind.WIDGET_SOLVED)
    assert event.kind == EventKind.WIDGET_SOLVED
    assert (event.question, event.answer, event.forum) == (
        solved,
        solved.accepted_answer,
        solved.forum,
    )
    assert event.user is None
    assert event.channel == "phone"  # the community's channel (InsightsSettings)
    assert len(event.visitor) == 64 and "84.150" not in event.key


def test_the_dashboard_shows_the_widget_as_its_own_source(client, solved):
    read_then_say_solved(client, solved)
    today = timezone.localdate()

    summary = figures.summary(Period(today, today))

    widget = next(kind for kind in summary.kinds if kind.kind == EventKind.WIDGET_SOLVED)
    assert (widget.label, widget.count, widget.by_visitors) == ("Widget: solved by an answer", 1, 1)
    assert summary.deflected == 1


def test_the_dashboard_page_lists_the_widget_with_its_breakdown(lead_client, client, solved):
    read_then_say_solved(client, solved)

    html = lead_client.get("/staff/insights/").content.decode()

    assert "Widget: solved by an answer" in html
    assert "kind=widget_solved" in html


def test_a_person_counted_through_another_door_is_not_counted_again(client, solved):
    person = visitor_hash(f"{HOME['REMOTE_ADDR']}\n{BROWSER}")
    events.contact_deflected(visit="a" * 32, question=solved, visitor=person)

    response = read_then_say_solved(client, solved)

    assert response.status_code == 200 and response.json()["counted"] is False
    assert not Event.objects.filter(kind=EventKind.WIDGET_SOLVED).exists()


def test_other_visitors_count_each(client, solved):
    read_then_say_solved(client, solved)
    read_then_say_solved(client, solved, REMOTE_ADDR="91.7.1.2", HTTP_USER_AGENT=BROWSER)

    assert Event.objects.filter(kind=EventKind.WIDGET_SOLVED).count() == 2


# --- Refused: no proof, a forged one, another's, too young, too old ----------------------


def test_without_proof_nothing_counts_and_the_refusal_is_counted(client, solved):
    response = say_solved(client, solved, "")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Please open the question's page first.",
        "code": RefusalReason.NO_PROOF,
    }
    assert not Event.objects.filter(kind=EventKind.WIDGET_SOLVED).exists()
    assert refused(RefusalReason.NO_PROOF) == 1


def test_a_forged_proof_counts_nothing(client, solved):
    forged = signing.dumps({"q": solved.pk, "k": EventKind.WIDGET_SOLVED, "v": "x", "t": 0})

    response = say_solved(client, solved, forged)

    assert response.status_code == 400
    assert not Event.objects.filter(kind=EventKind.WIDGET_SOLVED).exists()
    assert refused(RefusalReason.NO_PROOF) == 1


def test_the_proof_of_another_question_or_door_counts_nothing(client, forum, solved):
    other = solved_question(forum, title="Voicemail cannot be switched off")
    contact_page = proof.proof_for(
        RequestFactory().get("/contact/", **HOME),
        question_id=solved.pk,
        kind=EventKind.CONTACT_DEFLECTED,
    )

    for token in (proof_for(other), contact_page):
        assert say_solved(client, solved, token).status_code == 400
    assert not Event.objects.filter(kind=EventKind.WIDGET_SOLVED).exists()


def test_the_proof_of_another_visitor_counts_nothing(client, solved):
    token = proof_for(solved, REMOTE_ADDR="91.7.1.2", HTTP_USER_AGENT=BROWSER)

    response = say_solved(client, solved, token)

    assert response.status_code == 400
    assert response.json()["code"] == RefusalReason.OTHER_VISITOR
    assert not Event.objects.filter(kind=EventKind.WIDGET_SOLVED).exists()


def test_a_click_faster_than_reading_counts_nothing(client, solved, settings):
    settings.PEERDESK = {**settings.PEERDESK, "SIGNAL_PROOF_MIN_SECONDS": 60}

    response = read_then_say_solved(client, solved)

    assert response.status_code == 400
    assert response.json() == {"detail": "Please read the answer first.", "code": "too_fast"}
    assert not Event.objects.filter(kind=EventKind.WIDGET_SOLVED).exists()


def test_a_proof_older_than_a_page_may_be_counts_nothing(client, solved, settings):
    settings.PEERDESK = {**settings.PEERDESK, "SIGNAL_PROOF_MAX_SECONDS": -1}

    response = read_then_say_solved(client, solved)

    assert response.status_code == 400
    assert response.json()["code"] == RefusalReason.EXPIRED


def test_a_flood_from_one_network_is_refused(client, forum, settings, rate_limits):
    settings.PEERDESK = {**settings.PEERDESK, "SIGNALS_PER_NETWORK_AND_QUESTION": 2}
    question = solved_question(forum, title="Router loses Wi-Fi every night")
    where = [{"REMOTE_ADDR": "84.150.12.34", "HTTP_USER_AGENT": f"Browser {n}"} for n in range(3)]

    answers = [read_then_say_solved(client, question, **w) for w in where]

    assert [a.status_code for a in answers] == [201, 201, 429]
    assert int(answers[2]["Retry-After"]) > 0
    assert answers[2].json()["code"] == "throttled"
    assert Event.objects.filter(kind=EventKind.WIDGET_SOLVED).count() == 2
    assert refused(RefusalReason.QUESTION_FLOOD) == 1


# --- Bad input --------------------------------------------------------------------------


def test_a_question_without_answer_cannot_be_solved(client, forum):
    question = make_question(forum=forum, title="Router loses Wi-Fi every night")

    response = say_solved(client, question, proof_for(question))

    assert response.status_code == 400
    assert response.json()["code"] == "no_answer"
    assert not Event.objects.filter(kind=EventKind.WIDGET_SOLVED).exists()


def test_a_missing_question_is_a_json_404(client):
    response = client.post(
        "/widget/v1/questions/999999/solved/", {"proof": "x"}, content_type="application/json"
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("proof=abc", "application/x-www-form-urlencoded", 415),
        ("{not json", "application/json", 400),
        ('["a list"]', "application/json", 400),
        ('{"proof": 42}', "application/json", 400),
        ('{"proof": "' + "x" * 5000 + '"}', "application/json", 400),
        (b"\xff\xfe", "application/json", 400),
        ("[" * 900, "application/json", 400),  # nesting deep enough to stop the parser
    ],
)
def test_a_body_that_is_not_a_proof_is_refused(client, solved, body, content_type, status):
    response = client.post(solved_url(solved), body, content_type=content_type, **HOME)

    assert response.status_code == status
    assert set(response.json()) == {"detail", "code"}
    assert not Event.objects.filter(kind=EventKind.WIDGET_SOLVED).exists()


def test_a_get_of_solved_is_a_json_405(client, solved):
    response = client.get(solved_url(solved))

    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"
