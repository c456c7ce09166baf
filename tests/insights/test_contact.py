"""The contact page: community answers suggested while the subject is typed, "This solved
it" ending the visit as a deflection, and "I still need help" storing one request per
visit (with its event) that is forwarded after commit."""

import pytest
from django.core import mail
from django.test import RequestFactory

from community import services as community
from community.models import Visibility
from insights import proof
from insights.contact import services as contact
from insights.contact.views import VISIT
from insights.models import ContactRequest, Event, EventKind
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db

START = "/contact/"
SUGGESTIONS = "/contact/suggestions/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def solved_question(forum, *, title: str, answer: str = "Hold the reset button for ten seconds."):
    asker = UserFactory()
    question = make_question(author=asker, forum=forum, title=title)
    community.answer_accept(answer=make_answer(question=question, body=answer), by=asker)
    question.refresh_from_db()
    return question


def proof_of(question) -> str:
    """The page-view proof the suggestions give the test client (same address, no browser)."""
    request = RequestFactory().get("/contact/")
    return proof.proof_for(request, question_id=question.pk, kind=EventKind.CONTACT_DEFLECTED)


def visit_of(client) -> str:
    """Opens the contact page: the visit it starts."""
    client.get(START)
    return client.session[VISIT]


def details(forum=None, **changes) -> dict:
    data = {
        "subject": "My router keeps losing Wi-Fi",
        "topic": forum.slug if forum else "",
        "name": "Carla Customer",
        "email": "carla@example.com",
        "message": "Every night at two the Wi-Fi drops and only a restart helps.",
    }
    return data | changes


def submit(client, visit: str, **changes):
    return client.post(START, details(**changes) | {"visit": visit})


# --- Suggestions ------------------------------------------------------------------------


def test_the_page_starts_a_visit_for_a_visitor_with_a_session(client):
    response = client.get(START)

    assert response.status_code == 200
    assert contact.visit_valid(client.session[VISIT])
    assert client.cookies["sessionid"].value
    assert b'hx-get="/contact/suggestions/"' in response.content
    assert b"keyup changed delay:300ms" in response.content


def test_suggestions_show_matching_solved_questions_first_with_their_answer(client, forum):
    make_question(forum=forum, title="Router Wi-Fi drops: anyone else?")
    solved = solved_question(
        forum, title="Router loses Wi-Fi at night", answer="Switch off the night mode."
    )
    make_question(
        forum=forum,
        title="Which phone contract is the cheapest?",
        body="I make few calls and want to pay as little as possible.",
    )

    response = client.get(SUGGESTIONS, {"subject": "router wifi night"}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Router loses Wi-Fi at night") < html.index("Router Wi-Fi drops")
    assert "Switch off the night mode." in html
    assert solved.accepted_answer.get_absolute_url() in html
    assert "cheapest" not in html
    assert f'action="/contact/q/{solved.pk}/solved/"' in html


def test_suggestions_leave_out_hidden_questions(client, forum):
    question = solved_question(forum, title="Router loses Wi-Fi at night")
    question.visibility = Visibility.HIDDEN
    question.save()

    response = client.get(SUGGESTIONS, {"subject": "router wifi night"}, **HTMX)

    assert "Router loses Wi-Fi" not in response.content.decode()


def test_suggestions_escape_what_members_wrote(client, forum):
    solved_question(
        forum,
        title="Router <em>resets</em> itself at night",
        answer="Try `<script>alert(1)</script>` in the router's admin page.",
    )

    response = client.get(SUGGESTIONS, {"subject": "router resets night"}, **HTMX)

    html = response.content.decode()
    assert "Router &lt;em&gt;resets&lt;/em&gt; itself" in html
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_without_javascript_the_page_shows_suggestions_for_the_subject(client, forum):
    solved_question(forum, title="Router loses Wi-Fi at night")

    response = client.get(START, {"subject": "router wifi night", "step": "suggest"})

    assert "Router loses Wi-Fi at night" in response.content.decode()
    assert b'name="visit" value="' + client.session[VISIT].encode() in response.content


# --- This solved it ---------------------------------------------------------------------


def test_this_solved_it_records_one_deflection_and_ends_the_visit(client, forum):
    question = solved_question(forum, title="Router loses Wi-Fi at night")
    visit = visit_of(client)

    response = client.post(
        f"/contact/q/{question.pk}/solved/", {"visit": visit, "proof": proof_of(question)}
    )

    assert response.status_code == 302
    thanks = client.get(response["Location"])
    assert question.accepted_answer.get_absolute_url() in thanks.content.decode()
    event = Event.objects.get(key__startswith="contact:")
    assert (event.kind, event.key, event.question_id) == (
        EventKind.CONTACT_DEFLECTED,
        f"contact:{visit}",
        question.pk,
    )
    assert event.user is None and len(event.visitor) == 64
    assert client.session.get(VISIT) is None
    assert visit_of(client) != visit


def test_a_member_who_is_helped_is_counted_as_themselves(client, member, forum):
    question = solved_question(forum, title="Router loses Wi-Fi at night")
    client.force_login(member)

    client.post(
        f"/contact/q/{question.pk}/solved/",
        {"visit": visit_of(client), "proof": proof_of(question)},
    )

    event = Event.objects.get(kind=EventKind.CONTACT_DEFLECTED)
    assert (event.user, event.visitor) == (member, "")


def test_saying_this_solved_it_twice_in_one_visit_counts_once(client, forum):
    question = solved_question(forum, title="Router loses Wi-Fi at night")
    other = solved_question(forum, title="Router loses Wi-Fi in the morning")
    visit = visit_of(client)

    client.post(f"/contact/q/{question.pk}/solved/", {"visit": visit, "proof": proof_of(question)})
    again = client.post(
        f"/contact/q/{other.pk}/solved/", {"visit": visit, "proof": proof_of(other)}
    )

    assert again.status_code == 302
    assert Event.objects.filter(kind=EventKind.CONTACT_DEFLECTED).count() == 1


def test_a_question_without_an_answer_cannot_end_a_visit(client, forum):
    question = make_question(forum=forum, title="Router loses Wi-Fi at night")
    visit = visit_of(client)

    response = client.post(
        f"/contact/q/{question.pk}/solved/",
        {"visit": visit, "proof": proof_of(question)},
        follow=True,
    )

    assert "no answer yet" in response.content.decode()
    assert not Event.objects.filter(key__startswith="contact:").exists()
    assert client.session[VISIT] == visit


def test_a_forged_visit_or_question_changes_nothing(client, forum):
    question = solved_question(forum, title="Router loses Wi-Fi at night")
    visit_of(client)

    forged = client.post(
        f"/contact/q/{question.pk}/solved/", {"visit": "<script>", "proof": proof_of(question)}
    )
    missing = client.post("/contact/q/999999/solved/", {"visit": client.session[VISIT]})

    assert forged.status_code == 302 and missing.status_code == 404
    assert not Event.objects.filter(key__startswith="contact:").exists()


def test_a_flood_of_deflections_from_one_session_is_refused(client, forum, settings, rate_limits):
    settings.PEERDESK = {**settings.PEERDESK, "SOLVED_MARKS_PER_DAY": 1}
    first = solved_question(forum, title="Router loses Wi-Fi at night")
    second = solved_question(forum, title="Router loses Wi-Fi in the morning")
    client.post(
        f"/contact/q/{first.pk}/solved/", {"visit": visit_of(client), "proof": proof_of(first)}
    )

    response = client.post(
        f"/contact/q/{second.pk}/solved/", {"visit": visit_of(client), "proof": proof_of(second)}
    )

    assert response.status_code == 429
    assert Event.objects.filter(kind=EventKind.CONTACT_DEFLECTED).count() == 1


# --- I still need help ------------------------------------------------------------------


def test_i_still_need_help_shows_the_full_form_with_the_subject(client, forum):
    response = client.get(
        START, {"subject": "Router keeps losing Wi-Fi", "topic": forum.slug, "step": "details"}
    )

    html = response.content.decode()
    assert 'name="message"' in html and 'name="email"' in html and 'name="name"' in html
    assert 'value="Router keeps losing Wi-Fi"' in html
    assert f'<option value="{forum.slug}" selected>' in html


def test_a_member_finds_name_and_email_filled_in(client, member):
    client.force_login(member)

    response = client.get(START, {"step": "details"})

    html = response.content.decode()
    assert f'value="{member.display_name}"' in html
    assert f'value="{member.email}"' in html and "disabled" in html


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("subject", "Wifi"),
        ("subject", "x" * 201),
        ("message", "Help!"),
        ("message", "x" * 5001),
        ("email", "not-an-address"),
        ("name", ""),
        ("name", "x" * 121),
        ("topic", "no-such-forum"),
    ],
)
def test_bad_input_shows_form_errors_and_stores_nothing(client, forum, field, value):
    visit = visit_of(client)

    response = submit(client, visit, forum=forum, **{field: value})

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert b'class="errorlist' in response.content
    assert not ContactRequest.objects.exists()
    assert not Event.objects.exists()
    assert mail.outbox == []


def test_a_tampered_visit_is_a_form_error(client):
    visit_of(client)

    response = submit(client, "not-a-visit")

    assert "This form has expired" in response.content.decode()
    assert not ContactRequest.objects.exists()


def test_a_request_is_stored_with_its_event_and_forwarded_after_commit(
    client, member, forum, settings, django_capture_on_commit_callbacks
):
    settings.SUPPORT_CONTACT_EMAIL = "support@example.com"
    client.force_login(member)
    visit = visit_of(client)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = submit(client, visit, forum=forum, email="forged@example.com")

    assert response.status_code == 302 and response["Location"] == "/contact/sent/"
    assert len(callbacks) == 1
    request = ContactRequest.objects.get()
    assert request.uuid.hex == visit
    assert (request.user, request.email, request.forum, request.language) == (
        member,
        member.email,
        forum,
        "en",
    )
    event = Event.objects.get()
    assert (event.kind, event.contact_request) == (EventKind.CONTACT_SUBMITTED, request)
    request.refresh_from_db()
    assert request.state == ContactRequest.State.FORWARDED
    assert len(mail.outbox) == 1
    assert client.session.get(VISIT) is None


def test_the_request_is_in_the_language_of_the_page(client):
    client.cookies["peerdesk_language"] = "de"

    submit(client, visit_of(client))

    assert ContactRequest.objects.get().language == "de"


def test_sending_the_same_visit_twice_stores_one_request(client):
    visit = visit_of(client)

    first = submit(client, visit)
    second = submit(client, visit)

    assert first["Location"] == second["Location"] == "/contact/sent/"
    assert ContactRequest.objects.count() == 1
    assert Event.objects.count() == 1


def test_a_deflected_visit_that_still_needs_help_counts_as_submitted(client, forum):
    question = solved_question(forum, title="Router loses Wi-Fi at night")
    visit = visit_of(client)
    client.post(f"/contact/q/{question.pk}/solved/", {"visit": visit, "proof": proof_of(question)})

    submit(client, visit)  # the form was still open in another tab

    event = Event.objects.get(key=f"contact:{visit}")
    assert event.kind == EventKind.CONTACT_SUBMITTED
    assert event.contact_request == ContactRequest.objects.get()


def test_a_session_may_send_five_requests_a_day(client, rate_limits):
    for _ in range(contact.REQUESTS_PER_DAY):
        assert submit(client, visit_of(client)).status_code == 302

    response = submit(client, visit_of(client))

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "requests a day" in response.content.decode()
    assert ContactRequest.objects.count() == contact.REQUESTS_PER_DAY
    assert Event.objects.count() == contact.REQUESTS_PER_DAY


def test_the_page_says_what_is_stored_and_for_how_long(client, settings):
    settings.CONTACT_RETENTION_DAYS = 30

    html = client.get(START).content.decode()

    assert "we delete them from this site 30 days after you sent them" in html
    assert "without your IP address" in html


def test_every_page_links_to_the_contact_page(client):
    assert b'href="/contact/"' in client.get("/").content


def test_the_suggestions_take_two_queries_however_many_they_show(
    client, forum, django_assert_num_queries
):
    for n in range(5):
        solved_question(forum, title=f"Router loses Wi-Fi at night, case {n}")
    client.get(START, {"subject": "router"})  # the session and the day's visitor salt

    # The search (how many questions have its new words, the ranking), the questions.
    with django_assert_num_queries(3):
        response = client.get(SUGGESTIONS, {"subject": "router wifi night"}, **HTMX)

    assert response.content.decode().count("This solved it") == 5


def test_the_suggestions_say_when_nothing_matches_a_subject(client):
    typing = client.get(SUGGESTIONS, {"subject": "xy"}, **HTMX)
    typed = client.get(SUGGESTIONS, {"subject": "quantum entanglement"}, **HTMX)

    assert b"No answer from the community matches" not in typing.content
    assert b"No answer from the community matches" in typed.content


@pytest.mark.parametrize(
    "subject", ["' OR 1=1 --", "!!! ??? &&& | <-> :*", "router\x00wifi", "wifi " * 100]
)
def test_no_subject_breaks_the_suggestions(client, forum, subject):
    solved_question(forum, title="Router loses Wi-Fi at night")

    fragment = client.get(SUGGESTIONS, {"subject": subject}, **HTMX)
    page = client.get(START, {"subject": subject, "step": "suggest"})

    assert fragment.status_code == page.status_code == 200
