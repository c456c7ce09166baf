"""The badges page (/badges/) and one badge's page: who earned it, named only if listed."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from moderation.models import MemberStanding
from rewards.badges import selectors
from rewards.models import Badge, MemberBadge
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("rewards_badges:list")


@pytest.fixture
def badge(db):
    return Badge.objects.create(
        slug="test-helper", metric="accepted", threshold=7777, name_en="Helper", name_de="Helfer"
    )


def _award(badge, *, days_ago: int = 0, **member) -> MemberBadge:
    return MemberBadge.objects.create(
        user=UserFactory(**member),
        badge=badge,
        awarded_at=timezone.now() - timedelta(days=days_ago),
    )


def _ours(response, badge) -> Badge:
    assert response.status_code == 200
    return next(b for b in response.context["badges"] if b.pk == badge.pk)


def _names(held) -> list[str]:
    return [award.user.display_name for award in held]


def test_a_badge_shows_its_name_description_and_how_many_earned_it(client, badge):
    _award(badge, display_name="Ada", listing_visibility="public")
    _award(badge, display_name="Ben", listing_visibility="hidden")

    response = client.get(URL)

    html = response.content.decode()
    assert "Helper" in html
    assert "For 7,777 accepted answers." in html
    assert _ours(response, badge).earned == 2
    assert "Earned by 2 members" in html


def test_name_and_description_are_in_german_for_german_readers(badge):
    with translation.override("de"):
        assert badge.name == "Helfer"
        assert selectors.badge_description(badge) == "Für 7.777 akzeptierte Antworten."


def test_holders_are_named_newest_first_and_link_to_their_profiles(client, badge):
    old = _award(badge, days_ago=5, display_name="Old", listing_visibility="public")
    _award(badge, days_ago=1, display_name="New", listing_visibility="public")

    response = client.get(URL)

    assert _names(_ours(response, badge).recent) == ["New", "Old"]
    assert f'href="{old.user.get_absolute_url()}">Old</a>' in response.content.decode()


@pytest.mark.parametrize("viewer", ["visitor", "member", "herself"])
def test_a_member_with_a_private_listing_is_never_named(client, badge, viewer):
    private = _award(badge, display_name="Private Petra", listing_visibility="hidden").user
    if viewer != "visitor":
        client.force_login(private if viewer == "herself" else UserFactory())

    listed = client.get(URL)
    detail = client.get(reverse("rewards_badges:detail", args=[badge.slug]))

    assert _names(_ours(listed, badge).recent) == []
    assert _names(detail.context["page"]) == []
    for response in (listed, detail):  # the header names a logged-in member: the page's main
        main = response.content.decode().split("<main", 1)[1]
        assert "Private Petra</a>" not in main


def test_members_listed_for_members_are_named_to_members_only(client, badge):
    _award(badge, display_name="Mia", listing_visibility="members")

    assert _names(_ours(client.get(URL), badge).recent) == []
    client.force_login(UserFactory())
    assert _names(_ours(client.get(URL), badge).recent) == ["Mia"]


def test_inactive_and_suspended_members_are_not_named(client, badge):
    _award(badge, display_name="Gone", listing_visibility="public", is_active=False)
    suspended = _award(badge, display_name="Sus", listing_visibility="public").user
    MemberStanding.objects.create(
        user=suspended, suspended_until=timezone.now() + timedelta(days=1)
    )

    response = client.get(reverse("rewards_badges:detail", args=[badge.slug]))

    assert _names(response.context["page"]) == []
    assert response.context["badge"].earned == 1  # the active one, unnamed


def test_the_list_names_ten_and_the_badge_page_pages_everyone(client, badge):
    for n in range(55):
        _award(badge, days_ago=n, display_name=f"Holder {n:02d}", listing_visibility="public")

    preview = _ours(client.get(URL), badge).recent
    detail = reverse("rewards_badges:detail", args=[badge.slug])
    first, second = client.get(detail), client.get(detail, {"page": 2})

    assert _names(preview) == [f"Holder {n:02d}" for n in range(10)]
    assert len(first.context["page"]) == 50
    assert _names(second.context["page"]) == [f"Holder {n:02d}" for n in range(50, 55)]
    assert _names(client.get(detail, {"page": "junk"}).context["page"])[0] == "Holder 00"


def test_an_unknown_badge_is_a_404(client):
    assert client.get(reverse("rewards_badges:detail", args=["no-such-badge"])).status_code == 404


def test_the_profile_links_each_badge_to_its_page(client, badge):
    member = _award(badge, listing_visibility="public").user

    html = client.get(member.get_absolute_url()).content.decode()

    assert reverse("rewards_badges:detail", args=[badge.slug]) in html


def test_the_page_costs_the_same_queries_with_few_or_many_badges_and_holders(client, badge):
    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(URL).status_code == 200
        return len(context.captured_queries)

    _award(badge, listing_visibility="public")
    client.get(URL)  # warm-up: site-wide cached reads (the brand)
    few = count()
    for n in range(5):
        more = Badge.objects.create(
            slug=f"more-{n}", metric="kudos", threshold=9000 + n, name_en="M", name_de="M"
        )
        for _ in range(12):
            _award(more, listing_visibility="public")

    assert count() == few
