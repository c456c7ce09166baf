"""Forged floods of "solved for me too" marks and contact-page deflections: one session
may say "this solved it" PEERDESK["SOLVED_MARKS_PER_DAY"] times a day; more is refused
(RateLimited, a 429) before anything is written. PEERDESK["RATE_LIMITS"] = False
switches the limit off, as it does moderation.gate's.

The counter lives in the cache under a hash of the session key and the day, and
expires after a day: no session key is stored."""

import hashlib
import math
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _

from config.errors import RateLimited

DAY_SECONDS = 24 * 60 * 60


def _counter_key(session_key: str, day) -> str:
    digest = hashlib.sha256(f"{day.isoformat()}:{session_key}".encode()).hexdigest()
    return f"insights:marks:{digest}"


def marks_allow(*, session_key: str) -> None:
    """Counts one more mark or deflection of the session today; raises RateLimited once
    the day's allowance is used up (refused attempts count too: a flood stays refused)."""
    if not settings.PEERDESK["RATE_LIMITS"]:
        return
    now = timezone.localtime()
    key = _counter_key(session_key, now.date())
    cache.add(key, 0, timeout=DAY_SECONDS)
    if cache.incr(key) <= settings.PEERDESK["SOLVED_MARKS_PER_DAY"]:
        return
    midnight = timezone.make_aware(datetime.combine(now.date() + timedelta(days=1), time.min))
    raise RateLimited(
        _(
            "Too many “this solved it” answers from this browser today. "
            "Please try again in %(wait)s."
        )
        % {"wait": timeuntil(midnight, now=now, depth=1)},
        retry_after=max(1, math.ceil((midnight - now).total_seconds())),
    )
