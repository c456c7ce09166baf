"""Bio, location and picture on the profile page, each shown only to the audience its
owner chose; edited on the settings page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Visibility
from rewards.selectors import ranks
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SETTINGS_URL = reverse("accounts:settings")
PROFILE_EDIT_URL = reverse("accounts:profile_edit")
AVATAR_NAMES = {"256": "avatars/0123abcd-256.webp", "64": "avatars/0123abcd-64.webp"}
# What each field shows on the page when it is visible.
SHOWN = {
    "bio": "I fix routers for fun.",
    "location": "Kleinstadt am See",
    "avatar": "/media/avatars/0123abcd-256.webp",
}
SEES = {
    # visibility: (visitor, other member, owner)
    Visibility.PUBLIC: (True, True, True),
    Visibility.MEMBERS: (False, True, True),
    Visibility.HIDDEN: (False, False, True),
}


def _with_profile(member, visibility):
    member.bio, member.location, member.avatar = SHOWN["bio"], SHOWN["location"], AVATAR_NAMES
    member.bio_visibility = member.location_visibility = member.avatar_visibility = visibility
    member.save()
    return member


def _profile_html(client, member) -> str:
    response = client.get(reverse("accounts:profile", args=[member.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("field", ["bio", "location", "avatar"])
@pytest.mark.parametrize("visibility", list(SEES))
@pytest.mark.parametrize("viewer", ["visitor", "other member", "owner"])
def test_a_profile_field_is_shown_only_to_the_audience_its_visibility_allows(
    client, member, other_member, field, visibility, viewer
):
    _with_profile(member, visibility)
    if viewer != "visitor":
        client.force_login(member if viewer == "owner" else other_member)

    html = _profile_html(client, member)

    expected = SEES[visibility][("visitor", "other member", "owner").index(viewer)]
    assert (SHOWN[field] in html) is expected


@pytest.mark.parametrize("viewer", ["visitor", "other member", "owner"])
def test_the_display_name_is_public_and_the_email_never_shown_whatever_the_visibility(
    client, member, other_member, viewer
):
    _with_profile(member, Visibility.HIDDEN)
    if viewer != "visitor":
        client.force_login(member if viewer == "owner" else other_member)

    html = _profile_html(client, member)

    assert "Anna Asker" in html
    assert member.email not in html


def test_the_owner_is_told_who_else_can_see_each_field(client, member):
    _with_profile(member, Visibility.HIDDEN)
    member.location_visibility = Visibility.PUBLIC
    member.save()
    client.force_login(member)

    html = _profile_html(client, member)

    assert "Who can see this: Everyone" in html
    assert "Who can see this: Only you" in html
    assert "Who can see your picture: Only you" in html


def test_other_viewers_get_no_visibility_notes(client, member, other_member):
    _with_profile(member, Visibility.PUBLIC)
    client.force_login(other_member)

    assert "Who can see" not in _profile_html(client, member)


def test_a_bio_with_markup_is_shown_escaped(client, member):
    member.bio = '<script>alert("hi")</script>\nSecond line'
    member.bio_visibility = Visibility.PUBLIC
    member.save()

    html = _profile_html(client, member)

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt;<br>Second line" in html


def test_a_filled_profile_costs_the_same_queries_as_an_empty_one(client, other_member):
    filled = _with_profile(UserFactory(), Visibility.PUBLIC)
    empty = UserFactory()
    client.force_login(other_member)
    ranks()  # site-wide, cached for a minute: not per-member work
    _profile_html(client, empty)  # the session's first request saves it (cached_db)

    counts = []
    for shown in (filled, empty):
        with CaptureQueriesContext(connection) as queries:
            _profile_html(client, shown)
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_new_members_show_their_profile_fields_to_members_only(db):
    member = UserFactory()

    visibilities = (member.bio_visibility, member.location_visibility, member.avatar_visibility)
    assert visibilities == (Visibility.MEMBERS,) * 3


def test_the_settings_page_offers_the_profile_fields(member_client):
    html = member_client.get(SETTINGS_URL).content.decode()

    for name in ("bio", "location", "bio_visibility", "location_visibility", "avatar_visibility"):
        assert f'name="{name}"' in html
    assert reverse("accounts:avatar_upload") in html


def test_a_member_saves_bio_location_and_visibility(member_client, member):
    response = member_client.post(
        PROFILE_EDIT_URL,
        {
            "bio": "Fibre since 2021.",
            "location": "  Hamburg ",
            "bio_visibility": "public",
            "location_visibility": "hidden",
            "avatar_visibility": "members",
            "listing_visibility": "members",
        },
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.bio, member.location) == ("Fibre since 2021.", "Hamburg")
    assert (member.bio_visibility, member.location_visibility) == ("public", "hidden")
    assert member.avatar_visibility == "members"


@pytest.mark.parametrize(
    ("field", "value"),
    [("bio", "x" * 501), ("location", "y" * 81), ("bio_visibility", "friends")],
)
def test_an_invalid_profile_is_refused_and_nothing_changes(member_client, member, field, value):
    data = {
        "bio": "Changed",
        "location": "Changed",
        "bio_visibility": "public",
        "location_visibility": "public",
        "avatar_visibility": "public",
        "listing_visibility": "public",
        field: value,
    }

    response = member_client.post(PROFILE_EDIT_URL, data)

    assert response.status_code == 200
    assert field in response.context["profile_form"].errors
    member.refresh_from_db()
    assert (member.bio, member.location, member.bio_visibility) == ("", "", "members")


def test_the_profile_form_needs_a_login(client):
    response = client.post(PROFILE_EDIT_URL, {"bio": "Hi"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
