"""Moderation's changes to posts and threads keep the counters counting visible posts."""

import pytest
from django.core.exceptions import PermissionDenied

from community import services, visibility
from community.models import Forum, Question, Revision, Visibility
from tests.factories import ForumFactory, make_answer, make_question

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("moderation_defaults")]

HIDDEN, REMOVED, VISIBLE = Visibility.HIDDEN, Visibility.REMOVED, Visibility.VISIBLE


def _counts(question: Question) -> tuple[int, int, int]:
    """(the question's answers, its forum's questions, its forum's answers)."""
    question.refresh_from_db()
    forum = Forum.objects.get(pk=question.forum_id)
    return question.answer_count, forum.question_count, forum.answer_count


def test_hiding_and_restoring_an_answer_counts_it_out_and_in(forum):
    question = make_question(forum=forum)
    answer, _other = make_answer(question=question), make_answer(question=question)

    visibility.post_visibility_set(post=answer, visibility=HIDDEN, note="Looks like spam")
    assert _counts(question) == (1, 1, 1)
    assert (answer.visibility, answer.moderation_note) == (HIDDEN, "Looks like spam")

    visibility.post_visibility_set(post=answer, visibility=REMOVED, note="Spam")
    assert _counts(question) == (1, 1, 1)

    visibility.post_visibility_set(post=answer, visibility=VISIBLE)
    assert _counts(question) == (2, 1, 2)


def test_hiding_a_question_takes_it_and_its_answers_out_of_the_forum(forum):
    question = make_question(forum=forum)
    make_answer(question=question)
    make_answer(question=question)

    visibility.post_visibility_set(post=question, visibility=HIDDEN, note="Off-topic")
    assert _counts(question) == (2, 0, 0)

    visibility.post_visibility_set(post=question, visibility=VISIBLE)
    assert _counts(question) == (2, 1, 2)


def test_an_answer_hidden_in_a_hidden_question_is_counted_once(forum):
    question = make_question(forum=forum)
    answer = make_answer(question=question)
    visibility.post_visibility_set(post=question, visibility=HIDDEN)

    visibility.post_visibility_set(post=answer, visibility=HIDDEN)
    visibility.post_visibility_set(post=question, visibility=VISIBLE)

    assert _counts(question) == (0, 1, 0)


def test_approving_a_held_answer_counts_and_publishes_it(member, forum, monkeypatch):
    question = make_question(forum=forum)
    answer = make_answer(question=question, author=member, body="See https://example.com")
    published = []
    monkeypatch.setattr("notifications.events.post_published", published.append)
    version = Question.objects.get(pk=question.pk).version

    visibility.post_visibility_set(post=answer, visibility=VISIBLE)

    assert _counts(question) == (1, 1, 1)
    assert published == [answer]
    assert question.version > version


def test_hiding_the_accepted_answer_keeps_it_accepted(member):
    question = make_question(author=member)
    answer = make_answer(question=question)
    services.answer_accept(answer=answer, by=member)

    visibility.post_visibility_set(post=answer, visibility=HIDDEN)

    question.refresh_from_db()
    assert (question.accepted_answer_id, question.status) == (answer.pk, "solved")


def test_hiding_a_comment_changes_the_thread_but_no_counter():
    answer = make_answer()
    comment = services.comment_create(answer=answer, author=answer.author, body="A note")
    before = Question.objects.values_list("version", "answer_count").get(pk=answer.question_id)

    visibility.post_visibility_set(post=comment, visibility=HIDDEN)

    after = Question.objects.values_list("version", "answer_count").get(pk=answer.question_id)
    assert after[0] > before[0]
    assert after[1] == before[1]


def test_moving_a_question_moves_its_counts():
    old, new = ForumFactory(), ForumFactory()
    question = make_question(forum=old)
    make_answer(question=question)
    make_question(forum=old)

    visibility.question_move(question=question, forum=new)

    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.question_count, old.answer_count) == (1, 0)
    assert (new.question_count, new.answer_count) == (1, 1)
    assert Question.objects.get(pk=question.pk).forum_id == new.pk


def test_moving_a_hidden_question_moves_no_counts():
    old, new = ForumFactory(), ForumFactory()
    question = make_question(forum=old)
    make_answer(question=question)
    visibility.post_visibility_set(post=question, visibility=HIDDEN)

    visibility.question_move(question=question, forum=new)
    visibility.post_visibility_set(post=question, visibility=VISIBLE)

    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.question_count, old.answer_count) == (0, 0)
    assert (new.question_count, new.answer_count) == (1, 1)


def test_a_locked_thread_refuses_answers_and_comments(member):
    question = make_question()
    answer = make_answer(question=question)
    visibility.question_lock(question=question, locked=True)

    with pytest.raises(PermissionDenied, match="locked"):
        make_answer(question=question, author=member)
    with pytest.raises(PermissionDenied, match="locked"):
        services.comment_create(answer=answer, author=member, body="Me too")

    visibility.question_lock(question=question, locked=False)
    make_answer(question=question, author=member)


def test_a_question_that_is_not_public_takes_no_answers_nor_kudos(member):
    question = make_question()
    answer = make_answer(question=question)
    visibility.post_visibility_set(post=question, visibility=HIDDEN)

    with pytest.raises(PermissionDenied):
        make_answer(question=question, author=member)
    visibility.post_visibility_set(post=answer, visibility=HIDDEN)
    with pytest.raises(PermissionDenied):
        services.vote_cast(user=member, post=answer)
    with pytest.raises(PermissionDenied):
        services.comment_create(answer=answer, author=member, body="Hello there")


def test_a_moderators_edit_keeps_a_revision_and_the_note(moderator, member):
    question = make_question(author=member, title="Router help, call 0170 1234567")

    visibility.post_moderator_edit(
        post=question, by=moderator, title="Router help", body=question.body, note="Phone number"
    )

    question.refresh_from_db()
    assert (question.title, question.moderation_note) == ("Router help", "Phone number")
    revision = Revision.objects.get(question=question)
    assert (revision.title, revision.editor) == ("Router help, call 0170 1234567", moderator)


def test_a_moderators_edit_of_a_comment_keeps_no_revision(moderator):
    answer = make_answer()
    comment = services.comment_create(answer=answer, author=answer.author, body="Mail me at x")

    visibility.post_moderator_edit(post=comment, by=moderator, body="Mail me", note="Address")

    comment.refresh_from_db()
    assert (comment.body, comment.moderation_note) == ("Mail me", "Address")
    assert comment.edited_at is not None


def test_purging_a_posts_history_deletes_its_revisions_only(member):
    answer, other = make_answer(author=member), make_answer(author=member)
    for post in (answer, other):
        services.answer_edit(answer=post, by=member, body="IBAN DE02 1203 0000 0000 2020 51")
        services.answer_edit(answer=post, by=member, body="Without my bank details now.")

    assert visibility.post_revisions_purge(post=answer) == 2

    assert not Revision.objects.filter(answer=answer).exists()
    assert Revision.objects.filter(answer=other).count() == 2


def test_the_author_cannot_edit_a_post_a_moderator_removed(member):
    answer = make_answer(author=member)
    visibility.post_visibility_set(post=answer, visibility=REMOVED, note="Spam")

    with pytest.raises(PermissionDenied):
        services.answer_edit(answer=answer, by=member, body="Not spam, honestly!")


def test_the_author_may_edit_a_hidden_post_and_it_stays_hidden(member):
    answer = make_answer(author=member)
    visibility.post_visibility_set(post=answer, visibility=HIDDEN, note="Rude?")

    services.answer_edit(answer=answer, by=member, body="Said more politely now.")

    answer.refresh_from_db()
    assert (answer.body, answer.visibility) == ("Said more politely now.", HIDDEN)
