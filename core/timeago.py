"""How long ago something happened, as the active language says it: “1 day, 7 hours
ago”, “vor 1 Tag, 7 Stunden”. Every relative time on the site goes through `time_ago`.

Django's humanize `naturaltime` builds “%(delta)s ago” around the units, which German
cannot do: the units follow “vor” in the dative (“vor 2 Tagen”). Our own units, in the
context “time ago”, carry their dative plurals, and the whole phrase is one message.
"""

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext, npgettext_lazy, pgettext

UNITS = {
    "year": npgettext_lazy("time ago", "%(num)d year", "%(num)d years", "num"),
    "month": npgettext_lazy("time ago", "%(num)d month", "%(num)d months", "num"),
    "week": npgettext_lazy("time ago", "%(num)d week", "%(num)d weeks", "num"),
    "day": npgettext_lazy("time ago", "%(num)d day", "%(num)d days", "num"),
    "hour": npgettext_lazy("time ago", "%(num)d hour", "%(num)d hours", "num"),
    "minute": npgettext_lazy("time ago", "%(num)d minute", "%(num)d minutes", "num"),
}


def time_ago(value: datetime, *, now: datetime | None = None) -> str:
    """“just now” under a minute (or a moment in the future: clocks differ), one unit
    under a day (“7 hours ago”), two from a day on (“1 day, 7 hours ago”)."""
    now = now or timezone.now()
    elapsed = now - value
    if elapsed < timedelta(minutes=1):
        return gettext("just now")
    depth = 1 if elapsed < timedelta(days=1) else 2
    delta = timesince(value, now, time_strings=UNITS, depth=depth)  # type: ignore[arg-type]  # lazy strings, as Django's own
    return pgettext("time ago", "%(delta)s ago") % {"delta": delta}
