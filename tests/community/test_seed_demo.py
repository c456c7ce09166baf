from collections import Counter
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sites.models import Site
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from accounts import roles
from accounts.models import User
from community.demo.people import DEMO_PASSWORD
from community.models import Answer, Comment, Forum, Question, SolvedToo, Tag, Vote
from community.search import search_questions
from tests.factories import make_question

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, verbosity=0 if "--scale" in args else 1)
    return out.getvalue()


@pytest.fixture
def demo():
    return seed()


def assert_counters_match_rows() -> None:
    """Counted in Python from the rows, independently of the SQL that set the counters.
    Counters count visible posts only (the demo holds some for review)."""
    visible = Answer.objects.filter(visibility="visible")
    answers = Counter(visible.values_list("question_id", flat=True))
    answers_by_forum = Counter(
        visible.filter(question__visibility="visible").values_list("question__forum_id", flat=True)
    )
    questions_by_forum = Counter(
        Question.objects.filter(visibility="visible").values_list("forum_id", flat=True)
    )
    votes = Counter(Vote.objects.values_list("question_id", "answer_id"))
    marks = Counter(SolvedToo.objects.values_list("question_id", flat=True))
    for forum in Forum.objects.all():
        assert forum.question_count == questions_by_forum[forum.pk]
        assert forum.answer_count == answers_by_forum[forum.pk]
    for question in Question.objects.all():
        assert question.answer_count == answers[question.pk]
        assert question.vote_score == votes[(question.pk, None)]
        assert question.solved_too_count == marks[question.pk]
        assert (question.status == "solved") == (question.accepted_answer_id is not None)
    for answer in Answer.objects.all():
        assert answer.vote_score == votes[(None, answer.pk)]


def assert_last_activity_is_the_latest_post() -> None:
    answers = Answer.objects.filter(visibility="visible")
    by_answers = dict(answers.values_list("question_id").annotate(at=Max("created_at")))
    comments = Comment.objects.filter(visibility="visible")
    by_comments = dict(comments.values_list("answer__question_id").annotate(at=Max("created_at")))
    for question in Question.objects.all():
        times = [question.created_at, by_answers.get(question.pk), by_comments.get(question.pk)]
        assert question.last_activity_at == max(t for t in times if t)


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
    assert search_questions("Glasfaser Zugangsdaten").filter(language="de").exists()
    assert search_questions("smartwatches").filter(language="en").exists()


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


@pytest.fixture
def scaled():
    seed("--scale", "0.05")


def test_scale_generates_members_and_posts_in_proportion(scaled):
    posts = Question.objects.count() + Answer.objects.count() + Comment.objects.count()

    # 0.05 of 1,000 members and 10,000 posts, plus the demo and one long thread.
    assert 60 <= User.objects.count() <= 90
    assert 700 <= posts <= 1_200
    assert Question.objects.filter(answer_count__gte=200).exists()
    assert Vote.objects.count() > 300


def test_scale_leaves_about_sixty_percent_of_questions_solved(scaled):
    solved = Question.objects.filter(status="solved").count() / Question.objects.count()

    assert 0.45 <= solved <= 0.75


def test_scale_counters_are_consistent_and_search_vectors_filled(scaled):
    assert_counters_match_rows()
    assert_last_activity_is_the_latest_post()
    assert not Question.objects.filter(search_vector__isnull=True).exists()
    assert not Answer.objects.filter(body_html="").exists()


def test_scale_rows_satisfy_every_constraint(scaled):
    connection.check_constraints()  # the deferred foreign keys, checked now


def test_scale_moves_id_sequences_past_the_generated_rows(scaled):
    member = User.objects.get(email="anna@example.com")
    question = make_question(author=member, forum=Forum.objects.first())

    assert question.pk > Question.objects.exclude(pk=question.pk).aggregate(m=Max("pk"))["m"]


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
