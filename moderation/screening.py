"""Checks a new or edited post before it is public: watched words (block, hold or
replace) and links from members in probation (hold). Staff are never held."""

import re
from dataclasses import dataclass
from functools import lru_cache

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from accounts import roles
from moderation import trust
from moderation.models import HOLD_LINK, HOLD_WORD, TrustLevel, WatchedWord

WORDS_KEY = "moderation:watched-words"
WORDS_SECONDS = 3600
# A markdown link or image, a bare URL, or an address starting with www.
LINK = re.compile(r"\]\(\s*\S|\b[a-z][a-z0-9+.-]*://|\bwww\.\w", re.IGNORECASE)


@dataclass(frozen=True)
class Screening:
    title: str
    body: str
    # Why the post waits for review before it is public, a code for Case.note (see
    # HOLD_LINK); "" when it may go online.
    hold_reason: str = ""


def _watched_words() -> list[tuple[str, str, str]]:
    """(word, action, replacement) of every watched word, cached until one changes."""
    words = cache.get(WORDS_KEY)
    if words is None:
        words = list(WatchedWord.objects.values_list("word", "action", "replacement"))
        cache.set(WORDS_KEY, words, WORDS_SECONDS)
    return words


@receiver([post_save, post_delete], sender=WatchedWord)
def _words_changed(**kwargs) -> None:
    # After commit: a reader in between would cache the old rows again.
    transaction.on_commit(lambda: cache.delete(WORDS_KEY))


@lru_cache(maxsize=2048)
def _pattern(word: str) -> re.Pattern:
    """The word as a whole word, ignoring case; `*` stands for any letters and a space
    for any white space. Wildcards alone match nothing."""
    if not re.sub(r"[\s*]", "", word):
        return re.compile(r"(?!)")
    body = r"[^\W\d_]*".join(re.escape(part) for part in word.strip().split("*"))
    body = re.sub(r"(\\\s)+", r"\\s+", body)
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def _block(word: str, texts: dict[str, str]) -> None:
    for field, text in texts.items():
        found = _pattern(word).search(text)
        if found:
            raise ValidationError(
                {field: _("“%(word)s” is not allowed here. Please rephrase.") % {"word": found[0]}}
            )


def _replace(word: str, replacement: str, texts: dict[str, str]) -> dict[str, str]:
    literal = replacement.replace("\\", "\\\\")  # no group references
    return {field: _pattern(word).sub(literal, text) for field, text in texts.items()}


def _holds(word: str, texts: dict[str, str]) -> bool:
    return any(_pattern(word).search(text) for text in texts.values())


def _has_link(texts: dict[str, str]) -> bool:
    return any(LINK.search(text) for text in texts.values())


def _in_probation(author) -> bool:
    return trust.trust_level(author) == TrustLevel.NEW


def screen(*, author, body: str, title: str = "") -> Screening:
    """Raises ValidationError when a blocking watched word appears; replaces the words
    to replace; gives the reason to hold the post for review, if any."""
    texts, hold_reason = {"title": title, "body": body}, ""
    for word, action, replacement in _watched_words():
        if action == WatchedWord.Action.BLOCK:
            _block(word, texts)
        elif action == WatchedWord.Action.REPLACE:
            texts = _replace(word, replacement, texts)
        elif not hold_reason and _holds(word, texts):
            hold_reason = HOLD_WORD + word
    if roles.is_staff_member(author):
        hold_reason = ""
    elif not hold_reason and _has_link(texts) and _in_probation(author):
        hold_reason = HOLD_LINK
    return Screening(**texts, hold_reason=hold_reason)
