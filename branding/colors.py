"""Colours as WCAG 2 measures them: text needs a contrast of at least 4.5:1."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
MIN_CONTRAST = 4.5


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(color: str) -> float:
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def validate_hex(value: str) -> None:
    if not HEX.match(value or ""):
        raise ValidationError(_("Enter a colour as # and six hex digits, like #0b5cad."))


def contrast_error(text: str, background: str, what: str) -> ValidationError | None:
    """An error naming `what` when `text` on `background` is below 4.5:1."""
    ratio = contrast(text, background)
    if ratio >= MIN_CONTRAST:
        return None
    return ValidationError(
        _("%(what)s: the contrast is %(ratio).2f:1, text needs at least 4.5:1.")
        % {"what": what, "ratio": ratio}
    )
