"""The site speaks German to whoever asks for it, and the German catalogue is complete."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from community import rules
from tests.factories import make_answer, make_question

pytestmark = pytest.mark.django_db

PO = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES" / "django.po"
GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de"}
QUESTIONS = "/api/v1/questions/"


def test_a_browser_asking_for_german_gets_the_home_page_in_german(client):
    response = client.get("/", **GERMAN)

    page = response.content.decode()
    assert '<html lang="de">' in page
    assert "Frage stellen" in page
    assert "Wie können wir helfen?" in page


def test_the_ask_page_explains_its_fields_in_german(member_client, forum):
    page = member_client.get("/ask/", **GERMAN).content.decode()

    assert "Bis zu 5, durch Kommas getrennt." in page


def test_the_home_page_is_english_by_default(client):
    page = client.get("/").content.decode()

    assert '<html lang="en">' in page
    assert "Ask a question" in page


def test_a_browser_asking_for_english_gets_english(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<html lang="en">' in page
    assert "Frage stellen" not in page


def test_counts_use_the_german_plural_forms(client, forum):
    make_answer(question=make_question(forum=forum))
    make_question(forum=forum)

    page = client.get(forum.get_absolute_url(), **GERMAN).content.decode()

    assert "2 Fragen" in page
    assert "1 Antwort<" in page


def test_the_language_switcher_sets_a_cookie_that_keeps_the_site_german(client):
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/"})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    # The cookie outweighs the browser's own preference on every later request.
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="de">' in page
    assert "Frage stellen" in page


def test_a_service_validation_error_is_german_under_a_german_translation():
    minimum = rules.limit("QUESTION_TITLE_MIN")

    with translation.override("de"), pytest.raises(ValidationError) as raised:
        rules.clean_title("x")

    assert raised.value.message_dict == {
        "title": [f"Der Titel braucht mindestens {minimum} Zeichen."]
    }


def test_the_api_explains_a_bad_question_title_in_german(api_client, member, forum):
    api_client.force_authenticate(member)
    # Long enough for the serializer; the service collapses the spaces and refuses it.
    question = {"forum": forum.slug, "title": "a          b", "body": "Der Router blinkt rot."}

    response = api_client.post(QUESTIONS, question, format="json", **GERMAN)

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Bitte korrigiere diese Felder: title.",
        "code": "invalid",
        "errors": {
            "title": [f"Der Titel braucht mindestens {rules.limit('QUESTION_TITLE_MIN')} Zeichen."]
        },
    }


def test_the_login_page_is_german_including_allauths_own_strings(client):
    page = client.get("/accounts/login/", **GERMAN).content.decode()

    assert "<h1>Anmelden</h1>" in page  # our template
    assert "Passwort vergessen?" in page  # allauth's catalogue
    assert "Angemeldet bleiben" in page


def test_every_german_message_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(PO))

    assert catalogue.metadata["Language"] == "de"
    assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


def test_the_compiled_german_catalogue_matches_its_source():
    source = polib.pofile(str(PO))
    compiled = polib.mofile(str(PO.with_suffix(".mo")))

    translated = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in source if e.msgid}
    shipped = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in compiled if e.msgid}
    assert shipped == translated
