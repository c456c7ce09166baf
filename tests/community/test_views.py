"""The member-facing pages, through the Django test client on PostgreSQL."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from community import services
from community.models import Answer, Comment, Follow, Question, Revision, SolvedToo, Vote
from tests.factories import ForumFactory, make_answer, make_question

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def question(member, forum):
    return make_question(author=member, forum=forum, title="Router loses Wi-Fi every night")


@pytest.fixture
def answer(question, other_member):
    answer = make_answer(question=question, author=other_member)
    services.comment_create(answer=answer, author=question.author, body="Thanks, I will try.")
    return answer


@pytest.fixture
def other_client(other_member):
    client = Client()
    client.force_login(other_member)
    return client


def _content(response) -> str:
    return response.content.decode()


# --- Every page renders -------------------------------------------------------------------

PUBLIC_PAGES = [
    ("community:home", lambda q, a: []),
    ("community:forum", lambda q, a: [q.forum.slug]),
    ("community:question", lambda q, a: [q.pk]),
    ("community:question_history", lambda q, a: [q.pk]),
    ("community:answer_history", lambda q, a: [a.pk]),
    ("community:search", lambda q, a: []),
    ("community:similar", lambda q, a: []),
]


@pytest.mark.parametrize(("name", "args"), PUBLIC_PAGES)
@pytest.mark.parametrize("who", ["visitor", "member"])
def test_public_pages_render_for_visitors_and_members(
    client, member, question, answer, who, name, args
):
    if who == "member":
        client.force_login(member)

    response = client.get(reverse(name, args=args(question, answer)))

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("community:ask", lambda q, a: []),
        ("community:question_edit", lambda q, a: [q.pk]),
        ("community:answer_edit", lambda q, a: [a.pk]),
    ],
)
def test_writing_pages_render_for_the_author(client, question, answer, name, args):
    # The question's author wrote the question; the answer's author wrote the answer.
    post = answer if name == "community:answer_edit" else question
    client.force_login(post.author)

    response = client.get(reverse(name, args=args(question, answer)))

    assert response.status_code == 200


def test_the_home_page_shows_forums_with_counts_latest_and_unanswered_questions(client, forum):
    answered = make_question(forum=forum, title="How do I change my tariff?")
    make_answer(question=answered)
    make_question(forum=forum, title="Nobody knows this yet?")

    page = _content(client.get(reverse("community:home")))

    assert "Mobilfunk" in page
    assert "2 questions" in page
    assert "1 answer" in page
    latest, unanswered = page.split("Waiting for an answer")
    assert "How do I change my tariff?" in latest
    assert "How do I change my tariff?" not in unanswered
    assert "Nobody knows this yet?" in unanswered


def test_an_answer_link_redirects_to_the_question_page_at_the_answer(client, answer):
    response = client.get(reverse("community:answer", args=[answer.pk]))

    assert response.status_code == 302
    assert response["Location"] == f"/q/{answer.question_id}/#answer-{answer.pk}"


@pytest.mark.parametrize(
    "url",
    ["/q/999999/", "/a/999999/", "/f/no-such-forum/", "/q/999999/history/", "/a/999999/edit/"],
)
def test_unknown_questions_answers_and_forums_are_404(member_client, url):
    assert member_client.get(url).status_code == 404


# --- Asking -----------------------------------------------------------------------------


def test_the_ask_page_sends_visitors_to_log_in_and_back(client):
    response = client.get(reverse("community:ask"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/ask/"


def test_asking_through_the_page_creates_the_question_and_redirects_to_it(member_client, forum):
    response = member_client.post(
        reverse("community:ask"),
        {
            "forum": forum.slug,
            "title": "Roaming does not work in Austria",
            "body": "Since yesterday my phone shows no network abroad.",
            "tags": "roaming, Austria",
        },
    )

    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    assert question.forum == forum
    assert sorted(t.name for t in question.tags.all()) == ["austria", "roaming"]


def test_an_invalid_ask_form_shows_the_field_error_and_creates_nothing(member_client, forum):
    response = member_client.post(
        reverse("community:ask"),
        {
            "forum": forum.slug,
            "title": "Help",
            "body": "Since yesterday my phone shows no network.",
        },
    )

    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert "The title needs at least 10 characters." in _content(response)
    assert not Question.objects.exists()


def test_an_unknown_forum_in_the_ask_form_is_a_form_error(member_client):
    response = member_client.post(
        reverse("community:ask"),
        {
            "forum": "no-such-forum",
            "title": "Roaming does not work in Austria",
            "body": "Since yesterday my phone shows no network abroad.",
        },
    )

    assert response.status_code == 200
    assert "forum" in response.context["form"].errors
    assert not Question.objects.exists()


def test_too_many_tags_are_shown_as_an_error_on_the_tags_field(member_client, forum):
    response = member_client.post(
        reverse("community:ask"),
        {
            "forum": forum.slug,
            "title": "Roaming does not work in Austria",
            "body": "Since yesterday my phone shows no network abroad.",
            "tags": "a, b, c, d, e, f",
        },
    )

    assert "tags" in response.context["form"].errors
    assert not Question.objects.exists()


def test_preview_on_the_ask_page_shows_the_rendered_text_and_saves_nothing(member_client, forum):
    response = member_client.post(
        reverse("community:ask"),
        {
            "forum": forum.slug,
            "title": "Roaming does not work in Austria",
            "body": "It says **no service** <b>abroad</b>.",
            "preview": "1",
        },
    )

    page = _content(response)
    assert "<strong>no service</strong>" in page
    assert "&lt;b&gt;abroad&lt;/b&gt;" in page
    assert not Question.objects.exists()


def test_the_preview_fragment_renders_markdown_for_htmx(member_client):
    response = member_client.post(reverse("community:preview"), {"body": "*soon*"}, **HTMX)

    page = _content(response)
    assert "<em>soon</em>" in page
    assert "<html" not in page


def test_the_ask_page_preselects_the_forum_from_the_query_string(member_client, forum):
    ForumFactory(slug="festnetz")

    response = member_client.get(reverse("community:ask") + "?forum=mobilfunk")

    assert '<option value="mobilfunk" selected>' in _content(response)


# --- Reading a thread -------------------------------------------------------------------


def test_a_script_in_a_question_is_shown_escaped(client, forum):
    question = make_question(
        forum=forum,
        title="<script>alert('title')</script> is shown",
        body="Look: <script>alert('body')</script> and <img src=x onerror=alert(1)>",
    )

    page = _content(client.get(question.get_absolute_url()))

    assert "<script>alert(" not in page
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in page
    assert "&lt;script&gt;alert('body')&lt;/script&gt;" in page
    assert "<img" not in page


def test_the_accepted_answer_comes_first_with_a_badge_and_official_answers_are_marked(
    client, member, question, support_lead
):
    official = make_answer(
        question=question, author=support_lead, body="Official: update firmware."
    )
    accepted = make_answer(question=question, body="Peer: change the Wi-Fi channel.")
    services.answer_accept(answer=accepted, by=member)

    response = client.get(question.get_absolute_url())

    page = _content(response)
    assert [a.pk for a in response.context["answers"]] == [accepted.pk, official.pk]
    assert page.index("Accepted answer") < page.index("Peer: change") < page.index("Official:")
    assert "badge-official" in page


def test_a_post_by_a_deleted_member_shows_deleted_member_without_a_link(client, question, answer):
    answer.author.delete()

    page = _content(client.get(question.get_absolute_url()))

    assert '<span class="muted">Deleted member</span>' in page


def test_visitors_see_a_log_in_link_instead_of_the_answer_form(client, question):
    page = _content(client.get(question.get_absolute_url()))

    assert f'href="/accounts/login/?next=/q/{question.pk}/"' in page
    assert 'name="body"' not in page


def test_answers_are_paginated(client, settings, question):
    settings.PEERDESK = {**settings.PEERDESK, "ANSWERS_PER_PAGE": 2}
    answers = [make_answer(question=question, body=f"Answer number {n} helps.") for n in range(5)]

    first = client.get(question.get_absolute_url())
    last = client.get(question.get_absolute_url() + "?page=3")

    assert [a.pk for a in first.context["answers"]] == [answers[0].pk, answers[1].pk]
    assert [a.pk for a in last.context["answers"]] == [answers[4].pk]
    assert "Page 1 of 3" in _content(first)
    assert 'href="?page=2#answers"' in _content(first)


def test_the_link_to_an_answer_opens_the_page_that_shows_it(client, settings, question):
    settings.PEERDESK = {**settings.PEERDESK, "ANSWERS_PER_PAGE": 2}
    answers = [make_answer(question=question, body=f"Answer number {n} helps.") for n in range(5)]

    response = client.get(reverse("community:answer", args=[answers[4].pk]))

    assert response["Location"] == f"/q/{question.pk}/?page=3#answer-{answers[4].pk}"


@pytest.mark.parametrize("page", ["0", "-1", "abc", "9999", "1e3"])
def test_junk_page_numbers_on_a_thread_show_a_page(client, question, answer, page):
    assert client.get(question.get_absolute_url(), {"page": page}).status_code == 200


# --- Forum page --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {"filter": "nonsense", "sort": "nonsense"},
        {"filter": "", "sort": "", "tag": ""},
        {"filter": "'; drop table", "sort": "-pk", "page": "-3"},
        {"tag": "x" * 500, "page": "99999"},
        {"filter": "solved", "sort": "votes", "page": "abc"},
    ],
)
def test_junk_filters_and_sorts_on_a_forum_page_fall_back(client, forum, question, query):
    response = client.get(forum.get_absolute_url(), query)

    assert response.status_code == 200


def test_the_forum_page_filters_by_state(client, member, forum, question):
    solved = make_question(forum=forum, author=member, title="Which APN do I need?")
    services.answer_accept(answer=make_answer(question=solved), by=member)

    response = client.get(forum.get_absolute_url(), {"filter": "solved"})

    assert [q.pk for q in response.context["page"]] == [solved.pk]
    assert "Solved" in _content(response)


def test_the_forum_page_filters_by_tag(client, forum):
    tagged = make_question(forum=forum, title="eSIM on a new phone", tags=["esim"])
    make_question(forum=forum, title="Another question here")

    response = client.get(forum.get_absolute_url(), {"tag": "esim"})

    assert [q.pk for q in response.context["page"]] == [tagged.pk]


def test_an_htmx_request_for_the_question_list_gets_only_the_list(client, forum, question):
    response = client.get(
        forum.get_absolute_url(), {"sort": "newest"}, HTTP_HX_TARGET="forum-questions", **HTMX
    )

    page = _content(response)
    assert page.startswith('<section id="forum-questions"')
    assert question.title in page
    assert "<html" not in page
    assert "HX-Request" in response["Vary"]


def test_a_member_follows_and_unfollows_a_forum(member_client, member, forum):
    url = reverse("community:forum_follow", args=[forum.slug])

    member_client.post(url)
    assert Follow.objects.filter(user=member, forum=forum).exists()
    member_client.post(url, {"stop": "1"})

    assert not Follow.objects.filter(user=member, forum=forum).exists()


def test_following_by_htmx_returns_the_button(member_client, forum):
    response = member_client.post(reverse("community:forum_follow", args=[forum.slug]), **HTMX)

    page = _content(response)
    assert page.startswith('<form class="follow"')
    assert "Unfollow" in page


# --- Answering, commenting and editing --------------------------------------------------------


def test_answering_through_the_page_adds_the_answer_and_shows_it(other_client, question):
    response = other_client.post(
        reverse("community:answer_create", args=[question.pk]),
        {"body": "Switch the router to channel 6."},
        follow=True,
    )

    answer = Answer.objects.get()
    assert response.redirect_chain[-1][0] == f"/q/{question.pk}/#answer-{answer.pk}"
    assert "Switch the router to channel 6." in _content(response)
    assert "Thank you for your answer!" in _content(response)


def test_a_too_short_answer_shows_the_error_on_the_question_page(other_client, question):
    response = other_client.post(
        reverse("community:answer_create", args=[question.pk]), {"body": "Try it"}
    )

    assert response.status_code == 200
    assert "body" in response.context["answer_form"].errors
    assert "The text needs at least 10 characters." in _content(response)
    assert not Answer.objects.exists()


def test_previewing_an_answer_shows_it_and_saves_nothing(other_client, question):
    response = other_client.post(
        reverse("community:answer_create", args=[question.pk]),
        {"body": "Use `ping 8.8.8.8` first.", "preview": "1"},
    )

    assert "<code>ping 8.8.8.8</code>" in _content(response)
    assert not Answer.objects.exists()


def test_a_visitor_cannot_answer(client, question):
    response = client.post(
        reverse("community:answer_create", args=[question.pk]),
        {"body": "Switch the router to channel 6."},
    )

    assert response.status_code == 403
    assert not Answer.objects.exists()


def test_commenting_adds_the_comment_under_the_answer(member_client, answer):
    response = member_client.post(
        reverse("community:comment_create", args=[answer.pk]),
        {"body": "Channel 11 worked better."},
        follow=True,
    )

    assert answer.comments.filter(body="Channel 11 worked better.").exists()
    assert "Channel 11 worked better." in _content(response)


def test_commenting_by_htmx_returns_the_comments_with_a_fresh_form(member_client, answer):
    response = member_client.post(
        reverse("community:comment_create", args=[answer.pk]), {"body": "Works now."}, **HTMX
    )

    page = _content(response)
    assert page.startswith(f'<div class="comments" id="comments-{answer.pk}">')
    assert "Thanks, I will try." in page
    assert "Works now." in page


def test_an_empty_comment_shows_an_error_and_saves_nothing(member_client, answer):
    response = member_client.post(
        reverse("community:comment_create", args=[answer.pk]), {"body": " "}
    )

    assert response.status_code == 200
    assert 'aria-invalid="true"' in _content(response)
    assert Comment.objects.count() == 1


def test_editing_your_own_question_keeps_the_old_text_and_marks_it_edited(
    member_client, member, question
):
    response = member_client.post(
        reverse("community:question_edit", args=[question.pk]),
        {"title": "Router loses Wi-Fi every night at 3", "body": question.body, "tags": "wlan"},
        follow=True,
    )

    question.refresh_from_db()
    assert question.title == "Router loses Wi-Fi every night at 3"
    assert Revision.objects.get(question=question).title == "Router loses Wi-Fi every night"
    assert reverse("community:question_history", args=[question.pk]) in _content(response)


def test_editing_someone_elses_question_is_forbidden_and_changes_nothing(other_client, question):
    url = reverse("community:question_edit", args=[question.pk])

    shown = other_client.get(url)
    sent = other_client.post(url, {"title": "Hijacked title here", "body": "x" * 40})

    question.refresh_from_db()
    assert (shown.status_code, sent.status_code) == (403, 403)
    assert "You can only edit your own posts." in _content(sent)
    assert question.title == "Router loses Wi-Fi every night"
    assert not Revision.objects.exists()


def test_editing_your_own_answer_works(other_client, answer):
    other_client.post(
        reverse("community:answer_edit", args=[answer.pk]),
        {"body": "Hold the reset button for thirty seconds."},
    )

    answer.refresh_from_db()
    assert answer.body == "Hold the reset button for thirty seconds."
    assert Revision.objects.get(answer=answer).body == "Hold the reset button for ten seconds."


def test_editing_someone_elses_answer_is_forbidden_and_changes_nothing(member_client, answer):
    response = member_client.post(
        reverse("community:answer_edit", args=[answer.pk]), {"body": "Something else entirely."}
    )

    answer.refresh_from_db()
    assert response.status_code == 403
    assert answer.body == "Hold the reset button for ten seconds."


def test_a_moderator_may_edit_any_answer(client, moderator, answer):
    client.force_login(moderator)

    response = client.get(reverse("community:answer_edit", args=[answer.pk]))

    assert response.status_code == 200


def test_the_history_page_lists_earlier_versions_with_their_editor(client, moderator, question):
    services.question_edit(question=question, by=moderator, title=question.title, body="y" * 30)

    page = _content(client.get(reverse("community:question_history", args=[question.pk])))

    assert "The router blinks red since this morning." in page
    assert "Mo Derator" in page


# --- Accepting --------------------------------------------------------------------------


def test_the_asker_accepts_an_answer(member_client, question, answer):
    response = member_client.post(reverse("community:answer_accept", args=[answer.pk]))

    question.refresh_from_db()
    assert response.status_code == 302
    assert question.accepted_answer_id == answer.pk


def test_accepting_an_answer_to_someone_elses_question_is_forbidden_and_changes_nothing(
    other_client, question, answer
):
    response = other_client.post(reverse("community:answer_accept", args=[answer.pk]))

    question.refresh_from_db()
    assert response.status_code == 403
    assert question.accepted_answer_id is None


def test_only_the_asker_and_moderators_see_the_accept_button(client, question, answer, moderator):
    url = question.get_absolute_url()
    client.force_login(answer.author)
    helper_page = _content(client.get(url))
    client.force_login(moderator)
    moderator_page = _content(client.get(url))

    assert "Accept this answer" not in helper_page
    assert "Accept this answer" in moderator_page


def test_unaccepting_reopens_the_question(member_client, member, question, answer):
    services.answer_accept(answer=answer, by=member)

    member_client.post(reverse("community:answer_unaccept", args=[question.pk]))

    question.refresh_from_db()
    assert question.status == Question.Status.OPEN


def test_writes_refuse_get_requests(member_client, answer):
    response = member_client.get(reverse("community:answer_accept", args=[answer.pk]))

    assert response.status_code == 405


def test_writes_need_the_csrf_token(member, answer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.post(reverse("community:answer_kudos", args=[answer.pk]))

    assert response.status_code == 403
    assert not Vote.objects.exists()


# --- Kudos and "solved too" -----------------------------------------------------------------


def test_kudos_twice_shows_a_clear_error_and_counts_once(member_client, answer):
    url = reverse("community:answer_kudos", args=[answer.pk])

    member_client.post(url)
    response = member_client.post(url, follow=True)

    answer.refresh_from_db()
    assert "You have already given kudos to this post." in _content(response)
    assert answer.vote_score == 1
    assert Vote.objects.count() == 1


def test_kudos_on_your_own_post_are_refused(other_client, answer):
    response = other_client.post(reverse("community:answer_kudos", args=[answer.pk]))

    answer.refresh_from_db()
    assert response.status_code == 403
    assert answer.vote_score == 0


def test_kudos_by_htmx_return_the_button_with_the_new_count(other_client, question):
    response = other_client.post(reverse("community:question_kudos", args=[question.pk]), **HTMX)

    page = _content(response)
    assert page.startswith('<div class="kudos">')
    assert "Kudos: 1" in page
    assert "Withdraw kudos" in page


def test_withdrawing_kudos_lowers_the_count(other_client, other_member, question):
    services.vote_cast(user=other_member, post=question)

    other_client.post(reverse("community:question_kudos", args=[question.pk]), {"withdraw": "1"})

    question.refresh_from_db()
    assert question.vote_score == 0


def test_the_page_shows_which_posts_the_member_gave_kudos(member_client, member, answer):
    services.vote_cast(user=member, post=answer)

    page = _content(member_client.get(answer.question.get_absolute_url()))

    assert "Withdraw kudos" in page


def _visitor_marks(client, question, **where):
    """Reads the question's page, and the form it loads (which carries the proof of the
    view), then marks it."""
    url = reverse("community:solved_too", args=[question.pk])
    assert f'hx-get="{url}"' in _content(client.get(question.get_absolute_url(), **where))
    page = _content(client.get(url, HTTP_HX_REQUEST="true", **where))
    proof = re.search(r'name="proof" value="([^"]+)"', page)[1]
    return client.post(url, {"proof": proof}, follow=True, **where)


def test_solved_too_by_an_anonymous_visitor_counts_once(client, question, answer):
    _visitor_marks(client, question)
    second = _visitor_marks(Client(), question)  # the same visitor, without the cookie
    _visitor_marks(Client(), question, REMOTE_ADDR="91.1.2.3")  # another visitor

    question.refresh_from_db()
    assert "You have already said this solved your problem." in _content(second)
    assert question.solved_too_count == 2
    assert SolvedToo.objects.filter(user=None).count() == 2


def test_solved_too_by_htmx_returns_the_fragment_with_the_count(other_client, question, answer):
    response = other_client.post(reverse("community:solved_too", args=[question.pk]), **HTMX)

    page = _content(response)
    assert page.startswith('<div class="solved-too">')
    assert "This solved the problem of 1 more person." in page


def test_solved_too_without_answers_is_refused_with_a_message(member_client, question):
    url = reverse("community:solved_too", args=[question.pk])
    response = member_client.post(url, follow=True)

    assert "This question has no answer yet." in _content(response)
    assert not SolvedToo.objects.exists()


def test_following_a_question_through_the_page(other_client, other_member, question):
    other_client.post(reverse("community:question_follow", args=[question.pk]))

    assert Follow.objects.filter(user=other_member, question=question).exists()


def test_a_member_who_is_not_the_author_sees_no_edit_link(other_client, question):
    page = _content(other_client.get(question.get_absolute_url()))

    assert reverse("community:question_edit", args=[question.pk]) not in page


def test_member_display_names_never_show_email_addresses(client, question, answer):
    page = _content(client.get(question.get_absolute_url()))

    assert "@example.com" not in page
