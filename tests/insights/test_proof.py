"""Anonymous deflection signals count only with proof that a person caused them
(insights.proof): a page view behind each, once per visitor and question, few per
network, and every refusal counted for the dashboard. No address is ever stored."""

import re
from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from community import selectors, services
from community.models import Question, SolvedToo
from insights import proof
from insights.models import Event, EventKind, RefusalReason, RefusedSignal, SignalCount
from privacy import tasks
from privacy.models import VisitorSalt
from privacy.visitors import visitor_hash
from tests.factories import UserFactory, a_visitor, make_answer, make_question

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"
HOME = {"REMOTE_ADDR": "84.150.12.34", "HTTP_USER_AGENT": BROWSER}
HTMX = {"HTTP_HX_REQUEST": "true"}


def _answered() -> Question:
    question = make_question()
    make_answer(question=question)
    return question


def _proof_on(page) -> str:
    return re.search(r'name="proof" value="([^"]+)"', page.content.decode())[1]


def _form(question) -> str:
    """Where a visitor's thread loads its "solved it too" form, with the proof, from."""
    return reverse("community:solved_too", args=[question.pk])


def _read_and_mark(client, question, **where):
    """A person: opens the question, then says it solved their problem too."""
    token = _proof_on(client.get(_form(question), **where))
    url = reverse("community:solved_too", args=[question.pk])
    return client.post(url, {"proof": token}, **where)


def _refused(reason: str, kind: str = EventKind.SOLVED_TOO) -> int:
    row = RefusedSignal.objects.filter(kind=kind, reason=reason).first()
    return row.count if row else 0


# --- A page view behind each signal ----------------------------------------------------


def test_eight_cookieless_posts_from_one_address_count_nothing():
    """The forgery found in review: 8 POSTs without cookies all counted."""
    question = _answered()
    url = reverse("community:solved_too", args=[question.pk])

    codes = [Client().post(url, **HOME).status_code for _ in range(8)]

    assert codes == [302] * 8  # back to the question, with the reason as a message
    assert not SolvedToo.objects.exists()
    assert not Event.objects.filter(kind=EventKind.SOLVED_TOO).exists()
    assert _refused(RefusalReason.NO_PROOF) == 8


def test_a_person_who_read_the_page_counts_once_whatever_the_cookies():
    question = _answered()

    first = _read_and_mark(Client(), question, **HOME)
    again = [_read_and_mark(Client(), question, **HOME) for _ in range(7)]

    assert first.status_code == 302
    assert all(response.status_code == 302 for response in again)
    assert SolvedToo.objects.count() == Event.objects.filter(kind=EventKind.SOLVED_TOO).count() == 1
    question.refresh_from_db()
    assert question.solved_too_count == 1


def test_the_mark_carries_a_keyed_daily_hash_never_the_address():
    question = _answered()

    _read_and_mark(Client(), question, **HOME)

    event = Event.objects.get(kind=EventKind.SOLVED_TOO)
    assert event.visitor == SolvedToo.objects.get().session_hash
    assert re.fullmatch(r"[0-9a-f]{64}", event.visitor)
    assert event.visitor == visitor_hash(f"{HOME['REMOTE_ADDR']}\n{BROWSER}")
    assert "84.150" not in str(list(SignalCount.objects.values_list()))


@pytest.mark.parametrize(
    "where",
    [
        {"REMOTE_ADDR": "91.1.2.3", "HTTP_USER_AGENT": BROWSER},  # another address
        {"REMOTE_ADDR": HOME["REMOTE_ADDR"], "HTTP_USER_AGENT": "curl/8.5"},  # another browser
    ],
)
def test_a_proof_works_only_for_whoever_viewed_the_page(where):
    question = _answered()
    token = _proof_on(Client().get(_form(question), **HOME))

    Client().post(reverse("community:solved_too", args=[question.pk]), {"proof": token}, **where)

    assert not SolvedToo.objects.exists()
    assert _refused(RefusalReason.OTHER_VISITOR) == 1


def test_a_proof_for_another_question_or_kind_is_no_proof():
    question, other = _answered(), _answered()
    token = _proof_on(Client().get(_form(other), **HOME))
    request = Client().get("/", **HOME).wsgi_request
    contact_token = proof.proof_for(request, question_id=question.pk, kind="contact_deflected")

    for forged in (token, contact_token, "garbage", "x" * 900):
        Client().post(
            reverse("community:solved_too", args=[question.pk]), {"proof": forged}, **HOME
        )

    assert not SolvedToo.objects.exists()
    assert _refused(RefusalReason.NO_PROOF) == 4


def test_an_old_page_asks_to_reload(settings):
    question = _answered()
    token = _proof_on(Client().get(_form(question), **HOME))
    settings.PEERDESK = {**settings.PEERDESK, "SIGNAL_PROOF_MAX_SECONDS": -1}

    response = Client().post(
        reverse("community:solved_too", args=[question.pk]), {"proof": token}, **HOME, **HTMX
    )

    assert "This page is too old" in response.content.decode()
    assert _refused(RefusalReason.EXPIRED) == 1


def test_a_click_faster_than_reading_is_refused(settings):
    settings.PEERDESK = {**settings.PEERDESK, "SIGNAL_PROOF_MIN_SECONDS": 60}
    question = _answered()

    response = _read_and_mark(Client(), question, **HOME, **HTMX)

    assert "Please read the answer first" in response.content.decode()
    assert _refused(RefusalReason.TOO_FAST) == 1


def test_members_need_no_proof(other_member):
    question = _answered()
    client = Client()
    client.force_login(other_member)

    client.post(reverse("community:solved_too", args=[question.pk]))

    assert SolvedToo.objects.get().user == other_member


# --- Few per network ------------------------------------------------------------------


@pytest.fixture
def limits(rate_limits, settings):
    settings.PEERDESK = {
        **settings.PEERDESK,
        "SIGNALS_PER_NETWORK_AND_QUESTION": 2,
        "SIGNALS_PER_NETWORK": 3,
        "SOLVED_MARKS_PER_DAY": 5,
    }


def _browser(n: int, address: str = "84.150.12.34") -> dict:
    return {"REMOTE_ADDR": address, "HTTP_USER_AGENT": f"{BROWSER} build/{n}"}


@pytest.mark.usefixtures("limits")
def test_one_network_counts_a_few_visitors_per_question_then_floods_are_refused():
    question = _answered()

    codes = [
        _read_and_mark(Client(), question, **_browser(n, f"84.150.12.{n}")).status_code
        for n in range(1, 5)
    ]

    assert codes == [302, 302, 429, 429]
    assert SolvedToo.objects.count() == 2
    assert _refused(RefusalReason.QUESTION_FLOOD) == 2


@pytest.mark.usefixtures("limits")
def test_one_network_counts_a_few_signals_a_day_in_all():
    questions = [_answered() for _ in range(5)]

    codes = [
        _read_and_mark(Client(), q, **_browser(n)).status_code for n, q in enumerate(questions)
    ]

    assert codes == [302, 302, 302, 429, 429]
    assert SolvedToo.objects.count() == 3
    assert _refused(RefusalReason.NETWORK_FLOOD) == 2


@pytest.mark.usefixtures("limits")
def test_other_networks_are_not_held_back_by_a_flood():
    question = _answered()
    for n in range(4):
        _read_and_mark(Client(), question, **_browser(n))

    response = _read_and_mark(Client(), question, **_browser(9, "91.7.7.7"))

    assert response.status_code == 302
    assert SolvedToo.objects.count() == 3


@pytest.mark.usefixtures("limits")
def test_a_flood_by_htmx_shows_the_reason_in_place():
    question = _answered()
    for n in range(2):
        _read_and_mark(Client(), question, **_browser(n))

    response = _read_and_mark(Client(), question, **_browser(7), **HTMX)

    assert "Too many of these today" in response.content.decode()


@pytest.mark.usefixtures("limits")
def test_one_member_cannot_mark_every_question(other_member, settings):
    settings.PEERDESK = {**settings.PEERDESK, "SIGNALS_PER_NETWORK": 100}
    api = APIClient()
    api.force_authenticate(other_member)
    questions = [_answered() for _ in range(6)]

    codes = [api.post(f"/api/v1/questions/{q.pk}/solved-too/").status_code for q in questions]

    assert codes == [201] * 5 + [429]
    assert _refused(RefusalReason.PERSON_FLOOD) == 1


def test_the_counters_are_forgotten_after_two_days():
    today = timezone.localdate()
    for days_ago in (0, 1, 2, 9):
        SignalCount.objects.create(
            day=today - timedelta(days=days_ago), key=f"k{days_ago}", count=1
        )

    proof.signal_counts_expire()

    assert sorted(SignalCount.objects.values_list("key", flat=True)) == ["k0", "k1"]


# --- The API keeps the same rules ------------------------------------------------------


def test_an_anonymous_api_caller_needs_the_proof_from_the_question():
    question = _answered()
    api = APIClient(**HOME)

    without = api.post(f"/api/v1/questions/{question.pk}/solved-too/", {}, format="json")
    token = api.get(f"/api/v1/questions/{question.pk}/").json()["solved_too_proof"]
    with_proof = api.post(
        f"/api/v1/questions/{question.pk}/solved-too/", {"proof": token}, format="json"
    )

    assert without.status_code == 400
    assert without.json()["code"] == "invalid"
    assert with_proof.status_code == 201
    assert with_proof.json()["solved_too_count"] == 1


def test_members_get_no_proof_from_the_api(other_member):
    question = _answered()
    api = APIClient()
    api.force_authenticate(other_member)

    assert api.get(f"/api/v1/questions/{question.pk}/").json()["solved_too_proof"] == ""


def test_the_schema_declares_the_proof_and_the_refusals(api_client):
    paths = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    post = paths["/api/v1/questions/{id}/solved-too/"]["post"]

    assert {"400", "429"} <= set(post["responses"])
    assert "requestBody" in post


# --- The contact page -----------------------------------------------------------------


def _contact_solved(client, question, subject: str, **where):
    page = client.get("/contact/", {"subject": subject}, **where)
    visit = re.search(r'name="visit" value="([0-9a-f]{32})"', page.content.decode())[1]
    token = _proof_on(page)
    return client.post(
        f"/contact/q/{question.pk}/solved/", {"visit": visit, "proof": token}, **where
    )


def test_a_contact_page_deflection_needs_the_page_that_suggested_the_answer():
    question = make_question(title="Router blinks red every night")
    make_answer(question=question)
    client = Client()

    forged = client.post(f"/contact/q/{question.pk}/solved/", {"visit": "a" * 32}, **HOME)
    proven = _contact_solved(client, question, "router blinks red", **HOME)

    assert forged.status_code == proven.status_code == 302
    assert proven["Location"] == f"/contact/q/{question.pk}/thanks/"
    assert Event.objects.filter(kind=EventKind.CONTACT_DEFLECTED).count() == 1
    assert _refused(RefusalReason.NO_PROOF, EventKind.CONTACT_DEFLECTED) == 1


# --- What the visitor's browser keeps -------------------------------------------------


def test_the_session_remembers_a_visitors_marks_on_the_page():
    question = _answered()
    client = Client()

    _read_and_mark(client, question, **HOME)

    assert client.session[selectors.SOLVED_TOO_SESSION_KEY] == [question.pk]
    page = client.get(_form(question), HTTP_HX_REQUEST="true", **HOME).content.decode()
    assert "You said this solved your problem too." in page


def test_a_session_that_marked_cannot_mark_again_with_tomorrows_hash():
    question = _answered()
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    services.solved_too_mark(question=question, visitor=a_visitor("today"), session=session)

    with pytest.raises(Exception, match="already said this solved your problem"):
        services.solved_too_mark(question=question, visitor=a_visitor("tomorrow"), session=session)


def test_visitor_salts_expire_deletes_the_salts_of_past_days():
    today = timezone.localdate()
    for days_ago in (0, 1, 2, 30):
        VisitorSalt.objects.create(day=today - timedelta(days=days_ago), salt=f"salt-{days_ago}")

    tasks.visitor_salts_expire()

    assert sorted(VisitorSalt.objects.values_list("salt", flat=True)) == ["salt-0", "salt-1"]


# --- What the support lead sees -------------------------------------------------------


def test_the_dashboard_shows_members_visitors_and_refusals_apart(support_lead):
    question = _answered()
    _read_and_mark(Client(), question, **HOME)
    member = Client()
    member.force_login(UserFactory(date_joined=timezone.now() - timedelta(days=100)))
    member.post(reverse("community:solved_too", args=[question.pk]))
    for _ in range(3):  # a script without page views
        Client().post(reverse("community:solved_too", args=[question.pk]), **HOME)
    lead = Client()
    lead.force_login(support_lead)

    page = lead.get("/staff/insights/").content.decode()
    summary = lead.get("/api/v1/insights/summary/").json()["summary"]
    visitors = lead.get("/staff/insights/events/", {"kind": "solved_too", "by": "visitors"})

    marks = next(k for k in summary["kinds"] if k["kind"] == "solved_too")
    assert (marks["count"], marks["by_members"], marks["by_visitors"], marks["refused"]) == (
        2,
        1,
        1,
        3,
    )
    assert "1 by members" in page and "1 by visitors" in page
    assert "3 refused as forged or floods" in page
    assert visitors.context["page"].paginator.count == 1


@pytest.mark.usefixtures("limits")
def test_members_on_one_network_share_its_limits():
    question = _answered()
    members = [UserFactory(date_joined=timezone.now() - timedelta(days=100)) for _ in range(4)]

    codes = []
    for n, member in enumerate(members):
        client = Client()
        client.force_login(member)
        url = reverse("community:solved_too", args=[question.pk])
        codes.append(client.post(url, **_browser(n)).status_code)

    assert codes == [302, 302, 429, 429]
    assert SolvedToo.objects.count() == 2


@pytest.mark.usefixtures("limits")
def test_requests_without_an_address_share_one_network():
    question = _answered()

    codes = [
        _read_and_mark(Client(), question, REMOTE_ADDR="", HTTP_USER_AGENT=f"ua/{n}").status_code
        for n in range(4)
    ]

    assert codes == [302, 302, 429, 429]
