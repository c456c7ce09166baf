"""`manage.py seed_demo`: the hand-written demo community that `make run` serves. The
module seeds once; each test runs in a savepoint of that seed."""

from collections import Counter

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sites.models import Site
from django.core.management import CommandError
from django.utils import timezone

from accounts import roles
from accounts.models import User
from community.models import Answer, Comment, Forum, Question, SolvedToo, Tag, Vote
from community.search import questions_in_order, ranked_ids
from demo.people import DEMO_PASSWORD
from search.engine import parse
from tests.demo.helpers import (
    assert_counters_match_rows,
    assert_last_activity_is_the_latest_post,
    seed,
    seeded_once,
)

# One worker runs the whole module, so the module's seed is made once (pytest-xdist).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-seed")]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """What seed_demo printed; the module's tests share the one seed."""
    with seeded_once(django_db_blocker) as output:
        yield output


def test_demo_creates_the_brand_forums_with_descriptions(demo):
    forums = {forum.slug: forum for forum in Forum.objects.all()}

    assert {"mobilfunk", "internet-tv", "rechnung-vertrag"} <= set(forums)
    assert [f.name for f in Forum.objects.all()][:3] == [
        "Mobilfunk",
        "Internet & TV",
        "Rechnung & Vertrag",
    ]
    assert all(forum.description and forum.question_count for forum in forums.values())


def test_demo_has_at_least_thirty_questions_in_german_and_english(demo):
    languages = Counter(Question.objects.values_list("language", flat=True))

    assert languages["de"] + languages["en"] >= 30
    assert languages["de"] >= 15
    assert languages["en"] >= 8


def test_demo_has_solved_open_and_unanswered_questions(demo):
    assert Question.objects.filter(status="solved").count() >= 10
    assert Question.objects.filter(status="open", answer_count__gt=0).exists()
    assert Question.objects.filter(answer_count=0).exists()


def test_demo_answers_of_support_leads_are_official_and_others_are_not(demo):
    leads = User.objects.filter(groups__name=roles.SUPPORT_LEADS)

    assert Answer.objects.filter(author__in=leads).exists()
    assert not Answer.objects.filter(author__in=leads, is_official=False).exists()
    assert not Answer.objects.filter(author__groups__isnull=True, is_official=True).exists()


def test_demo_staff_are_in_their_role_groups(demo):
    for group in roles.ALL:
        assert User.objects.filter(groups__name=group).exists(), group
    assert User.objects.get(email="admin@example.com").is_superuser


def test_demo_logins_are_verified_and_use_the_documented_password(demo, client):
    users = User.objects.all()

    assert users.count() >= 20
    for user in users:
        assert EmailAddress.objects.filter(
            user=user, email=user.email, verified=True, primary=True
        ).exists()
        assert user.check_password(DEMO_PASSWORD)
    assert client.login(email="julia.support@example.com", password=DEMO_PASSWORD)


def test_demo_prints_the_logins_and_the_password(demo):
    assert DEMO_PASSWORD in demo
    assert "admin@example.com" in demo
    assert "julia.support@example.com" in demo


def test_demo_counters_equal_the_real_counts(demo):
    assert Vote.objects.exists()
    assert SolvedToo.objects.filter(user__isnull=True).exists()
    assert_counters_match_rows()
    assert_last_activity_is_the_latest_post()


def test_demo_posts_are_spread_over_the_last_months_and_none_in_the_future(demo):
    now = timezone.now()
    first = Question.objects.earliest("created_at").created_at

    assert (now - first).days >= 90
    assert not Question.objects.filter(last_activity_at__gt=now).exists()
    assert Comment.objects.exists()
    assert Tag.objects.filter(name="esim").exists()


def test_demo_markdown_is_rendered_with_lists_code_and_links(demo):
    html = "".join(Answer.objects.values_list("body_html", flat=True))

    assert "<pre><code>" in html
    assert "<li>" in html
    assert 'rel="nofollow ugc noopener"' in html


def test_demo_questions_are_found_by_search_in_german_and_english(demo):
    for typed, language in (("Glasfaser Zugangsdaten", "de"), ("smartwatches", "en")):
        assert language in {q.language for q in questions_in_order(ranked_ids(parse(typed)))}


def test_demo_names_the_site_peerdesk(demo, settings):
    site = Site.objects.get(pk=settings.SITE_ID)

    assert site.name == "Peerdesk"
    assert site.domain == settings.SITE_URL.split("://")[1].rstrip("/")


def test_seeding_again_with_if_empty_changes_nothing(demo):
    counts = (User.objects.count(), Question.objects.count(), Answer.objects.count())

    out = seed("--if-empty")

    assert "left it as it is" in out
    assert (User.objects.count(), Question.objects.count(), Answer.objects.count()) == counts


def test_seeding_a_database_that_has_forums_is_refused(demo):
    with pytest.raises(CommandError, match="only fills an empty database"):
        seed()


def test_every_demo_display_name_passes_the_signup_rules(demo):
    from accounts.forms import DisplayNameField
    from accounts.models import User

    field = DisplayNameField()
    for name in User.objects.values_list("display_name", flat=True):
        assert field.clean(name) == name


def test_demo_members_have_accepted_the_required_texts(demo):
    from privacy import selectors as privacy_selectors

    member = User.objects.get(email="anna@example.com")

    assert privacy_selectors.missing_required(member) == []


def test_a_visitor_finds_the_demo_members_who_chose_to_be_listed(demo, client):
    page = client.get("/members/").content.decode()

    assert "Sarah_M" in page
    assert "Helga 62" not in page  # she keeps off lists for visitors
