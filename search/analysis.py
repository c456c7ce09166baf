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
5. Pairs: a title's neighbouring terms also as one term, so a phrase ranks higher.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from itertools import pairwise

import snowballstemmer

LANGUAGES = {"de": "german", "en": "english"}
# A word: letters or digits, possibly joined into one by these characters.
WORD = re.compile(r"\w+(?:[!\-./']\w+)*")
JOINERS = re.compile(r"[!\-./']")
TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# Shorter words are no compounds; shorter parts are too likely to be chance matches;
# longer words are no language (a pasted key, a row of x), and would cost seconds.
COMPOUND_MIN, COMPOUND_MAX, PART_MIN = 8, 40, 4
# Linking letters between the parts of a German compound (Rechnung-s-betrag).
LINKS = ("s", "es", "n", "en", "e", "")
MAX_QUERY_WORDS = 16
# The longest word kept (search.Term's length): longer ones are no language.
MAX_WORD = 64
NOT_LETTERS = re.compile(r"[\W_]+")


@lru_cache(maxsize=200_000)
def normal(word: str) -> str:
    """Case folded, umlauts written out, accents dropped (café = cafe)."""
    word = word.casefold().translate(TRANSLITERATION)
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The normal forms of the words of `text`, a joined word also whole and in parts;
    letters and digits only (NFKD can turn one character into several, "⑴" into "(1)"),
    at most MAX_WORD long."""
    found = []
    for match in WORD.finditer(text):
        parts = [_letters(part) for part in JOINERS.split(match.group())]
        parts = [part for part in parts if part]
        if len(parts) > 1:
            found.append("".join(parts)[:MAX_WORD])
        found.extend(parts)
    return found


def _letters(part: str) -> str:
    return NOT_LETTERS.sub("", normal(part))[:MAX_WORD]


@cache
def _stemmer(language: str):
    return snowballstemmer.stemmer(LANGUAGES[language])


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """A word's stem; numbers and codes (anything with a digit) are kept whole."""
    if any(char.isdigit() for char in word):
        return word
    return _stemmer(language).stemWord(word)


def compound_parts(word: str, known: Callable[[str], bool]) -> list[str]:
    """The parts of a German compound that are known words, longest head first: a word
    splits where its head (less a linking letter) is known and its tail is known or
    splits again. Not a compound: []."""
    if not COMPOUND_MIN <= len(word) <= COMPOUND_MAX:
        return []
    splits: dict[str, list[str] | None] = {}  # each tail is tried once: linear, not exponential

    def split(rest: str) -> list[str] | None:
        if rest not in splits:
            splits[rest] = _split(rest, known, split)
        return splits[rest]

    return split(word) or []


def _split(word: str, known: Callable[[str], bool], split) -> list[str] | None:
    for cut in range(len(word) - PART_MIN, PART_MIN - 1, -1):
        head, tail = word[:cut], word[cut:]
        rest = [tail] if known(tail) else split(tail)
        if not rest:
            continue
        for link in LINKS:
            root = head[: len(head) - len(link)] if link else head
            if head.endswith(link) and len(root) >= PART_MIN and known(root):
                return [root, *rest]
    return None


def document_terms(text: str, language: str, parts: Callable[[str], list[str]]) -> list[str]:
    """The terms a stored text is found by: each word's stem in the text's language
    (stop words left out: they are in every text and a query leaves them out), and the
    stems of a German compound's `parts` (engine.compound_parts)."""
    terms = []
    for word in words(text):
        if is_stop_word(word):
            continue
        terms.append(stem(word, language))
        if language == "de":
            terms.extend(stem(part, language) for part in parts(word))
    return terms


def pairs(stems: list[str]) -> list[str]:
    """Neighbouring terms as one term ("router blink"): where a title has the words of a
    query together, it ranks higher. A space joins them, so no single word is a pair."""
    return [f"{first} {second}" for first, second in pairwise(stems)]


def title_pairs(title: str, language: str) -> list[str]:
    return pairs([stem(word, language) for word in words(title) if not is_stop_word(word)])


def query_words(text: str) -> list[str]:
    """The words of a typed query (at most MAX_QUERY_WORDS); operators and quotes are
    no words, so they are simply ignored."""
    return words(text)[:MAX_QUERY_WORDS]


def word_stems(word: str) -> set[str]:
    """A query word's stems in both languages (the query's language is unknown)."""
    return {stem(word, language) for language in LANGUAGES}


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# Words that say nothing about a problem: neither indexed nor searched (in nearly every
# text, they would be the longest lists of the index and rank nothing).
_STOP = """
a an and are as at be but by can could do does for from had has have how i if in into is
it its me my no not of on or our so than that the their them then there these they this
to too was we were what when where which who why will with would you your want wants
need please help hello hi thanks anyone get got
aber als am an auch auf aus bei bin bis bitte da dann das dass dein deine dem den der
des die dies diese doch du ein eine einem einen einer es für geht gibt habe hat hallo
ich ihr im in ist ja kann kein keine man mein meine mich mir mit nach nicht noch nur ob
oder schon sehr sein sich sie sind so und uns von vom was weiß wenn wie wieder wir wo zu
zum zur danke jemand warum
"""
STOP_WORDS = frozenset(normal(word) for word in _STOP.split())


def is_stop_word(word: str) -> bool:
    return word in STOP_WORDS
