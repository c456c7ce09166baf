"""The member directory (/members/): only members whose listing admits the viewer."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Visibility
from moderation.models import MemberStanding
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("accounts:directory")


def _names(response) -> list[str]:
    assert response.status_code == 200
    return [member.display_name for member in response.context["page"]]


def _listed_html(response) -> str:
    """The list as rendered (the header names the logged-in member anyway)."""
    html = response.content.decode()
    return html[html.index('class="list member-list"') :].split("</ul>")[0]


@pytest.fixture
def people(db):
    return {
        "public": UserFactory(display_name="Anna Public", listing_visibility=Visibility.PUBLIC),
        "members": UserFactory(display_name="Bert Members", listing_visibility=Visibility.MEMBERS),
        "private": UserFactory(display_name="Carla Private", listing_visibility=Visibility.HIDDEN),
    }


def test_a_visitor_sees_only_members_listed_for_everyone(client, people):
    names = _names(client.get(URL))

    assert "Anna Public" in names
    assert "Bert Members" not in names
    assert "Carla Private" not in names


def test_a_member_also_sees_members_listed_for_members(client, member, people):
    client.force_login(member)

    names = _names(client.get(URL))

    assert {"Anna Public", "Bert Members"} <= set(names)
    assert "Carla Private" not in names


@pytest.mark.parametrize("viewer", ["visitor", "member", "herself"])
def test_a_member_with_a_private_listing_is_never_listed_nor_found(client, people, viewer):
    private = people["private"]
    if viewer != "visitor":
        client.force_login(private if viewer == "herself" else UserFactory())

    for url in (URL, f"{URL}?q=Carla", f"{URL}?q=private"):
        response = client.get(url)
        assert "Carla Private" not in _names(response)
        assert "Carla Private" not in _listed_html(response)


def test_inactive_suspended_and_banned_members_are_not_listed(client, people):
    gone = UserFactory(display_name="Dora Gone", listing_visibility="public", is_active=False)
    suspended = UserFactory(display_name="Emil Suspended", listing_visibility="public")
    banned = UserFactory(display_name="Fritz Banned", listing_visibility="public")
    MemberStanding.objects.create(
        user=suspended, suspended_until=timezone.now() + timedelta(days=3)
    )
    MemberStanding.objects.create(user=banned, banned_at=timezone.now())
    was_suspended = UserFactory(display_name="Gina Back", listing_visibility="public")
    MemberStanding.objects.create(
        user=was_suspended, suspended_until=timezone.now() - timedelta(days=1)
    )

    names = _names(client.get(URL))

    assert {gone.display_name, suspended.display_name, banned.display_name}.isdisjoint(names)
    assert "Gina Back" in names


def test_members_are_sorted_by_name_and_filtered_case_insensitively(client, people):
    UserFactory(display_name="anton public", listing_visibility="public")

    assert _names(client.get(URL, {"q": "PUBLIC"})) == ["Anna Public", "anton public"]
    assert _names(client.get(URL, {"q": "nobody-like-this"})) == []


def test_each_row_links_to_the_profile_and_shows_the_rank(client, people, economy_defaults):
    response = client.get(URL, {"q": "Anna"})

    html = _listed_html(response)
    assert f'href="{people["public"].get_absolute_url()}">Anna Public</a>' in html
    assert 'class="rank"' in html  # the lowest rank starts at 0 points


def test_the_avatar_is_shown_only_to_those_the_member_shows_it_to(client, people):
    people["public"].avatar = {"64": "avatars/anna-64.webp", "256": "avatars/anna-256.webp"}
    people["public"].avatar_visibility = Visibility.MEMBERS
    people["public"].save()

    assert "anna-64.webp" not in _listed_html(client.get(URL))
    client.force_login(UserFactory())
    assert "anna-64.webp" in _listed_html(client.get(URL))


def test_an_overlong_filter_is_a_400_with_its_error(client, people):
    response = client.get(URL, {"q": "x" * 41})

    assert response.status_code == 400
    assert "at most 40 characters" in response.content.decode()
    assert "Anna Public" not in response.content.decode()


@pytest.mark.parametrize("q", ["%", "_", "a\x00b", "' OR 1=1 --", "\\"])
def test_an_odd_filter_finds_nobody_and_does_not_fail(client, people, q):
    assert _names(client.get(URL, {"q": q})) == []


def test_a_junk_page_number_shows_the_first_page(client, people):
    assert "Anna Public" in _names(client.get(URL, {"page": "junk"}))
    assert "Anna Public" in _names(client.get(URL, {"page": "99999"}))


def test_the_page_costs_the_same_queries_with_3_or_30_members(client, people):
    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(URL).status_code == 200
        return len(context.captured_queries)

    client.get(URL)  # warm-up: the cached rank list, the brand
    few = count()
    UserFactory.create_batch(27, listing_visibility="public")
    assert count() == few


def test_the_member_chooses_the_listing_in_the_profile_settings(client, member):
    client.force_login(member)
    data = {
        "bio": "",
        "location": "",
        "bio_visibility": "members",
        "location_visibility": "members",
        "avatar_visibility": "members",
        "listing_visibility": "hidden",
    }

    response = client.post(reverse("accounts:profile_edit"), data)

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.listing_visibility == Visibility.HIDDEN
    assert member.display_name not in _names(client.get(URL))


def test_a_new_member_is_listed_for_members_only(client):
    newcomer = UserFactory(display_name="Hanna New")

    assert newcomer.listing_visibility == Visibility.MEMBERS
    assert "Hanna New" not in _names(client.get(URL))
