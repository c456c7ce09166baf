"""Whether a member has accepted every required text, kept between page views.

RequiredConsentMiddleware asks on every page of a signed-in member; the answer changes
only when a new version is published or the member withdraws. Kept: the required
purposes' current versions (until the next scheduled publication, at most an hour;
forgotten when a purpose or text is saved), and per member the versions they were found
to have accepted (forgotten when the member's consent is recorded). Only "accepted" is
kept: a member who still has to accept is asked the database each time.

Without Redis every read misses and the database is asked, as before."""

from datetime import timedelta

from django.core.cache import cache
from django.db.models import Min
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from privacy import selectors
from privacy.models import ConsentPurpose, ConsentRecord, ConsentText

REQUIRED_KEY = "consent:required"
LONGEST = timedelta(hours=1)
MEMBER_TIMEOUT = 24 * 3600


def _member_key(user_pk: int) -> str:
    return f"consent:accepted:{user_pk}"


def required_accepted(user) -> bool:
    """The member has accepted the current version of every required purpose."""
    found = cache.get_many([REQUIRED_KEY, _member_key(user.pk)])
    required = found.get(REQUIRED_KEY)
    if required is None:
        required = _required_versions()
    if required is not None and found.get(_member_key(user.pk)) == required:
        return True
    if selectors.missing_required(user):
        return False
    cache.set(_member_key(user.pk), required, MEMBER_TIMEOUT)
    return True


def _required_versions() -> list[list[int]]:
    """[purpose, current version] of each required purpose, kept until the next text
    is published."""
    required = sorted(
        [purpose.pk, purpose.current_version]
        for purpose in selectors.purposes_with_current_text().filter(required=True)
    )
    now = timezone.now()
    scheduled = ConsentText.objects.filter(published_at__gt=now).aggregate(at=Min("published_at"))
    until = min(scheduled["at"] or now + LONGEST, now + LONGEST)
    cache.set(REQUIRED_KEY, required, max(1, int((until - now).total_seconds())))
    return required


@receiver(post_save, sender=ConsentPurpose)
@receiver(post_delete, sender=ConsentPurpose)
@receiver(post_save, sender=ConsentText)
@receiver(post_delete, sender=ConsentText)
def _texts_changed(**kwargs) -> None:
    cache.delete(REQUIRED_KEY)


@receiver(post_save, sender=ConsentRecord)
def _consent_recorded(instance: ConsentRecord, **kwargs) -> None:
    """A withdrawal must be asked about at once. (Grants written in bulk at signup need
    nothing: accepting can only make a member's answer "accepted".)"""
    cache.delete(_member_key(instance.user_id))
