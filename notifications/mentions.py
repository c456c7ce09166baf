"""Finding the members a post mentions: "@" and a display name (which may contain spaces),
outside code, matched case-insensitively against the names members really have."""

import html
import re

from django.db.models.functions import Lower
from django.utils.html import strip_tags

from accounts.models import User

MAX_MENTIONS = 10
# Bounds the candidates looked up for one post, whatever its length.
MAX_AT_SIGNS = 30
NAME_MAX = User._meta.get_field("display_name").max_length
# Not after a word character: "anna@example.com" mentions nobody.
_AT = re.compile(r"(?<![\w@])@(?=\w)")
_CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.IGNORECASE | re.DOTALL)
_TRAILING = ".,;:!?)]}'\"»“”\u2019"


def _plain_text(body_html: str) -> str:
    return html.unescape(strip_tags(_CODE.sub(" ", body_html)))


def _candidates(after: str) -> list[str]:
    """The names the text after an "@" could start with, longest first: one word, two
    words... up to the longest display name, each also without trailing punctuation."""
    words = after[: NAME_MAX + 1].split("\n", 1)[0].split()
    names: list[str] = []
    for count in range(1, len(words) + 1):
        name = " ".join(words[:count])
        if len(name) > NAME_MAX:
            break
        names += [name.lower(), name.rstrip(_TRAILING).lower()]
    return [name for name in reversed(dict.fromkeys(names)) if name]


def mentioned_members(body_html: str) -> list[User]:
    """At most MAX_MENTIONS members, in the order first mentioned (one query)."""
    text = _plain_text(body_html)
    positions = [match.end() for match in _AT.finditer(text)][:MAX_AT_SIGNS]
    wanted = [_candidates(text[start:]) for start in positions]
    names = {name for names in wanted for name in names}
    if not names:
        return []
    found = {
        user.lower_name: user
        for user in User.objects.annotate(lower_name=Lower("display_name")).filter(
            lower_name__in=names
        )
    }
    members: dict[int, User] = {}
    for names in wanted:
        user = next((found[name] for name in names if name in found), None)
        if user is not None:
            members.setdefault(user.pk, user)
    return list(members.values())[:MAX_MENTIONS]
