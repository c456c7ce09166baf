"""German and English read naturally: relative times, plurals, the kudos count, hold
reasons in the moderator's language and allauth's pages in the site's “du”."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import allauth
import polib
import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.allauth_messages import MESSAGES
from core.timeago import time_ago
from moderation.models import HOLD_LINK, Case, WatchedWord
from tests.factories import age, make_answer, make_question, with_totp

GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de"}
NOW = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)
FORMAL = re.compile(r"\b(Sie|Ihr\w*|Ihnen)\b")


# --- Relative times ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("elapsed", "english", "german"),
    [
        (timedelta(days=1, hours=7, minutes=3), "1 day, 7 hours ago", "vor 1 Tag, 7 Stunden"),
        (timedelta(days=2), "2 days ago", "vor 2 Tagen"),
        (timedelta(weeks=2, hours=1), "2 weeks ago", "vor 2 Wochen"),
        (timedelta(hours=7, minutes=2), "7 hours ago", "vor 7 Stunden"),
        (timedelta(hours=1), "1 hour ago", "vor 1 Stunde"),
        (timedelta(days=400), "1 year, 1 month ago", "vor 1 Jahr, 1 Monat"),
        (timedelta(seconds=20), "just now", "gerade eben"),
        (-timedelta(seconds=5), "just now", "gerade eben"),  # the clocks differ a little
    ],
)
def test_relative_times_read_naturally_in_both_languages(elapsed, english, german):
    for language, expected in (("en", english), ("de", german)):
        with translation.override(language):
            # Each unit keeps its number: “1\xa0Tag”, no line break between them.
            assert time_ago(NOW - elapsed, now=NOW).replace("\xa0", " ") == expected


@pytest.mark.django_db
def test_a_german_page_says_how_long_ago_in_german(client, forum):
    question = make_question(forum=forum, title="Kein Netz im Keller")
    age(question, days=1, hours=7, minutes=3)
    answer = make_answer(question=question)
    age(answer, weeks=2)

    page = client.get(question.get_absolute_url(), **GERMAN).content.decode()

    assert "vor 1\xa0Tag, 7\xa0Stunden</time>" in page
    assert "vor 2\xa0Wochen</time>" in page
    assert " her</time>" not in page


# --- Plurals and the kudos count --------------------------------------------------------


def _solved_too(count: int) -> str:
    question = SimpleNamespace(pk=1, solved_too_count=count, answer_count=0, author_id=1)
    return render_to_string(
        "community/_solved_too.html", {"question": question, "user": AnonymousUser()}
    )


@pytest.mark.parametrize(
    ("count", "english", "german"),
    [
        (
            1,
            "This solved the problem of 1 more person.",
            "Das hat auch das Problem einer weiteren Person gelöst.",
        ),
        (
            3,
            "This solved the problem of 3 more people.",
            "Das hat auch das Problem von 3 weiteren Personen gelöst.",
        ),
    ],
)
def test_solved_too_counts_read_naturally(count, english, german):
    with translation.override("en"):
        assert english in _solved_too(count)
    with translation.override("de"):
        assert german in _solved_too(count)


def _kudos(score: int) -> str:
    post = SimpleNamespace(vote_score=score, author_id=1)
    return render_to_string("community/_kudos.html", {"post": post, "user": AnonymousUser()})


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("score", [1, 2])
def test_the_kudos_count_reads_the_same_for_one_and_more(language, score):
    with translation.override(language):
        html = _kudos(score)

    assert f'<span class="kudos-count">Kudos: {score}</span>' in html
    assert "1 kudos" not in html


@pytest.mark.django_db
def test_kudos_given_by_htmx_show_the_new_count_in_german(client, member, question_of_other):
    client.force_login(member)

    response = client.post(
        reverse("community:question_kudos", args=[question_of_other.pk]),
        HTTP_HX_REQUEST="true",
        **GERMAN,
    )

    page = response.content.decode()
    assert "Kudos: 1" in page
    assert "Kudos zurücknehmen" in page


@pytest.fixture
def question_of_other(forum, other_member):
    return make_question(forum=forum, author=other_member)


# --- Hold reasons in the moderator's language -------------------------------------------


@pytest.mark.django_db
def test_a_hold_reason_shows_in_the_moderators_language(moderator_client, member):
    answer = make_answer(author=member, body="See https://example.com")  # member in probation
    case = Case.objects.get(answer=answer)
    assert case.note == HOLD_LINK  # a code, not the author's language

    german = moderator_client.get(reverse("moderation:queue"), **GERMAN).content.decode()
    english = moderator_client.get(reverse("moderation:case", args=[case.pk])).content.decode()

    assert "Enthält einen Link und stammt von einem neuen Mitglied." in german
    assert "Contains a link" not in german
    assert "Held because: Contains a link, from a new member." in english


@pytest.mark.django_db
def test_a_watched_word_hold_names_the_word_in_german(moderator_client, member, forum):
    WatchedWord.objects.create(word="giveaway", action=WatchedWord.Action.HOLD)
    question = make_question(author=member, forum=forum, title="A giveaway for everyone")
    case = Case.objects.get(question=question)

    page = moderator_client.get(reverse("moderation:case", args=[case.pk]), **GERMAN)

    assert "Enthält das überwachte Wort „giveaway“." in page.content.decode()


@pytest.mark.django_db
def test_a_hold_reason_stored_as_text_before_is_shown_as_it_is(moderator_client, member):
    answer = make_answer(author=member, body="See https://example.com")
    Case.objects.filter(answer=answer).update(note="Contains a link, from a new member.")
    case = Case.objects.get(answer=answer)

    page = moderator_client.get(reverse("moderation:case", args=[case.pk]), **GERMAN)

    assert "Contains a link, from a new member." in page.content.decode()


# --- allauth in the site's “du” ---------------------------------------------------------


def test_every_du_override_is_an_allauth_message_and_says_du():
    """A msgid copied wrongly would never apply; each one must differ from allauth's
    German and address the reader with “du”."""
    path = Path(allauth.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.po"
    theirs = {entry.msgid: entry.msgstr for entry in polib.pofile(str(path))}
    with translation.override("de"):
        ours = {message: translation.gettext(message) for message in MESSAGES}

    assert set(ours) <= set(theirs)
    assert [m for m, text in ours.items() if text == theirs[m] or FORMAL.search(text)] == []


@pytest.mark.django_db
def test_the_login_page_and_its_second_step_say_du(client, member):
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    with_totp(member)

    login = client.get(reverse("account_login"), **GERMAN).content.decode()
    credentials = {"login": member.email, "password": "correct-horse-battery"}
    second_step = client.post(reverse("account_login"), credentials, follow=True, **GERMAN)

    assert "Neu hier?" in login
    assert not FORMAL.search(_text(login))
    page = second_step.content.decode()
    assert "Bitte gib einen Code aus deiner Authenticator-App ein:" in page
    assert not FORMAL.search(_text(page))


@pytest.mark.django_db
def test_the_mfa_setup_pages_say_du(client, member):
    client.force_login(member)

    confirm = client.get(reverse("mfa_activate_totp"), follow=True, **GERMAN)
    password = {"password": "correct-horse-battery", "next": reverse("mfa_activate_totp")}
    setup = client.post(confirm.redirect_chain[-1][0], password, follow=True, **GERMAN)
    with_totp(member)
    codes = client.get(reverse("mfa_generate_recovery_codes"), **GERMAN)

    pages = {
        "Gib dein Passwort ein:": confirm,
        "scanne den QR-Code unten mit deiner Authenticator-App": setup,
        "Du bist dabei, neue Wiederherstellungscodes für dein Konto zu erzeugen.": codes,
    }
    for words, response in pages.items():
        text = _text(response.content.decode())
        assert words in text
        assert not FORMAL.search(text), FORMAL.search(text)


def _text(html: str) -> str:
    """What the reader sees: no tags, scripts or attributes."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", html))
