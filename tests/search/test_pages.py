"""The search page, its anonymous log, the opened results, the content gaps page and
the related questions of a thread."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import roles
from search import log
from search.models import SearchLog
from tests.factories import UserFactory, make_question, with_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def router(forum):
    return make_question(forum=forum, title="Router blinks orange at night")


def test_the_search_page_lists_ranked_results_with_the_words_marked(client, router):
    page = client.get("/search/", {"q": "ruter orange"}).content.decode()

    assert "<mark>orange</mark>" in page
    assert f"/search/open/{router.pk}/?q=ruter%20orange" in page
    assert "Also searched for:" in page  # the typo's correction


@pytest.mark.parametrize(
    "typed", ["a", '"', "-", "OR", "\x01\x02", "x" * 10_000, "' OR 1=1; --", "the"]
)
def test_odd_queries_get_a_page_never_an_error(client, router, typed):
    assert client.get("/search/", {"q": typed}).status_code == 200


def test_odd_filters_are_left_out(client, router):
    response = client.get(
        "/search/", {"q": "router", "forum": "nope", "period": "-3", "sort": "x", "tag": "t" * 500}
    )

    assert response.status_code == 200
    assert "1 question found" in response.content.decode()


def test_a_search_is_logged_without_who_and_once_per_network_and_day(client, router):
    client.get("/search/", {"q": "Router  ORANGE"})
    client.get("/search/", {"q": "router orange"})
    client.get("/search/", {"q": "zzzz qqqq"})

    rows = {row.query: row for row in SearchLog.objects.all()}
    assert (rows["router orange"].searches, rows["router orange"].empty) == (1, 0)
    assert (rows["zzzz qqqq"].searches, rows["zzzz qqqq"].empty) == (1, 1)
    assert {f.name for f in SearchLog._meta.fields} == {
        "id", "day", "query", "searches", "empty", "clicks",
    }  # fmt: skip


def test_another_network_counts_again(client, router):
    client.get("/search/", {"q": "router"}, REMOTE_ADDR="198.51.100.7")
    client.get("/search/", {"q": "router"}, REMOTE_ADDR="203.0.113.9")

    assert SearchLog.objects.get(query="router").searches == 2


def test_an_opened_result_counts_once_and_never_above_the_searches(client, router):
    client.get("/search/", {"q": "router"})

    first = client.get(f"/search/open/{router.pk}/", {"q": "router"})
    client.get(f"/search/open/{router.pk}/", {"q": "router"})
    client.get(f"/search/open/{router.pk}/", {"q": "router"}, REMOTE_ADDR="203.0.113.9")

    assert first.status_code == 302 and first["Location"] == router.get_absolute_url()
    assert SearchLog.objects.get(query="router").clicks == 1


def test_an_opened_result_goes_to_a_question_only(client):
    assert client.get("/search/open/999999/", {"q": "x"}).status_code == 404


def test_old_searches_are_forgotten(settings):
    old = timezone.localdate() - timedelta(days=settings.PEERDESK["SEARCH_LOG_DAYS"] + 1)
    SearchLog.objects.create(day=old, query="old", searches=1)
    SearchLog.objects.create(day=timezone.localdate(), query="new", searches=1)

    assert log.logs_expire() == 1
    assert list(SearchLog.objects.values_list("query", flat=True)) == ["new"]


def test_content_gaps_list_frequent_searches_without_an_opened_result(client):
    today = timezone.localdate()
    SearchLog.objects.create(day=today, query="apn iphone", searches=5, empty=5)
    SearchLog.objects.create(day=today, query="router", searches=9, empty=0, clicks=4)
    SearchLog.objects.create(day=today, query="roaming kosten", searches=3, empty=0, clicks=0)
    client.force_login(with_totp(UserFactory(role=roles.COMMUNITY_MANAGERS)))

    page = client.get("/staff/search/").content.decode()

    assert page.index("apn iphone") < page.index("roaming kosten")
    assert "router" not in page.split("<tbody>")[1]
    assert "/ask/?title=apn%20iphone" in page
    assert "/ask/?title=apn%20iphone&amp;then=invite" in page  # "Invite experts"


@pytest.mark.parametrize("role", [None, roles.MODERATORS])
def test_only_support_leads_and_community_managers_see_the_gaps(client, role):
    client.force_login(with_totp(UserFactory(role=role)) if role else UserFactory())

    assert client.get("/staff/search/").status_code == 403


def test_the_gaps_page_needs_a_login(client):
    assert client.get("/staff/search/").status_code == 302


def test_a_thread_shows_related_questions_loaded_after_the_page(client, forum, router):
    other = make_question(forum=forum, title="Router blinks orange since the update")

    page = client.get(router.get_absolute_url()).content.decode()
    related = client.get(f"/q/{router.pk}/related/").content.decode()

    assert f'hx-get="/q/{router.pk}/related/"' in page
    assert other.title in related and router.title not in related


def test_the_dashboard_shows_the_share_of_searches_that_opened_a_result(client):
    SearchLog.objects.create(day=timezone.localdate(), query="router", searches=4, clicks=3)
    client.force_login(with_totp(UserFactory(role=roles.SUPPORT_LEADS)))

    page = client.get("/staff/insights/").content.decode()

    assert "75.0 %" in page and "/staff/search/" in page


def test_a_tag_page_lists_its_questions_in_every_forum(client, forum):
    tagged = make_question(forum=forum, title="Router blinks orange at night", tags=["fritzbox"])
    make_question(forum=forum, title="Another question without the tag")

    page = client.get("/tags/fritzbox/").content.decode()
    thread = client.get(tagged.get_absolute_url()).content.decode()

    assert tagged.title in page and "Another question" not in page
    assert 'href="/tags/fritzbox/"' in thread
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_a_tag_with_a_slash_has_its_page_too(client, forum):
    make_question(forum=forum, title="Router blinks orange at night", tags=["tv/box"])

    assert "Router blinks orange" in client.get("/tags/tv/box/").content.decode()


@pytest.mark.parametrize(
    "typed", ["max.mustermann@example.com router", "Kundennummer 4711 0815 99", "+49 170 1234567"]
)
def test_a_search_with_an_email_address_or_a_long_number_is_not_logged(client, router, typed):
    client.get("/search/", {"q": typed})

    assert not SearchLog.objects.exists()


def test_one_network_adds_a_limited_number_of_queries_a_day(client, router, monkeypatch):
    monkeypatch.setattr(log, "QUERIES_PER_NETWORK", 3)
    for word in ("router", "orange", "night", "blinks", "modem"):
        client.get("/search/", {"q": word})

    assert SearchLog.objects.count() == 3


def test_a_question_hidden_after_it_was_cached_as_related_is_left_out(client, forum, router):
    other = make_question(forum=forum, title="Router blinks orange since the update")
    client.get(f"/q/{router.pk}/related/")
    other.visibility = "hidden"
    other.save(update_fields=["visibility"])

    assert other.title not in client.get(f"/q/{router.pk}/related/").content.decode()


@pytest.mark.parametrize("typed", ["⑴", "router ⑴", "router ﷺ", "½ ㈠ ℡"])
def test_characters_that_decompose_into_punctuation_get_an_answer_at_every_door(
    client, forum, router, typed
):
    titled = make_question(forum=forum, title=f"Router blinks orange {typed}")

    assert client.get("/search/", {"q": typed}).status_code == 200
    assert client.get("/questions/similar/", {"title": typed}).status_code == 200
    assert client.get("/contact/", {"subject": typed}).status_code == 200
    assert client.get("/api/v1/questions/", {"q": typed}).status_code == 200
    assert client.get(f"/q/{titled.pk}/related/").status_code == 200


@pytest.mark.parametrize(
    "typed",
    [
        "Kunde 4711,0815,99",
        "Karte 4111_1111_1111_1111",
        "max\uff20example.com router",
    ],  # full-width @
)
def test_disguised_numbers_and_addresses_are_not_logged_either(client, router, typed):
    client.get("/search/", {"q": typed})

    assert not SearchLog.objects.exists()


def test_a_click_counts_only_after_a_search_from_that_network(client, router):
    SearchLog.objects.create(day=timezone.localdate(), query="router", searches=5)

    client.get(f"/search/open/{router.pk}/", {"q": "router"})

    assert SearchLog.objects.get(query="router").clicks == 0
