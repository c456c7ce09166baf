"""How a typed query becomes terms (search.engine) and how text becomes terms
(search.analysis): the same on both databases, so tested without one where possible."""

import pytest

from search import analysis, engine
from search.models import Synonym, Term


def test_product_spellings_and_codes_are_kept_whole_and_in_parts():
    assert analysis.words("FRITZ!Box TV-204 Wi-Fi") == [
        "fritzbox", "fritz", "box", "tv204", "tv", "204", "wifi", "wi", "fi",
    ]  # fmt: skip


def test_umlauts_and_their_transliteration_meet():
    assert analysis.words("übertragen Straße") == analysis.words("uebertragen Strasse")


def test_numbers_and_codes_are_not_stemmed():
    assert analysis.stem("7590", "de") == "7590"
    assert analysis.stem("tv204", "en") == "tv204"


def test_a_compound_splits_into_words_the_community_wrote():
    known = {"drittanbieter", "sperre", "rechnung", "betrag"}.__contains__

    assert analysis.compound_parts("drittanbietersperre", known) == ["drittanbieter", "sperre"]
    assert analysis.compound_parts("rechnungsbetrag", known) == ["rechnung", "betrag"]
    assert analysis.compound_parts("router", known) == []


@pytest.mark.django_db
def test_a_word_the_community_never_wrote_is_corrected_to_the_nearest_it_did():
    Term.objects.bulk_create([Term(word="router"), Term(word="datenvolumen")])

    query = engine.parse("Ruter Datenvolumn")

    assert {"rout", "datenvolum"} <= set(query.terms)
    assert query.corrected == "router datenvolumen"


@pytest.mark.django_db
def test_synonyms_apply_at_once_across_languages():
    Synonym.objects.create(words="WLAN, WiFi, Wi-Fi")
    engine.clear_caches()

    assert "wlan" in engine.parse("wifi").terms
    assert "wifi" in engine.parse("WLAN").terms


def test_a_synonym_group_needs_two_different_words():
    with pytest.raises(Exception, match="two different words"):
        Synonym(words="WLAN, wlan").clean()


@pytest.mark.django_db
def test_stop_words_are_left_out():
    assert engine.parse("how do I reset the router").words == ["reset", "router"]
    assert not engine.parse("the and")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    ["", " ", "a", '"', "-", "OR", "\x00\x01\x02", "!!! ??? ***", "' OR 1=1; DROP TABLE x; --"],
)
def test_a_query_without_a_word_of_two_letters_looks_for_nothing(typed):
    assert not engine.parse(typed) or all(t.isalnum() for t in engine.parse(typed).terms)


@pytest.mark.django_db
def test_a_very_long_query_is_cut_to_its_first_words():
    query = engine.parse("router " * 10_000)

    assert len(query.words) <= analysis.MAX_QUERY_WORDS


@pytest.mark.django_db
def test_a_correction_compares_only_words_of_its_first_letter_and_about_its_length():
    Term.objects.bulk_create(
        [Term(word="router"), Term(word="outer"), Term(word="routerkabelsalat")]
    )

    assert engine.correction("ruter") == "router"
    assert engine.correction("uter") == ""  # "outer" starts with another letter
