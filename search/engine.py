"""A typed query read into the terms to look for, the same way for every place that
searches and for both databases.

Every word helps and none is required (the terms are OR-ed and ranked). A word is
looked for by its stems in both languages, by its synonyms, by its compound parts, and,
if the community never wrote it, by the nearest word it did write (a typo): "Ruter"
finds "Router". The last word is also a prefix, for suggestions while typing.
"""

import time
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from search import analysis
from search.models import Synonym, Term

# A correction must be this similar (0 to 100, rapidfuzz's ratio) and the word this long.
TYPO_SCORE, TYPO_MIN_LENGTH = 80, 4
# A correction is at most this many letters longer or shorter than the typed word.
TYPO_LENGTH = 2
# How long a process keeps the vocabulary and synonyms before reading them again.
CACHE_SECONDS = 300
# The last word as typed is completed to this many of the community's words, the
# shortest first (what is typed is usually most of the word).
COMPLETIONS = 10


@dataclass
class Query:
    """What to look for: `terms` (stems, OR-ed), `prefix` (the last word as typed) and
    its `completions` (the stems of the community's words it begins), `pairs` (the
    words' stems side by side, ranked higher where a title has them so), and
    `corrected` ("did you mean", when a word was corrected)."""

    words: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    prefix: str = ""
    completions: list[str] = field(default_factory=list)
    pairs: list[str] = field(default_factory=list)
    corrected: str = ""

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefix)

    @property
    def searched(self) -> list[str]:
        """Every term to look up in the index."""
        return analysis.unique([*self.terms, *self.completions, *self.pairs])

    @property
    def normal(self) -> str:
        """The query's normal form, as the search log keeps it."""
        return " ".join(self.words)[:200]


class _Cached:
    """A value read from the database at most every CACHE_SECONDS in each process."""

    def __init__(self, load):
        self._load, self._value, self._at = load, None, 0.0

    def get(self):
        if self._value is None or time.monotonic() - self._at > CACHE_SECONDS:
            self._value, self._at = self._load(), time.monotonic()
        return self._value

    def clear(self) -> None:
        self._value = None


@dataclass
class Vocabulary:
    """The community's words, and the compound splits found in them so far (a split
    depends on the words, so it is kept with them and read again with them)."""

    words: frozenset[str]
    ordered: list[str]  # for completions
    # By first letter and length: a typo's candidates (the first letter is rarely the
    # wrong one), so a correction compares a few hundred words, not the vocabulary.
    buckets: dict[tuple[str, int], list[str]]
    splits: dict[str, list[str]] = field(default_factory=dict)

    def candidates(self, word: str) -> list[str]:
        return [
            candidate
            for length in range(len(word) - TYPO_LENGTH, len(word) + TYPO_LENGTH + 1)
            for candidate in self.buckets.get((word[0], length), ())
        ]


def _load_vocabulary() -> Vocabulary:
    words = list(Term.objects.values_list("word", flat=True))
    buckets: dict[tuple[str, int], list[str]] = {}
    for word in words:
        buckets.setdefault((word[0], len(word)), []).append(word)
    return Vocabulary(frozenset(words), sorted(words), buckets)


def _load_synonyms() -> dict[str, set[str]]:
    """Each word of a group maps to the others (normal forms, joined words whole)."""
    groups: dict[str, set[str]] = {}
    for line in Synonym.objects.values_list("words", flat=True):
        members = {analysis.words(entry)[0] for entry in line.split(",") if analysis.words(entry)}
        for word in members:
            groups.setdefault(word, set()).update(members - {word})
    return groups


_vocabulary = _Cached(_load_vocabulary)
_synonyms = _Cached(_load_synonyms)


def clear_caches() -> None:
    """After the vocabulary or the synonyms changed (the admin, a test)."""
    _vocabulary.clear()
    _synonyms.clear()


def known(word: str) -> bool:
    return word in _vocabulary.get().words


def compound_parts(word: str) -> list[str]:
    """A German compound's parts among the community's words (analysis.compound_parts),
    each word split once per vocabulary: indexing meets the same words again and again."""
    vocabulary = _vocabulary.get()
    if word not in vocabulary.splits:
        vocabulary.splits[word] = analysis.compound_parts(word, vocabulary.words.__contains__)
    return vocabulary.splits[word]


def correction(word: str) -> str:
    """The community's word nearest to a word it never wrote, or "" if none is near."""
    if len(word) < TYPO_MIN_LENGTH or known(word) or any(c.isdigit() for c in word):
        return ""
    best = process.extractOne(
        word, _vocabulary.get().candidates(word), scorer=fuzz.ratio, score_cutoff=TYPO_SCORE
    )
    return best[0] if best else ""


def completions(prefix: str) -> list[str]:
    """The stems of the community's words that begin with `prefix`, the shortest first."""
    ordered = _vocabulary.get().ordered
    begun = ordered[bisect_left(ordered, prefix) : bisect_left(ordered, prefix + "\U0010ffff")]
    shortest = sorted((w for w in begun if w != prefix), key=len)[:COMPLETIONS]
    return analysis.unique(stem for w in shortest for stem in sorted(analysis.word_stems(w)))


def parse(text: str) -> Query:
    """The query of a typed text. Stop words are no terms (nor in the index)."""
    typed = analysis.query_words(text[:1000])
    words = [w for w in typed if not analysis.is_stop_word(w) and (len(w) > 1 or w.isdigit())]
    if not words:
        return Query()
    synonyms = _synonyms.get()
    terms: list[str] = []
    corrected, changed = [], False
    for word in words:
        terms.extend(analysis.word_stems(word))
        for other in synonyms.get(word, ()):
            terms.extend(analysis.word_stems(other))
        for part in compound_parts(word):
            terms.extend(analysis.word_stems(part))
        better = correction(word) if word not in synonyms else ""
        if better:
            terms.extend(analysis.word_stems(better))
            changed = True
        corrected.append(better or word)
    prefix = words[-1] if len(words[-1]) >= 2 else ""
    return Query(
        words=words,
        terms=analysis.unique(terms),
        prefix=prefix,
        completions=completions(prefix) if prefix else [],
        pairs=analysis.unique(
            pair
            for language in analysis.LANGUAGES
            for pair in analysis.pairs([analysis.stem(w, language) for w in words])
        ),
        corrected=" ".join(corrected) if changed else "",
    )


def learn(words: Iterable[str]) -> None:
    """Add the words of newly indexed posts to the vocabulary (numbers and codes and
    words shorter than three letters are no corrections to offer)."""
    new = {w for w in words if len(w) >= 3 and w.isalpha() and len(w) <= 64}
    if not new:
        return
    missing = new - _vocabulary.get().words
    if missing:
        Term.objects.bulk_create([Term(word=w) for w in sorted(missing)], ignore_conflicts=True)
        _vocabulary.clear()  # read again when next needed (a rolled-back word does no harm)
