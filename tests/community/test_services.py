import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from community import services
from community.models import Answer, Follow, Forum, Question, Revision, SolvedToo, Vote
from core.errors import Conflict
from tests.factories import UserFactory, a_visitor, make_answer, make_question

pytestmark = pytest.mark.django_db


def test_asking_counts_the_question_in_its_forum_and_follows_it(member, forum):
    question = make_question(author=member, forum=forum, tags=["Router", "router", "WLAN"])

    forum.refresh_from_db()
    assert forum.question_count == 1
    assert sorted(t.name for t in question.tags.all()) == ["router", "wlan"]
    assert Follow.objects.filter(user=member, question=question).exists()


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [
        ("", "A body that is long enough to pass.", "title"),
        ("short", "A body that is long enough to pass.", "title"),
        ("x" * 201, "A body that is long enough to pass.", "title"),
        ("A perfectly fine title", "", "body"),
        ("A perfectly fine title", "too short", "body"),
        ("A perfectly fine title", "y" * 20_001, "body"),
    ],
)
def test_bad_title_or_body_is_refused_and_changes_nothing(member, forum, title, body, field):
    with pytest.raises(ValidationError) as error:
        services.question_create(author=member, forum=forum, title=title, body=body)

    assert field in error.value.message_dict
    assert not Question.objects.exists()
    forum.refresh_from_db()
    assert forum.question_count == 0


def test_too_many_tags_are_refused(member, forum):
    with pytest.raises(ValidationError) as error:
        make_question(author=member, forum=forum, tags=["a", "b", "c", "d", "e", "f"])
    assert "tags" in error.value.message_dict


def test_script_in_markdown_is_stored_escaped_and_links_get_rel(member, forum):
    question = make_question(
        author=member,
        forum=forum,
        body="<script>alert(1)</script> [docs](https://example.com) [x](javascript:alert(1))",
    )

    assert "<script>" not in question.body_html
    assert "&lt;script&gt;" in question.body_html
    assert 'rel="nofollow ugc noopener"' in question.body_html
    assert 'href="javascript' not in question.body_html


def test_answering_counts_the_answer_and_marks_staff_answers_official(support_lead, forum):
    question = make_question(forum=forum)

    peer = make_answer(question=question)
    official = make_answer(question=question, author=support_lead)

    question.refresh_from_db()
    forum.refresh_from_db()
    assert (question.answer_count, forum.answer_count) == (2, 2)
    assert (peer.is_official, official.is_official) == (False, True)


def test_the_asker_accepts_an_answer_and_the_question_is_solved(member):
    question = make_question(author=member)
    answer = make_answer(question=question)

    services.answer_accept(answer=answer, by=member)

    question.refresh_from_db()
    assert question.status == Question.Status.SOLVED
    assert question.accepted_answer_id == answer.pk


def test_accepting_twice_changes_nothing(member):
    question = make_question(author=member)
    answer = make_answer(question=question)

    services.answer_accept(answer=answer, by=member)
    services.answer_accept(answer=answer, by=member)

    question.refresh_from_db()
    assert question.accepted_answer_id == answer.pk


def test_accepting_an_answer_to_someone_elses_question_is_refused(member, other_member):
    question = make_question(author=member)
    answer = make_answer(question=question)

    with pytest.raises(PermissionDenied):
        services.answer_accept(answer=answer, by=other_member)

    question.refresh_from_db()
    assert question.status == Question.Status.OPEN


def test_a_moderator_may_accept_for_the_asker(member, moderator):
    question = make_question(author=member)
    answer = make_answer(question=question)

    services.answer_accept(answer=answer, by=moderator)

    question.refresh_from_db()
    assert question.accepted_answer_id == answer.pk


def test_unaccepting_reopens_the_question(member):
    question = make_question(author=member)
    services.answer_accept(answer=make_answer(question=question), by=member)

    services.answer_unaccept(question=question, by=member)

    question.refresh_from_db()
    assert (question.status, question.accepted_answer_id) == (Question.Status.OPEN, None)


def test_kudos_count_once_per_member(member, other_member):
    answer = make_answer(author=other_member)

    services.vote_cast(user=member, post=answer)
    with pytest.raises(Conflict):
        services.vote_cast(user=member, post=answer)

    answer.refresh_from_db()
    assert answer.vote_score == 1
    assert Vote.objects.count() == 1


def test_kudos_on_your_own_post_are_refused(member):
    answer = make_answer(author=member)

    with pytest.raises(PermissionDenied):
        services.vote_cast(user=member, post=answer)

    answer.refresh_from_db()
    assert answer.vote_score == 0


def test_kudos_can_be_withdrawn(member):
    question = make_question()
    services.vote_cast(user=member, post=question)

    services.vote_withdraw(user=member, post=question)

    question.refresh_from_db()
    assert question.vote_score == 0
    with pytest.raises(Conflict):
        services.vote_withdraw(user=member, post=question)


def test_solved_too_once_per_member_and_once_per_anonymous_session(member):
    question = make_question()
    make_answer(question=question)

    services.solved_too_mark(question=question, user=member)
    services.solved_too_mark(question=question, visitor=a_visitor("visitor-session"))
    with pytest.raises(Conflict):
        services.solved_too_mark(question=question, user=member)
    with pytest.raises(Conflict):
        services.solved_too_mark(question=question, visitor=a_visitor("visitor-session"))

    question.refresh_from_db()
    assert question.solved_too_count == 2
    assert not SolvedToo.objects.filter(session_hash="visitor-session").exists()


def test_the_asker_cannot_mark_their_own_question_solved_too(member):
    question = make_question(author=member)
    make_answer(question=question)

    with pytest.raises(PermissionDenied):
        services.solved_too_mark(question=question, user=member)


def test_editing_keeps_the_previous_text_as_a_revision(member):
    question = make_question(author=member, title="Router blinks red all day")

    services.question_edit(
        question=question, by=member, title="Router blinks red since Monday", body=question.body
    )

    question.refresh_from_db()
    assert question.title == "Router blinks red since Monday"
    assert question.edited_at is not None
    revision = Revision.objects.get(question=question)
    assert revision.title == "Router blinks red all day"


def test_editing_another_members_post_is_refused(member, other_member):
    answer = make_answer(author=member)

    with pytest.raises(PermissionDenied):
        services.answer_edit(answer=answer, by=other_member, body="Vandalised text here")

    answer.refresh_from_db()
    assert answer.body == "Hold the reset button for ten seconds."
    assert not Revision.objects.exists()


def test_following_twice_keeps_one_follow(member, forum):
    services.follow_start(user=member, target=forum)
    services.follow_start(user=member, target=forum)
    assert Follow.objects.filter(user=member, forum=forum).count() == 1

    services.follow_stop(user=member, target=forum)
    assert not Follow.objects.filter(user=member, forum=forum).exists()


def test_anonymous_users_cannot_post(forum):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.question_create(
            author=AnonymousUser(), forum=forum, title="A perfectly fine title", body="x" * 30
        )
    assert not Forum.objects.filter(question_count__gt=0).exists()
    assert not Answer.objects.exists()
    assert UserFactory._meta.model.objects.count() == 0
