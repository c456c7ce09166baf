"""Counting anonymous visitors without personal data: a visitor is known only by a
hash of their session key under a random salt of the day. No IP address is stored,
and once the day's salt is deleted (visitor_salts_expire) nobody, us included, can
tie a hash to a session or to the same visitor's hash of another day."""

import hashlib
import hmac
import secrets
from datetime import date, timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from privacy.models import VisitorSalt

# Longer than a salt is used (today's and yesterday's), so the cache forgets it too.
SALT_CACHED_SECONDS = 2 * 24 * 60 * 60


def _salt(day: date) -> str:
    """The day's salt: from the cache (page views of visitors need it, so it costs no
    query), else the database, which creates it once for every process."""
    key = f"privacy:visitor-salt:{day.isoformat()}"
    salt = cache.get(key)
    if salt is None:
        row = VisitorSalt.objects.filter(day=day).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = VisitorSalt.objects.create(day=day, salt=secrets.token_hex(32))
            except IntegrityError:  # another process created the day's salt first
                row = VisitorSalt.objects.get(day=day)
        salt = row.salt
        cache.set(key, salt, timeout=SALT_CACHED_SECONDS)
    return salt


def visitor_hash(session_key: str, *, day: date | None = None) -> str:
    """The same within a day for one session; unrelated across days and sessions."""
    day = day or timezone.localdate()
    return hmac.new(_salt(day).encode(), session_key.encode(), hashlib.sha256).hexdigest()


def visitor_salts_expire(*, today: date | None = None) -> int:
    """Deletes every salt older than yesterday (yesterday's stays for late requests),
    from the database and the cache."""
    today = today or timezone.localdate()
    old = VisitorSalt.objects.filter(day__lt=today - timedelta(days=1))
    cache.delete_many(
        [f"privacy:visitor-salt:{day.isoformat()}" for day in old.values_list("day", flat=True)]
    )
    deleted, _rows = old.delete()
    return deleted
