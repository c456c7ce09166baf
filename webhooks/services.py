"""Staff manage endpoints here, whatever the door (the staff pages, the admin): the URL
and event rules, signing secrets and their rotation, redelivery. Every function checks
the permission itself."""

import secrets as random
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict
from webhooks import addresses, selectors, tasks
from webhooks.models import Delivery, Endpoint, EventType, Secret

SECRET_PREFIX = "whsec_"  # noqa: S105 (the prefix of a generated secret, not a secret)
URL_MAX = Endpoint._meta.get_field("url").max_length or 500
DESCRIPTION_MAX = Endpoint._meta.get_field("description").max_length or 200


def _require(user, permission: str) -> None:
    if not (user and user.is_authenticated and user.has_perm(permission)):
        raise PermissionDenied(_("Only community managers can manage webhooks."))


def endpoint_clean(*, url: str, description: str, events: Iterable[str]) -> dict:
    """The endpoint's fields as stored; a ValidationError names each bad one."""
    url, description = (url or "").strip(), (description or "").strip()
    chosen = list(dict.fromkeys(events or ()))
    errors: dict[str, str] = {}
    if not url:
        errors["url"] = _("Enter the URL that receives the events.")
    elif len(url) > URL_MAX:
        errors["url"] = _("At most %(n)d characters.") % {"n": URL_MAX}
    else:
        try:
            addresses.url_check(url)
        except addresses.Refused as refused:
            errors["url"] = str(refused.message)
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = _("At most %(n)d characters.") % {"n": DESCRIPTION_MAX}
    if not chosen:
        errors["events"] = _("Choose at least one event.")
    elif any(event not in EventType.values for event in chosen):
        errors["events"] = _("Choose among the events listed.")
    if errors:
        raise ValidationError(errors)
    ordered = [event for event in EventType.values if event in chosen]
    return {"url": url, "description": description, "events": ordered}


def _new_secret(endpoint: Endpoint, *, now: datetime) -> Secret:
    return Secret.objects.create(
        endpoint=endpoint, value=SECRET_PREFIX + random.token_urlsafe(32), created_at=now
    )


@transaction.atomic
def endpoint_create(
    *, by, url: str, description: str, events: Iterable[str], active: bool = True
) -> Endpoint:
    """A new endpoint with its first signing secret."""
    _require(by, "webhooks.add_endpoint")
    endpoint = Endpoint.objects.create(
        **endpoint_clean(url=url, description=description, events=events), is_active=active
    )
    _new_secret(endpoint, now=endpoint.created_at)
    return endpoint


@transaction.atomic
def endpoint_update(
    *, endpoint: Endpoint, by, url: str, description: str, events: Iterable[str], active: bool
) -> Endpoint:
    """Locks the endpoint. Switching it on again clears its failures; its deliveries that
    waited meanwhile are sent by the next sweep."""
    _require(by, "webhooks.change_endpoint")
    fields = endpoint_clean(url=url, description=description, events=events)
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    for name, value in fields.items():
        setattr(endpoint, name, value)
    if active and not endpoint.is_active:
        endpoint.consecutive_failures, endpoint.disabled_at, endpoint.disabled_reason = 0, None, ""
    elif endpoint.is_active and not active:
        endpoint.disabled_at = timezone.now()
        endpoint.disabled_reason = f"switched off by staff member {by.pk}"
    endpoint.is_active = active
    endpoint.save()
    return endpoint


def overlap() -> timedelta:
    return timedelta(hours=settings.WEBHOOKS_SECRET_OVERLAP_HOURS)


@transaction.atomic
def secret_rotate(*, endpoint: Endpoint, by, now: datetime | None = None) -> Secret:
    """Locks the endpoint. A new current secret; the one it replaces stays valid for the
    overlap, so requests carry both signatures while the receiver switches. A secret
    already on its way out expires at once: never more than two are valid."""
    _require(by, "webhooks.change_endpoint")
    now = now or timezone.now()
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    secrets = Secret.objects.filter(endpoint=endpoint)
    secrets.filter(expires_at__gt=now).update(expires_at=now)
    secrets.filter(expires_at=None).update(expires_at=now + overlap())
    return _new_secret(endpoint, now=now)


def delivery_redeliver(*, delivery: Delivery, by) -> Delivery:
    """Sends the delivery again now, with the same delivery id (a receiver that has it
    drops it) and a fresh set of attempts. Locks the delivery."""
    _require(by, "webhooks.change_endpoint")
    with transaction.atomic():
        row = Delivery.objects.select_for_update().select_related("endpoint").get(pk=delivery.pk)
        if not row.endpoint.is_active:
            raise Conflict(_("The endpoint is switched off: switch it on first."))
        row.state, row.attempts, row.next_attempt_at = Delivery.State.PENDING, 0, timezone.now()
        row.save(update_fields=["state", "attempts", "next_attempt_at"])
        tasks.deliver_on_commit([row.pk])
    return row


def can_manage(user) -> bool:
    return user.is_authenticated and user.has_perm(selectors.MANAGE)
