"""The widget's words, sent with its first answer (views.top) in the language asked for:
the script holds no text of its own, so the site's catalogue translates it."""

from django.utils.translation import gettext_lazy as _

STRINGS = {
    "title": _("Answers from our community"),
    "search_label": _("Search the community"),
    "search_hint": _("Answers appear as you type. Use the arrow keys to move between them."),
    "searching": _("Searching…"),
    "results_heading": _("Answers to your search"),
    "solved": _("Solved"),
    "official": _("Official answer"),
    "accepted": _("Accepted answer"),
    "best": _("Most helpful answer"),
    "back": _("Back to the answers"),
    "open": _("Read the whole thread in the community"),
    "new_tab": _("(opens in a new tab)"),
    "solved_button": _("This solved my problem"),
    "thanks": _("Thank you! We are glad it helped."),
    "error": _("Something went wrong. Please try again."),
    "ask": _("Ask the community"),
}


def strings() -> dict[str, str]:
    """In the active language."""
    return {key: str(text) for key, text in STRINGS.items()}
