"""From text to search terms: the same steps for a stored post and for a typed query, so
that both meet in one vocabulary whatever the database (PostgreSQL or SQLite).

1. Words: letters and digits; a word joined by `!`, `-`, `.` or `/` is also kept whole
   without them (FRITZ!Box = fritzbox, TV-204 = tv204, Wi-Fi = wifi), so product names
   and error codes match however they are written.
2. Normal form: case folded, umlauts written out (ü = ue, ß = ss), so "uebertragen"
   finds "übertragen".
3. Stems (Snowball, German and English): "gesperrt" and "sperren" meet, "bills" and
   "bill".
4. German compounds: a long word is also indexed by its parts that are words of the
   vocabulary ("drittanbietersperre" also as "drittanbieter" and "sperre").
"""

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache

import snowballstemmer

LANGUAGES = {"de": "german", "en": "english"}
# A word: letters or digits, possibly joined into one by these characters.
WORD = re.compile(r"\w+(?:[!\-./']\w+)*")
JOINERS = re.compile(r"[!\-./']")
TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# Shorter words are no compounds; shorter parts are too likely to be chance matches.
COMPOUND_MIN, PART_MIN = 8, 4
# Linking letters between the parts of a German compound (Rechnung-s-betrag).
LINKS = ("s", "es", "n", "en", "e", "")
MAX_QUERY_WORDS = 16


def normal(word: str) -> str:
    """Case folded, umlauts written out, accents dropped (café = cafe)."""
    word = word.casefold().translate(TRANSLITERATION)
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The normal forms of the words of `text`, a joined word also whole and in parts."""
    found = []
    for match in WORD.finditer(text):
        raw = match.group()
        parts = [part for part in JOINERS.split(raw) if part]
        if len(parts) > 1:
            found.append(normal("".join(parts)))
        found.extend(normal(part) for part in parts)
    return found


@cache
def _stemmer(language: str):
    return snowballstemmer.stemmer(LANGUAGES[language])


def stem(word: str, language: str) -> str:
    """A word's stem; numbers and codes (anything with a digit) are kept whole."""
    if any(char.isdigit() for char in word):
        return word
    return _stemmer(language).stemWord(word)


def compound_parts(word: str, known: Callable[[str], bool]) -> list[str]:
    """The parts of a German compound that are known words, longest head first: a word
    splits where its head (less a linking letter) and its tail are both known, and the
    tail splits again. Not a compound: []."""
    if len(word) < COMPOUND_MIN:
        return []
    for cut in range(len(word) - PART_MIN, PART_MIN - 1, -1):
        head, tail = word[:cut], word[cut:]
        if not (known(tail) or compound_parts(tail, known)):
            continue
        for link in LINKS:
            if head.endswith(link) and len(head) - len(link) >= PART_MIN:
                root = head[: len(head) - len(link)] if link else head
                if known(root):
                    rest = compound_parts(tail, known)
                    return [root, *(rest or [tail])]
    return []


def document_terms(text: str, language: str, known: Callable[[str], bool]) -> list[str]:
    """The terms a stored text is found by: each word's stem in the text's language,
    and the stems of a compound's parts."""
    terms = []
    for word in words(text):
        terms.append(stem(word, language))
        if language == "de":
            terms.extend(stem(part, language) for part in compound_parts(word, known))
    return terms


def query_words(text: str) -> list[str]:
    """The words of a typed query (at most MAX_QUERY_WORDS); operators and quotes are
    no words, so they are simply ignored."""
    return words(text)[:MAX_QUERY_WORDS]


def word_stems(word: str) -> set[str]:
    """A query word's stems in both languages (the query's language is unknown)."""
    return {stem(word, language) for language in LANGUAGES}


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
