"""Household signals: which network and which device a member uses, each kept only as a
salted hash for EconomySettings.household_days, so that rewards.fraud.detection can tell
when an answerer and an asker look like one household. Never the address or the headers."""

from datetime import timedelta

from django.utils import timezone
from django.utils.crypto import salted_hmac

from core import net
from rewards.models import EconomySettings, HouseholdSignal

# The HMAC key is derived from SECRET_KEY and this purpose, so the digests are useless
# outside this site and unlike any other hash the site makes.
_PURPOSE = "peerdesk.rewards.household"


def network_of(ip: str) -> str | None:
    """The /24 (IPv4) or home /64 (IPv6) around a public address. None for garbage and for
    private or loopback addresses: those belong to a proxy or a test, not to a household."""
    return net.network_of(ip, ipv6_prefix=net.IPV6_HOME_PREFIX, public_only=True)


def signal_digest(*, kind: str, value: str) -> str:
    return salted_hmac(_PURPOSE, f"{kind}:{value}", algorithm="sha256").hexdigest()


def household_record(*, user, ip: str, user_agent: str, accept_language: str) -> None:
    """Upserts the member's network and device signals for today (one query). A signal
    that cannot be told (no public address, no user agent) is left out."""
    values = {}
    if network := network_of(ip):
        values[HouseholdSignal.Kind.NETWORK] = network
    if user_agent.strip():
        values[HouseholdSignal.Kind.DEVICE] = f"{user_agent.strip()}\n{accept_language.strip()}"
    if not values:
        return
    today = timezone.localdate()
    HouseholdSignal.objects.bulk_create(
        [
            HouseholdSignal(
                user=user, kind=kind, digest=signal_digest(kind=kind, value=value), last_seen=today
            )
            for kind, value in values.items()
        ],
        update_conflicts=True,
        unique_fields=["user", "kind", "digest"],
        update_fields=["last_seen"],
    )


def household_sweep() -> int:
    """Deletes the signals not seen within the retention period; returns how many."""
    days = EconomySettings.load().household_days
    cutoff = timezone.localdate() - timedelta(days=days)
    deleted, _by_model = HouseholdSignal.objects.filter(last_seen__lt=cutoff).delete()
    return deleted
