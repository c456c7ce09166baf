"""Text that members write, cleaned on the way in."""

import re

_LINE_BREAK = re.compile(r"\r\n?")
# C0 controls but tab and newline, DEL, and the C1 controls. Search uses \x02 and \x03
# to mark its matches (community.search), so no stored text may contain them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """`text` without control characters: line breaks become \\n, tabs stay."""
    return _CONTROL.sub("", _LINE_BREAK.sub("\n", text))
